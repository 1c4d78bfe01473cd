"""Shared by the importer tests: running an import, reading the database whole, and
writing small WXR files."""

from pathlib import Path

from django.contrib.auth import get_user_model

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author
from byline.comments.models import Comment
from byline.importers.models import WordPressItem
from byline.importers.wordpress.services import wordpress_import
from byline.pages.models import Page, PageComment
from byline.pageviews.models import ArticleViews, DailyViews

TABLES = (
    get_user_model(), Author, Category, Tag, Article, Article.categories.through,
    Article.tags.through, Comment, Page, PageComment, WordPressItem, ArticleViews, DailyViews,
)  # fmt: skip


def run_import(path: Path, **options):
    return wordpress_import(path=path, **options)


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table an import writes, every column (updated_at included)."""
    return {
        model._meta.label: sorted(
            tuple(str(value) for value in row) for row in model.objects.values_list()
        )
        for model in TABLES
    }


def content_snapshot() -> dict[str, list]:
    """The site as a reader and an editor see it, without database IDs: what a round trip
    through export-wxr must keep."""
    comments = list(Comment.objects.select_related("article", "parent"))
    page_comments = list(PageComment.objects.select_related("page", "parent"))

    def identity(comment) -> tuple:
        return (comment.author_name, comment.body, comment.created_at.isoformat())

    return {
        "authors": sorted(
            (
                a.user.username,
                a.user.email,
                a.user.first_name,
                a.user.last_name,
                a.display_name,
                a.slug,
                a.bio,
            )
            for a in Author.objects.select_related("user")
        ),
        "categories": sorted(
            (c.name, c.slug, c.description, c.parent.slug if c.parent else None)
            for c in Category.objects.select_related("parent")
        ),
        "tags": sorted(Tag.objects.values_list("name", "slug")),
        "articles": sorted(
            (
                a.title,
                a.slug,
                a.author.slug,
                a.excerpt,
                a.body,
                a.body_html,
                a.status,
                a.published_at and a.published_at.isoformat(),
                a.allow_comments,
                a.comment_count,
                tuple(sorted(a.categories.values_list("slug", flat=True))),
                tuple(sorted(a.tags.values_list("slug", flat=True))),
                getattr(getattr(a, "view_count", None), "views", 0),
            )
            for a in Article.objects.select_related("author", "view_count")
        ),
        "pages": sorted(
            (
                p.title,
                p.path,
                p.body,
                p.body_html,
                p.status,
                p.published_at and p.published_at.isoformat(),
                p.author.slug if p.author else None,
                p.parent.path if p.parent else None,
                p.menu_order,
            )
            for p in Page.objects.select_related("author", "parent")
        ),
        "comments": sorted(
            (
                c.article.slug,
                *identity(c),
                c.author_email,
                c.author_url,
                str(c.author_ip),
                c.status,
                c.depth,
                c.body_html,
                identity(c.parent) if c.parent else None,
            )
            for c in comments
        ),
        "page comments": sorted(
            (
                c.page.path,
                *identity(c),
                c.author_email,
                c.author_url,
                str(c.author_ip),
                c.status,
                c.depth,
                identity(c.parent) if c.parent else None,
            )
            for c in page_comments
        ),
    }


def delete_site() -> None:
    """Empty every table an import writes, as on a new site."""
    for model in (WordPressItem, PageComment, Page, Comment, Article, Category, Tag, Author):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Test site</title>
<link>https://news.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://news.example</wp:base_site_url>
<wp:base_blog_url>https://news.example</wp:base_blog_url>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login><![CDATA[jane]]></wp:author_login>
<wp:author_email><![CDATA[jane.private@news.example]]></wp:author_email>
<wp:author_display_name><![CDATA[Jane Reporter]]></wp:author_display_name>
<wp:author_first_name><![CDATA[Jane]]></wp:author_first_name>
<wp:author_last_name><![CDATA[Reporter]]></wp:author_last_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>phones</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Phones]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>android</wp:category_nicename>
<wp:category_parent>phones</wp:category_parent><wp:cat_name><![CDATA[Android]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>%e6%97%a5%e6%9c%ac</wp:tag_slug><wp:tag_name><![CDATA[日本]]></wp:tag_name></wp:tag>
"""
WXR_TAIL = "</channel>\n</rss>\n"


def wxr_post(
    post_id: int,
    *,
    slug: str,
    title: str = "A story",
    content: str = "<p>Text.</p>",
    status: str = "publish",
    post_type: str = "post",
    date_gmt: str = "2014-12-18 09:30:00",
    link: str = "",
    meta: dict[str, str] | None = None,
    comments: str = "",
    parent: int = 0,
    extra: str = "",
) -> str:
    link = link or f"https://news.example/{date_gmt[:4]}/{date_gmt[5:7]}/{date_gmt[8:10]}/{slug}/"
    postmeta = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (meta or {}).items()
    )
    return f"""<item>
<title><![CDATA[{title}]]></title>
<link>{link}</link>
<dc:creator><![CDATA[jane]]></dc:creator>
<guid isPermaLink="false">https://news.example/?p={post_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date>{date_gmt}</wp:post_date>
<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status>{status}</wp:status>
<wp:post_parent>{parent}</wp:post_parent>
<wp:post_type>{post_type}</wp:post_type>
<wp:post_password></wp:post_password>
{extra}
{postmeta}
{comments}
</item>
"""


def wxr_comment(
    comment_id: int,
    *,
    parent: int = 0,
    approved: str = "1",
    email: str = "",
    ip: str = "",
    author: str = "Reader",
    content: str = "Nice.",
    date_gmt: str = "2015-01-02 10:00:00",
) -> str:
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
<wp:comment_author_url>https://reader.example/</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
<wp:comment_date>{date_gmt}</wp:comment_date>
<wp:comment_date_gmt>{date_gmt}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


def write_wxr(path: Path, *items: str) -> Path:
    path.write_text(WXR_HEAD + "".join(items) + WXR_TAIL, encoding="utf-8")
    return path
