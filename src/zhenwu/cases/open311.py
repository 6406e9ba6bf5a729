"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON format, under `/open311/v2/`.

A service is a category of a case type marked open to Open311; posting a request needs an API key, which
names the township the new case belongs to. Reading is public, as the standard intends: only the
categories offered here are listed, and no reporter's name or phone leaves the server.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import services, states
from .models import Case, CaseCategory, CaseEvent, Channel

MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _categories() -> Any:
    return CaseCategory.objects.filter(case_type__open311=True).select_related("case_type")


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return JsonResponse(
        {
            "changeset": "2026-01-01T00:00:00+08:00",
            "contact": "乡镇综治中心",
            "key_service": "向乡镇管理员申请 API key",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-01-01T00:00:00+08:00",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def service_list(request: HttpRequest) -> JsonResponse:
    services_json = [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": f"{category.case_type.name}：{category.name}",
            "metadata": False,
            "type": "realtime",
            "keywords": category.case_type.name,
            "group": category.case_type.name,
        }
        for category in _categories()
    ]
    return JsonResponse(services_json, safe=False)


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if services.open311_category(code) is None:
        return _error(404, f"service_code {code} not found")
    return JsonResponse({"service_code": code, "attributes": []})


def _status(case: Case) -> str:
    return "open" if case.is_open else "closed"


def _status_notes(case: Case) -> str:
    if case.state == states.State.MERGED and case.duplicate_of_id:
        return f"{case.state_label}：与 {case.duplicate_of.number if case.duplicate_of else ''} 为同一事件"
    return f"{case.state_label}{'：' + case.resolution if case.resolution else ''}"


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _request_json(case: Case, updated: datetime | None) -> dict[str, Any]:
    return {
        "service_request_id": str(case.pk),
        "status": _status(case),
        "status_notes": _status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": case.handling_unit.name
        + (f" {case.handling_department.name}" if case.handling_department else ""),
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(updated or case.received_at),
        "expected_datetime": _iso(case.deadline),
        "address": case.place or case.org_unit.name,
        "address_id": "",
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": "",
    }


def _public_cases() -> Any:
    return Case.objects.filter(case_type__open311=True).select_related(
        "category", "case_type", "org_unit", "handling_unit", "handling_department", "duplicate_of"
    )


def _with_updates(cases: list[Case]) -> list[dict[str, Any]]:
    """Each case as Open311 shows it, updated_datetime being its latest event (one query for all)."""
    latest = dict(
        CaseEvent.objects.filter(case__in=cases)
        .values("case")
        .annotate(at=Max("at"))
        .values_list("case", "at")
    )
    return [_request_json(case, latest.get(case.pk)) for case in cases]


def _parse_time(raw: str, name: str) -> datetime:
    moment = parse_datetime(raw)
    if moment is None:
        raise ValueError(f"{name} must be a W3C date-time, e.g. 2026-01-31T08:00:00+08:00")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request)
    params = request.GET
    cases = _public_cases()
    if ids := params.get("service_request_id"):
        wanted = [i for i in ids.split(",") if i.strip().isdigit()]
        return JsonResponse(_with_updates(list(cases.filter(pk__in=wanted))), safe=False)
    try:
        end = _parse_time(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
        start = (
            _parse_time(params["start_date"], "start_date")
            if params.get("start_date")
            else end - DEFAULT_WINDOW
        )
    except ValueError as bad:
        return _error(400, str(bad))
    cases = cases.filter(received_at__gte=start, received_at__lte=end)
    if codes := params.get("service_code"):
        cases = cases.filter(category__code__in=codes.split(","))
    if status := params.get("status"):
        wanted_status = set(status.split(","))
        if not wanted_status <= {"open", "closed"}:
            return _error(400, "status must be open, closed or both")
        if wanted_status == {"open"}:
            cases = cases.open()
        elif wanted_status == {"closed"}:
            cases = cases.exclude(state__in=[s.value for s in states.OPEN_STATES])
    return JsonResponse(_with_updates(list(cases.order_by("-received_at")[:MAX_RESULTS])), safe=False)


def _decimal(raw: str | None, name: str) -> Decimal | None:
    if not raw:
        return None
    try:
        return Decimal(raw).quantize(Decimal("0.000001"))
    except InvalidOperation as bad:
        raise ValueError(f"{name} is not a number") from bad


def _post_request(request: HttpRequest) -> HttpResponse:
    data = request.POST
    key = services.open311_client(data.get("api_key", ""))
    if key is None:
        return _error(403, "api_key is missing or invalid")
    category = services.open311_category(data.get("service_code", ""))
    if category is None:
        return _error(404, f"service_code {data.get('service_code', '')} not found")
    try:
        lat, long = _decimal(data.get("lat"), "lat"), _decimal(data.get("long"), "long")
    except ValueError as bad:
        return _error(400, str(bad))
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if (lat is None or long is None) and not address:
        return _error(400, "a location is required: lat and long, address_string or address_id")
    description = data.get("description", "").strip()
    if not description:
        return _error(400, "description is required")
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
    try:
        case = services.create_case(
            None,
            case_type=category.case_type,
            category=category,
            title=description[:30],
            description=description[:4000],
            org_unit=key.township,
            place=address[:120],
            latitude=lat,
            longitude=long,
            channel=Channel.OPEN311,
            reporter_name=name[:32] or (data.get("email", "")[:32]),
            reporter_phone=data.get("phone", "")[:20],
            source=key.name[:40],
        )
    except ValidationError as error:
        return _error(400, "; ".join(error.messages))
    return JsonResponse(
        [{"service_request_id": str(case.pk), "service_notice": "", "account_id": None}], safe=False
    )


@require_GET
def request_detail(request: HttpRequest, pk: str) -> JsonResponse:
    case = _public_cases().filter(pk=int(pk)).first() if pk.isdigit() else None
    if case is None:
        return _error(404, f"service_request_id {pk} not found")
    return JsonResponse(_with_updates([case]), safe=False)
