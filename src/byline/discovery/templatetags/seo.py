from django import template

from byline.discovery.seo import default_meta

register = template.Library()


@register.inclusion_tag("discovery/meta.html", takes_context=True)
def page_meta(context) -> dict:
    """The page's canonical address, social tags, feeds and JSON-LD: the view's `meta`,
    else the site's defaults. Nothing when rendered without a request."""
    request = context.get("request")
    if request is None:
        return {"meta": None}
    return {
        "meta": context.get("meta") or default_meta(request=request),
        "site_name": context.get("site_name"),
    }
