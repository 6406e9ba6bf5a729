"""`GET /api/v1/indicators/progress?org=<code>&period=<YYYY-MM>`: every indicator's progress for a unit.
`POST /api/v1/indicators/values`: a month's values for a unit, by the rules of the entry form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import INVALID, error_response
from zhenwu.api_fields import TextField
from zhenwu.core.numbers import NumberInputError, float_text, format_fixed, format_plain, parse_entered_number
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


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}], "example": "4.9"})
class FigureField(serializers.Field[str, Any, Any, Any]):
    """A figure as typed ("4.9", "1,908.5", "3.2万"), kept as text until its indicator is known; a
    JSON number is taken through its text, so that no float reaches a Decimal."""

    default_error_messages = {"invalid": '应填写数字，建议写作文本，如 "4.9"。'}

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return float_text(data) if isinstance(data, float) else str(data)

    def to_representation(self, value: Any) -> Any:
        return value


class ValueItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=32, help_text="指标编码")
    value = FigureField(help_text="本月数值，按指标的计量单位；累计类指标为1月至本月的累计数")
    note = TextField(max_length=200, required=False, default="", allow_blank=True)


class ValuesRequestSerializer(serializers.Serializer[Any]):
    org = serializers.CharField(max_length=32, help_text="乡镇或村的编码")
    period = serializers.CharField(max_length=16, help_text="YYYY-MM，须为已经结束的月份")
    values = ValueItemSerializer(many=True, max_length=2000)
    confirm = serializers.BooleanField(default=False, help_text="已向填报人展示过 409 答复中的提醒，确认保存")


MESSAGES = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text="按项目列出的中文说明，键如 values[2].value、values[2].code、period",
)


@extend_schema(
    request=ValuesRequestSerializer,
    responses={
        200: inline_serializer(
            "IndicatorValuesSaved",
            {
                "org": serializers.CharField(),
                "period": serializers.CharField(),
                "new": serializers.IntegerField(),
                "changed": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
            },
        ),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="有错误，未保存任何数值；errors 的键为出错的项目"
        ),
        404: OpenApiResponse(description="单元不存在或不在调用者的范围内"),
        409: inline_serializer(
            "IndicatorValuesToConfirm",
            {"detail": serializers.CharField(), "errors": MESSAGES, "warnings": MESSAGES},
        ),
    },
    description=(
        "一次提交一个单元一个月的指标数值，全部保存或全部不保存。与上月、去年同期或序时目标相差十倍以上的"
        '数值答复 409 并列出提醒，不保存；向填报人展示后以 "confirm": true 重新提交即保存。'
        "权限与网页填报相同。"
    ),
)
@api_view(["POST"])
@parser_classes([JSONParser])
def values(request: Request) -> Response:
    """Enter a month's values for a unit, all or none, checked as the entry form checks them."""
    incoming = ValuesRequestSerializer(data=request.data)
    if not incoming.is_valid():
        return error_response(status.HTTP_400_BAD_REQUEST, INVALID, _flat(incoming.errors))
    data = incoming.validated_data
    unit = _entry_unit(request.user, data["org"])
    try:
        period = parse_period(data["period"])
    except PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from error
    entries, errors = _entries(request.user, unit, data["values"])
    if errors:
        check = services.check_entries(request.user, period, entries)  # every error at once
    else:
        check = services.save_entries(request.user, period, entries, confirmed=data["confirm"])
    for entry, message in check.errors:
        errors.setdefault(f"{entry.where}.value" if entry else "period", []).append(message)
    if errors:
        return error_response(status.HTTP_400_BAD_REQUEST, INVALID, errors)
    if not check.saved:
        return error_response(status.HTTP_409_CONFLICT, **_to_confirm(check))
    counts = {"new": len(check.new), "changed": len(check.changed), "unchanged": len(check.unchanged)}
    return Response({"org": unit.code, "period": period.key, **counts})


def _entry_unit(user: Any, code: str) -> OrgUnit:
    unit = scope.visible_units(user).filter(code=code).first()
    if unit is None:
        raise NotFound("记录不存在或无权查看。")
    if unit.kind == OrgKind.COUNTY:
        raise ValidationError({"org": ["县级单元不填报指标，请指定乡镇/街道或村/社区的编码。"]})
    return unit


def _entries(
    user: Any, unit: OrgUnit, items: list[dict[str, Any]]
) -> tuple[list[services.Entry], dict[str, list[str]]]:
    """The items as entries, read against their indicators; an indicator the caller may not see
    answers like one that does not exist."""
    catalog = {i.code: i for i in services.indicators_for(user, unit)}
    entries, errors = [], {}
    for index, item in enumerate(items):
        where, indicator = f"values[{index}]", catalog.get(item["code"])
        if indicator is None:
            errors[f"{where}.code"] = [f"未知的指标编码“{item['code']}”。"]
            continue
        try:
            value = parse_entered_number(
                item["value"], indicator.name, places=indicator.decimals, unit=indicator.unit
            )
        except NumberInputError as error:
            errors[f"{where}.value"] = [str(error)]
            continue
        if value is None:
            errors[f"{where}.value"] = [f"“{indicator.name}”没有填写数值。"]
            continue
        entries.append(services.Entry(indicator, unit, value, item["note"].strip(), where))
    return entries, errors


def _to_confirm(check: services.EntryCheck) -> dict[str, Any]:
    warnings: dict[str, list[str]] = {}
    for entry, message in check.implausible:
        warnings.setdefault(f"{entry.where}.value", []).append(message)
    detail = (
        f"有{len(warnings)}项数值与上月、去年同期或序时目标相差十倍以上，未保存。"
        '请向填报人核对单位和数值，确认无误后加上 "confirm": true 重新提交。'
    )
    return {"detail": detail, "warnings": warnings}


def _flat(detail: Any, name: str = "") -> dict[str, list[str]]:
    """DRF's nested errors keyed by the item they concern: {"values[2].note": [...]}."""
    if isinstance(detail, list) and any(isinstance(d, dict | list) for d in detail):
        detail = dict(enumerate(detail))
    if not isinstance(detail, dict):
        return {name or "detail": [str(d) for d in detail] if isinstance(detail, list) else [str(detail)]}
    flat: dict[str, list[str]] = {}
    for key, inner in detail.items():
        if isinstance(key, int):  # an item of a list, which DRF keys by its index
            inner_name = f"{name}[{key}]"
        else:
            inner_name = name if key == "non_field_errors" else f"{name}.{key}" if name else key
        flat.update(_flat(inner, inner_name))
    return flat
