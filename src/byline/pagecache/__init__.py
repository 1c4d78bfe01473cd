"""A full-page cache for anonymous readers, in front of Django.

Views mark the responses that may be kept (`marks.cacheable`) with the tags of what
they show; a WSGI layer (`wsgi.PageCache`) keeps those responses in the "pages" cache
and answers the next anonymous reader from it without running Django, still counting
the article's view exactly and giving the reader a CSRF token of their own. A change
purges the tags it touches after its transaction commits (`purge`), so no reader ever
gets a page older than the change.
"""
