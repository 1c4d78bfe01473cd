from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "byline.discovery"
    verbose_name = "Discovery"

    def ready(self) -> None:
        from byline.discovery import signals  # noqa: F401  (connects the receivers)
