"""Stores every XSS vector the way people put text into Byline, inside a real site's
environment (run by tests/security/test_xss_browser.py through `byline manage shell`):

- as a reader's comment, through the comment form and `comment_submit`, then approved
  by a moderator: the vector is the comment, the commenter's name and their website
  (a field the form refuses keeps a plain value, and the refusal is counted);
- as a website stored raw, as an import would store it, for each website the form
  refused;
- as an author's display name and bio, through the author form;
- as an article's title and Markdown, through the article form.

Vectors are stored in batches: one article per batch carries the batch's vectors as
its comments, its author's bio and its Markdown (vectors joined by a separator that
closes what a vector left open); every vector also gets an article of its own, by an
author of its own, where its title, name, bio and Markdown stand alone. Prints a JSON
manifest of what is where."""

import functools
import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import modelform_factory
from django.utils import timezone

from byline.articles.models import Article
from byline.articles.rendering import render_markdown
from byline.authors.models import Author
from byline.comments.forms import CommentForm
from byline.comments.models import Comment, ModerationSettings
from byline.comments.services import CommentRejected, comment_moderate, comment_submit

# The 2014 rendering of the HTML5 Security Cheatsheet puts this after every vector, to
# close whatever the vector left open; closing raw-text elements is added for Markdown.
SEPARATOR = (
    "\n\n\"'`>--></script></style></textarea></title></xmp></noscript></noembed>"
    "</noframes></iframe></template></select>]]>//[\"'`-->]]>]\n\n"
)
AuthorForm = modelform_factory(Author, fields=["display_name", "bio"])
ArticleForm = modelform_factory(Article, fields=["title", "body"])


def _accepted(
    form_class, field: str, value: str, placeholder: str, refusals: dict, context: str
) -> str:
    """The value as the form field cleans it, or, refused, a plain placeholder (and the
    refusal counted)."""
    try:
        return form_class.base_fields[field].clean(value)
    except ValidationError:
        refusals[context] = refusals.get(context, 0) + 1
        return placeholder


def _stored(form, field: str, placeholder: str, refusals: dict, context: str) -> None:
    """Keep the vector in `field` if the form accepts it; otherwise count the refusal
    and put a plain placeholder there."""
    if field in form.errors:
        refusals[context] = refusals.get(context, 0) + 1
        data = form.data.copy()
        data[field] = placeholder
        form.data = data
        form.full_clean()


def _authors(names_and_bios: list[tuple[str, str]], prefix: str, refusals: dict) -> list:
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"xss-{prefix}-{n}") for n in range(len(names_and_bios))
    )
    return Author.objects.bulk_create(
        Author(
            user=user,
            display_name=_accepted(
                AuthorForm,
                "display_name",
                name,
                f"Writer {n}",
                refusals,
                "author's display name",
            ),
            slug=f"xss-{prefix}-{n}",
            bio=_accepted(AuthorForm, "bio", bio, "", refusals, "author's bio"),
        )
        for n, (user, (name, bio)) in enumerate(zip(users, names_and_bios, strict=True))
    )


def _article(slug: str, title: str, body: str, author: Author, when, refusals: dict):
    article = Article(
        title=_accepted(ArticleForm, "title", title, slug, refusals, "article title"),
        slug=slug,
        author=author,
        body=_accepted(ArticleForm, "body", body, slug, refusals, "article Markdown"),
        status=Article.Status.PUBLISHED,
        published_at=when,
    )
    article.save()  # renders the Markdown, as the admin's save does
    return article


def _comment(index: int, text: str, article: Article, refusals: dict) -> Comment:
    form = CommentForm(
        data={
            "comment": text,
            "author": text,
            "email": f"reader{index}@mail.example",
            "url": text,
            "article": str(article.pk),
            "parent": "",
            "homepage": "",
        }
    )
    form.is_valid()
    _stored(form, "comment", f"Comment {index}", refusals, "comment")
    _stored(form, "author", f"Reader {index}", refusals, "commenter's name")
    url_refused = "url" in form.errors
    _stored(form, "url", "", refusals, "commenter's website (form)")
    data = form.cleaned_data
    try:
        comment = comment_submit(
            article=article,
            body=data["comment"],
            name=data["author"],
            email=data["email"],
            url=data["url"],
            ip="203.0.113.9",
            user_agent="xss-seed",
        )
    except CommentRejected as rejection:  # pragma: no cover - reported, never expected
        raise RuntimeError(f"comment {index} rejected: {rejection.message}") from None
    if url_refused:
        # What the form refused, an import may still store: the page must cope.
        Comment.objects.filter(pk=comment.pk).update(author_url=text[:200])
    return comment


