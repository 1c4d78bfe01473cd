from django.urls import path

from byline.security import twofactor, views

app_name = "security"
urlpatterns = [
    path("csp-report/", views.csp_report, name="csp-report"),
    path("admin/two-factor/", twofactor.setup, name="two-factor"),
]
