from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("import/", views.import_org, name="import-org"),
    path("import/template/", views.org_template, name="import-org-template"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/<int:pk>/", views.account_detail, name="account-detail"),
    path("accounts/import/", views.import_accounts, name="import-accounts"),
    path("accounts/import/template/", views.accounts_template, name="import-accounts-template"),
    path("accounts/import/links/", views.account_links, name="account-links"),
    path("first-login/<str:token>/", views.first_login, name="first-login"),
]
