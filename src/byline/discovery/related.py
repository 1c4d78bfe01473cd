"""Related articles under an article: those sharing the most tags and categories with
it, newest first; when they are too few, the ones whose text is closest to its title
(full-text search). Cached per article until a change purges every page (an article, a
category or tag saved or deleted: byline.pagecache), in every server process at once."""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from byline.articles.models import Article
from byline.pagecache.marks import EVERYTHING
from byline.pagecache.purge import tag_version

RELATED_COUNT = 4
# Ranked by shared tags and categories: the newest CANDIDATES articles sharing one, among
# the newest WINDOW articles. Counting what every article sharing a category has in common
# with this one read a fifth of the site (0.4 to 4 s at 100,000 articles, on each cache
# miss); bounded, it costs the same at any size, and on a news site the recent related
# articles are the ones a reader is after (the text-similarity fallback is bounded alike).
CANDIDATES = 100
WINDOW = 2000
CACHE_SECONDS = 3600


def related_articles(
    *, article: Article, tag_ids: list[int], category_ids: list[int], count: int = RELATED_COUNT
) -> list[Article]:
    """Up to `count` published articles related to `article`, best first."""
    version = tag_version(EVERYTHING)
    key = f"discovery:related:{version}:{article.pk}:{count}"
    found = cache.get(key)
    if found is None:
        found = _related(article, tag_ids, category_ids, count)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _related(
    article: Article, tag_ids: list[int], category_ids: list[int], count: int
) -> list[Article]:
    from byline.discovery.search import similar_article_ids

    public = Article.objects.published().exclude(pk=article.pk)
    chosen: list[Article] = []
    if tag_ids or category_ids:
        shared = Count("tags", filter=Q(tags__in=tag_ids), distinct=True) + Count(
            "categories", filter=Q(categories__in=category_ids), distinct=True
        )
        shares = Exists(
            Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids)
        ) | Exists(
            Article.categories.through.objects.filter(
                article_id=OuterRef("pk"), category_id__in=category_ids
            )
        )
        recent = public.order_by("-published_at", "-id").values("pk")[:WINDOW]
        candidates = (
            public.filter(pk__in=recent)
            .filter(shares)
            .order_by("-published_at", "-id")
            .values("pk")[:CANDIDATES]
        )
        chosen = list(
            public.filter(pk__in=candidates)
            .filter(Q(tags__in=tag_ids) | Q(categories__in=category_ids))
            .annotate(shared=shared)
            .only("id", "title", "slug", "published_at")
            .order_by("-shared", "-published_at", "-id")[:count]
        )
    if len(chosen) < count:
        seen = {a.pk for a in chosen} | {article.pk}
        ids = [
            pk
            for pk in similar_article_ids(article=article, limit=count + len(seen))
            if pk not in seen
        ][: count - len(chosen)]
        by_id = public.only("id", "title", "slug", "published_at").in_bulk(ids)
        chosen += [by_id[pk] for pk in ids if pk in by_id]
    return chosen
