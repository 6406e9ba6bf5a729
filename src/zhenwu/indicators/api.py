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

from zhenwu.core.numbers import format_fixed, format_plain
from zhenwu.core.periods import Period, PeriodError, parse_period
from zhenwu.core.progress import Status
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit

from . import services


def decimal_text(value: Decimal | None, places: int = 4) -> str | None:
    """Decimals travel as strings written plainly ("2600", never "2.6E+3" or "-0"): JSON numbers
    would lose money's precision."""
    return None if value is None else format_plain(value, places)


def percent_text(percentage: Decimal | None) -> str | None:
    """A percentage at one decimal ("48.6"), as every page shows it."""
    return None if percentage is None else format_fixed(percentage, 1)


ROW_FIELDS = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "unit": serializers.CharField(),
    "direction": serializers.ChoiceField(["higher", "lower"], help_text="越高越好或越低越好"),
    "source": serializers.CharField(
        help_text="数据方式：typed 人工填报；computed 由分子分母计算；"
        "否则为绑定的平台记录来源，如 cases.resolution_rate"
    ),
    "target": serializers.CharField(allow_null=True, help_text="全年目标"),
    "actual": serializers.CharField(allow_null=True, help_text="本期累计(或期末)值，保留指标的小数位数"),
    "completion": serializers.CharField(allow_null=True, help_text="占全年任务的百分比，一位小数"),
    "time_progress": serializers.CharField(allow_null=True, help_text="序时进度百分比，一位小数"),
    "gap_points": serializers.CharField(
        allow_null=True, help_text="较序时进度的百分点 = completion − time_progress(按显示的一位小数相减)"
    ),
    "gap_to_time_progress": serializers.CharField(
        allow_null=True, help_text="实际 − 目标 × 序时进度，与 actual 同单位；正数为超序时"
    ),
    "status": serializers.ChoiceField(
        [s.value for s in Status],
        help_text="ahead 达到序时；behind 落后序时(超过容差)；no_time_progress 无序时可比；not_reported 未报",
    ),
    "tolerance_points": serializers.CharField(help_text="乡镇设定的容差：落后不超过此百分点仍计为达到序时"),
    "missing_units": serializers.ListField(
        child=inline_serializer(
            "MissingUnit", {"code": serializers.CharField(), "name": serializers.CharField()}
        ),
        help_text="合计中缺少的未报村/社区；非空时合计不全",
    ),
    "last_year": serializers.CharField(allow_null=True),
    "yoy": serializers.CharField(allow_null=True, help_text="同比增减百分比；比率指标为百分点差"),
    "warnings": serializers.ListField(child=serializers.CharField()),
}


def progress_row(row: services.ProgressRow) -> dict[str, Any]:
    p, indicator = row.progress, row.indicator
    places = indicator.decimals
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "source": indicator.source or ("computed" if indicator.is_computed_rate else "typed"),
        "target": decimal_text(p.target),
        "actual": decimal_text(p.shown_actual, places),
        "completion": percent_text(p.completion_percent),
        "time_progress": percent_text(p.time_progress_percent),
        "gap_points": percent_text(p.gap_points),
        "gap_to_time_progress": decimal_text(p.gap_amount, places),
        "status": row.status.value,
        "tolerance_points": percent_text(row.tolerance_points),
        "missing_units": [{"code": u.code, "name": u.name} for u in row.missing_units],
        "last_year": decimal_text(p.shown_last_year, places),
        "yoy": percent_text(p.yoy_percent),
        "warnings": [w.message for w in row.warnings],
    }


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
