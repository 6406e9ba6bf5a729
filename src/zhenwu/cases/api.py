"""REST API for cases: `/api/v1/cases/` (list with filters, detail, create) and its transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import error_response
from zhenwu.api_fields import SlugField, TextField
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgUnit, User
from zhenwu.web.idempotency import API_PARAMETER as IDEMPOTENCY_HEADER
from zhenwu.web.idempotency import idempotent

from . import services, states
from .models import Case, CaseCategory, CaseEvent, CaseType, Channel, State


# Answers only, with their fields written out: a ModelSerializer works its fields out from the model
# on every use, which was a fifth of a REST intake's time.
class CaseEventSerializer(serializers.Serializer[CaseEvent]):
    action = serializers.CharField(read_only=True)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)
    details = serializers.JSONField(read_only=True)


def _code(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _moment() -> serializers.DateTimeField:
    return serializers.DateTimeField(read_only=True, allow_null=True)


class CaseSerializer(serializers.Serializer[Case]):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    case_type = _code()
    category = _code()
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    org_unit = _code()
    place = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True)
    handling_unit = _code()
    handling_department = serializers.SlugRelatedField(slug_field="name", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state = serializers.ChoiceField(choices=Case._meta.get_field("state").choices, read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    external_number = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    acceptance_deadline = _moment()
    deadline = _moment()
    extended = serializers.BooleanField(read_only=True)
    resolved_at = _moment()
    verified_at = _moment()
    resolution = serializers.CharField(read_only=True)
    duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    def get_overdue(self, case: Case) -> bool:
        return case.is_overdue()


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)


class CatalogField(serializers.SlugRelatedField[Any]):
    """A case type or category by its code, found in the remembered catalog rather than by a query."""

    def __init__(self, find: Any, **kwargs: Any) -> None:
        self.find = find
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        found = self.find(str(data))
        if found is None:
            self.fail("does_not_exist", slug_name="code", value=data)
        return found


class PlaceField(SlugField):
    """A unit by its code; the reporter's own unit, the usual answer, is in hand without a query."""

    def to_internal_value(self, data: Any) -> OrgUnit:
        own = getattr(self.context.get("user"), "org_unit", None)
        if own is not None and own.code == str(data):
            return own  # type: ignore[no-any-return]
        return super().to_internal_value(data)


class CaseCreateSerializer(serializers.Serializer[Any]):
    case_type = CatalogField(services.case_type_by_code, queryset=CaseType.objects.all())
    category = CatalogField(services.category_by_code, queryset=CaseCategory.objects.all())
    title = TextField(max_length=80)
    description = TextField(multiline=True)
    org_unit = PlaceField(slug_field="code", queryset=OrgUnit.objects.all())
    place = TextField(max_length=120, required=False, default="")
    level = serializers.IntegerField(min_value=1, max_value=3, required=False, allow_null=True, default=None)
    deadline_days = serializers.IntegerField(
        min_value=1, max_value=365, required=False, allow_null=True, default=None
    )
    reporter_name = TextField(max_length=32, required=False, default="")
    reporter_phone = TextField(max_length=20, required=False, default="")
    external_number = TextField(max_length=40, required=False, default="")
    source = TextField(max_length=40, required=False, default="")
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="JPEG/PNG/HEIC，multipart 上传，每张不超过 5 MB；HEIC 照片转为 JPEG 保存",
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "与本人或同一单元30分钟内上报的事件内容、地点高度相似时答复 409(duplicate_of 为其编号)，不保存；"
            "向上报人展示后以 true 重新提交即保存，事件的首条记录注明曾提示可能重复。"
        ),
    )
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "补录：事件实际收到的时间(ISO 8601，如 2026-03-10T09:00:00+08:00)，仅工作人员可填；不能晚于现在，"
            "不能早于2000年。留空表示现在收到。填写后，事件记录中标明“补录”及录入人和录入时间，"
            "办理期限从收到时间起算。Open311 接口不接受此字段。"
        ),
    )

    def validate_received_at(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            services.check_backfill(value, timezone.now())
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict["received_at"]) from None
        return value


STATE_FILTERS = ["open", *(s.value for s in State)]


class CaseQuerySerializer(serializers.Serializer[Any]):
    """The list's filters, read as the schema states them: a date that does not exist is a 400."""

    case_type = serializers.CharField(required=False, max_length=32)
    state = serializers.ChoiceField(choices=STATE_FILTERS, required=False)
    unit = serializers.CharField(required=False, max_length=32)
    overdue = serializers.BooleanField(required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate_case_type(self, code: str) -> str:
        if services.case_type_by_code(code) is None:
            raise serializers.ValidationError(f"未知的事件类型编码“{code}”。")
        return code

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["结束日期不能早于开始日期。"]})
        return attrs


class TransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=sorted(states.TRANSITIONS))
    version = serializers.IntegerField(help_text="调用方看到的版本号；已被他人处理时返回 409")
    note = TextField(multiline=True, required=False, default="", allow_blank=True)
    unit = SlugField(slug_field="code", queryset=OrgUnit.objects.all(), required=False, default=None)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, default=None
    )
    assignee = SlugField(slug_field="username", queryset=User.objects.all(), required=False, default=None)
    duplicate_of = serializers.IntegerField(required=False, default=None, allow_null=True)


class AllowedSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    allowed = serializers.ListField(child=serializers.DictField())


def _raise(error: ValidationError) -> None:
    raise ApiValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    )


@extend_schema(
    parameters=[
        OpenApiParameter("case_type", str, description="类型编码，如 grid_event"),
        OpenApiParameter("state", str, enum=STATE_FILTERS, description="状态，或 open 表示全部未办结"),
        OpenApiParameter("unit", str, description="发生地单元编码(含下级)"),
        OpenApiParameter("overdue", bool, description="只列出已超期的"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="收到日期起(YYYY-MM-DD)"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="收到日期止(YYYY-MM-DD)"),
    ]
)
class CaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Case]
):
    """Cases in the caller's scope; out of scope answers 404 like a missing case."""

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "retrieve":
            return CaseDetailSerializer
        if self.action == "transition":
            return TransitionSerializer
        return CaseSerializer

    def get_queryset(self) -> Any:
        user = self.request.user
        cases = services.cases_for(user)
        if self.action == "retrieve":
            return cases.prefetch_related("events")
        if self.action != "list":
            return cases
        query = CaseQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        unit = scope.visible_units(user).filter(code=params["unit"]).first() if params.get("unit") else None
        if params.get("unit") and unit is None:
            return cases.none()
        return services.filter_cases(
            cases,
            services.CaseFilter(
                case_type=services.case_type_by_code(params["case_type"])
                if params.get("case_type")
                else None,
                state=params.get("state", ""),
                unit=unit,
                overdue=params.get("overdue", False),
                start=params.get("start"),
                end=params.get("end"),
            ),
        )

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer,
            409: inline_serializer(
                "PossibleDuplicateCase",
                {
                    "detail": serializers.CharField(),
                    "errors": serializers.DictField(),
                    "duplicate_of": serializers.CharField(help_text="可能重复的事件编号，如 WG0005484"),
                    "duplicate_of_id": serializers.IntegerField(),
                },
            ),
        },
        description=(
            "上报事件。与本人或同一单元30分钟内上报的事件内容、地点高度相似时答复 409，"
            '向上报人展示后以 "confirm_duplicate": true 重新提交即保存。'
        ),
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = CaseCreateSerializer(data=request.data, context={"user": request.user})
        incoming.is_valid(raise_exception=True)
        if not scope.unit_in_scope(request.user, incoming.validated_data["org_unit"]):
            raise ApiValidationError({"org_unit": ["单元不存在或不在您的范围内。"]})
        try:
            data = incoming.validated_data
            backfilled = data["received_at"] is not None
            reported = services.report_case(
                request.user,  # type: ignore[arg-type]
                channel=Channel.API,
                backfilled=backfilled,
                **data,
            )
        except services.PossibleDuplicate as seen:
            return error_response(
                status.HTTP_409_CONFLICT,
                f"{seen}，请确认后以 confirm_duplicate 为 true 重新提交。",
                {"confirm_duplicate": [f"{seen}。"]},
                duplicate_of=seen.case.number,
                duplicate_of_id=seen.case.pk,
            )
        except ValidationError as error:
            _raise(error)
        # What a read of the case gives, from the case and its one event in hand (no read-back).
        answer = CaseSerializer(reported.case).data
        answer["events"] = CaseEventSerializer([reported.event], many=True).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses=AllowedSerializer, description="当前用户可对该事件执行的操作"
    )
    @extend_schema(
        methods=["POST"],
        parameters=[IDEMPOTENCY_HEADER],
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    @idempotent
    def transition(self, request: Request, pk: str) -> Response:
        case = services.get_case(request.user, pk)
        if request.method == "GET":
            allowed = services.allowed_transitions(request.user, case)
            data = [{"action": t.action, "label": t.label, "needs_note": t.needs_note} for t in allowed]
            return Response({"version": case.version, "allowed": data})
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        duplicate = None
        if data["duplicate_of"] is not None:
            duplicate = services.cases_for(request.user).filter(pk=data["duplicate_of"]).first()
        try:
            services.transition(
                request.user,  # type: ignore[arg-type]
                case.pk,
                data["action"],
                data["version"],
                services.TransitionInput(
                    note=data["note"],
                    unit=data["unit"],
                    department=data["department"],
                    assignee=data["assignee"],
                    duplicate_of=duplicate,
                ),
            )
        except services.StaleCase as stale:
            return error_response(status.HTTP_409_CONFLICT, str(stale))
        except states.IllegalTransition as refusal:
            return error_response(status.HTTP_400_BAD_REQUEST, str(refusal))
        except ValidationError as error:
            _raise(error)
        fresh = services.cases_for(request.user).prefetch_related("events").get(pk=case.pk)
        return Response(CaseDetailSerializer(fresh).data)
