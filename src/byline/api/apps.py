from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "byline.api"
    verbose_name = "API"
