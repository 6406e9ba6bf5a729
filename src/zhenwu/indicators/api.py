"""`GET /api/v1/indicators/progress?org=<code>&period=<YYYY-MM>`: every indicator's progress for a unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.core.periods import Period, PeriodError, parse_period
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit

from . import services

PLACES = Decimal("0.0001")


def decimal_text(value: Decimal | None) -> str | None:
    """Decimals travel as strings, always: JSON numbers would lose money's precision."""
    return None if value is None else str(value.quantize(PLACES).normalize())


def share_text(share: Decimal | None) -> str | None:
    """A share (0.486) as a percentage with one decimal ("48.6")."""
    return None if share is None else str((share * 100).quantize(Decimal("0.1")))


ROW_FIELDS = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "unit": serializers.CharField(),
    "target": serializers.CharField(allow_null=True, help_text="全年目标"),
    "actual": serializers.CharField(allow_null=True, help_text="本期累计(或期末)值"),
    "completion": serializers.CharField(allow_null=True, help_text="占全年任务的百分比"),
    "time_progress": serializers.CharField(allow_null=True, help_text="序时进度百分比"),
    "gap_to_time_progress": serializers.CharField(
        allow_null=True, help_text="实际 − 目标 × 序时进度，与 actual 同单位；正数为超序时"
    ),
    "last_year": serializers.CharField(allow_null=True),
    "yoy": serializers.CharField(allow_null=True, help_text="同比增减百分比；比率指标为百分点差"),
    "warnings": serializers.ListField(child=serializers.CharField()),
}


def progress_row(row: services.ProgressRow) -> dict[str, Any]:
    p = row.progress
    return {
        "code": row.indicator.code,
        "name": row.indicator.name,
        "unit": row.indicator.unit,
        "target": decimal_text(p.target),
        "actual": decimal_text(p.actual),
        "completion": share_text(p.completion),
        "time_progress": share_text(p.time_progress),
        "gap_to_time_progress": decimal_text(p.gap_amount),
        "last_year": decimal_text(p.last_year),
        "yoy": decimal_text(p.yoy.quantize(Decimal("0.1"))) if row.indicator.is_rate and p.yoy is not None
        else share_text(p.yoy),
        "warnings": [w.message for w in row.warnings],
    }  # fmt: skip


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="乡镇或村的编码；默认为调用者所属单元"),
        OpenApiParameter("period", str, description="YYYY-MM；默认为有数据的最近月份"),
    ],
    responses=inline_serializer(
        "IndicatorProgress",
        {
            "org": serializers.CharField(),
            "period": serializers.CharField(),
            "rows": inline_serializer("IndicatorProgressRow", ROW_FIELDS, many=True),
        },
    ),
)
@api_view(["GET"])
def progress(request: Request) -> Response:
    """Progress against the annual target of every indicator a unit reports."""
    unit = _unit(request)
    period = _period(request, unit)
    rows = services.progress_for_unit(request.user, unit, period)
    return Response({"org": unit.code, "period": period.key, "rows": [progress_row(r) for r in rows]})


def _unit(request: Request) -> OrgUnit:
    code = request.query_params.get("org")
    if code:
        unit = scope.visible_units(request.user).filter(code=code).first()
        if unit is None:
            raise NotFound("记录不存在或无权查看。")
    else:
        unit = scope.scope_root(request.user)
        if unit is None:
            raise NotFound("记录不存在或无权查看。")
    if unit.kind == OrgKind.COUNTY:
        raise ValidationError({"org": "县级单元没有统一的指标目录，请指定乡镇/街道或村/社区的编码。"})
    return unit


def _period(request: Request, unit: OrgUnit) -> Period:
    raw = request.query_params.get("period")
    if raw:
        try:
            return parse_period(raw)
        except PeriodError as error:
            raise ValidationError({"period": str(error)}) from error
    return services.latest_period(request.user, unit) or Period.latest_complete(timezone.localdate())
