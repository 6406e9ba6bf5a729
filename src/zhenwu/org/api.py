"""REST API for the org tree: `/api/v1/org-units/` and `/api/v1/me/`, scoped like every page."""

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from . import scope
from .models import OrgKind, OrgUnit, User


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "depth"]


class MeSerializer(serializers.ModelSerializer[User]):
    org_unit = OrgUnitSerializer(read_only=True)
    department = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "org_unit", "department"]


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=OrgKind.values, description="只列出该层级的单元"),
        OpenApiParameter("parent", str, description="只列出该编码单元的直接下级"),
        OpenApiParameter("q", str, description="名称包含或编码以此开头"),
    ]
)
class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet[OrgUnit]):
    """Org units in the caller's scope; a unit outside it answers 404 like one that does not exist."""

    serializer_class = OrgUnitSerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        units = scope.visible_units(self.request.user).select_related("parent")
        if kind := self.request.query_params.get("kind"):
            units = units.filter(kind=kind)
        if parent := self.request.query_params.get("parent"):
            units = units.filter(parent__code=parent)
        if q := self.request.query_params.get("q", "").strip():
            units = units.filter(Q(name__contains=q) | Q(code__startswith=q))
        return units


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The caller's account, role and unit."""
    return Response(MeSerializer(request.user).data)
