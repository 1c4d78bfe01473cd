"""SEO metadata: canonical address, description, Open Graph and Twitter card tags on
every page; JSON-LD NewsArticle and BreadcrumbList on articles, ProfilePage on authors,
as a metadata extractor (extruct) reads them."""

import extruct
import pytest
from django.utils import timezone

from byline.articles.models import Article

BASE = "http://testserver"


def page(client, url: str) -> tuple[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    data = extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld", "opengraph"])
    return html, data


def json_ld(data: dict, kind: str) -> dict:
    (found,) = [item for item in data["json-ld"] if item.get("@type") == kind]
    return found


def opengraph(data: dict) -> dict:
    (graph,) = data["opengraph"]
    return dict(graph["properties"])


def head_value(html: str, start: str) -> str:
    """The content of the one tag that starts with `start` (e.g. '<meta name="x"')."""
    assert html.count(start) == 1, start
    return html.split(start, 1)[1].split('content="', 1)[1].split('"', 1)[0]


def canonical(html: str) -> str:
    assert html.count('rel="canonical"') == 1
    return html.split('<link rel="canonical" href="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
class TestEveryPage:
    """Each kind of page has one canonical address, a description and social tags."""

    @pytest.mark.parametrize(
        ("url", "title"),
        [
            ("/", "Byline"),
            ("/category/business/", "Category: Business"),
            ("/tag/xiaomi/", "Tag: Xiaomi"),
            ("/author/tech-guru/", "Tech Guru"),
            ("ARTICLE", "Facebook mulled investing in Xiaomi"),
            ("YEAR", "YEAR"),
            ("/search/?q=xiaomi", "Search results for “xiaomi”"),
        ],
    )
    def test_tags(self, client, newsroom, url, title):
        local = timezone.localtime(newsroom.article.published_at)
        url = {"ARTICLE": newsroom.article.get_absolute_url(), "YEAR": f"/{local.year}/"}.get(
            url, url
        )
        title = str(local.year) if title == "YEAR" else title
        html, data = page(client, url)
        assert canonical(html) == BASE + url
        description = head_value(html, '<meta name="description"')
        assert 0 < len(description) <= 160
        graph = opengraph(data)
        assert graph["og:title"] == title
        assert graph["og:url"] == BASE + url
        assert graph["og:description"] == description.replace("&#x27;", "'")
        assert graph["og:site_name"] == "Byline"
        assert graph["og:image"].startswith(f"{BASE}/static/byline/")
        assert head_value(html, '<meta name="twitter:card"') == "summary_large_image"
        # Twitter reads og:title, og:description and og:image: no second copy of them.
        assert '<meta name="twitter:title"' not in html

    def test_description_from_the_excerpt(self, client, newsroom):
        html, _ = page(client, newsroom.article.get_absolute_url())
        assert head_value(html, '<meta name="description"') == (
            "Mark Zuckerberg met Xiaomi&#x27;s CEO Lei Jun in Beijing."
        )

    def test_long_description_is_cut(self, client, newsroom):
        Article.objects.filter(pk=newsroom.article.pk).update(summary="word " * 100)
        html, _ = page(client, newsroom.article.get_absolute_url())
        assert len(head_value(html, '<meta name="description"')) <= 160

    def test_cursor_pages_are_their_own_canonical(self, client, newsroom, settings):
        settings.BYLINE_ARTICLES_PER_PAGE = 1
        html, _ = page(client, "/")
        older = html.split('rel="next" class="older" href="')[1].split('"')[0]
        html, _ = page(client, "/" + older.replace("&amp;", "&"))
        assert canonical(html) == f"{BASE}/{older}"

    def test_canonical_drops_other_parameters(self, client, newsroom):
        html, _ = page(client, "/category/business/?utm_source=x&q=<script>")
        assert canonical(html) == f"{BASE}/category/business/"

    def test_search_is_not_indexed(self, client, newsroom):
        html, _ = page(client, "/search/?q=xiaomi")
        assert '<meta name="robots" content="noindex, follow">' in html
        html, _ = page(client, "/")
        assert 'name="robots"' not in html


@pytest.mark.django_db
class TestArticleStructuredData:
    """NewsArticle with the fields Google's news results need, and its breadcrumbs."""

    def test_news_article(self, client, newsroom):
        article = newsroom.article
        url = BASE + article.get_absolute_url()
        _, data = page(client, article.get_absolute_url())
        news = json_ld(data, "NewsArticle")
        assert news["@context"] == "https://schema.org"
        assert news["headline"] == "Facebook mulled investing in Xiaomi"
        assert news["datePublished"] == timezone.localtime(article.published_at).isoformat(
            timespec="seconds"
        )
        assert news["dateModified"] == timezone.localtime(article.updated_at).isoformat(
            timespec="seconds"
        )
        assert news["author"] == [
            {"@type": "Person", "name": "Tech Guru", "url": f"{BASE}/author/tech-guru/"}
        ]
        assert news["publisher"]["@type"] == "Organization"
        assert news["publisher"]["name"] == "Byline"
        assert news["publisher"]["logo"]["url"] == f"{BASE}/static/byline/logo.png"
        assert news["image"] == [f"{BASE}/static/byline/social-card.png"]
        assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
        assert news["articleSection"] == ["Business"]
        assert news["keywords"] == ["Xiaomi"]
        graph = opengraph(data)
        assert graph["og:type"] == "article"
        assert graph["article:author"] == f"{BASE}/author/tech-guru/"

    def test_image_from_the_body(self, client, newsroom):
        article = newsroom.article
        article.body = "![Lei Jun](/media/lei-jun.jpg)\n\nText."
        article.save()
        _, data = page(client, article.get_absolute_url())
        assert json_ld(data, "NewsArticle")["image"] == [f"{BASE}/media/lei-jun.jpg"]
        assert opengraph(data)["og:image"] == f"{BASE}/media/lei-jun.jpg"

    def test_breadcrumbs(self, client, newsroom):
        _, data = page(client, newsroom.article.get_absolute_url())
        crumbs = json_ld(data, "BreadcrumbList")["itemListElement"]
        assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
            (1, "Byline", f"{BASE}/"),
            (2, "Business", f"{BASE}/category/business/"),
            (3, "Facebook mulled investing in Xiaomi", BASE + newsroom.article.get_absolute_url()),
        ]

    def test_script_cannot_be_closed_by_a_title(self, client, newsroom):
        Article.objects.filter(pk=newsroom.article.pk).update(
            title="</script><script>alert(1)</script>"
        )
        html, data = page(client, newsroom.article.get_absolute_url())
        assert "<script>alert(1)" not in html
        news = json_ld(data, "NewsArticle")
        assert news["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
class TestProfilePage:
    """Author pages are a ProfilePage about a Person."""

    def test_profile(self, client, newsroom):
        html, data = page(client, "/author/tech-guru/")
        profile = json_ld(data, "ProfilePage")
        assert profile["mainEntity"] == {
            "@type": "Person",
            "name": "Tech Guru",
            "url": f"{BASE}/author/tech-guru/",
            "description": "Loves phones.",
        }
        assert opengraph(data)["og:type"] == "profile"
        assert newsroom.guru.user.email not in html

    def test_home_is_a_website_with_search(self, client, newsroom):
        _, data = page(client, "/")
        site = json_ld(data, "WebSite")
        assert site["potentialAction"]["target"]["urlTemplate"] == (f"{BASE}/search/?q={{query}}")
