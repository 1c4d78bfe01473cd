"""Avatars: an uploaded image, or generated initials that need no outside service."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from byline.authors.avatars import colour_index, initials


class TestInitials:
    def test_initials(self):
        assert initials("Tech Guru") == "TG"
        assert initials("ada") == "A"
        assert initials("Jean-Luc de la Tour") == "JT"
        assert initials("  ") == "?"

    def test_colour_is_stable_per_name(self):
        assert colour_index("Tech Guru") == colour_index("tech guru ")
        assert 0 <= colour_index("x") < 12


@pytest.mark.django_db
class TestAuthorAvatar:
    """The bio box shows the uploaded avatar, else generated initials; no Gravatar."""

    def test_generated_initials(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'aria-hidden="true">TG</span>' in html
        assert "gravatar" not in html.lower()

    def test_uploaded_avatar_is_shown_and_served(self, client, article, tmp_path):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
        with override_settings(MEDIA_ROOT=tmp_path):
            author = article.author
            author.avatar = SimpleUploadedFile("face.png", buffer.getvalue(), "image/png")
            author.save()
            html = client.get(article.get_absolute_url()).content.decode()
            assert f'<img class="avatar avatar-l" src="/media/{author.avatar.name}"' in html
            served = client.get(f"/media/{author.avatar.name}")
            assert served.status_code == 200
            assert b"".join(served.streaming_content) == buffer.getvalue()

    def test_media_path_traversal_is_refused(self, db, tmp_path):
        (tmp_path / "secret.txt").write_text("not for readers")
        (tmp_path / "media").mkdir()
        reader = Client(raise_request_exception=False)
        with override_settings(MEDIA_ROOT=tmp_path / "media"):
            for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt",
                         "/media/..%2fsecret.txt", "/media//etc/passwd"):  # fmt: skip
                response = reader.get(path)
                assert response.status_code in (400, 404), path
                assert b"not for readers" not in response.content
