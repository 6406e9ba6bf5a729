from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [
    path("", views.register_list, name="register-list"),
    path("load/", views.load, name="load"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/reveal/", views.record_reveal, name="record-reveal"),
    path("things/<int:pk>/", views.thing_detail, name="thing-detail"),
    path("<str:form_id>/map/", views.record_map, name="record-map"),
    path("<str:form_id>/", views.record_list, name="record-list"),
]
