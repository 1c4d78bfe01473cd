"""`byline bench-data`: fill the database with a large, realistic site, fast, for the
scaling benchmarks (bench/scaling.sh): published articles spread over the last days by a
handful of authors, with categories, tags, view counts and threaded approved comments.

Rows go in with bulk inserts, one transaction per batch of articles, and every piece of
derived data a reader's page relies on is written with them, as the models and services
keep it for a single save:

- an article's `body_html` and `summary` are what `Article.save()` derives from its
  Markdown. Markdown is rendered only for a few dozen template bodies, once; an
  article's body fills a template's word slots with its own words, in the Markdown and
  in the rendered HTML alike (plain letters, so rendering would not change them);
- `comment_count` is the article's number of approved comments; a reply's `parent` is
  on the same article, its `root` is the thread's top-level comment and its `depth` its
  parent's plus one; each comment's `body_html` is `render_comment()` of its body;
- the search index (`discovery.search`) gets each article's title and plain text, and
  the vocabulary its words;
- view counts are a total per article and the same number on its publication day.

The per-state comment counts are kept by the comments table's own triggers.
"""

import itertools
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from byline.articles.models import Article, Category, Tag
from byline.articles.rendering import plain_text, render_markdown, summarize
from byline.authors.models import Author
from byline.comments.models import Comment
from byline.comments.rendering import render_comment
from byline.discovery.search import search_entries_add, search_index_compact
from byline.pagecache.marks import COMMENTS, EVERYTHING
from byline.pagecache.purge import purge_now
from byline.pageviews.models import ArticleViews, DailyViews

BATCH = 2_000  # articles per transaction (with their comments: ~20,000 rows at 10 each)
TEMPLATES = 40
COMMENT_TEXTS = 300
MAX_DEPTH = 4  # replies nest at most this deep (the site's default limit is 5)
REPLY_SHARE = 0.3
SLOT = "qzslot{}qz"  # a word slot in a template: letters and digits, left as is by Markdown
_SLOT = re.compile(r"qzslot(\d+)qz")
AUTHORS = [
    ("Dana Whitfield", "Covers chips, phones and the companies that make them."),
    ("Ravi Menon", "Writes about security, privacy and the law."),
    ("Lena Fischer", "Follows the money: funding, deals and earnings."),
    ("Tomás Ortega", "Reviews laptops, cameras and everything with a battery."),
    ("Mei Chen", "Reports on China's tech giants and start-ups."),
    ("Sam Okafor", "Games, streaming and the platforms behind them."),
]
CATEGORIES = [
    "Phones", "Computers", "Security", "Business", "Science", "Gaming", "Cloud", "Policy",
]  # fmt: skip
TAG_COUNT = 200
HEAD_WORDS = """company phone phones apple google facebook xiaomi samsung microsoft amazon
market users data app apps service year years people software device devices chip chips
billion million price launch launched report reports security update android iphone windows
cloud network internet online video camera battery screen display processor memory storage
design review reviews feature features version release released developers developer
platform platforms china chinese india europe european government law privacy startup
startups funding investment investors deal deals sales growth quarter revenue profit
shares stock founder executive team engineers research science space car cars electric
tesla energy social media search ads advertising music streaming games gaming console
player players tablet laptop laptops computer computers smartphone smartphones wearable
watch""".split()  # noqa: SIM905
FILLER = """the of and to a in is that for it on with as was by at be this from are have an
has its or not but which their they more will about been would after also who new can
than said could over into only may other some like just two most before because""".split()  # noqa: SIM905
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]
VOCABULARY_SIZE = 6_000


@dataclass
class BenchDataResult:
    articles: int
    comments: int
    seconds: float


@dataclass
class _Template:
    body: str  # Markdown with `{N}` word slots (other braces doubled)
    body_html: str
    summary: str
    text: str  # the plain text, for the search index
    slots: int


