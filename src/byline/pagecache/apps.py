from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "byline.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from byline.pagecache import signals  # noqa: F401  (connects the purge receivers)
