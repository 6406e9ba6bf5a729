from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("list/", views.household_list, name="household-list"),
    path("new/", views.household_add, name="household-add"),
    path("<int:pk>/members/new/", views.member_add, name="member-add"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/monitoring/new/", views.monitoring_identify, name="monitoring-identify"),
    path("<int:pk>/benefits/new/", views.benefit_grant, name="benefit-grant"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/move/", views.household_move, name="household-move"),
    path("<int:pk>/close/", views.household_close, name="household-close"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("members/<int:pk>/move/", views.member_move, name="member-move"),
    path("members/<int:pk>/close/", views.member_close, name="member-close"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
    path("monitoring/", views.monitoring_list, name="monitoring-list"),
    path("monitoring/<int:pk>/", views.monitoring_detail, name="monitoring-detail"),
    path("subsidies/", views.batch_list, name="batch-list"),
    path("subsidies/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("subsidies/<int:pk>/export.xlsx", views.export_batch, name="batch-export"),
    path("import/register/", views.import_register, name="import-register"),
    path("import/subsidies/", views.import_roll, name="import-roll"),
    path("import/monitoring/", views.import_monitoring, name="import-monitoring"),
    path("import/benefits/", views.import_benefits, name="import-benefits"),
    path("import/templates/<str:kind>.xlsx", views.import_template, name="import-template"),
    path("export/<str:code>.xlsx", views.export_register, name="export-register"),
    path("access-log/", views.access_log, name="access-list"),
]