def _slotted(text: str) -> str:
    """`text` with its slot markers turned into `str.format` fields."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    return _SLOT.sub(lambda match: "{" + match.group(1) + "}", escaped)


class _Words:
    """A Zipf-distributed vocabulary: tech words first, then made-up ones, so that a
    search finds many articles for a common word and a few for a rare one."""

    def __init__(self, rng: random.Random) -> None:
        words = list(dict.fromkeys(HEAD_WORDS))
        seen = set(words) | set(FILLER)
        while len(words) < VOCABULARY_SIZE:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.cumulative = list(
            itertools.accumulate(1 / rank**1.05 for rank in range(1, len(words) + 1))
        )
        self.rng = rng

    def pick(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _sentence(rng: random.Random, slots: itertools.count, length: int) -> str:
    """A run of filler words and word slots (one in two), capitalised, with a full stop."""
    parts = [
        SLOT.format(next(slots)) if index % 2 else rng.choice(FILLER) for index in range(length)
    ]
    return " ".join(parts).capitalize() + "."


def _template(rng: random.Random) -> _Template:
    """A news story's shape in Markdown: paragraphs, a quotation, a sub-heading, a list,
    emphasis and a link; its words are slots."""
    slots = itertools.count()

    def paragraph(sentences: int) -> str:
        return " ".join(_sentence(rng, slots, rng.randint(8, 16)) for _ in range(sentences))

    blocks = [
        paragraph(2),
        paragraph(3),
        "> " + _sentence(rng, slots, 12),
        f"## {SLOT.format(next(slots)).capitalize()} {SLOT.format(next(slots))}",
        paragraph(2).replace(".", f" **{SLOT.format(next(slots))}**.", 1),
        "\n".join(f"- {_sentence(rng, slots, 6)}" for _ in range(rng.randint(2, 4))),
        paragraph(2)
        + f" [{SLOT.format(next(slots))} *{SLOT.format(next(slots))}*]"
        + f"(https://news.example/{rng.randrange(10**6)})",
    ]
    markdown = "\n\n".join(blocks) + "\n"
    html = render_markdown(markdown)
    return _Template(
        body=_slotted(markdown),
        body_html=_slotted(html),
        summary=_slotted(summarize(html)),
        text=_slotted(plain_text(html)),
        slots=next(slots),
    )


def _comment_texts(rng: random.Random, words: _Words) -> list[tuple[str, str]]:
    openings = ["Great piece.", "I disagree.", "Interesting.", "Thanks for this!", "Hmm,"]
    texts = []
    for index in range(COMMENT_TEXTS):
        sentences = [
            " ".join(words.pick(rng.randint(5, 14))).capitalize() + "."
            for _ in range(rng.randint(1, 4))
        ]
        if index % 7 == 0:
            sentences[0] = f"<em>{sentences[0]}</em>"
        body = rng.choice(openings) + " " + " ".join(sentences)
        if index % 5 == 0:
            body += "\n\n" + " ".join(words.pick(8)).capitalize() + "?"
        texts.append((body, render_comment(body)))
    return texts


def _authors() -> list[Author]:
    user_model = get_user_model()
    authors = []
    for name in AUTHORS:
        display_name, bio = name
        slug = "bench-" + slugify(display_name)
        user, created = user_model.objects.get_or_create(
            username=slug,
            defaults={"first_name": display_name.split()[0], "last_name": display_name.split()[1]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        author, _ = Author.objects.get_or_create(
            user=user, defaults={"display_name": display_name, "slug": slug, "bio": bio}
        )
        authors.append(author)
    return authors


def _categories_and_tags(words: _Words) -> tuple[list[Category], list[Tag]]:
    categories = [
        Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in CATEGORIES
    ]
    tags = [
        Tag.objects.get_or_create(slug=f"bench-{word}", defaults={"name": word})[0]
        for word in words.words[:TAG_COUNT]
    ]
    return categories, tags


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    """`total` items over `buckets`, unevenly: a few articles draw many comments."""
    if total == 0 or buckets == 0:
        return [0] * buckets
    weights = list(itertools.accumulate(rng.paretovariate(1.5) for _ in range(buckets)))
    counts = [0] * buckets
    for index in rng.choices(range(buckets), cum_weights=weights, k=total):
        counts[index] += 1
    return counts


def bench_data_fill(
    *,
    articles: int,
    comments: int,
    days: int,
    seed: int | None = None,
    batch_size: int = BATCH,
    progress: Callable[[str], None] = print,
) -> BenchDataResult:
    """Add `articles` published articles spread over the last `days` days and `comments`
    approved comments spread over them (about a third of them replies)."""
    if articles < 0 or comments < 0:
        raise ValueError("the numbers of articles and comments cannot be negative")
    if days < 1:
        raise ValueError("--days must be at least 1")
    if comments and not articles:
        raise ValueError("comments need articles: give --articles too")
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    started = time.monotonic()
    with _bulk_page_cache():
        done_articles, done_comments = _fill(
            articles, comments, days, seed, batch_size, progress, started
        )
    return BenchDataResult(done_articles, done_comments, time.monotonic() - started)


@contextmanager
def _bulk_page_cache() -> Iterator[None]:
    """On SQLite, a page cache of 256 MB for this connection while it fills the site
    (the site's own setting is 8 MB): it keeps the comment table's indexes in memory
    while a million rows go into them. Set back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        site_setting = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {site_setting}")


def _fill(
    articles: int,
    comments: int,
    days: int,
    seed: int | None,
    batch_size: int,
    progress: Callable[[str], None],
    started: float,
) -> tuple[int, int]:
    rng = random.Random(seed)
    words = _Words(rng)
    templates = [_template(rng) for _ in range(TEMPLATES)]
    comment_texts = _comment_texts(rng, words)
    with transaction.atomic():
        authors = _authors()
        categories, tags = _categories_and_tags(words)
    now = timezone.now()
    span = days * 86_400 - 60  # published at least a minute ago
    moments = sorted(rng.random() * span for _ in range(articles))  # ids follow time
    per_article = _spread(comments, articles, rng)
    # Unique among the site's slugs, on a second run too: the run's first article number.
    first_number = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    vocabulary: set[str] = set()
    done_articles = done_comments = 0
    for first in range(0, articles, batch_size):
        last = min(articles, first + batch_size)
        batch_vocabulary: set[str] = set()
        with transaction.atomic():
            created = _articles_batch(
                rng=rng,
                words=words,
                templates=templates,
                authors=authors,
                numbers=range(first, last),
                first_number=first_number,
                published=[now - timedelta(seconds=span - moments[n]) for n in range(first, last)],
                comment_counts=per_article[first:last],
                vocabulary=batch_vocabulary,
            )
            _links(rng, created, categories, tags)
            _views(rng, created)
            search_entries_add(
                entries=[(a.pk, a.title, a.search_text) for a in created],
                words=batch_vocabulary - vocabulary,
            )
            done_comments += _comments(rng, created, comment_texts, now=now)
        vocabulary |= batch_vocabulary
        done_articles += len(created)
        elapsed = time.monotonic() - started
        progress(
            f"bench-data: {done_articles:,}/{articles:,} articles, "
            f"{done_comments:,}/{comments:,} comments, {elapsed:.1f} s"
        )
    _analyze()
    # Rows went in without the models' save signals: purge the kept pages (and the
    # related-article and most-viewed lists, which follow them) here.
    purge_now([EVERYTHING, COMMENTS])
    return done_articles, done_comments


@dataclass
class _NewArticle:
    pk: int
    title: str
    published_at: datetime
    comment_count: int
    search_text: str


ARTICLE_COLUMNS = (
    "title",
    "slug",
    "author_id",
    "excerpt",
    "body",
    "body_html",
    "summary",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "allow_comments",
    "comment_count",
)


def _articles_batch(
    *,
    rng: random.Random,
    words: _Words,
    templates: list[_Template],
    authors: list[Author],
    numbers: range,
    first_number: int,
    published: list[datetime],
    comment_counts: list[int],
    vocabulary: set[str],
) -> list[_NewArticle]:
    rows, made = [], []
    created_at = _moment(timezone.now())
    status = Article.Status.PUBLISHED.value
    for index, number in enumerate(numbers):
        template = rng.choice(templates)
        fill = words.pick(template.slots)
        title_words = words.pick(rng.randint(5, 9))
        vocabulary.update(fill)
        vocabulary.update(title_words)
        title = " ".join(title_words).capitalize()
        slug = f"{slugify(title)[:80].rstrip('-')}-{first_number + number}"
        rows.append(
            (
                title,
                slug,
                authors[number % len(authors)].pk,
                "",
                template.body.format(*fill),
                template.body_html.format(*fill),
                template.summary.format(*fill),
                status,
                _moment(published[index]),
                created_at,
                created_at,
                True,
                comment_counts[index],
            )
        )
        made.append(
            _NewArticle(
                pk=0,
                title=title,
                published_at=published[index],
                comment_count=comment_counts[index],
                search_text=template.text.format(*fill),
            )
        )
    _insert(Article._meta.db_table, ARTICLE_COLUMNS, rows)
    slugs = [row[1] for row in rows]
    ids = {}
    for start in range(0, len(slugs), 1000):
        chunk = Article.objects.filter(slug__in=slugs[start : start + 1000])
        ids.update(chunk.values_list("slug", "id"))
    for row, article in zip(rows, made, strict=True):
        article.pk = ids[row[1]]
    return made


def _analyze() -> None:
    """Fresh planner statistics for the grown tables, as after any bulk load (autovacuum
    would get there later; SQLite never does by itself), and the search index merged
    into one piece (`search_index_compact`)."""
    search_index_compact()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows into `table`: PostgreSQL's COPY, SQLite's executemany. Much faster
    than the ORM's bulk_create for a million rows, and every column is given (the
    models' defaults are Python-side, not the database's)."""
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _reserve_ids(table: str, count: int) -> int:
    """The first of `count` new ids of `table`, no other writer can take: from the
    table's sequence on PostgreSQL; on SQLite, past the highest id ever given (the
    caller's transaction has written already, so it holds the database's write lock)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            ids = [row[0] for row in cursor.fetchall()]
            # A sequence's cache or another writer could leave gaps: then take a new run.
            if ids != list(range(ids[0], ids[0] + count)):
                return _reserve_ids(table, count)
            return ids[0]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        return cursor.fetchone()[0] + 1


