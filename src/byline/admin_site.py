"""Django's admin, branded Byline, with the comment queue's size on every page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class BylineAdminSite(admin.AdminSite):
    site_header = "Byline"
    site_title = "Byline"
    index_title = "Newsroom"
    # Login: django-axes counts failures; an editor with two-factor login on must also
    # give the current code (byline.security).
    login_template = "security/admin_login.html"

    @property
    def login_form(self):
        from byline.security.forms import EditorLoginForm

        return EditorLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        from django_otp import user_has_device

        return super().has_permission(request) and (
            request.user.is_verified() or not user_has_device(request.user, confirmed=True)
        )

    def each_context(self, request: HttpRequest) -> dict:
        from byline.comments.selectors import comment_status_counts

        context = super().each_context(request)
        if request.user.is_active and request.user.is_staff:
            context["comment_counts"] = comment_status_counts()
        return context


class BylineAdminConfig(AdminConfig):
    default_site = "byline.admin_site.BylineAdminSite"


admin_site = admin.site
