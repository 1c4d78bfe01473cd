import pytest
from django.conf import settings

from byline.pageviews.backends import redis_backend
from byline.pageviews.flush import views_flush


def flush_pending() -> None:
    """With Redis, move the buffered counts to the database (what the flusher does every
    second); without it there is nothing buffered."""
    if redis_backend() is not None:
        views_flush()


@pytest.fixture
def redis_buffer(db):
    """The Redis view buffer of this test run (REDIS_URL), empty; skipped without Redis."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the Redis buffer is tested on PostgreSQL + Redis")
    backend = redis_backend()
    backend.forget_bases()  # read in another test's database state
    return backend
