"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under `/open311/v2/`: the public feed, and
intake for outside clients.

Every resource answers in XML (the standard's required format) and JSON, chosen by its suffix, from one
document (cases.georeport), so the two cannot differ; errors come in the standard's `errors` format with
the HTTP status, never as an HTML page. A service is a category of a case type offered to Open311.

Reading needs no key, as the standard intends, and shows only what the public may see: cases of such a
type that came in through Open311 or that staff marked public (services.public_cases), with personal
data cut from every text shown (cases.redaction) and the position given to about 100 m. The reporter's
name, phone and e-mail are never shown. Posting needs an API key, which names the township the new case
belongs to. docs/cases.md says what zhenwu does where the standard leaves a choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from zhenwu.org.models import OrgUnit

from . import georeport, services, states
from .georeport import Document, Many, Refusal
from .models import Case, CaseCategory, CaseType, Channel
from .redaction import redact

CONTACT = "请联系事件所在乡镇的综治中心。"
KEY_SERVICE = "API key 由乡镇管理员在管理后台“Open311 接口密钥”中发放，一个 key 对应一个乡镇。"
# When nothing in the catalog has been logged as changed yet (a fresh installation).
FIRST_CHANGESET = datetime(2026, 1, 1, tzinfo=timezone.get_fixed_timezone(8 * 60))
# The public sees where a case is to three decimal places of a degree (about 100 m): the stretch of road,
# not the household's door.
PUBLIC_PLACES = Decimal("0.001")
NO_DESCRIPTION = "（未填写描述）"

View = Callable[..., HttpResponse]


def _respond(fmt: str, document: Document, status: int = 200) -> HttpResponse:
    return HttpResponse(document.render(fmt), status=status, content_type=georeport.CONTENT_TYPES[fmt])


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 view: the methods it answers (others get 405 in the standard's format), and every
    Refusal raised inside it answered in the standard's format, in the format the URL asked for."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                refused = _respond(fmt, georeport.errors(405, f"此资源不支持 {request.method} 请求。"), 405)
                refused["Allow"] = ", ".join(sorted(allowed))
                return refused
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Refusal as refusal:
                return _respond(fmt, refusal.document(), refusal.status)
            except SuspiciousOperation:  # too many fields, too large a body
                return _respond(fmt, georeport.errors(400, "请求过大或字段过多。"), 400)

        return csrf_exempt(wrapped)

    return decorate


def _jurisdiction(params: QueryDict) -> OrgUnit | None:
    """The township `jurisdiction_id` names, if the client gave one (the endpoint serves a county)."""
    code = params.get("jurisdiction_id", "").strip()
    if not code:
        return None
    township = services.township_by_code(code)
    if township is None:
        raise Refusal(404, f"jurisdiction_id {code[:40]} 不存在（应为乡镇编码）。")
    return township


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- service discovery and services ----------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = _iso(services.open311_catalog_changed() or FIRST_CHANGESET)
    entry = {
        "specification": georeport.SPECIFICATION,
        "url": request.build_absolute_uri(request.path.rsplit("/", 1)[0]),
        "changeset": changeset,
        "type": "production",
        "formats": Many("format", georeport.MIME_TYPES),
    }
    return _respond(
        fmt,
        Document(
            "discovery",
            {
                "changeset": changeset,
                "contact": CONTACT,
                "key_service": KEY_SERVICE,
                "endpoints": Many("endpoint", [entry]),
            },
        ),
    )


def _offered() -> list[CaseCategory]:
    categories = services.case_catalog.get()[1].values()
    offered = [c for c in categories if c.case_type.open311]
    return sorted(offered, key=lambda c: (c.case_type.order, c.case_type.code, c.order, c.code))


def _definition(category: CaseCategory) -> list[georeport.Attribute]:
    try:
        return category.open311_definition
    except ValueError:  # saved around CaseCategory.clean(): the fault is ours, not the client's
        raise Refusal(400, f"服务 {category.code} 的附加字段定义有误，请联系乡镇管理员。") from None


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    listed = [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": f"{category.case_type.name}：{category.name}",
            "metadata": any(a.variable for a in _definition(category)),
            "type": "realtime",
            "keywords": f"{category.name},{category.case_type.name}",
            "group": category.case_type.name,
        }
        for category in _offered()
    ]
    return _respond(fmt, Document("services", Many("service", listed)))


def _category(code: str) -> CaseCategory:
    if not code:
        raise Refusal(400, "须提供 service_code。")
    category = services.open311_category(code)
    if category is None:
        raise Refusal(404, f"service_code {code[:48]} 不存在。")
    return category


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    category = _category(code)
    attributes = Many("attribute", [a.document() for a in _definition(category)])
    return _respond(
        fmt, Document("service_definition", {"service_code": category.code, "attributes": attributes})
    )


# --- service requests: what the public sees ----------------------------------------------------------


def _promise(case_type: CaseType) -> str | None:
    """What the township undertakes for a request of this type (service_notice)."""
    if not case_type.deadline_days:
        return None
    days = "个工作日" if case_type.deadline_count == "working" else "天"
    return f"{case_type.name}自收到之日起 {case_type.deadline_days} {days}内办结。"


def _status_notes(case: Case, types: dict[int, CaseType]) -> str | None:
    if case.state == states.State.MERGED and case.duplicate_of is not None:
        original = case.duplicate_of
        original_type = types.get(original.case_type_id)
        if original.public and original_type is not None and original_type.open311:
            return f"{case.state_label}：与 service_request_id {original.pk} 为同一事件，合并办理。"
        return f"{case.state_label}：与已受理的事件为同一事件，合并办理。"
    if case.resolution:
        return redact(f"{case.state_label}：{case.resolution}")
    return case.state_label


def _public_degrees(value: Decimal | None) -> float | None:
    return float(value.quantize(PUBLIC_PLACES)) if value is not None else None


def _shown(case: Case, updated: datetime | None, types: dict[int, CaseType]) -> dict[str, Any]:
    """A case as the public feed shows it (GET Service Request(s)), its personal data taken out."""
    agency = case.handling_unit.name
    if case.handling_department is not None:
        agency += f" {case.handling_department.name}"
    return {
        "service_request_id": str(case.pk),
        "status": "open" if case.is_open else "closed",
        "status_notes": _status_notes(case, types),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": redact(case.description)[: georeport.MAX_DESCRIPTION] or None,
        "agency_responsible": agency,
        "service_notice": _promise(case.case_type),
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(updated or case.received_at),
        "expected_datetime": _iso(case.deadline),
        "address": redact(case.place) or case.org_unit.name,
        "address_id": None,
        "zipcode": None,
        "lat": _public_degrees(case.latitude),
        "long": _public_degrees(case.longitude),
        "media_url": case.media_url or None,
    }


def _requests_document(cases: Sequence[Case]) -> Document:
    updates = services.last_changes(cases)
    types = {t.pk: t for t in services.case_catalog.get()[0].values()}
    shown = [_shown(case, updates.get(case.pk), types) for case in cases]
    return Document("service_requests", Many("request", shown))


def _feed(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    township = _jurisdiction(params)
    if params.get("service_request_id", "").strip():  # "This overrides all other arguments."
        ids = georeport.request_ids(params["service_request_id"])
        return _respond(fmt, _requests_document(services.public_requests_by_id(ids, township)))
    zone = timezone.get_default_timezone()
    start, end = (
        georeport.w3c_datetime(params[name], name, zone) if params.get(name) else None
        for name in ("start_date", "end_date")
    )
    start, end = georeport.search_window(start, end, timezone.now())
    page, page_size = georeport.paging(params.get("page"), params.get("page_size"))
    query = services.FeedQuery(
        start=start,
        end=end,
        service_codes=[c.strip() for c in params.get("service_code", "").split(",") if c.strip()],
        statuses=frozenset(georeport.statuses(params.get("status", ""))),
        township=township,
        page=page,
        page_size=page_size,
    )
    cases, more = services.public_requests(query)
    response = _respond(fmt, _requests_document(cases))
    if more:
        following = params.copy()
        following["page"] = str(page + 1)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{following.urlencode()}>; rel="next"'
    return response


@endpoint("GET")
def request_detail(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    township = _jurisdiction(request.GET)
    number = georeport.request_id(pk)
    found = services.public_requests_by_id([number], township) if number is not None else []
    if not found:
        # Missing, private and malformed ids look alike: the public learns nothing by probing.
        raise Refusal(404, f"service_request_id {pk[:40]} 不存在。")
    return _respond(fmt, _requests_document(found))


@endpoint("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    # Every service is "realtime": a posted request is a case at once and the POST answers with its
    # service_request_id, so zhenwu has never issued a token this could answer for.
    raise Refusal(
        404, f"token {token[:40]} 不存在：本接口即时受理，提交后直接返回 service_request_id，不签发 token。"
    )


@endpoint("GET", "POST")
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    return _feed(request, fmt)


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Anything else under /open311/v2/: a 404 in the standard's format, JSON if asked for, else XML."""
    fmt = "json" if rest.endswith(".json") else "xml"
    return _respond(fmt, georeport.errors(404, "没有这个资源：请查看 discovery.xml 所列的接口。"), 404)


# --- service requests: intake ------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])


def _url_ok(url: str) -> bool:
    try:
        _url_validator(url)
    except ValidationError:
        return False
    return True


BACKDATING_FIELDS = ("received_at", "requested_datetime")


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST
    client = services.open311_client(form.get("api_key", ""))
    if client is None:
        raise Refusal(403, "api_key 缺失或无效。")
    jurisdiction = form.get("jurisdiction_id", "").strip()
    if jurisdiction and jurisdiction != client.township.code:
        _jurisdiction(form)  # 404 when no such township
        raise Refusal(403, f"此 api_key 只能向 {client.township.name}（{client.township.code}）提交。")
    category = _category(form.get("service_code", "").strip())
    # A public client does not date its own report: the time it reaches us is the time received. Staff
    # enter an earlier case through the REST API (补录), with their name on it.
    for name in BACKDATING_FIELDS:
        if name in form:
            raise Refusal(400, f"Open311 不接受 {name}：收到时间以提交时刻为准。")
    submission = georeport.read_submission(dict(form.lists()), _definition(category), _url_ok)
    lat, long = submission.point or (None, None)
    description = submission.description or NO_DESCRIPTION
    try:
        case = services.create_case(
            None,
            case_type=category.case_type,
            category=category,
            title=(submission.description or category.name)[:30],
            description=description,
            org_unit=client.township,
            place=submission.address,
            latitude=lat,
            longitude=long,
            channel=Channel.OPEN311,
            reporter_name=submission.name,
            reporter_phone=submission.phone,
            reporter_email=submission.email,
            media_url=submission.media_url,
            attributes=submission.attributes,
            source=client.name[:40],
        )
    except ValidationError as error:
        raise Refusal(400, *error.messages) from None
    notice = [f"已登记为{category.case_type.name} {case.number}"]
    if case.deadline is not None:
        notice.append(f"，办理期限至 {timezone.localtime(case.deadline):%Y年%m月%d日}")
    notice.append("。")
    answer = {
        "service_request_id": str(case.pk),
        "service_notice": "".join(notice + submission.notices),
        "account_id": None,
    }
    return _respond(fmt, Document("service_requests", Many("request", [answer])))
