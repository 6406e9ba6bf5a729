from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("download/", views.download, name="download"),
    path("check/", views.check, name="check"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/<int:pk>/", views.entry_edit, name="entry-edit"),
    path("units/<int:pk>/choose/", views.choose, name="choose"),
    path("units/<int:pk>/entry-request/", views.entry_request, name="entry-request"),
    path("units/<int:pk>/outline/", views.outline, name="outline"),
]
