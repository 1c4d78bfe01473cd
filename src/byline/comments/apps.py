from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline.comments"
    verbose_name = "Comments"
