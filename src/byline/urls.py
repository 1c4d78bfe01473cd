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
    path("", include("byline.security.urls")),  # before the admin: /admin/two-factor/
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

handler400 = "byline.security.views.bad_request"  # 400s with the reason; 413 past the limit
handler500 = "byline.security.views.server_error"  # 503 while the database is unreachable
