# Run through `byline manage shell -c` on a fresh data folder: the bytes of the reference
# article page with the peers' $COMMENTS (default 30) comments, uncompressed and gzipped,
# as a first-time anonymous reader gets it.
#
#   BYLINE_DATA_DIR=$(mktemp -d) byline manage migrate -v0 &&
#   BYLINE_DATA_DIR=... byline manage shell --no-imports -c "$(cat bench/page_weight.py)"
import os

from django.test import Client

from byline.demo import seed_demo
from byline.demo.comments import demo_comments_add

article = seed_demo().article
demo_comments_add(article=article, count=int(os.environ.get("COMMENTS", "30")))
client = Client(HTTP_HOST="localhost")
plain = client.get(article.get_absolute_url())
gzipped = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
assert plain.status_code == gzipped.status_code == 200
print(
    f"{len(plain.content)} bytes uncompressed, {len(gzipped.content)} bytes gzip "
    f"({gzipped.get('Content-Encoding', 'not compressed')})"
)
