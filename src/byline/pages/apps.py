from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "byline.pages"
    verbose_name = "Pages"
