from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("report/", views.report, name="report"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice-docx"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("visits/", views.visit_list, name="visit-list"),
    path("bulletin/<str:code>/", views.bulletin, name="bulletin"),
    path("ranking/<str:code>/", views.ranking, name="ranking"),
    path("import/", views.ledger_import, name="ledger-import"),
    path("import/templates/<str:code>.xlsx", views.ledger_template, name="ledger-template"),
]
