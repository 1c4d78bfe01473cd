"""Article writes from the API go through a ModelForm, the admin's own way: the model's
rules (required fields, lengths, unique slug, no NUL characters) with Django's messages,
and the form's save for the many-to-many fields."""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from byline.api.errors import invalid
from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author

API_FIELD = {"__all__": "article"}


class ArticleWriteForm(forms.ModelForm):
    author = forms.ModelChoiceField(
        Author.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": "No author has this slug."},
    )
    categories = forms.ModelMultipleChoiceField(
        Category.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no category “%(value)s”."},
    )
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no tag “%(value)s”."},
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "author", "body", "excerpt", "status", "published_at",
                  "allow_comments", "categories", "tags"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.SCHEDULED:
            moment = cleaned.get("published_at")
            if moment is None or moment <= timezone.now():
                self.add_error(
                    "published_at", "A scheduled article needs a publication time in the future."
                )
        return cleaned


def _current_values(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "slug": article.slug,
        "author": article.author.slug,
        "body": article.body,
        "excerpt": article.excerpt,
        "status": article.status,
        "published_at": article.published_at,
        "allow_comments": article.allow_comments,
        "categories": [category.slug for category in article.categories.all()],
        "tags": [tag.slug for tag in article.tags.all()],
    }


def _default_author_slug(user: AbstractBaseUser) -> str | None:
    return Author.objects.filter(user=user).values_list("slug", flat=True).first()


def article_write(
    *, changes: dict[str, Any], user: AbstractBaseUser, article: Article | None = None
) -> Article:
    """Create an article (`article` None) or change one, with `changes` as the API gave
    them; a 422 error names each field that does not validate."""
    if article is None:
        data: dict[str, Any] = {"excerpt": "", "status": Article.Status.DRAFT,
                                "allow_comments": True, "categories": [], "tags": []}  # fmt: skip
        data.update(changes)
        if not data.get("slug"):
            data["slug"] = slugify(data.get("title", ""))[:200].strip("-")
            if not data["slug"]:
                raise invalid({"slug": "Give a slug: none can be made from this title."})
        if not data.get("author"):
            data["author"] = _default_author_slug(user)
            if data["author"] is None:
                raise invalid(
                    {"author": "Give the author's slug: this token's user has no author profile."}
                )
    else:
        data = {**_current_values(article), **changes}
    data = {name: value for name, value in data.items() if value is not None}
    if article is None or "published_at" in changes:
        data.setdefault("published_at", None)
    form = ArticleWriteForm(data=data, instance=article)
    if not form.is_valid():
        raise invalid(
            {API_FIELD.get(name, name): errors[0] for name, errors in form.errors.items()}
        )
    with transaction.atomic():
        return form.save()
