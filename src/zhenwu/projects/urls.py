from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.project_create, name="project-create"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/stage/", views.project_stage, name="project-stage"),
    path("<int:pk>/investment/", views.project_investment, name="project-investment"),
    path("<int:pk>/schedule/", views.project_schedule, name="project-schedule"),
    path("<int:pk>/progress/", views.project_note, name="project-progress"),
    path("<int:pk>/problems/", views.project_problem, name="project-problem"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("leads/", views.lead_list, name="lead-list"),
    path("leads/new/", views.lead_create, name="lead-create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/land/", views.lead_land, name="lead-land"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("review/", views.review, name="review"),
    path("investment/template/", views.investment_template, name="investment-template"),
    path("investment/upload/", views.investment_upload, name="investment-upload"),
]
