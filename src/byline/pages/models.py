from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from byline.articles.rendering import render_markdown
from byline.authors.models import Author
from byline.comments.models import Comment


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        return self.filter(status=Page.Status.PUBLISHED, published_at__lte=timezone.now())


class Page(models.Model):
    """A static page ("About", "Contact") at a fixed address of its own, such as
    `/about/team/`: the address it had on the old site, so its links keep working."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The page's address without the leading slash, ending with one: "
        "about/ or about/team/.",
    )
    body = models.TextField(blank=True, help_text="Markdown; HTML is allowed and sanitised.")
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    menu_order = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.title or self.path

    def save(self, *args, **kwargs) -> None:
        self.path = self.path.strip("/") + "/"
        self.body_html = render_markdown(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"path": self.path})

    def clean(self) -> None:
        # Before the uniqueness check, so that "about" and "/about/" are the same page.
        self.path = self.path.strip("/") + "/"
        if "//" in self.path or self.path == "/":
            raise ValidationError({"path": "Give the page an address such as about/."})


class PageComment(models.Model):
    """A comment a page received on the old site, kept with its thread and state. Pages
    take no new comments; approved ones are shown under the page, read-only. The email
    address and IP are kept for the record and never shown."""

    Status = Comment.Status

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    author_name = models.CharField("name", max_length=245)
    author_email = models.EmailField("email", max_length=100, blank=True)
    author_url = models.URLField("website", max_length=200, blank=True)
    author_ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    body = models.TextField("comment")
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.APPROVED)
    status_reason = models.CharField("reason", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["page", "status", "created_at"], name="pagecomment_idx")]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.page_id}: {self.body[:40]}"
