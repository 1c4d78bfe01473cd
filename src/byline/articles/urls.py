from django.urls import path, register_converter

from byline.articles import views


class TwoDigitMonth:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(TwoDigitMonth, "mm")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("category/<slug:slug>/", views.category_archive, name="category"),
    path("tag/<slug:slug>/", views.tag_archive, name="tag"),
    path("<int:year>/", views.year_archive, name="year"),
    path("<int:year>/<mm:month>/", views.month_archive, name="month"),
    path("<int:year>/<mm:month>/<slug:slug>/", views.detail, name="detail"),
]
