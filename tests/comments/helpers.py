from django.test import Client

from byline.articles.models import Article


def post_comment(client: Client, article: Article, **fields) -> object:
    """POST the comment form as a browser would, with its hidden fields."""
    ip = fields.pop("ip", "203.0.113.7")
    data = {
        "comment": "Xiaomi's growth is remarkable.",
        "author": "Ada Reader",
        "email": "ada@mail.example",
        "url": "",
        "article": str(article.pk),
        "parent": "",
        "homepage": "",
        **fields,
    }
    return client.post("/comments/post/", data, REMOTE_ADDR=ip)
