"""`/api/v1/`: each app adds its routes here, and the OpenAPI schema describes them all."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from zhenwu.cases import api as cases_api
from zhenwu.org import api as org_api

router = SimpleRouter()
router.register("org-units", org_api.OrgUnitViewSet, basename="org-unit")
router.register("cases", cases_api.CaseViewSet, basename="case")

urlpatterns = [
    path("me/", org_api.me, name="me"),
    path("", include(router.urls)),
]
