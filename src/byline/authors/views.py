from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from byline.articles.models import Article
from byline.articles.views import render_article_list
from byline.authors.models import Author
from byline.discovery.seo import author_meta
from byline.pagecache.marks import COMMENTS, cached_page


@require_safe
@cached_page(COMMENTS)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().filter(author=author)
    meta = author_meta(request=request, author=author)
    return render_article_list(
        request, articles, "authors/detail.html", {"author": author, "meta": meta}
    )