@functools.cache
def _alone(text: str) -> str:
    return render_markdown(text)


def _alike(texts: list[str]) -> int | None:
    """The index of the first text whose Markdown, rendered alone, is not found (in
    order) in the rendering of all of them joined by the separator; None if all are."""
    html, position = render_markdown(SEPARATOR.join(texts)), 0
    for index, text in enumerate(texts):
        at = html.find(_alone(text), position)
        if at < 0:
            return index
        position = at + len(_alone(text))
    return None


def markdown_batch(texts: list[str]) -> tuple[list[str], list[int]]:
    """The texts that render in a batch exactly as they render alone, and the indexes
    of the others, which are checked on a page of their own. A vector that leaves
    something open swallows the next one; one that renders differently beside others
    is odd. Neighbours are checked in pairs, then the whole batch once more."""
    kept: list[tuple[int, str]] = []
    alone: list[int] = []
    for index, text in enumerate(texts):
        if _alike(["x", text, "y"]) is not None:
            alone.append(index)  # odd even between two plain words
        elif kept and _alike([kept[-1][1], text]) is not None:
            alone.append(kept.pop()[0])  # the one before swallows it
            kept.append((index, text))
        else:
            kept.append((index, text))
    while (bad := _alike([text for _, text in kept])) is not None:
        alone.append(kept.pop(max(bad - 1, 0))[0])
    return [text for _, text in kept], sorted(alone)


def seed(vectors: list[str], batch_size: int) -> dict:
    rules = ModerationSettings.current()
    rules.flood_interval = 0  # one reader posts every vector in a row,
    rules.rate_limit = 0  # from one address
    rules.save()
    password = secrets.token_urlsafe(16)
    get_user_model().objects.create_superuser("xss-editor", email="", password=password)
    refusals: dict[str, int] = {}
    start = timezone.now() - timedelta(days=30)
    batches, singles, comment_ids = [], [], []
    with transaction.atomic():
        firsts = range(0, len(vectors), batch_size)
        chunks = [vectors[first : first + batch_size] for first in firsts]
        batch_authors = _authors(
            [(f"Batch writer {n}", "\n\n".join(texts)) for n, texts in enumerate(chunks)],
            "batch",
            refusals,
        )
        for number, (texts, author) in enumerate(zip(chunks, batch_authors, strict=True)):
            first = number * batch_size
            together, alone = markdown_batch(texts)
            article = _article(
                f"xss-batch-{number}",
                f"Batch {number}",
                SEPARATOR.join(together),
                author,
                start - timedelta(minutes=number),
                refusals,
            )
            comment_ids += [
                _comment(first + k, text, article, refusals).pk for k, text in enumerate(texts)
            ]
            batches.append(
                {
                    "url": article.get_absolute_url(),
                    "article_id": article.pk,
                    "first": first,
                    "count": len(texts),
                    "alone": [first + k for k in alone],
                }
            )
        authors = _authors([(text, text) for text in vectors], "writer", refusals)
        for index, (text, author) in enumerate(zip(vectors, authors, strict=True)):
            article = _article(
                f"xss-{index}", text, text, author, start + timedelta(minutes=index), refusals
            )
            singles.append(article.get_absolute_url())
        comment_moderate(comment_ids=comment_ids, status=Comment.Status.APPROVED, reason="xss")
    return {
        "editor_password": password,
        "batches": batches,
        "singles": singles,
        "refusals": refusals,
        "comments_approved": Comment.objects.approved().count(),
    }


def main(vectors_path: str, manifest_path: str, batch_size: int) -> None:
    vectors = json.loads(Path(vectors_path).read_text(encoding="utf-8"))
    manifest = seed(vectors, batch_size)
    Path(manifest_path).write_text(json.dumps(manifest), encoding="utf-8")
