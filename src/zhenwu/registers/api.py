"""REST API for registers: `/api/v1/registers/` and each register's records.

A register the caller may not read, and a record outside their scope, answer 404 like one that does not
exist. Personal values are given masked, as `data` stores them; revealing them is the web page's, logged.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import NOT_FOUND
from zhenwu.api_fields import Pages, TextField
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit
from zhenwu.web.idempotency import API_PARAMETER as IDEMPOTENCY_HEADER
from zhenwu.web.idempotency import idempotent

from . import services
from .models import Register, RegisterKind, RegisterRecord

REGISTER_FIELDS = {
    "form_id": serializers.CharField(),
    "title": serializers.CharField(),
    "version": serializers.CharField(allow_null=True, help_text="当前版本"),
    "kind": serializers.ChoiceField(
        choices=RegisterKind.choices, help_text="thing 对象台账，activity 工作记录"
    ),
    "township": serializers.CharField(help_text="所属乡镇/街道的单元编码"),
}


def record_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """Fresh fields for each serializer that names them (a field belongs to one serializer)."""
    return {
        "id": serializers.IntegerField(),
        "unit": serializers.CharField(help_text="所属单元编码"),
        "instance_id": serializers.CharField(),
        "version": serializers.CharField(help_text="填报时所用的台账版本"),
        "data": serializers.DictField(
            help_text="按字段名的值；重复组为各项的列表(每项按字段名)；个人信息字段已脱敏"
        ),
        "entered_at": serializers.DateTimeField(),
        "thing": serializers.UUIDField(allow_null=True, help_text="所登记或所指向对象的编号"),
    }


Record = inline_serializer("RegisterRecord", record_fields())
RecordPage = inline_serializer(
    "PaginatedRegisterRecordList",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": inline_serializer("RegisterRecord", record_fields(), many=True),
    },
)
PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description="每页条数(最多1000)"),
    OpenApiParameter("offset", int, description="跳过的条数"),
]
# A value of a form is a text, a number or a list of choice names; a repeat's value is a list of rows,
# each a dict of such values.
SCALARS = (str, int, float, bool)


def _plain_value(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or isinstance(value, SCALARS)


def _as_given(value: Any) -> Any:
    """A value as create_record takes it: a list of choice names as a tuple, a repeat's rows as dicts."""
    if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
        return [{name: _as_given(item) for name, item in row.items()} for row in value]
    return tuple(value) if isinstance(value, list) else value


class RecordCreateSerializer(serializers.Serializer[Any]):
    data = serializers.DictField(
        help_text='按字段名填写的值，如 {"lamp_no": "0123"}；重复组按组名填写各项的列表，'
        '如 {"outputs": [{"what": "垃圾", "qty": "3.5", "unit": "ton"}]}'
    )
    unit = TextField(max_length=32, required=False, help_text="所属单元编码；默认为填报人的单元")
    instance_id = TextField(
        max_length=64, required=False, help_text="客户端生成的唯一编号，重复提交只保存一次"
    )

    def validate_data(self, data: dict[str, Any]) -> dict[str, Any]:
        errors = {}
        for name, value in data.items():
            rows = isinstance(value, list) and value and all(isinstance(row, dict) for row in value)
            if rows and all(_plain_value(item) for row in value for item in row.values()):
                continue
            if not rows and _plain_value(value):
                continue
            errors[name] = "应为文字、数字、选项名称的列表，或重复组各项(每项按字段名填写)的列表。"
        if errors:
            raise serializers.ValidationError(errors)
        return {name: _as_given(value) for name, value in data.items()}


def register_row(register: Register) -> dict[str, Any]:
    version = register.current_version
    return {
        "form_id": register.form_id,
        "title": register.title,
        "version": version.version if version else None,
        "kind": register.kind,
        "township": register.township.code,
    }


def record_row(record: RegisterRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "unit": record.unit.code,
        "instance_id": record.instance_id,
        "version": record.version.version,
        "data": record.data,
        "entered_at": record.entered_at,
        "thing": record.thing.key if record.thing_id and record.thing else None,
    }


@extend_schema(
    operation_id="registers_list", responses=inline_serializer("Register", REGISTER_FIELDS, many=True)
)
@api_view(["GET"])
def register_list(request: Request) -> Response:
    """The registers the caller may read."""
    registers = services.registers_for(request.user).order_by("township__path", "form_id")
    return Response([register_row(register) for register in registers])


def _register(request: Request, form_id: str) -> Register:
    """The register named `form_id` among those the caller may read; in their own township first."""
    registers = list(services.registers_for(request.user).filter(form_id=form_id).order_by("township__path"))
    if not registers:
        raise Http404(NOT_FOUND)
    root = scope.scope_root(request.user)
    own = [r for r in registers if root is not None and root.is_within(r.township)]
    return (own or registers)[0]


@extend_schema(
    methods=["GET"], operation_id="registers_records_list", parameters=PAGE_PARAMETERS, responses=RecordPage
)
@extend_schema(
    methods=["POST"],
    operation_id="registers_records_create",
    parameters=[IDEMPOTENCY_HEADER],
    request=RecordCreateSerializer,
    responses={201: Record},
)
@api_view(["GET", "POST"])
def record_list(request: Request, form_id: str) -> Response:
    """GET lists the register's records in the caller's scope, newest first; POST enters one."""
    register = _register(request, form_id)
    if request.method == "POST":
        return _create(request, register)
    pages = Pages()
    records = services.records_for(request.user, register).order_by("-entered_at", "-pk")
    page = pages.paginate_queryset(records, request)
    return pages.get_paginated_response([record_row(record) for record in page or []])


@idempotent
def _create(request: Request, register: Register) -> Response:
    incoming = RecordCreateSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    given = incoming.validated_data
    unit = None
    if given.get("unit"):
        unit = scope.visible_units(request.user).filter(code=given["unit"]).first()
        if not isinstance(unit, OrgUnit):
            raise ApiValidationError({"unit": ["单元不存在或不在您的范围内。"]})
    if not services.may_write(request.user, register):
        raise ApiPermissionDenied("无权填报该台账。")
    try:
        record = services.create_record(
            request.user, register, given["data"], unit=unit, instance_id=given.get("instance_id") or None
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"data": error.messages}
        raise ApiValidationError(errors) from None
    return Response(record_row(record), status=status.HTTP_201_CREATED)


@extend_schema(operation_id="registers_records_retrieve", responses=Record)
@api_view(["GET"])
def record_detail(request: Request, form_id: str, pk: int) -> Response:
    register = _register(request, form_id)
    record = services.records_for(request.user, register).filter(pk=pk).first()
    if record is None:
        raise Http404(NOT_FOUND)
    return Response(record_row(record))
