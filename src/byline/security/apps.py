from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "byline.security"
    verbose_name = "Security"
