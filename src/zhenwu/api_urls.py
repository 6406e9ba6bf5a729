"""`/api/v1/`: each app adds its routes here, and the OpenAPI schema describes them all."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from zhenwu.cases import api as cases_api
from zhenwu.households import api as households_api
from zhenwu.indicators import api as indicators_api
from zhenwu.notifications import api as notifications_api
from zhenwu.notifications import todo_api
from zhenwu.org import api as org_api
from zhenwu.projects import api as projects_api
from zhenwu.registers import api as registers_api
from zhenwu.web import api as web_api

router = SimpleRouter()
router.register("org-units", org_api.OrgUnitViewSet, basename="org-unit")
router.register("households", households_api.HouseholdViewSet, basename="household")
router.register("monitoring-cases", households_api.MonitoringCaseViewSet, basename="monitoring-case")
router.register("cases", cases_api.CaseViewSet, basename="case")

urlpatterns = [
    path("me/", org_api.me, name="me"),
    path("dashboard", web_api.dashboard, name="dashboard"),
    path("todo", todo_api.todo, name="todo"),
    path("indicators/progress", indicators_api.progress, name="indicator-progress"),
    path("indicators/values", indicators_api.values, name="indicator-values"),
    path("projects", projects_api.project_list, name="project-list"),
    path("notifications", notifications_api.notification_list, name="notification-list"),
    path("notifications/<int:pk>/read", notifications_api.notification_read, name="notification-read"),
    path("registers/", registers_api.register_list, name="register-list"),
    path("registers/<str:form_id>/records/", registers_api.record_list, name="register-record-list"),
    path(
        "registers/<str:form_id>/records/<int:pk>/",
        registers_api.record_detail,
        name="register-record-detail",
    ),
    path("", include(router.urls)),
]
