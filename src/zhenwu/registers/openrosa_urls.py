"""`/openrosa/`: the server URL a grid worker gives ODK Collect (see openrosa_views)."""

from django.urls import path

from . import openrosa_views

app_name = "openrosa"
urlpatterns = [
    path("formList", openrosa_views.form_list, name="form-list"),
    path("forms/<int:pk>/form.xml", openrosa_views.form_xml, name="form-xml"),
    path("submission", openrosa_views.submission, name="submission"),
]
