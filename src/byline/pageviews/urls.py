from django.urls import path, register_converter

from byline.pageviews import views
from byline.pageviews.selectors import PERIODS


class Period:
    regex = "|".join(PERIODS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Period, "period")

app_name = "pageviews"
urlpatterns = [
    path("popular/", views.popular, name="popular"),
    path("popular/<period:period>/", views.popular, name="popular-period"),
    path("views/<int:article_id>/", views.beacon, name="beacon"),
]
