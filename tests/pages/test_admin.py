"""Editors write and publish pages in the admin."""

import pytest
from django.contrib.auth import get_user_model

from byline.pages.models import Page


@pytest.mark.django_db
def test_editor_creates_a_page_in_the_admin(client):
    editor = get_user_model().objects.create_superuser("chief", password="x-secret-123")
    client.force_login(editor)
    form = client.get("/admin/pages/page/add/")
    assert form.status_code == 200
    assert b"data-preview-url" in form.content
    response = client.post(
        "/admin/pages/page/add/",
        {
            "title": "Contact",
            "path": "/contact",
            "body": "Write to **us**.",
            "status": "published",
            "published_at_0": "2024-01-02",
            "published_at_1": "10:00:00",
            "menu_order": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get()
    assert page.path == "contact/"
    assert client.get("/contact/").status_code == 200
    assert "<strong>us</strong>" in client.get("/contact/").content.decode()
