import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from byline.comments.bans import ban_value_clean, bans_changed
from byline.comments.models import Ban, Comment, EmailOptOut, ModerationSettings, VerifiedEmail
from byline.comments.privacy import commenter_erase, commenter_export
from byline.comments.selectors import comment_status_counts, comment_url
from byline.comments.services import ban_add, comment_edit, comment_moderate

# One-click decisions: (url name, label, new status, does the filter learn from it?)
DECISIONS = {
    "approve": ("Approve", Comment.Status.APPROVED, True),
    "not-spam": ("Not spam", Comment.Status.APPROVED, True),
    "spam": ("Spam", Comment.Status.SPAM, True),
    "trash": ("Trash", Comment.Status.TRASH, False),
    "unapprove": ("Unapprove", Comment.Status.PENDING, False),
}
# Which buttons a comment in each state shows.
BUTTONS = {
    Comment.Status.PENDING: ("approve", "spam", "trash"),
    Comment.Status.APPROVED: ("unapprove", "spam", "trash"),
    Comment.Status.SPAM: ("not-spam", "trash"),
    Comment.Status.TRASH: ("approve", "spam"),
}


def _decide(request: HttpRequest, ids, decision: str) -> int:
    label, status, teach = DECISIONS[decision]
    return comment_moderate(
        comment_ids=ids,
        status=status,
        reason=f"{label.lower()}: {request.user.get_username()}",
        teach=teach,
    )


def _moderation_action(decision: str):
    label = DECISIONS[decision][0]

    def action(modeladmin, request: HttpRequest, queryset) -> None:
        changed = _decide(request, list(queryset.values_list("pk", flat=True)), decision)
        modeladmin.message_user(
            request, f"{changed} comment{'s' if changed != 1 else ''} marked {label.lower()}."
        )

    status = DECISIONS[decision][1]
    action.__name__ = "mark_not_spam" if decision == "not-spam" else f"mark_{status}"
    return admin.action(description=f"{label} selected comments")(action)


