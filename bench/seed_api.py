# Run through `byline manage shell -c` after seed_demo.py: $ARTICLES more published
# articles (with a category and tags), so that the API's article list returns full pages.
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from byline.articles.models import Article, Category, Tag
from byline.authors.models import Author

author = Author.objects.get(slug="tech-guru")
category, _ = Category.objects.get_or_create(slug="phones", defaults={"name": "Phones"})
tags = [
    Tag.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
    for slug in ("xiaomi", "facebook")
]
seed_body = os.environ.get("SEED_BODY")
body = Path(seed_body).read_text() if seed_body else "Text.\n\nMore."
start = datetime(2015, 1, 1, 9, 0, tzinfo=UTC)
total = int(os.environ.get("ARTICLES", "100"))
for index in range(total):
    article, created = Article.objects.get_or_create(
        slug=f"bench-article-{index}",
        defaults={
            "title": f"Bench article {index}: phones, apps and markets",
            "author": author,
            "body": body,
            "status": Article.Status.PUBLISHED,
            "published_at": start + timedelta(hours=index),
        },
    )
    if created:
        article.categories.add(category)
        article.tags.add(*tags)
print(f"seeded {total} more articles")
