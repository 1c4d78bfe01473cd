from django.db import models
from django.urls import reverse
from django.utils import timezone

from byline.articles.querysets import ArticleQuerySet
from byline.articles.rendering import render_markdown, summarize
from byline.authors.models import Author


class Category(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the article's address."
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    excerpt = models.TextField(
        blank=True,
        help_text="Shown in lists and search results; leave empty to use the first paragraph.",
    )
    body = models.TextField(help_text="Markdown; HTML is allowed and sanitised.")
    body_html = models.TextField(editable=False, default="")
    summary = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A time in the future schedules the article."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    allow_comments = models.BooleanField(default=True)
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Approved comments, kept by the comments app."
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # Public lists walk this index newest first and skip the few drafts.
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["author", "-published_at", "-id"], name="article_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Derived at write time so that a page view does no Markdown work.
        self.body_html = render_markdown(self.body)
        self.summary = " ".join(self.excerpt.split()) or summarize(self.body_html)
        if self.status != self.Status.DRAFT and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            self.status = self.Status.SCHEDULED
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body_html",
                "summary",
                "status",
                "published_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        local = timezone.localtime(self.published_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": self.slug},
        )

    @property
    def is_public(self) -> bool:
        return (
            self.status != self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def display_status(self) -> str:
        """What the status means now: a scheduled article whose time came is published."""
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Published" if self.is_public else "Scheduled"
