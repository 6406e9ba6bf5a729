from django.urls import path

from . import pwa, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("check/", views.number_check, name="number-check"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/", views.setup_view, name="setup"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("offline/pages.json", pwa.offline_pages, name="offline-pages"),
    path("outbox/", pwa.outbox, name="outbox"),
]
