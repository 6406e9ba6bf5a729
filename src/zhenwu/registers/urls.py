from django.urls import path

from . import device_views, views

app_name = "registers"
urlpatterns = [
    path("", views.register_list, name="register-list"),
    path("load/", views.load, name="load"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/reveal/", views.record_reveal, name="record-reveal"),
    path("records/<int:pk>/photos/<str:field>/", views.record_photo, name="record-photo"),
    path("things/<int:pk>/", views.thing_detail, name="thing-detail"),
    path("device/", device_views.device, name="device"),
    path("device/revoke/", device_views.device_revoke, name="device-revoke"),
    path("<str:form_id>/new/", views.record_create, name="record-create"),
    path("<str:form_id>/template.xlsx", views.record_template, name="record-template"),
    path("<str:form_id>/import/", views.record_import, name="record-import"),
    path("<str:form_id>/export.xlsx", views.record_export, name="record-export"),
    path("<str:form_id>/map/", views.record_map, name="record-map"),
    path("<str:form_id>/things.json", views.thing_search, name="thing-search"),
    # Last: any other first segment is a register's form_id.
    path("<str:form_id>/", views.record_list, name="record-list"),
]
