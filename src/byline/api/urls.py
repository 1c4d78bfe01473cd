from django.urls import path, re_path

from byline.api.errors import json_errors, not_found_view
from byline.api.router import api


def _v1():
    """The API's own URL patterns, each view wrapped so that every answer is JSON."""
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = json_errors(pattern.callback)
    return patterns, app, namespace


urlpatterns = [
    path("v1/", _v1()),
    re_path(r"^", not_found_view, name="api-not-found"),
]
