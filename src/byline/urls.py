from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

from byline.admin_site import admin_site


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files (author avatars). Django's static view refuses paths outside
    MEDIA_ROOT; a reverse proxy may serve the folder itself instead."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("admin/", admin_site.urls),
    path("author/", include("byline.authors.urls")),
    path("comments/", include("byline.comments.urls")),
    path("api/", include("byline.api.urls")),
    path("", include("byline.pageviews.urls")),
    re_path(r"^media/(?P<path>.+)$", media),
    path("", include("byline.discovery.urls")),
    path("", include("byline.articles.urls")),
    # Static pages at their own addresses (/about/): last, it takes what is left.
    path("", include("byline.pages.urls")),
]
