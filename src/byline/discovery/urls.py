from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

import byline.articles.urls  # noqa: F401  (registers the "mm" month converter used below)
from byline.discovery import feeds, views
from byline.discovery.sitemaps import SITEMAPS

app_name = "discovery"
# The index and the big sections are built at most once an hour per page (the news
# sitemap, small and meant to be fresh, never waits): on 100,000 articles a section
# page of 10,000 URLs takes a second or two to build.
SITEMAP_CACHE_SECONDS = 3600
ARTICLE = "<int:year>/<mm:month>/<slug:slug>/"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Sitemaps: the index, the Google News one, then one per section.
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "discovery:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {
            "sitemaps": {"news": SITEMAPS["news"]},
            "section": "news",
            "template_name": "discovery/sitemap_news.xml",
        },
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Feeds (their names are kept by the WordPress importer's redirects).
    path("feeds/rss/", feeds.ArticleFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.ArticleAtomFeed(), name="feed-atom"),
    path("feeds/comments/rss/", feeds.CommentFeed(), name="comments-rss"),
    path("feeds/comments/atom/", feeds.CommentAtomFeed(), name="comments-atom"),
    path("category/<slug:slug>/rss/", feeds.CategoryFeed(), name="category-rss"),
    path("category/<slug:slug>/atom/", feeds.CategoryAtomFeed(), name="category-atom"),
    path("tag/<slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("author/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("author/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-atom"),
    path(f"{ARTICLE}comments/rss/", feeds.ArticleCommentFeed(), name="article-comments-rss"),
    path(f"{ARTICLE}comments/atom/", feeds.ArticleCommentAtomFeed(), name="article-comments-atom"),
]
