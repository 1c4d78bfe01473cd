from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "byline.authors"
    verbose_name = "Authors"
