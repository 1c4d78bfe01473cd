from django.urls import path

from byline.comments import views

app_name = "comments"
urlpatterns = [
    path("post/", views.comment_post, name="post"),
    path("<int:pk>/report/", views.comment_report_view, name="report"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
