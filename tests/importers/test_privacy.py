"""Imported commenters' and authors' email addresses and IPs stay private: no public
page of the imported site shows one."""

import pytest
from django.contrib.auth import get_user_model

from byline.articles.models import Article
from byline.comments.models import Comment
from byline.pages.models import Page, PageComment
from tests.importers.helpers import run_import


@pytest.mark.django_db
def test_no_email_or_ip_in_any_public_page(client, theme_unit_test):
    run_import(theme_unit_test)
    private = set()
    for model in (Comment, PageComment):
        for email, ip in model.objects.values_list("author_email", "author_ip"):
            private |= {value for value in (email, ip) if value}
    private |= {
        email for email in get_user_model().objects.values_list("email", flat=True) if email
    }
    assert len(private) > 5
    addresses = ["/", "/author/themedemos/", "/category/parent-category/"]
    addresses += [a.get_absolute_url() for a in Article.objects.published()]
    addresses += [p.get_absolute_url() for p in Page.objects.published()]
    assert len(addresses) > 70
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        for value in private:
            assert value not in html, (address, value)
    commented = Page.objects.filter(comments__status="approved").first()
    assert "Comments are closed." in client.get(commented.get_absolute_url()).content.decode()
