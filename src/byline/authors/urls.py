from django.urls import path

from byline.authors import views

app_name = "authors"
urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
]
