from django.urls import re_path

from byline.pages import views

app_name = "pages"
urlpatterns = [
    # Last in the site's URLs: any address no other part of the site answers.
    re_path(r"^(?P<path>.+/)$", views.detail, name="detail"),
]
