"""Every GET address of the API, read from its own OpenAPI schema (so an operation added
later is crawled too), with real ids and the query variants that reach other data."""

from django.test import Client

from byline.articles.models import Article
from byline.authors.models import Author

# Query variants per operation, beyond the bare address.
VARIANTS = {
    "/api/v1/articles": ["", "?status=draft", "?status=scheduled", "?limit=100&q=a"],
    "/api/v1/articles/most-viewed": ["?period=24h", "?period=7d", "?period=30d", "?period=all"],
    "/api/v1/comments": ["?status=pending", "?status=approved", "?status=spam", "?status=trash"],
}


def get_operations(client: Client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return [path for path, operations in schema["paths"].items() if "get" in operations]


def addresses(client: Client) -> list[str]:
    """Every GET address with every real id: articles of any status, every author."""
    found = []
    article_ids = list(Article.objects.values_list("pk", flat=True))
    author_ids = list(Author.objects.values_list("pk", flat=True))
    for template in get_operations(client):
        if template == "/api/v1/articles/by-url":
            found += [f"{template}?url={a.get_absolute_url()}" for a in Article.objects.all()]
            continue
        if "{article_id}" in template:
            found += [template.replace("{article_id}", str(pk)) for pk in article_ids]
        elif "{author_id}" in template:
            found += [template.replace("{author_id}", str(pk)) for pk in author_ids]
        else:
            found += [template + variant for variant in VARIANTS.get(template, [""])]
    assert not [address for address in found if "{" in address], "a path parameter not filled"
    return found


def crawl(client: Client) -> dict[str, str]:
    """address -> body, following every `next_cursor`."""
    bodies = {}
    queue = addresses(client)
    while queue:
        address = queue.pop()
        response = client.get(address)
        bodies[address] = response.content.decode()
        if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
            data = response.json()
            cursor = data.get("next_cursor") if isinstance(data, dict) else None
            if cursor:
                glue = "&" if "?" in address else "?"
                queue.append(f"{address.split('cursor=')[0].rstrip('&?')}{glue}cursor={cursor}")
    return bodies
