"""RSS 2.0 and Atom feeds, with Django's syndication framework: the site's articles, each
category's, tag's and author's, and the approved comments of the site and of each
article. A comment's feed item names its author and never carries an email address:
only the public fields of a comment are read."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import Comment

ARTICLES_IN_FEED = 20
COMMENTS_IN_FEED = 30
COMMENT_PUBLIC_FIELDS = ("id", "author_name", "body_html", "created_at", "article_id")
ARTICLE_FIELDS = ("id", "title", "slug", "published_at")


class ArticleFeed(Feed):
    """The newest published articles of the site; subclasses narrow the list."""

    feed_type = Rss201rev2Feed
    feed_url_name = "discovery:feed-rss"

    def title(self, obj=None) -> str:
        return settings.BYLINE_SITE_NAME

    def description(self, obj=None) -> str:
        return settings.BYLINE_SITE_DESCRIPTION

    def link(self, obj=None) -> str:
        return reverse("articles:home")

    def feed_url(self, obj=None) -> str:
        return reverse(self.feed_url_name, kwargs=self.url_kwargs(obj))

    def url_kwargs(self, obj) -> dict:
        return {}

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("author")
            .prefetch_related("categories")
            .defer("body")
            .newest_first()[:ARTICLES_IN_FEED]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str:
        return item.author.display_name

    def item_author_link(self, item: Article) -> str:
        return item.author.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item: Article) -> list[str]:
        return [category.name for category in item.categories.all()]

    def get_feed(self, obj, request: HttpRequest):
        feed = super().get_feed(obj, request)
        for item in feed.items:  # Django makes item links absolute, not author links
            if item.get("author_link"):
                item["author_link"] = request.build_absolute_uri(item["author_link"])
        return feed


class CategoryFeed(ArticleFeed):
    feed_url_name = "discovery:category-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def url_kwargs(self, obj: Category) -> dict:
        return {"slug": obj.slug}

    def title(self, obj: Category) -> str:
        return f"{settings.BYLINE_SITE_NAME} - Category: {obj.name}"

    def description(self, obj: Category) -> str:
        return obj.description or f"Articles filed under {obj.name}."

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Category):
        return Article.objects.published().filter(categories=obj)


class TagFeed(ArticleFeed):
    feed_url_name = "discovery:tag-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def url_kwargs(self, obj: Tag) -> dict:
        return {"slug": obj.slug}

    def title(self, obj: Tag) -> str:
        return f"{settings.BYLINE_SITE_NAME} - Tag: {obj.name}"

    def description(self, obj: Tag) -> str:
        return f"Articles tagged {obj.name}."

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Tag):
        return Article.objects.published().filter(tags=obj)


class AuthorFeed(ArticleFeed):
    feed_url_name = "discovery:author-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def url_kwargs(self, obj: Author) -> dict:
        return {"slug": obj.slug}

    def title(self, obj: Author) -> str:
        return f"{settings.BYLINE_SITE_NAME} - Articles by {obj.display_name}"

    def description(self, obj: Author) -> str:
        return obj.bio or f"Articles by {obj.display_name}."

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def articles(self, obj: Author):
        return Article.objects.published().filter(author=obj)


class CommentFeed(Feed):
    """The newest approved comments on published articles."""

    feed_type = Rss201rev2Feed
    feed_url_name = "discovery:comments-rss"

    def title(self, obj=None) -> str:
        return f"Comments for {settings.BYLINE_SITE_NAME}"

    def description(self, obj=None) -> str:
        return f"The latest comments on {settings.BYLINE_SITE_NAME}."

    def link(self, obj=None) -> str:
        return reverse("articles:home")

    def feed_url(self, obj=None) -> str:
        return reverse(self.feed_url_name, kwargs=self.url_kwargs(obj))

    def url_kwargs(self, obj) -> dict:
        return {}

    def comments(self, obj):
        return Comment.objects.approved().filter(
            article__in=Article.objects.published().values("id")
        )

    def items(self, obj=None):
        return (
            self.comments(obj)
            .only(*COMMENT_PUBLIC_FIELDS, *(f"article__{f}" for f in ARTICLE_FIELDS))
            .select_related("article")
            .order_by("-created_at", "-id")[:COMMENTS_IN_FEED]
        )

    def item_title(self, item: Comment) -> str:
        return f"Comment on {item.article.title} by {item.author_name}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment):
        return item.created_at


class ArticleCommentFeed(CommentFeed):
    """The approved comments of one published article, newest first."""

    feed_url_name = "discovery:article-comments-rss"

    def get_object(self, request: HttpRequest, year: int, month: int, slug: str) -> Article:
        article = get_object_or_404(Article.objects.published(), slug=slug)
        if not request.path.startswith(article.get_absolute_url()):
            raise Http404("No such article at this address.")
        return article

    def url_kwargs(self, obj: Article) -> dict:
        local = timezone.localtime(obj.published_at)
        return {"year": local.year, "month": local.month, "slug": obj.slug}

    def title(self, obj: Article) -> str:
        return f"Comments on: {obj.title}"

    def description(self, obj: Article) -> str:
        return f"The comments on “{obj.title}”."

    def link(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def comments(self, obj: Article):
        return Comment.objects.approved().filter(article=obj)

    def item_title(self, item: Comment) -> str:
        return f"By: {item.author_name}"


class AtomMixin:
    """The same feed in Atom 1.0, at the `-atom` URL name beside the `-rss` one."""

    feed_type = Atom1Feed

    def __init__(self) -> None:
        super().__init__()
        self.feed_url_name = self.feed_url_name.removesuffix("-rss") + "-atom"

    def subtitle(self, obj=None) -> str:
        return self.description(obj)


class ArticleAtomFeed(AtomMixin, ArticleFeed):
    pass


class CategoryAtomFeed(AtomMixin, CategoryFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass


class CommentAtomFeed(AtomMixin, CommentFeed):
    pass


class ArticleCommentAtomFeed(AtomMixin, ArticleCommentFeed):
    pass
