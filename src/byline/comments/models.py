from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from byline.articles.models import Article

_WEBSITE = URLValidator(schemes=["http", "https"])


def public_website(url: str) -> str:
    """A commenter's website, to link to: only an http(s) address. The form accepts
    nothing else, but a stored value (an import, an old row) may be anything, such as a
    `javascript:` URL, which must never become a link."""
    if not url:
        return ""
    try:
        _WEBSITE(url)
    except ValidationError:
        return ""
    return url


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
    # The top-level comment of the thread (empty for a top-level comment), so that a page of
    # threads is read in one query.
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
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
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    spam_score = models.FloatField(
        null=True, blank=True, editable=False, help_text="The learning filter's score, 0 to 1."
    )
    trained_as = models.CharField(
        max_length=4,
        blank=True,
        editable=False,
        choices=[("spam", "spam"), ("ham", "not spam")],
        help_text="What the spam filter was taught from this comment.",
    )
    notify_replies = models.BooleanField(
        "notify of replies",
        default=False,
        help_text="The commenter asked to be told of replies by email.",
    )
    notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When its publication was announced."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="comment_queue_idx"),
            models.Index(fields=["-created_at", "-id"], name="comment_newest_idx"),
            models.Index(fields=["status", "status_changed_at"], name="comment_expiry_idx"),
            models.Index(fields=["author_email", "status"], name="comment_author_idx"),
            models.Index(fields=["author_ip", "created_at"], name="comment_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs) -> None:
        # Derived, like an article's HTML: a reply belongs to its parent's thread. (Code
        # that bulk-inserts replies sets `root` itself.)
        if self.parent_id is not None and self.root_id is None:
            self.root_id = self.parent.root_id or self.parent_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def website(self) -> str:
        return public_website(self.author_url)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


class CommentStatusCount(models.Model):
    """How many comments are in each state, kept up to date by database triggers on the
    comment table (migration 0002), so that the moderation queue never counts a million
    rows, and no writer — the form, the API, an import, a cascade — can forget it."""

    status = models.CharField(max_length=10, primary_key=True, choices=Comment.Status)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.status}: {self.count}"


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

    class TrustBy(models.TextChoices):
        APPROVAL = "approval", "a previously approved comment (same name and email)"
        VERIFICATION = "verification", "a confirmed email address (a signed link, once)"

    trust_by = models.CharField(
        "an author is trusted after",
        max_length=12,
        choices=TrustBy,
        default=TrustBy.APPROVAL,
        help_text="With “hold first comments”: what lets an author's comments through. "
        "Anyone can type a known commenter's name and email; only the owner of the address "
        "can confirm it.",
    )
    rate_limit = models.PositiveIntegerField(
        "comments per IP address",
        default=10,
        help_text="At most this many comments from one IP address (or IPv6 /64 network) in "
        "the period below; more get a “429 Too Many Requests” (0 turns it off).",
    )
    rate_window = models.PositiveIntegerField("rate limit period (seconds)", default=600)
    report_threshold = models.PositiveSmallIntegerField(
        "reports to hold a comment",
        default=3,
        help_text="An approved comment that this many readers report goes back to the "
        "moderation queue (0: reports are off).",
    )

    spam_filter = models.BooleanField(
        "learning spam filter",
        default=True,
        help_text="Score each comment with the filter that learns from every Approve and "
        "Spam decision.",
    )
    spam_filter_min_decisions = models.PositiveIntegerField(
        "decisions before the filter acts",
        default=20,
        help_text="The filter starts neutral and decides nothing until it was taught this "
        "many comments, spam and legitimate.",
    )
    spam_threshold = models.FloatField(
        "spam score", default=0.9, help_text="At this score or more a comment goes to spam."
    )
    hold_threshold = models.FloatField(
        "hold score",
        default=0.6,
        help_text="At this score or more (and below the spam score) a comment is held.",
    )
    discard_spam = models.BooleanField(
        "refuse obvious spam",
        default=False,
        help_text="Do not store a comment whose score reaches the score below: the sender "
        "gets an error message with their text, and nothing is kept.",
    )
    discard_threshold = models.FloatField("obvious spam score", default=0.99)
    spam_retention_days = models.PositiveIntegerField(
        "delete spam after (days)", default=15, help_text="0 keeps spam forever."
    )
    trash_retention_days = models.PositiveIntegerField(
        "delete trash after (days)", default=30, help_text="0 keeps trash forever."
    )
    ip_retention_days = models.PositiveIntegerField(
        "keep IP and browser for (days)",
        default=30,
        help_text="After this, a comment's IP address and User-Agent are erased (0: kept).",
    )

    class Order(models.TextChoices):
        OLDEST = "oldest", "oldest first"
        NEWEST = "newest", "newest first"

    comments_per_page = models.PositiveIntegerField(
        "threads per page",
        default=50,
        help_text="Top-level comments per page, with their replies (0: all on one page).",
    )
    comment_order = models.CharField(max_length=6, choices=Order, default=Order.OLDEST)
    close_after_days = models.PositiveIntegerField(
        "close comments after (days)",
        default=0,
        help_text="Comments close on articles published longer ago than this (0: never).",
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

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        for name in ("spam_threshold", "hold_threshold", "discard_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValidationError({name: "A score is between 0 and 1."})
        if self.hold_threshold > self.spam_threshold:
            raise ValidationError(
                {"hold_threshold": "The hold score must not exceed the spam score."}
            )


class SpamWord(models.Model):
    """One feature the spam filter has seen (a word, a word pair, a site linked to, …) and
    in how many spam and legitimate comments."""

    word = models.CharField(max_length=100, primary_key=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.word!r}: {self.spam} spam, {self.ham} not spam"


class SpamTally(models.Model):
    """The filter's totals (one row): comments taught, features in them, distinct features."""

    spam_comments = models.BigIntegerField(default=0)
    ham_comments = models.BigIntegerField(default=0)
    spam_features = models.BigIntegerField(default=0)
    ham_features = models.BigIntegerField(default=0)
    vocabulary = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "spam tallies"

    def __str__(self) -> str:
        return f"{self.spam_comments} spam, {self.ham_comments} not spam"


class VerifiedEmail(models.Model):
    """An address whose owner confirmed it through a signed link: with verified trust, its
    comments go through."""

    email = models.EmailField(max_length=100, unique=True)
    verified_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class Ban(models.Model):
    """A commenter the moderators refuse: by email address (or a whole domain, written
    "@example.com"), by IP address, or by network ("203.0.113.0/24")."""

    class Kind(models.TextChoices):
        EMAIL = "email", "email address or @domain"
        IP = "ip", "IP address or network"

    kind = models.CharField(max_length=5, choices=Kind)
    value = models.CharField(
        max_length=100, help_text="name@example.com, @example.com, 203.0.113.7 or 2001:db8::/48"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="ban_unique")]

    def __str__(self) -> str:
        return self.value


class EmailOptOut(models.Model):
    """An address that asked (through an unsubscribe link) not to get one kind of email."""

    class Kind(models.TextChoices):
        REPLIES = "replies", "replies to my comments"
        ARTICLES = "articles", "new comments on my articles"
        MODERATION = "moderation", "comments waiting for moderation"

    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=10, choices=Kind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="optout_unique")]

    def __str__(self) -> str:
        return f"{self.email}: no {self.kind}"


class CommentReport(models.Model):
    """A reader's report of an approved comment; `reporter` is a keyed hash of the
    reader's IP address (one report per reader, and no IP stored)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_unique")
        ]

    def __str__(self) -> str:
        return f"report on comment {self.comment_id}"
