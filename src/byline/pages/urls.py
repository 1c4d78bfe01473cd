from django.urls import path, register_converter

from byline.pages import views
from byline.pages.converters import PublishedPagePath

register_converter(PublishedPagePath, "page_path")

app_name = "pages"
urlpatterns = [
    # Last in the site's URLs: any address no other part of the site answers, where a
    # page is published (the converter asks the database).
    path("<page_path:path>", views.detail, name="detail"),
]
