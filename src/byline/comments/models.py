from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from byline.articles.models import Article

_WEBSITE = URLValidator(schemes=["http", "https"])


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    author_name = models.CharField("name", max_length=245)
    author_email = models.EmailField("email", max_length=100)
    author_url = models.URLField("website", max_length=200, blank=True)
    author_ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    body = models.TextField("comment", max_length=65525)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    status_reason = models.CharField(
        "reason", max_length=200, blank=True, help_text="Why the comment got its status."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
            models.Index(fields=["author_ip", "created_at"], name="comment_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def website(self) -> str:
        """The commenter's website, to link to: only an http(s) address. The form accepts
        nothing else, but a stored value (an import, an old row) may be anything, such as
        a `javascript:` URL, which must never become a link."""
        try:
            _WEBSITE(self.author_url)
        except ValidationError:
            return ""
        return self.author_url


class ModerationSettings(models.Model):
    """The site's comment rules, WordPress's defaults, changed by editors in the admin.
    One row; read through `current()`, which keeps it in the cache for a few seconds
    (so a change reaches every server process quickly, even with per-process caches)."""

    CACHE_KEY = "comments:moderation-settings"

    hold_all = models.BooleanField(
        "hold every comment", default=False, help_text="Every comment waits for a moderator."
    )
    require_previous_approval = models.BooleanField(
        "hold first comments",
        default=True,
        help_text="Hold a comment unless its author (same name and email) already has an "
        "approved comment.",
    )
    max_links = models.PositiveSmallIntegerField(
        "hold at this many links",
        default=2,
        help_text="Hold a comment that contains this many links or more (0 turns it off).",
    )
    moderation_words = models.TextField(
        blank=True,
        help_text="One word, IP address or URL per line; a comment containing one is held.",
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text="One word, IP address or URL per line; a comment containing one goes to "
        "the trash.",
    )
    flood_interval = models.PositiveIntegerField(
        "seconds between comments",
        default=15,
        help_text="At most one comment in this many seconds from the same IP or email.",
    )
    max_depth = models.PositiveSmallIntegerField(
        "thread depth", default=5, help_text="How deep replies may nest (1: no replies)."
    )

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"

    def __str__(self) -> str:
        return "Comment moderation settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def current(cls) -> "ModerationSettings":
        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, found, 5)
        return found

    @staticmethod
    def word_list(text: str) -> list[str]:
        return [line.strip().lower() for line in text.splitlines() if line.strip()]
