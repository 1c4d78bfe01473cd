from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from byline.api.models import ApiToken
from byline.api.tokens import SCOPES, scopes_refused_for_user, token_issue, token_revoke


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "can_read_drafts", "can_write_articles", "can_moderate_comments"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        cleaned = super().clean()
        wanted = [name for name, scope in SCOPES.items() if cleaned.get(scope.field)]
        refused = scopes_refused_for_user(user=self.user, scopes=wanted) if self.user else []
        if refused:
            raise forms.ValidationError(
                "Your account may not %(what)s, so a token of yours cannot either.",
                params={"what": " or ".join(refused)},
            )
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: each editor creates and revokes their own; the token is
    shown once, on the page after it is created, and only its hash is kept."""

    form = ApiTokenForm
    list_display = ("name", "prefix_shown", "user", "scopes_shown", "created_at",
                    "last_used_at", "state")  # fmt: skip
    list_filter = ("can_read_drafts", "can_write_articles", "can_moderate_comments")
    search_fields = ("name", "prefix", "user__username")
    actions = ["revoke"]
    readonly_fields = ("prefix_shown", "user", "created_at", "last_used_at", "revoked_at")

    def get_queryset(self, request: HttpRequest):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        scopes = ["can_read_drafts", "can_write_articles", "can_moderate_comments"]
        if obj is None:
            return ["name", *scopes]
        return ["name", "prefix_shown", "user", *scopes, "created_at", "last_used_at",
                "revoked_at"]  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        if obj is None:
            return ()
        # A token's scopes are fixed: for other scopes, create another token.
        return (*self.readonly_fields, "can_read_drafts", "can_write_articles",
                "can_moderate_comments")  # fmt: skip

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **inner) -> None:
                super().__init__(*args, user=request.user, **inner)

        return WithUser

    @admin.display(description="token")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="scopes")
    def scopes_shown(self, token: ApiToken) -> str:
        names = [scope.label for scope in SCOPES.values() if getattr(token, scope.field)]
        return ", ".join(names) or "read published content only"

    @admin.display(description="state", ordering="revoked_at")
    def state(self, token: ApiToken) -> str:
        if token.revoked_at:
            return f"revoked {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}"
        return "active"

    @admin.action(description="Revoke selected tokens (they stop working at once)")
    def revoke(self, request: HttpRequest, queryset) -> None:
        count = token_revoke(token_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} token{'s' if count != 1 else ''} revoked.")

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        obj.user = request.user  # a personal token: always the editor's own
        obj.key = token_issue(token=obj)

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue=None):
        """The only page that ever shows the token."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Your new API token",
            "opts": self.opts,
            "token": obj,
            "key": obj.key,
            "scopes": self.scopes_shown(obj),
        }
        response: HttpResponse = TemplateResponse(request, "api/admin/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response
