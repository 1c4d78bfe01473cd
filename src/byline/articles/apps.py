from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "byline.articles"
    verbose_name = "Articles"
