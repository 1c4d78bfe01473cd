from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.BYLINE_SITE_NAME,
        "site_description": settings.BYLINE_SITE_DESCRIPTION,
    }