class StatusFilter(admin.SimpleListFilter):
    """The queue's states with how many comments each holds (maintained counters)."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = comment_status_counts()
        return [(value, f"{label} ({counts[value]})") for value, label in Comment.Status.choices]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class CountedPaginator(Paginator):
    """A paginator told its total instead of counting the rows."""

    def __init__(self, *args, known_count: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("author_name", "excerpt", "article_link", "status", "reason", "created_at",
                    "decide")  # fmt: skip
    list_filter = (StatusFilter,)
    list_select_related = ("article",)
    search_fields = ("author_name", "author_email", "body", "author_ip")
    ordering = ("-created_at", "-id")
    show_full_result_count = False  # the counters give the total; no COUNT(*) on the table
    actions = [
        _moderation_action("approve"),
        _moderation_action("not-spam"),
        _moderation_action("spam"),
        _moderation_action("trash"),
        _moderation_action("unapprove"),
        "ban_emails",
        "ban_ips",
        "export_commenters",
        "erase_commenters",
    ]
    fields = ("article", "parent", "author_name", "author_email", "author_url", "body",
              "status", "status_reason", "spam_score", "author_ip", "user_agent",
              "notify_replies", "created_at", "edited_at")  # fmt: skip
    readonly_fields = ("article", "parent", "status_reason", "spam_score", "author_ip",
                       "user_agent", "created_at", "edited_at")  # fmt: skip
    list_per_page = 50

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(120)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, comment: Comment) -> str:
        url = reverse("admin:articles_article_change", args=[comment.article_id])
        return format_html('<a href="{}">{}</a>', url, comment.article.title)

    @admin.display(description="reason")
    def reason(self, comment: Comment) -> str:
        return comment.status_reason

    @admin.display(description="decide")
    def decide(self, comment: Comment) -> str:
        """One-click buttons; they submit the list's own form (with its CSRF token) to the
        comment's decision address."""
        return format_html_join(
            " ",
            '<button type="submit" class="button decide-{}" formaction="{}" '
            'formmethod="post">{}</button>',
            (
                (
                    decision,
                    reverse("admin:comments_comment_decide", args=[comment.pk, decision]),
                    DECISIONS[decision][0],
                )
                for decision in BUTTONS.get(comment.status, ())
            ),
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        known = None
        if set(request.GET) <= {"p", "o", "status__exact"}:
            counts = comment_status_counts()
            status = request.GET.get("status__exact")
            known = counts.get(status, 0) if status else sum(counts.values())
        return CountedPaginator(
            queryset, per_page, orphans, allow_empty_first_page, known_count=known
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("<int:pk>/decide/<slug:decision>/", decide, name="comments_comment_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        comment = get_object_or_404(Comment, pk=pk)
        if decision not in DECISIONS:
            raise PermissionDenied
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        _decide(request, [comment.pk], decision)
        self.message_user(
            request,
            f"Comment by {comment.author_name}: {DECISIONS[decision][0].lower()}.",
            messages.SUCCESS,
        )
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(back)

    def view_on_site(self, comment: Comment) -> str:
        return comment_url(comment)

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

    @admin.action(description="Ban the email addresses of selected comments")
    def ban_emails(self, request: HttpRequest, queryset) -> None:
        emails = {email.lower() for email in queryset.values_list("author_email", flat=True)}
        for email in emails - {""}:
            ban_add(kind=Ban.Kind.EMAIL, value=email, reason=f"by {request.user.get_username()}")
        self.message_user(request, f"{len(emails - {''})} email address(es) banned.")

    @admin.action(description="Ban the IP addresses of selected comments")
    def ban_ips(self, request: HttpRequest, queryset) -> None:
        ips = set(queryset.exclude(author_ip=None).values_list("author_ip", flat=True))
        for ip in ips:
            ban_add(kind=Ban.Kind.IP, value=ip, reason=f"by {request.user.get_username()}")
        self.message_user(
            request,
            f"{len(ips)} IP address(es) banned."
            + ("" if ips else " (Their addresses were already erased.)"),
        )

    @admin.action(description="Export everything stored for these commenters (JSON)")
    def export_commenters(self, request: HttpRequest, queryset) -> HttpResponse:
        emails = sorted(
            set(queryset.exclude(author_email="").values_list("author_email", flat=True))
        )
        data = [commenter_export(email=email) for email in emails]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="commenters-export.json"'
        return response

    @admin.action(description="Erase everything stored for these commenters…")
    def erase_commenters(self, request: HttpRequest, queryset):
        emails = sorted(
            set(queryset.exclude(author_email="").values_list("author_email", flat=True))
        )
        if request.POST.get("confirmed") == "yes":
            for email in emails:
                commenter_erase(email=email)
            self.message_user(request, f"Erased the data of {len(emails)} commenter(s).")
            return None
        return TemplateResponse(
            request,
            "admin/comments/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase commenters' data?",
                "emails": emails,
                "comment_ids": list(queryset.values_list("pk", flat=True)),
                "opts": self.model._meta,
            },
        )


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("value", "kind", "reason", "created_at")
    readonly_fields = ("created_at",)
    list_filter = ("kind",)
    search_fields = ("value", "reason")

    def save_model(self, request, ban: Ban, form, change: bool) -> None:
        super().save_model(request, ban, form, change)
        bans_changed()

    def delete_model(self, request, ban: Ban) -> None:
        super().delete_model(request, ban)
        bans_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        bans_changed()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class BanForm(form):
            def clean(self):
                data = super().clean()
                if data.get("kind") and data.get("value"):
                    try:
                        data["value"] = ban_value_clean(kind=data["kind"], value=data["value"])
                    except ValueError as error:
                        raise ValidationError({"value": str(error)}) from None
                    self.instance.value = data["value"]
                return data

        return BanForm


@admin.register(VerifiedEmail)
class VerifiedEmailAdmin(admin.ModelAdmin):
    list_display = ("email", "verified_at")
    search_fields = ("email",)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "created_at")
    readonly_fields = ("created_at",)
    list_filter = ("kind",)
    search_fields = ("email",)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One row of rules: the list page goes straight to it."""

    fieldsets = [
        ("WordPress's rules", {"fields": ["hold_all", "require_previous_approval", "trust_by",
                                          "max_links", "moderation_words", "disallowed_words",
                                          "flood_interval"]}),
        ("Limits and reports", {"fields": ["rate_limit", "rate_window", "report_threshold"]}),
        ("Learning spam filter", {"fields": ["spam_filter", "spam_filter_min_decisions",
                                             "spam_threshold", "hold_threshold", "discard_spam",
                                             "discard_threshold"]}),
        ("Keeping data", {"fields": ["spam_retention_days", "trash_retention_days",
                                     "ip_retention_days"]}),
        ("Threads", {"fields": ["max_depth", "comments_per_page", "comment_order",
                                "close_after_days"]}),
    ]  # fmt: skip

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
