"""`wordpress_import`: a WordPress export (WXR) into Byline, in one transaction.

Every row the import writes is recorded in `WordPressItem` under its WordPress source key
(site, kind, ID) with a digest of the values written. Importing the same file again finds
every row and, the digest being equal, writes nothing; an item changed on the old site is
updated in place. A file that turns out broken halfway (truncated, not well-formed, unsafe)
raises `WXRError` and the transaction rolls back: the database is as it was."""

import hashlib
import json
import re
from collections.abc import Callable
from functools import partial
from html import escape, unescape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from byline.articles.models import Article, Category, Tag
from byline.articles.services import article_comment_count_set
from byline.authors.models import Author
from byline.comments.models import Comment
from byline.comments.rendering import render_comment
from byline.importers.models import WordPressItem
from byline.importers.wordpress import mapping, parser
from byline.importers.wordpress.content import (
    GALLERY_SHORTCODE,
    shortcode_attributes,
    wordpress_body,
    wordpress_text,
)
from byline.importers.wordpress.media import MediaFiles
from byline.importers.wordpress.summary import ImportSummary
from byline.pages.models import Page, PageComment
from byline.pageviews.services import article_views_add

Kind = WordPressItem.Kind
UNTITLED = "(no title)"
BATCH_SIZE = 200  # posts read before they are written together: bounds memory
IMPORT_REASON = "Imported from WordPress"


def _digest(values: dict) -> str:
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _unique(model: type[models.Model], field: str, base: str, *, max_length: int, exclude=None):
    """`base`, or `base-2`, `base-3`, … : the first value no other row has."""
    candidate, number = base, 1
    while True:
        taken = model.objects.filter(**{field: candidate})
        if exclude is not None:
            taken = taken.exclude(pk=exclude)
        if not taken.exists():
            return candidate
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)] + suffix


def _unique_path(base: str, *, exclude: int | None) -> str:
    """A page address no other page has: `about/`, else `about-2/`, …"""
    stem = base.strip("/")
    candidate, number = stem + "/", 1
    while Page.objects.filter(path=candidate).exclude(pk=exclude).exists():
        number += 1
        candidate = f"{stem}-{number}/"
    return candidate