def _moment(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _links(rng: random.Random, created: list[_NewArticle], categories, tags) -> None:
    _insert(
        Article.categories.through._meta.db_table,
        ("article_id", "category_id"),
        [
            (article.pk, category.pk)
            for article in created
            for category in rng.sample(categories, 1 if rng.random() < 0.8 else 2)
        ],
    )
    _insert(
        Article.tags.through._meta.db_table,
        ("article_id", "tag_id"),
        [
            (article.pk, tag.pk)
            for article in created
            for tag in rng.sample(tags, rng.randint(1, 4))
        ],
    )


def _views(rng: random.Random, created: list[_NewArticle]) -> None:
    totals = [int(rng.paretovariate(1.2) * 40) for _ in created]
    _insert(
        ArticleViews._meta.db_table,
        ("article_id", "views"),
        [(article.pk, views) for article, views in zip(created, totals, strict=True)],
    )
    _insert(
        DailyViews._meta.db_table,
        ("article_id", "day", "views"),
        [
            (
                article.pk,
                connection.ops.adapt_datefield_value(timezone.localdate(article.published_at)),
                views,
            )
            for article, views in zip(created, totals, strict=True)
        ],
    )


COMMENT_COLUMNS = (
    "id",
    "article_id",
    "parent_id",
    "root_id",
    "depth",
    "author_name",
    "author_email",
    "author_url",
    "author_ip",
    "user_agent",
    "body",
    "body_html",
    "status",
    "status_reason",
    "status_changed_at",
    "spam_score",
    "trained_as",
    "notify_replies",
    "notified_at",
    "created_at",
    "edited_at",
)


def _comments(
    rng: random.Random,
    created: list[_NewArticle],
    texts: list[tuple[str, str]],
    *,
    now: datetime,
) -> int:
    """Each article's approved comments, oldest first (ids too): a reply answers an
    earlier comment of the same article, so its parent's row comes before its own."""
    total = sum(article.comment_count for article in created)
    if not total:
        return 0
    next_id = _reserve_ids(Comment._meta.db_table, total)
    approved = Comment.Status.APPROVED.value
    rows = []
    for article in created:
        if not article.comment_count:
            continue
        window = (now - article.published_at).total_seconds()
        offsets = sorted(rng.random() * window for _ in range(article.comment_count))
        thread: list[tuple[int, int, int]] = []  # (id, root id, depth) of each comment
        for offset in offsets:
            parent = rng.choice(thread) if thread and rng.random() < REPLY_SHARE else None
            if parent is not None and parent[2] >= MAX_DEPTH:
                parent = None
            if parent is None:
                parent_id, root_id, depth = None, None, 1
            else:
                parent_id, root_id, depth = parent[0], parent[1] or parent[0], parent[2] + 1
            body, body_html = rng.choice(texts)
            number = rng.randrange(100_000)
            moment = _moment(article.published_at + timedelta(seconds=offset))
            rows.append(
                (
                    next_id,
                    article.pk,
                    parent_id,
                    root_id,
                    depth,
                    f"Reader {number}",
                    f"reader{number}@mail.example",
                    f"https://reader{number}.example/" if number % 4 == 0 else "",
                    None,
                    "",
                    body,
                    body_html,
                    approved,
                    "generated by bench-data",
                    moment,
                    None,
                    "",
                    False,
                    None,
                    moment,
                    None,
                )
            )
            thread.append((next_id, root_id, depth))
            next_id += 1
    _insert(Comment._meta.db_table, COMMENT_COLUMNS, rows)
    return len(rows)
