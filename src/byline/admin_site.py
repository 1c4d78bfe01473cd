"""Django's admin, branded Byline, with the comment queue's size on every page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class BylineAdminSite(admin.AdminSite):
    site_header = "Byline"
    site_title = "Byline"
    index_title = "Newsroom"

    def each_context(self, request: HttpRequest) -> dict:
        from byline.comments.selectors import comment_status_counts

        context = super().each_context(request)
        if request.user.is_active and request.user.is_staff:
            context["comment_counts"] = comment_status_counts()
        return context


class BylineAdminConfig(AdminConfig):
    default_site = "byline.admin_site.BylineAdminSite"


admin_site = admin.site
