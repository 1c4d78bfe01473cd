from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from byline.comments.models import Comment, ModerationSettings
from byline.comments.selectors import comment_status_counts
from byline.comments.services import comment_edit, comment_moderate


def _moderation_action(status: str, label: str):
    def action(modeladmin, request: HttpRequest, queryset) -> None:
        changed = comment_moderate(
            comment_ids=queryset.values_list("pk", flat=True),
            status=status,
            reason=f"moderator: {request.user.get_username()}",
        )
        modeladmin.message_user(
            request, f"{changed} comment{'s' if changed != 1 else ''} marked {label.lower()}."
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=f"{label} selected comments")(action)


class StatusFilter(admin.SimpleListFilter):
    """The queue's states with how many comments each holds."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = comment_status_counts()
        return [(value, f"{label} ({counts[value]})") for value, label in Comment.Status.choices]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("author_name", "excerpt", "article_link", "status", "status_reason",
                    "created_at")  # fmt: skip
    list_filter = (StatusFilter,)
    list_select_related = ("article",)
    search_fields = ("author_name", "author_email", "body", "author_ip")
    actions = [
        _moderation_action(Comment.Status.APPROVED, "Approve"),
        _moderation_action(Comment.Status.SPAM, "Spam"),
        _moderation_action(Comment.Status.TRASH, "Trash"),
        _moderation_action(Comment.Status.PENDING, "Unapprove"),
    ]
    fields = ("article", "parent", "author_name", "author_email", "author_url", "body",
              "status", "status_reason", "author_ip", "user_agent", "created_at")  # fmt: skip
    readonly_fields = ("article", "parent", "status_reason", "author_ip", "user_agent",
                       "created_at")  # fmt: skip
    list_per_page = 50

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(120)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, comment: Comment) -> str:
        url = reverse("admin:articles_article_change", args=[comment.article_id])
        return format_html('<a href="{}">{}</a>', url, comment.article.title)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers (or an import), not from this form

    def save_model(self, request, comment: Comment, form, change: bool) -> None:
        """An editor's edit: the body is re-rendered and a new status goes through
        moderation like a bulk action, so counts stay right."""
        plain = [name for name in form.changed_data if name not in {"body", "status"}]
        if plain:
            comment.save(update_fields=plain)
        if "body" in form.changed_data:
            comment_edit(comment=comment, body=comment.body)
        if "status" in form.changed_data:
            comment_moderate(
                comment_ids=[comment.pk],
                status=comment.status,
                reason=f"moderator: {request.user.get_username()}",
            )


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One row of rules: the list page goes straight to it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        settings = ModerationSettings.current()
        if not ModerationSettings.objects.filter(pk=settings.pk).exists():
            settings.save()
        url = reverse("admin:comments_moderationsettings_change", args=[settings.pk])
        return HttpResponseRedirect(url)

    def response_change(self, request, obj):
        messages.success(request, "The comment rules are saved; they apply within seconds.")
        return HttpResponseRedirect(request.path)
