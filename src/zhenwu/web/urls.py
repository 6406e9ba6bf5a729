from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("check/", views.number_check, name="number-check"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/", views.setup_view, name="setup"),
]
