from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from byline.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("author/", include("byline.authors.urls")),
    path("comments/", include("byline.comments.urls")),
    # Uploaded files (author avatars). Django's static view refuses paths outside
    # MEDIA_ROOT; a reverse proxy may serve the folder itself instead.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("byline.articles.urls")),
    # Static pages at their own addresses (/about/): last, it takes what is left.
    path("", include("byline.pages.urls")),
]
