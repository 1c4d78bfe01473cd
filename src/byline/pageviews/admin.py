"""The editors' statistics in the admin: site views per day (30, 90 or 365 days) as a chart
and a table, the top articles of a period, the totals, and the definition of a view in
force. Each article's own chart is on its change page (the `article_views_chart` tag)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from byline.articles.models import Article
from byline.pageviews import policy
from byline.pageviews.models import SiteStatistics
from byline.pageviews.selectors import (
    ranked_articles,
    site_total_views,
    site_views_by_day,
)
from byline.pageviews.templatetags.pageviews import chart_series

CHART_DAYS = (30, 90, 365)
TOP_PERIODS = {"1": "Last 24 hours", "7": "Last 7 days", "30": "Last 30 days",
               "90": "Last 90 days", "365": "Last 365 days", "all": "All time"}  # fmt: skip
TOP_SIZE = 20


@admin.register(SiteStatistics)
class SiteStatisticsAdmin(admin.ModelAdmin):
    """Not a list of rows: its "list" is the statistics page."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        days_param = request.GET.get("days", "30")
        top_param = request.GET.get("top", "7")
        errors = []
        if days_param not in {str(days) for days in CHART_DAYS}:
            errors.append(f"There is no chart for “{days_param[:20]}” days: choose 30, 90 or 365.")
            days_param = "30"
        if top_param not in TOP_PERIODS:
            errors.append(f"There is no period “{top_param[:20]}” for the top articles.")
            top_param = "7"
        days = int(days_param)
        by_day = site_views_by_day(days=days)
        top = ranked_articles(
            Article.objects.select_related("author").only(
                "id", "title", "slug", "status", "published_at", "author__display_name"
            ),
            days=None if top_param == "all" else int(top_param),
            limit=TOP_SIZE,
        )
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": "Statistics",
            "opts": self.model._meta,
            "errors": errors,
            "chart_days": CHART_DAYS,
            "days": days,
            "by_day": by_day,
            "series": chart_series(by_day),
            "period_total": sum(views for _, views in by_day),
            "today_total": by_day[-1][1] if by_day and by_day[-1][0] == today else 0,
            "all_time": site_total_views(),
            "top_periods": TOP_PERIODS,
            "top_param": top_param,
            "top_label": TOP_PERIODS[top_param],
            "top": top,
            "definition": policy.definition(),
            **(extra_context or {}),
        }
        return TemplateResponse(
            request,
            "admin/pageviews/statistics.html",
            context,
            status=400 if errors else 200,
        )
