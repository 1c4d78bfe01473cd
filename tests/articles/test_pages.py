"""The reader's pages: home, archives, article, 404."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from byline.articles.models import Article
from byline.pageviews.services import article_views_add
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, TagFactory


@pytest.mark.django_db
class TestArticlePage:
    """The reference page's parts, with its exact wording."""

    def test_reference_parts(self, client, article):
        article_views_add(article_id=article.pk, views=1820)
        html = client.get(article.get_absolute_url()).content.decode()
        assert html.count("<h1") == 1
        assert '<h1 class="entry-title">Facebook mulled investing in Xiaomi</h1>' in html
        assert '<span class="view-count" data-views>1821 views</span>' in html
        assert '<a class="comments-link" href="#respond">Leave a comment</a>' in html
        assert '<a href="/author/tech-guru/" rel="author">Tech Guru</a>' in html
        assert '<h2 id="author-bio-title">Author Bio</h2>' in html
        assert "<p>Loves phones.</p>" in html
        assert "<section id=respond>" in html
        assert "Leave a Reply</span>" in html
        assert "Your email address will not be published." in html
        assert "Required fields are marked <span class=required>*</span>" in html
        assert "Comment <span class=required>*</span></label>" in html
        assert "Name <span class=required>*</span></label>" in html
        assert "Email <span class=required>*</span></label>" in html
        assert "<label for=url>Website</label>" in html
        assert (
            "Save my name, email, and website in this browser for the next time I comment." in html
        )
        assert ">Post Comment</button>" in html

    def test_one_view_is_singular(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()
        assert "1 view</span>" in html

    def test_wrong_month_redirects_to_the_permalink(self, client, article):
        response = client.get(f"/1999/01/{article.slug}/")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    def test_draft_is_not_public(self, client, author):
        draft = ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
        local = timezone.localtime()
        response = client.get(f"/{local.year}/{local.month:02d}/{draft.slug}/")
        assert response.status_code == 404

    def test_scheduled_article_appears_by_itself(self, client, author):
        soon = timezone.now() + timedelta(hours=1)
        article = ArticleFactory(author=author, status=Article.Status.PUBLISHED, published_at=soon)
        assert article.status == Article.Status.SCHEDULED
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in client.get("/").content.decode()
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
        assert client.get(Article.objects.get(pk=article.pk).get_absolute_url()).status_code == 200
        assert article.title in client.get("/").content.decode()

    def test_category_and_tag_links(self, client, article):
        article.categories.add(CategoryFactory(name="Business", slug="business"))
        article.tags.add(TagFactory(name="Xiaomi", slug="xiaomi"))
        html = client.get(article.get_absolute_url()).content.decode()
        assert '<a href="/category/business/" rel="category">Business</a>' in html
        assert '<a href="/tag/xiaomi/" rel="tag">Xiaomi</a>' in html

    def test_head_is_answered(self, client, article):
        assert client.head(article.get_absolute_url()).status_code == 200

    def test_post_to_article_is_refused(self, client, article):
        assert client.post(article.get_absolute_url()).status_code == 405


@pytest.mark.django_db
class TestNotFound:
    """Unknown addresses get the theme's 404 page."""

    @override_settings(DEBUG=False)
    def test_themed_404(self, client):
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "Page not found" in html and 'class="site-title"' in html


@pytest.mark.django_db
class TestHome:
    """The latest published articles with excerpt, author, date, views and comments."""

    def test_lists_latest_with_details(self, client, article):
        article_views_add(article_id=article.pk, views=41)
        CommentFactory(article=article)
        Article.objects.filter(pk=article.pk).update(comment_count=1)
        html = client.get("/").content.decode()
        assert article.title in html
        assert article.summary in html
        assert "41 views" in html
        assert "1 Comment</a>" in html
        assert "Tech Guru" in html

    @override_settings(BYLINE_ARTICLES_PER_PAGE=3)
    def test_keyset_pagination_walks_every_article_once(self, client, author):
        articles = [ArticleFactory(author=author) for _ in range(7)]
        newest_first = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
        seen, url, pages = [], "/", 0
        while url:
            response = client.get(url)
            html = response.content.decode()
            seen += [a.pk for a in newest_first if f">{a.title}</a></h2>" in html]
            pages += 1
            older = html.split('rel="next" class="older" href="')
            url = "/" + older[1].split('"')[0].replace("&amp;", "&") if len(older) > 1 else None
        assert pages == 3
        assert seen == [a.pk for a in newest_first]

    @override_settings(BYLINE_ARTICLES_PER_PAGE=3)
    def test_newer_link_goes_back(self, client, author):
        articles = sorted(
            (ArticleFactory(author=author) for _ in range(5)),
            key=lambda a: (a.published_at, a.pk),
            reverse=True,
        )
        second = client.get("/?before=" + _cursor(articles[2])).content.decode()
        assert articles[3].title in second and articles[2].title not in second
        newer = second.split('rel="prev" href="?')[1].split('"')[0].replace("&amp;", "&")
        first = client.get("/?" + newer).content.decode()
        assert all(a.title in first for a in articles[:3])

    def test_bad_cursor_is_404(self, client, article):
        assert client.get("/?before=garbage").status_code == 404
        assert client.get("/?before=99999999999999999999999-1").status_code == 404

    def test_empty_page_past_the_end_is_404(self, client, article):
        assert client.get("/?before=1-1").status_code == 404


def _cursor(article) -> str:
    from byline.articles.pagination import encode_cursor

    return encode_cursor(article)


@pytest.mark.django_db
class TestArchives:
    """Category, tag, date and author archives list only their articles."""

    def test_category(self, client, author):
        business = CategoryFactory(name="Business", slug="business")
        inside = ArticleFactory(author=author)
        inside.categories.add(business)
        outside = ArticleFactory(author=author)
        html = client.get("/category/business/").content.decode()
        assert "Category: Business" in html
        assert inside.title in html and outside.title not in html

    def test_tag(self, client, author):
        tag = TagFactory(name="Phones", slug="phones")
        inside = ArticleFactory(author=author)
        inside.tags.add(tag)
        html = client.get("/tag/phones/").content.decode()
        assert "Tag: Phones" in html and inside.title in html

    def test_month_and_year(self, client, author):
        old = ArticleFactory(
            author=author, published_at=timezone.now().replace(year=2014, month=12, day=18)
        )
        new = ArticleFactory(author=author)
        html = client.get("/2014/12/").content.decode()
        assert old.title in html and new.title not in html
        assert old.title in client.get("/2014/").content.decode()
        assert client.get("/2014/13/").status_code == 404

    def test_author(self, client, author, article):
        other = ArticleFactory()
        html = client.get("/author/tech-guru/").content.decode()
        assert '<h1 class="page-title">Tech Guru</h1>' in html
        assert "Loves phones." in html
        assert article.title in html and other.title not in html

    def test_unknown_archives_are_404(self, client, db):
        assert client.get("/category/nope/").status_code == 404
        assert client.get("/author/nope/").status_code == 404
