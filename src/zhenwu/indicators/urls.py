from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("entry/", views.entry, name="entry"),
    path("targets/", views.targets, name="targets"),
    path("excel/template/", views.template_download, name="template"),
    path("excel/upload/", views.upload, name="upload"),
    path("excel/progress/", views.export_progress, name="export"),
    path("workbook/", views.workbook_import, name="workbook-import"),
    path("workbook/template/", views.workbook_template, name="workbook-template"),
    path("violations/<int:pk>/", views.violation_detail, name="violation-detail"),
    path("library/", views.library_view, name="library"),
]
