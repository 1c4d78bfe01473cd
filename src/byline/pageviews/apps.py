from django.apps import AppConfig


class PageviewsConfig(AppConfig):
    name = "byline.pageviews"
    verbose_name = "Page views"

    def ready(self) -> None:
        from byline.pageviews import checks  # noqa: F401  (registers the system checks)
