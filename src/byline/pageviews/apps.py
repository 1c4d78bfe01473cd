from django.apps import AppConfig


class PageviewsConfig(AppConfig):
    name = "byline.pageviews"
    verbose_name = "Page views"
