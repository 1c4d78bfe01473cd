"""System checks for the view-counting settings: a wrong value is reported by name when
the server starts (`byline serve` runs the checks), not met later as a silent miscount."""

import ipaddress

from django.conf import settings
from django.core import checks

from byline.pageviews.policy import MODES


@checks.register()
def counting_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    if settings.BYLINE_VIEW_COUNTING not in MODES:
        errors.append(
            checks.Error(
                f"BYLINE_VIEW_COUNTING is {settings.BYLINE_VIEW_COUNTING!r}.",
                hint="Set it to 'server' (count in the request) or 'beacon' (count by the "
                "page's beacon, for pages cached by a CDN).",
                id="pageviews.E001",
            )
        )
    for entry in settings.BYLINE_VIEWS_EXCLUDED_IPS:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"BYLINE_VIEWS_EXCLUDED_IPS has {entry!r}, which is not an IP address "
                    "or network.",
                    hint="Use addresses and CIDR ranges, comma-separated: "
                    "203.0.113.7,198.51.100.0/24,2001:db8::/32",
                    id="pageviews.E002",
                )
            )
    if settings.BYLINE_VIEWS_INTERVAL < 0:
        errors.append(
            checks.Error(
                "BYLINE_VIEWS_INTERVAL is negative.",
                hint="0 counts every view; N counts one view per visitor and article per N s.",
                id="pageviews.E003",
            )
        )
    return errors
