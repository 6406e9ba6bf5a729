from django.urls import path

from . import open311

app_name = "open311"
urlpatterns = [
    path("discovery.json", open311.discovery, name="discovery"),
    path("services.json", open311.service_list, name="service-list"),
    path("services/<str:code>.json", open311.service_definition, name="service-definition"),
    path("requests.json", open311.requests_view, name="request-list"),
    path("requests/<str:pk>.json", open311.request_detail, name="request-detail"),
]
