from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=16)
def _theme_urls(urlconf: str | None, prefix: str) -> dict[str, str]:
    """The addresses every page's header and footer link to: reversed once per URLconf
    and script prefix (they are what reverse() depends on), not on every page."""
    return {
        "home_url": reverse("articles:home", urlconf=urlconf),
        "search_url": reverse("discovery:search", urlconf=urlconf),
    }


@receiver(setting_changed, dispatch_uid="byline-theme-urls")
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _theme_urls.cache_clear()


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.BYLINE_SITE_NAME,
        "site_description": settings.BYLINE_SITE_DESCRIPTION,
        **_theme_urls(get_urlconf(), get_script_prefix()),
    }
