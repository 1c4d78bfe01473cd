import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
django_application = get_wsgi_application()

# After Django's setup: the page cache's layer reads models and settings.
from byline.pagecache.wsgi import PageCache  # noqa: E402

application = PageCache(django_application)
