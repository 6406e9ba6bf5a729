"""REST API for households and monitoring: scoped like every page, identity numbers and phones masked.

The API never returns a full identity number or phone, whoever asks: a full view is a deliberate,
logged action on the household's page, not something a client can page through.
"""

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import services
from .models import Household, Member, MonitoringCase


class MemberSerializer(serializers.ModelSerializer[Member]):
    id_number = serializers.CharField(source="id_number_masked", read_only=True, help_text="脱敏身份证号")
    phone = serializers.CharField(source="phone_masked", read_only=True, help_text="脱敏电话")
    age = serializers.IntegerField(read_only=True, help_text="周岁")

    class Meta:
        model = Member
        # The age, not the birth date: with the masked number, the birth date gives the whole number back.
        fields = ["id", "name", "relation", "gender", "age", "id_number", "phone", "disabled", "tags"]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "org_unit",
            "address",
            "lifted_out",
            "left_behind_elderly",
            "left_behind_children",
            "members",
        ]


class MonitoringCaseSerializer(serializers.ModelSerializer[MonitoringCase]):
    household = serializers.SlugRelatedField(slug_field="number", read_only=True)
    org_unit = serializers.SlugRelatedField(source="household.org_unit", slug_field="code", read_only=True)
    risk_causes = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringCase
        fields = [
            "id",
            "household",
            "org_unit",
            "category",
            "identified_on",
            "risk_causes",
            "measures",
            "state",
            "eliminated_on",
        ]

    def get_risk_causes(self, case: MonitoringCase) -> list[str]:
        return [code for code in case.risk_causes.split(",") if code]


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="只列出该编码单元(含下级)的农户"),
        OpenApiParameter("q", str, description="户编号开头或成员姓名(不接受身份证号)"),
    ]
)
class HouseholdViewSet(viewsets.ReadOnlyModelViewSet[Household]):
    """Households in the caller's scope with their members, identity numbers and phones masked."""

    serializer_class = HouseholdSerializer

    def get_queryset(self) -> Any:
        q = self.request.query_params.get("q", "")
        if services.index_of(q) is not None:
            # A number in a query string lands in access logs: the API does not search by it.
            raise ValidationError({"q": "接口不支持按身份证号查找：号码会出现在访问日志中。"})
        households = services.search_households(self.request.user, q)
        if code := self.request.query_params.get("unit"):
            unit = OrgUnit.objects.filter(code=code).first()
            households = (
                households.filter(org_unit__path__startswith=unit.path) if unit else households.none()
            )
        present = Prefetch("members", queryset=Member.objects.present())
        return households.select_related("org_unit").prefetch_related(present).order_by("number")


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="monitored / proposed / eliminated"),
        OpenApiParameter("household", str, description="只列出该户编号的监测记录"),
    ]
)
class MonitoringCaseViewSet(viewsets.ReadOnlyModelViewSet[MonitoringCase]):
    """Monitoring cases (防返贫监测对象) in the caller's scope."""

    serializer_class = MonitoringCaseSerializer

    def get_queryset(self) -> Any:
        cases = scope.scoped(self.request.user, MonitoringCase.objects.select_related("household__org_unit"))
        if state := self.request.query_params.get("state"):
            cases = cases.filter(state=state)
        if number := self.request.query_params.get("household"):
            cases = cases.filter(household__number=number)
        return cases.order_by("-identified_on", "-pk")