class _Import:
    def __init__(self, *, uploads_dir: Path | None, dry_run: bool) -> None:
        self.summary = ImportSummary(dry_run=dry_run)
        self.media = MediaFiles(uploads_dir=uploads_dir, dry_run=dry_run, summary=self.summary)
        self.site = parser.Site()
        self.source = ""
        self.authors: dict[str, int] = {}  # login → Author pk
        self.categories: dict[str, int] = {}  # WordPress nicename → Category pk
        self.tags: dict[str, int] = {}
        self.waiting_categories: list[parser.Term] = []
        self.seen_terms: set[tuple[str, str]] = set()
        self.attachments: dict[str, tuple[str, str, str]] = {}  # id → (parent id, url, title)
        self.galleries: list[tuple[type[models.Model], int, str]] = []
        self.page_parents: list[tuple[int, str]] = []
        self.waiting_posts: list[parser.Post] = []

    # The stream ----------------------------------------------------------------------

    def run(self, stream, on_read: Callable[[int], None] | None) -> None:
        for record in parser.read_wxr(stream, on_read=on_read):
            if isinstance(record, parser.Site):
                self.site = record
                self.source = mapping.source_key(
                    record.base_blog_url or record.link or f"untitled:{record.title}"
                )
                self.summary.source = self.source
            elif isinstance(record, parser.Author):
                self.author(record)
            elif isinstance(record, parser.Term):
                self.term(record)
            else:
                self.flush_categories()
                self.item(record)
        self.flush_categories()
        self.flush_articles()
        self.finish_galleries()
        self.finish_page_parents()

    def _refs(self, kind: str, wp_ids: list[str]) -> dict[str, WordPressItem]:
        found = {}
        for start in range(0, len(wp_ids), 500):
            chunk = wp_ids[start : start + 500]
            for ref in WordPressItem.objects.filter(source=self.source, kind=kind, wp_id__in=chunk):
                found[ref.wp_id] = ref
        return found

    def _ref(self, kind: str, wp_id: str) -> WordPressItem | None:
        return WordPressItem.objects.filter(source=self.source, kind=kind, wp_id=wp_id).first()

    def _remember(self, ref: WordPressItem | None, kind: str, wp_id: str, **values) -> None:
        if ref is None:
            WordPressItem.objects.create(source=self.source, kind=kind, wp_id=wp_id, **values)
        else:
            for name, value in values.items():
                setattr(ref, name, value)
            ref.save()

    # Authors -------------------------------------------------------------------------

    def author(self, record: parser.Author) -> int:
        login = mapping.clean_login(record.login)[:150]
        slug_base = mapping.slug_base(
            record.nicename, login, record.display_name, fallback="author"
        )
        values = {
            "email": mapping.clean_email(record.email),
            "first_name": unescape(record.first_name)[:150],
            "last_name": unescape(record.last_name)[:150],
            "display_name": unescape(record.display_name).strip()[:200] or login,
            "bio": record.description,
            "slug_base": slug_base,
        }
        digest = _digest(values)
        ref = self._ref(Kind.AUTHOR, login)
        author = (
            Author.objects.filter(pk=ref.object_id).select_related("user").first()
            if (ref)
            else None
        )
        if author is not None and ref.digest == digest:
            self.summary.count("authors", "skipped")
        elif author is not None:
            user = author.user
            user.email, user.first_name = values["email"], values["first_name"]
            user.last_name = values["last_name"]
            user.save(update_fields=["email", "first_name", "last_name"])
            author.display_name, author.bio = values["display_name"], values["bio"]
            if ref.slug != slug_base:
                author.slug = _unique(Author, "slug", slug_base, max_length=200, exclude=author.pk)
            author.save()
            self.summary.count("authors", "updated")
        else:
            user_model = get_user_model()
            user = user_model(
                username=_unique(user_model, "username", login or "wordpress", max_length=150),
                email=values["email"],
                first_name=values["first_name"],
                last_name=values["last_name"],
            )
            user.set_unusable_password()
            user.save()
            author = Author.objects.create(
                user=user,
                display_name=values["display_name"],
                slug=_unique(Author, "slug", slug_base, max_length=200),
                bio=values["bio"],
            )
            self.summary.count("authors", "created")
        if ref is None or ref.digest != digest or ref.object_id != author.pk:
            data = {"author_id": record.author_id} if record.author_id else {}
            self._remember(
                ref, Kind.AUTHOR, login, object_id=author.pk, digest=digest, slug=slug_base,
                data=data,
            )  # fmt: skip
        self.authors[login] = author.pk
        return author.pk

    def author_for(self, login: str) -> int:
        """The author of an item, created from its login when the export's author list
        does not have it (WXR 1.0, or an export without `wp:author` elements)."""
        login = mapping.clean_login(login) or "wordpress"
        if login not in self.authors:
            self.author(parser.Author(login=login, display_name=login))
        return self.authors[login]

    # Terms ---------------------------------------------------------------------------

    def term(self, record: parser.Term) -> None:
        key = (record.taxonomy, record.term_id or record.slug)
        if key in self.seen_terms:  # WordPress.com lists some terms twice
            return
        self.seen_terms.add(key)
        if record.taxonomy == "category":
            self.waiting_categories.append(record)
        elif record.taxonomy == "post_tag":
            self.tag(record)
        else:
            self.summary.note(f"terms of taxonomy {record.taxonomy or '?'!r} skipped")

    def flush_categories(self) -> None:
        """Categories, parents first (the export names a parent by its slug)."""
        waiting = {term.slug: term for term in self.waiting_categories}
        self.waiting_categories = []
        done: set[str] = set()

        def place(term: parser.Term, trail: tuple[str, ...] = ()) -> None:
            if term.slug in done:
                return
            parent = waiting.get(term.parent_slug)
            if parent is not None and parent.slug not in trail:
                place(parent, (*trail, term.slug))
            self.category(term)
            done.add(term.slug)

        for term in waiting.values():
            place(term)

    def category(self, record: parser.Term) -> int:
        wp_id = record.term_id or f"slug:{record.slug}"
        slug_base = mapping.slug_base(record.slug, record.name, fallback=f"category-{wp_id}")
        values = {
            "name": unescape(record.name)[:200] or record.slug,
            "description": unescape(record.description),
            "parent_id": self.categories.get(record.parent_slug),
            "slug_base": slug_base,
        }
        pk = self._term_row(Category, Kind.CATEGORY, "categories", wp_id, values, record)
        self.categories[record.slug] = pk
        return pk

    def tag(self, record: parser.Term) -> int:
        wp_id = record.term_id or f"slug:{record.slug}"
        slug_base = mapping.slug_base(record.slug, record.name, fallback=f"tag-{wp_id}")
        values = {"name": unescape(record.name)[:200] or record.slug, "slug_base": slug_base}
        pk = self._term_row(Tag, Kind.TAG, "tags", wp_id, values, record)
        self.tags[record.slug] = pk
        return pk

    def _term_row(self, model, kind, label, wp_id, values, record) -> int:
        digest = _digest(values)
        ref = self._ref(kind, wp_id)
        row = model.objects.filter(pk=ref.object_id).first() if ref else None
        fields = {name: value for name, value in values.items() if name != "slug_base"}
        if row is not None and ref.digest == digest:
            self.summary.count(label, "skipped")
            return row.pk
        if row is not None:
            for name, value in fields.items():
                setattr(row, name, value)
            if ref.data.get("slug_base") != values["slug_base"]:
                row.slug = _unique(
                    model, "slug", values["slug_base"], max_length=200, exclude=row.pk
                )
            row.save()
            self.summary.count(label, "updated")
        else:
            slug = _unique(model, "slug", values["slug_base"], max_length=200)
            row = model.objects.create(slug=slug, **fields)
            self.summary.count(label, "created")
        self._remember(
            ref, kind, wp_id, object_id=row.pk, digest=digest,
            slug=mapping.decoded_slug(record.slug)[:200],
            data={"slug_base": values["slug_base"]},
        )  # fmt: skip
        return row.pk

    def item_terms(self, record: parser.Post) -> tuple[list[int], list[int]]:
        """The item's categories and tags; ones the header did not list are created."""
        named = [term for term in record.terms if term[1]] or [
            (domain, term_name, term_name) for domain, _, term_name in record.terms
        ]
        categories, tags = set(), set()
        for domain, slug, name in named:
            if domain == "category":
                if slug not in self.categories:
                    self.category(parser.Term(taxonomy="category", slug=slug, name=name))
                categories.add(self.categories[slug])
            elif domain == "post_tag":
                if slug not in self.tags:
                    self.tag(parser.Term(taxonomy="post_tag", slug=slug, name=name))
                tags.add(self.tags[slug])
        return sorted(categories), sorted(tags)

    # Items ---------------------------------------------------------------------------

    def item(self, record: parser.Post) -> None:
        if record.post_type == "post":
            self.waiting_posts.append(record)
            if len(self.waiting_posts) >= BATCH_SIZE:
                self.flush_articles()
        elif record.post_type == "page":
            self.page(record)
        elif record.post_type == "attachment":
            self.attachment(record)
        else:
            self.summary.note(f"items of type {record.post_type!r} skipped (not content)")

    def attachment(self, record: parser.Post) -> None:
        url = record.attachment_url or record.guid
        self.attachments[record.post_id] = (record.parent_id, url, wordpress_text(record.title))
        if url:
            self.media.rewrite(url)

    def body(self, record: parser.Post) -> str:
        if mapping.BODY_META_KEY in record.meta:  # a Byline export: the source itself
            return record.meta[mapping.BODY_META_KEY]
        return wordpress_body(record.content, rewrite=self.media.rewrite)

    def article_values(self, record: parser.Post) -> dict:
        status = mapping.article_status(wp_status=record.status, password=record.password)
        if record.password:
            self.summary.note("password-protected posts imported as drafts")
        if status == Article.Status.DRAFT:
            when = mapping.wordpress_datetime(record.date_gmt)
        else:
            when = mapping.published_at(
                date_gmt=record.date_gmt, date=record.date, pub_date=record.pub_date
            )
        categories, tags = self.item_terms(record)
        return {
            "title": wordpress_text(record.title)[:300] or UNTITLED,
            "author_id": self.author_for(record.creator),
            "excerpt": wordpress_text(record.excerpt),
            "body": self.body(record),
            "status": status,
            "published_at": when,
            "allow_comments": record.comment_status == "open",
            "categories": categories,
            "tags": tags,
            "slug_base": mapping.slug_base(
                record.name, record.title, fallback=f"post-{record.post_id}"
            ),
        }

    def flush_articles(self) -> None:
        """The posts read so far, as a batch: one query finds their import records, one
        inserts the new records, one each their categories and tags, and their comments
        go in together. A post ID met twice starts a new batch."""
        records, self.waiting_posts = self.waiting_posts, []
        while records:
            ids: set[str] = set()
            cut = next(
                (i for i, r in enumerate(records) if r.post_id in ids or ids.add(r.post_id)),
                len(records),
            )
            self._articles(records[:cut])
            records = records[cut:]

    def _articles(self, records: list[parser.Post]) -> None:
        refs = self._refs(Kind.POST, [record.post_id for record in records])
        new_refs: list[WordPressItem] = []
        links: dict[str, list] = {"categories": [], "tags": []}
        owners: list[tuple[parser.Post, int]] = []
        for record in records:
            values = self.article_values(record)
            digest = _digest(values)
            ref = refs.get(record.post_id)
            views = mapping.view_count(record.meta)
            if ref is not None and ref.digest == digest:
                self.summary.count("articles", "skipped")
                article_pk, published = ref.object_id, None
            else:
                article = Article.objects.filter(pk=ref.object_id).first() if ref else None
                article = self._article_write(article, ref, values, links)
                article_pk, published = article.pk, article.published_at
                if GALLERY_SHORTCODE.search(article.body):
                    self.galleries.append((Article, article.pk, record.post_id))
            self.article_views(article_pk, published, ref.views if ref else 0, views)
            fields = {
                "object_id": article_pk, "digest": digest, "views": views,
                "slug": mapping.decoded_slug(record.name)[:200],
                "old_path": mapping.link_path(record.link), "guid": record.guid[:500],
                "data": {"slug_base": values["slug_base"]},
            }  # fmt: skip
            if ref is None:
                new_refs.append(
                    WordPressItem(
                        source=self.source, kind=Kind.POST, wp_id=record.post_id, **fields
                    )
                )
            elif ref.digest != digest or ref.views != views or ref.object_id != article_pk:
                self._remember(ref, Kind.POST, record.post_id, **fields)
            owners.append((record, article_pk))
        WordPressItem.objects.bulk_create(new_refs, batch_size=500)
        Article.categories.through.objects.bulk_create(links["categories"], batch_size=500)
        Article.tags.through.objects.bulk_create(links["tags"], batch_size=500)
        self.comments(Kind.COMMENT, owners)

    def _article_write(self, article, ref, values: dict, links: dict) -> Article:
        slug_base = values["slug_base"]
        created = article is None
        if created:
            article = Article(slug=_unique(Article, "slug", slug_base, max_length=200))
        elif ref.data.get("slug_base") != slug_base:
            article.slug = _unique(Article, "slug", slug_base, max_length=200, exclude=article.pk)
        for name in ("title", "author_id", "excerpt", "body", "status", "published_at"):
            setattr(article, name, values[name])
        article.allow_comments = values["allow_comments"]
        article.save()
        if created:  # the links go in with the batch's
            through = Article.categories.through
            links["categories"] += [
                through(article_id=article.pk, category_id=pk) for pk in values["categories"]
            ]
            links["tags"] += [
                Article.tags.through(article_id=article.pk, tag_id=pk) for pk in values["tags"]
            ]
        else:
            article.categories.set(values["categories"])
            article.tags.set(values["tags"])
        self.summary.count("articles", "created" if created else "updated")
        return article

    def article_views(self, article_pk: int, published, before: int, views: int) -> None:
        """Add the views the old site counted, once: a re-import adds only a change."""
        if views == before:
            if views:
                self.summary.count("view counts", "skipped")
            return
        if published is None:
            published = (
                Article.objects.filter(pk=article_pk).values_list("published_at", flat=True).first()
            )
        day = timezone.localdate(published or timezone.now())
        article_views_add(article_id=article_pk, views=views - before, day=day)
        self.summary.count("view counts", "created" if before == 0 else "updated")

    def page(self, record: parser.Post) -> None:
        status = mapping.page_status(wp_status=record.status, password=record.password)
        when = mapping.published_at(
            date_gmt=record.date_gmt, date=record.date, pub_date=record.pub_date
        )
        old_path = mapping.link_path(record.link).strip("/")
        path_base = old_path or mapping.slug_base(
            record.name, record.title, fallback=f"page-{record.post_id}"
        )
        values = {
            "title": wordpress_text(record.title)[:300] or UNTITLED,
            "author_id": self.author_for(record.creator),
            "body": self.body(record),
            "status": status,
            "published_at": when,
            "menu_order": int(record.menu_order) if record.menu_order.lstrip("-").isdigit() else 0,
            "parent": record.parent_id,
            "path_base": path_base[:480] + "/",
        }
        digest = _digest(values)
        ref = self._ref(Kind.PAGE, record.post_id)
        page = Page.objects.filter(pk=ref.object_id).first() if ref else None
        if page is not None and ref.digest == digest:
            self.summary.count("pages", "skipped")
        else:
            outcome = "updated" if page else "created"
            page = page or Page()
            if page.pk is None or ref.data.get("path_base") != values["path_base"]:
                page.path = _unique_path(values["path_base"], exclude=page.pk)
            for name in ("title", "author_id", "body", "status", "published_at", "menu_order"):
                setattr(page, name, values[name])
            page.save()
            self.summary.count("pages", outcome)
            if record.parent_id != "0":
                self.page_parents.append((page.pk, record.parent_id))
            elif page.parent_id is not None:
                Page.objects.filter(pk=page.pk).update(parent=None)
            if GALLERY_SHORTCODE.search(page.body):
                self.galleries.append((Page, page.pk, record.post_id))
        if ref is None or ref.digest != digest:
            self._remember(
                ref, Kind.PAGE, record.post_id, object_id=page.pk, digest=digest,
                slug=mapping.decoded_slug(record.name)[:200], old_path="/" + old_path + "/"
                if old_path else "", guid=record.guid[:500],
                data={"path_base": values["path_base"]},
            )  # fmt: skip
        if mapping.view_count(record.meta):
            self.summary.note("view counts of pages not imported (pages have no counter)")
        self.comments(Kind.PAGE_COMMENT, [(record, page.pk)])

    # Comments ------------------------------------------------------------------------

    def comments(self, kind: str, owners: list[tuple[parser.Post, int]]) -> None:
        """The comments of a batch of items with their threads: new ones inserted
        together, level by level (a parent before its replies), changed ones updated,
        unchanged ones left alone."""
        owners = [(record, pk) for record, pk in owners if record.comments]
        if not owners:
            return
        model, owner_model, owner_field, label = (
            (Comment, Article, "article_id", "comments")
            if kind == Kind.COMMENT
            else (PageComment, Page, "page_id", "page comments")
        )
        refs = self._refs(kind, [c.comment_id for record, _ in owners for c in record.comments])
        has_root = any(field.name == "root" for field in model._meta.fields)
        top: dict[str, str] = {}  # comment → the top-level comment of its thread
        pk_of = {wp_id: ref.object_id for wp_id, ref in refs.items()}
        new: list[tuple[models.Model, parser.Comment, str, str | None]] = []
        changed: list[tuple[WordPressItem, dict, str]] = []
        touched: set[int] = set()
        for record, owner_pk in owners:
            by_id = {comment.comment_id: comment for comment in record.comments}
            depth = self._thread_depths(by_id)
            for comment_id in by_id:
                ancestor = comment_id
                for _ in range(depth[comment_id] - 1):
                    ancestor = by_id[ancestor].parent_id
                top[comment_id] = ancestor
            for comment in record.comments:
                values = self._comment_values(comment, by_id)
                digest = _digest(values)
                ref = refs.get(comment.comment_id)
                if ref is not None and ref.digest == digest:
                    self.summary.count(label, "skipped")
                elif ref is not None:
                    changed.append((ref, values, digest))
                    touched.add(owner_pk)
                else:
                    row = model(
                        **{owner_field: owner_pk},
                        **{k: v for k, v in values.items() if k != "parent"},
                        depth=depth[comment.comment_id],
                        body_html=render_comment(values["body"]),
                    )
                    new.append((row, comment, digest, values["parent"]))
        if new:  # an owner deleted in Byline since the last import gets no new comments
            wanted = {getattr(row, owner_field) for row, *_ in new}
            alive = set(owner_model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            if lost := [item for item in new if getattr(item[0], owner_field) not in alive]:
                self.summary.note("comments on items deleted in Byline skipped", len(lost))
                new = [item for item in new if getattr(item[0], owner_field) in alive]
        for level in sorted({row.depth for row, *_ in new}):  # parents before replies
            rows = []
            for row, comment, _, parent in new:
                if row.depth == level:
                    row.parent_id = pk_of.get(parent) if parent is not None else None
                    if has_root and level > 1:  # the thread's top comment, for paging
                        row.root_id = pk_of.get(top[comment.comment_id])
                    rows.append((row, comment))
            model.objects.bulk_create([row for row, _ in rows], batch_size=500)
            for row, comment in rows:
                pk_of[comment.comment_id] = row.pk
                touched.add(getattr(row, owner_field))
        WordPressItem.objects.bulk_create(
            [
                WordPressItem(
                    source=self.source,
                    kind=kind,
                    wp_id=comment.comment_id,
                    object_id=row.pk,
                    digest=digest,
                    data={"type": comment.type} if comment.type else {},
                )
                for row, comment, digest, _ in new
            ],
            batch_size=500,
        )
        self.summary.count(label, "created", len(new))
        for ref, values, digest in changed:
            fields = {k: v for k, v in values.items() if k != "parent"}
            if has_root:
                ancestor = top[ref.wp_id]
                fields["root_id"] = pk_of.get(ancestor) if ancestor != ref.wp_id else None
            model.objects.filter(pk=ref.object_id).update(
                **fields,
                body_html=render_comment(values["body"]),
                parent_id=pk_of.get(values["parent"]),
            )
            ref.digest = digest
            ref.save(update_fields=["digest", "imported_at"])
            self.summary.count(label, "updated")
        if kind == Kind.COMMENT and touched:
            counts = dict(
                Comment.objects.approved()
                .filter(article_id__in=touched)
                .order_by()
                .values_list("article_id")
                .annotate(n=models.Count("id"))
            )
            for article_pk in touched:
                article_comment_count_set(article_id=article_pk, count=counts.get(article_pk, 0))

    def _thread_depths(self, by_id: dict[str, parser.Comment]) -> dict[str, int]:
        depths: dict[str, int] = {}
        for comment_id in by_id:
            trail = [comment_id]
            current = by_id[comment_id].parent_id
            while current in by_id and current not in trail and current not in depths:
                trail.append(current)
                current = by_id[current].parent_id
            base = depths.get(current, 0)
            for offset, member in enumerate(reversed(trail), start=1):
                depths.setdefault(member, base + offset)
        return depths

    def _comment_values(self, comment: parser.Comment, by_id) -> dict:
        parent = comment.parent_id if comment.parent_id in by_id else None
        if comment.parent_id not in ("", "0") and parent is None:
            self.summary.note("replies whose parent is not in the export kept as top-level")
        reason = IMPORT_REASON + (
            f" ({comment.type})" if comment.type not in ("", "comment") else ""
        )
        return {
            "author_name": unescape(comment.author).strip()[:245]
            or ("Anonymous" if comment.type in ("", "comment") else comment.type),
            "author_email": mapping.clean_email(comment.email),
            "author_url": mapping.clean_url(comment.url),
            "author_ip": mapping.clean_ip(comment.ip),
            "body": comment.content.replace("\r\n", "\n"),
            "status": mapping.comment_status(comment.approved),
            "status_reason": reason,
            "created_at": mapping.published_at(date_gmt=comment.date_gmt, date=comment.date)
            or timezone.now(),
            "parent": parent,
        }

    # After the stream ----------------------------------------------------------------

    def finish_galleries(self) -> None:
        """`[gallery]` becomes its images, now that every attachment has been read."""
        for model, pk, post_id in self.galleries:
            row = model.objects.get(pk=pk)
            row.body = GALLERY_SHORTCODE.sub(partial(self._gallery, post_id=post_id), row.body)
            row.body = row.body.replace("<p></p>\n\n", "").replace("<p></p>", "")
            row.save()

    def _gallery(self, match: re.Match, *, post_id: str) -> str:
        attributes = shortcode_attributes(match.group(1))
        wanted = attributes.get("ids") or attributes.get("include") or ""
        if wanted:
            ids = [part.strip() for part in wanted.split(",") if part.strip()]
        else:
            ids = sorted(
                (key for key, (parent, _, _) in self.attachments.items() if parent == post_id),
                key=lambda key: int(key) if key.isdigit() else 0,
            )
        images = []
        for attachment_id in ids:
            if attachment_id in self.attachments:
                _, url, title = self.attachments[attachment_id]
                images.append(
                    f'<img src="{escape(self.media.rewrite(url))}" alt="{escape(title)}">'
                )
        return " ".join(images)

    def finish_page_parents(self) -> None:
        for page_pk, parent_id in self.page_parents:
            parent = self._ref(Kind.PAGE, parent_id)
            Page.objects.filter(pk=page_pk).update(parent=parent.object_id if parent else None)


def wordpress_import(
    *,
    path: Path,
    uploads_dir: Path | None = None,
    dry_run: bool = False,
    on_read: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the export at `path`; return what was created, updated and skipped.

    All or nothing: on any error (`parser.WXRError` for a bad file) the database is
    unchanged and media files copied by this run are removed again. With `dry_run` the
    whole import runs and is then rolled back, so the summary tells exactly what a real
    run would do."""
    run = _Import(uploads_dir=uploads_dir, dry_run=dry_run)
    try:
        with path.open("rb") as stream, transaction.atomic():
            run.run(stream, on_read)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        run.media.remove_copied()
        raise
    return run.summary
