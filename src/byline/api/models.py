from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal API token: an editor's tool acts as that editor, within the token's
    scopes. Only a SHA-256 hash of the token is stored; the token itself is shown once,
    when it is created (see `byline.api.tokens`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “newsroom app”.")
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The token's first characters, to tell it apart."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    can_read_drafts = models.BooleanField(
        "read drafts", default=False, help_text="Read draft and scheduled articles."
    )
    can_write_articles = models.BooleanField(
        "write articles",
        default=False,
        help_text="Create, update, schedule and publish articles.",
    )
    can_moderate_comments = models.BooleanField(
        "moderate comments", default=False, help_text="Read the queue and moderate comments."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(
            scope
            for scope, granted in (
                ("read_drafts", self.can_read_drafts),
                ("write_articles", self.can_write_articles),
                ("moderate_comments", self.can_moderate_comments),
            )
            if granted
        )
