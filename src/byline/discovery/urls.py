from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

import byline.articles.urls  # noqa: F401  (registers the "mm" month converter used below)
from byline.discovery import feeds, views
from byline.discovery.sitemaps import SITEMAPS
from byline.pagecache.marks import COMMENTS, cached_page

app_name = "discovery"
# Sitemaps and feeds show no view counts: the page cache keeps them for an hour (a
# change purges them at once); on 100,000 articles a sitemap section of 10,000 URLs
# takes a second or two to build.
HOUR = 3600
kept = cached_page(seconds=HOUR)
kept_with_comments = cached_page(COMMENTS, seconds=HOUR)
ARTICLE = "<int:year>/<mm:month>/<slug:slug>/"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", kept(views.robots_txt), name="robots"),
    # Sitemaps: the index, the Google News one, then one per section.
    path(
        "sitemap.xml",
        kept(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "discovery:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        kept(sitemap_views.sitemap),
        {
            "sitemaps": {"news": SITEMAPS["news"]},
            "section": "news",
            "template_name": "discovery/sitemap_news.xml",
        },
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        kept(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Feeds (their names are kept by the WordPress importer's redirects).
    path("feeds/rss/", kept(feeds.ArticleFeed()), name="feed-rss"),
    path("feeds/atom/", kept(feeds.ArticleAtomFeed()), name="feed-atom"),
    path("feeds/comments/rss/", kept_with_comments(feeds.CommentFeed()), name="comments-rss"),
    path("feeds/comments/atom/", kept_with_comments(feeds.CommentAtomFeed()), name="comments-atom"),
    path("category/<slug:slug>/rss/", kept(feeds.CategoryFeed()), name="category-rss"),
    path("category/<slug:slug>/atom/", kept(feeds.CategoryAtomFeed()), name="category-atom"),
    path("tag/<slug:slug>/rss/", kept(feeds.TagFeed()), name="tag-rss"),
    path("tag/<slug:slug>/atom/", kept(feeds.TagAtomFeed()), name="tag-atom"),
    path("author/<slug:slug>/rss/", kept(feeds.AuthorFeed()), name="author-rss"),
    path("author/<slug:slug>/atom/", kept(feeds.AuthorAtomFeed()), name="author-atom"),
    path(
        f"{ARTICLE}comments/rss/",
        kept_with_comments(feeds.ArticleCommentFeed()),
        name="article-comments-rss",
    ),
    path(
        f"{ARTICLE}comments/atom/",
        kept_with_comments(feeds.ArticleCommentAtomFeed()),
        name="article-comments-atom",
    ),
]
