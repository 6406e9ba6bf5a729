"""`GET /api/v1/projects?stage=&org=&category=`: projects with their computed figures."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.core.periods import Period
from zhenwu.org import scope

from . import services
from .models import Category, Project, Stage

PROJECT_FIELDS = {
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "category": serializers.ChoiceField(choices=Category.choices),
    "stage": serializers.ChoiceField(choices=Stage.choices),
    "levels": serializers.ListField(child=serializers.CharField(), help_text="省/市/县重点"),
    "org": serializers.CharField(),
    "department": serializers.CharField(),
    "leader": serializers.CharField(),
    "total_investment": serializers.CharField(help_text="元"),
    "planned_investment": serializers.CharField(help_text="本年度计划投资，元"),
    "completed_investment": serializers.CharField(allow_null=True, help_text="本年累计完成投资，元"),
    "investment_completion": serializers.CharField(allow_null=True, help_text="完成年度计划的百分比"),
    "overdue_milestones": serializers.ListField(child=serializers.CharField()),
}


def project_row(project: Project, period: Period, today: Any) -> dict[str, Any]:
    money = services.investment_progress(project, period)
    completion = money.completion
    return {
        "id": project.pk,
        "name": project.name,
        "category": project.category,
        "stage": project.stage,
        "levels": project.level_labels,
        "org": project.org_unit.code,
        "department": project.department.name,
        "leader": project.leader,
        "total_investment": str(project.total_investment),
        "planned_investment": str(project.planned_investment),
        "completed_investment": None if money.completed is None else str(money.completed),
        "investment_completion": None if completion is None else f"{completion * 100:.1f}",
        "overdue_milestones": [m.name for m in services.overdue_milestones([project], today)],
    }


@extend_schema(
    parameters=[
        OpenApiParameter("stage", str, enum=[s.value for s in Stage]),
        OpenApiParameter("category", str, enum=[c.value for c in Category]),
        OpenApiParameter("org", str, description="只列出该单元及其下级的项目"),
    ],
    responses=inline_serializer("Project", PROJECT_FIELDS, many=True),
)
@api_view(["GET"])
def project_list(request: Request) -> Response:
    """Key projects in the caller's scope, with investment completion and overdue milestones."""
    projects = services.projects_for(request.user)
    params = request.query_params
    if stage := params.get("stage"):
        projects = projects.filter(stage=stage)
    if category := params.get("category"):
        projects = projects.filter(category=category)
    if org := params.get("org"):
        unit = scope.visible_units(request.user).filter(code=org).first()
        if unit is None:
            raise NotFound("记录不存在或无权查看。")
        projects = projects.filter(org_unit__path__startswith=unit.path)
    today = timezone.localdate()
    period = Period.latest_complete(today) if today.month > 1 else Period(today.year, 1)
    rows = services.with_details(projects.order_by("name"))
    return Response([project_row(p, period, today) for p in rows])
