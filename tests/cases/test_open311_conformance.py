"""Open311 GeoReport v2, point by point in the order the standard gives them (http://wiki.open311.org/GeoReport_v2):
service discovery, GET services, GET a service definition, POST a service request, GET a service_request_id
from a token, GET service requests, GET a service request; then errors and encoding, which apply to all.

Every point is checked in both formats: the XML parsed with the standard library, its root and element
names checked, and the JSON checked to carry the same data (the standard's "Spark convention").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseCategory, Open311Key

BASE = "/open311/v2"
FORMATS = ["xml", "json"]
# Containers whose children are all one element: arrays in JSON.
CONTAINERS = {"services", "service_requests", "errors", "attributes", "values", "endpoints", "formats"}
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip
ATTRIBUTES = [
    {"code": "kind", "datatype": "singlevaluelist", "required": True, "description": "垃圾种类",
     "values": [{"key": "household", "name": "生活垃圾"}, {"key": "building", "name": "建筑垃圾"}]},
    {"code": "bins", "datatype": "number", "description": "满溢的垃圾桶数",
     "datatype_description": "整数"},
    {"code": "also", "datatype": "multivaluelist", "description": "其他问题",
     "values": [{"key": "smell", "name": "异味"}, {"key": "water", "name": "污水"}]},
]  # fmt: skip


def spark(element: ET.Element) -> Any:
    """XML read back as the standard's JSON: a container of repeated elements is a list of them."""
    if element.tag in CONTAINERS or element.tag == "service_requests":
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text or ""


def as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def get_both(
    client: Client, path: str, params: dict[str, str] | None = None, status: int = 200
) -> tuple[ET.Element, Any]:
    """The resource as XML (parsed) and JSON, checked to be the same data with the right headers."""
    xml = client.get(f"{BASE}/{path}.xml", params or {})
    json = client.get(f"{BASE}/{path}.json", params or {})
    return same(xml, json, status)


def post_both(client: Client, data: dict[str, Any], status: int = 200) -> tuple[ET.Element, Any]:
    xml = client.post(f"{BASE}/requests.xml", data)
    json = client.post(f"{BASE}/requests.json", data)
    root = same(xml, json, status, compare=False)  # two posts make two requests: ids differ
    return root


def same(xml: Any, json: Any, status: int, compare: bool = True) -> tuple[ET.Element, Any]:
    assert xml.status_code == json.status_code == status, (xml.content, json.content)
    assert xml["Content-Type"] == "text/xml; charset=utf-8"
    assert json["Content-Type"] == "application/json; charset=utf-8"
    assert xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(xml.content)
    assert root.tag == root.tag.split("}")[-1], "no namespace"
    if compare:
        assert as_text(json.json()) == spark(root)
    return root, json.json()


@pytest.fixture
def key(cast: Cast) -> Open311Key:
    return Open311Key.objects.create(township=cast.township, name="测试客户端", key="conformance-key")


@pytest.fixture
def sanitation(types: dict) -> CaseCategory:
    category = CaseCategory.objects.get(code="grid_event-sanitation")
    category.open311_attributes = ATTRIBUTES
    category.full_clean()
    category.save()
    return category


def request_data(**extra: Any) -> dict[str, Any]:
    return {
        "api_key": "conformance-key",
        "service_code": "grid_event-sanitation",
        "lat": "30.512345",
        "long": "114.312345",
        "address_string": "示范镇人民路与建设路交叉口",
        "description": "路口垃圾桶满溢",
        "attribute[kind]": "household",
        **extra,
    }


def public_case(cast: Cast, **extra: Any) -> Case:
    case = make_case(cast.user("wangge01"), cast.grid0101, **extra)
    return services.set_public(cast.user("admin"), case.pk, True)


# --- Service Discovery -----------------------------------------------------------------------------


def test_discovery_lists_the_endpoint_with_both_formats(cast: Cast, types: dict, client: Client) -> None:
    root, data = get_both(client, "discovery")
    assert root.tag == "discovery"
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url", "").endswith("/open311/v2")
    assert endpoint.findtext("type") == "production" and endpoint.findtext("changeset")
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_discoverys_changeset_moves_when_a_service_changes(
    cast: Cast, types: dict, client: Client, time_machine: Any
) -> None:
    before = client.get(f"{BASE}/discovery.json").json()["changeset"]
    time_machine.move_to(timezone.now() + timedelta(days=1))
    category = CaseCategory.objects.get(code="grid_event-other")
    category.name = "其他问题"
    category.save()
    after = client.get(f"{BASE}/discovery.json").json()["changeset"]
    assert after > before


# --- GET Service List ------------------------------------------------------------------------------


def test_services_list_every_offered_category_with_the_standards_fields(
    cast: Cast, sanitation: CaseCategory, client: Client
) -> None:
    root, data = get_both(client, "services")
    assert root.tag == "services" and {child.tag for child in root} == {"service"}
    fields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    for service in root:
        assert [child.tag for child in service] == fields
        assert service.findtext("type") == "realtime"
        assert service.findtext("metadata") in ("true", "false")
    by_code = {s["service_code"]: s for s in data}
    assert by_code["grid_event-sanitation"]["metadata"] is True
    assert by_code["grid_event-dispute"]["metadata"] is False
    assert not any(code.startswith("petition") for code in by_code)


def test_services_accept_a_known_jurisdiction_and_refuse_an_unknown(
    cast: Cast, types: dict, client: Client
) -> None:
    get_both(client, "services", {"jurisdiction_id": cast.township.code})
    root, data = get_both(client, "services", {"jurisdiction_id": "nowhere"}, status=404)
    assert root.tag == "errors" and data[0]["code"] == 404 and "jurisdiction_id" in data[0]["description"]


# --- GET Service Definition ------------------------------------------------------------------------


def test_a_service_definition_gives_its_attributes_in_the_standards_shape(
    cast: Cast, sanitation: CaseCategory, client: Client
) -> None:
    root, data = get_both(client, "services/grid_event-sanitation")
    assert root.tag == "service_definition" and root.findtext("service_code") == "grid_event-sanitation"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["kind", "bins", "also"]
    fields = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]
    assert [child.tag for child in attributes[0]] == [*fields, "values"]
    assert [(v.findtext("key"), v.findtext("name")) for v in attributes[0].findall("values/value")] == [
        ("household", "生活垃圾"),
        ("building", "建筑垃圾"),
    ]
    assert data["attributes"][0]["required"] is True and data["attributes"][1]["order"] == 2
    assert data["attributes"][1]["values"] == [] and data["attributes"][0]["datatype_description"] is None


def test_a_service_without_attributes_has_an_empty_definition(
    cast: Cast, types: dict, client: Client
) -> None:
    root, data = get_both(client, "services/grid_event-dispute")
    assert data == {"service_code": "grid_event-dispute", "attributes": []}
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0  # type: ignore[arg-type]


def test_an_unknown_or_closed_service_is_a_404(cast: Cast, types: dict, client: Client) -> None:
    for code in ("petition-land", "nope", "%C2%B2"):
        root, data = get_both(client, f"services/{code}", status=404)
        assert root.tag == "errors" and data[0]["code"] == 404


def test_a_broken_definition_is_refused_when_saved(cast: Cast, types: dict) -> None:
    category = CaseCategory.objects.get(code="grid_event-sanitation")
    category.open311_attributes = [{"code": "kind", "datatype": "colour", "description": "x"}]
    with pytest.raises(Exception, match="datatype"):
        category.full_clean()


# --- POST Service Request --------------------------------------------------------------------------


def test_a_request_is_posted_and_answered_with_its_id_not_a_token(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    root, data = post_both(client, request_data(**{"attribute[bins]": "3", "attribute[also][]": ["smell"]}))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None and [c.tag for c in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
    ]
    assert request.find("token") is None and "token" not in data[0]
    case = Case.objects.get(pk=int(request.findtext("service_request_id", "")))
    assert case.attributes == {"kind": "household", "bins": "3", "also": ["smell"]}
    assert case.org_unit == cast.township and case.public and case.channel == "open311"
    assert case.number in request.findtext("service_notice", "")


def test_a_request_needs_a_key_a_service_and_a_place(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    cases = [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "petition-land"}, 404, "service_code"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "位置"),
        ({"lat": "999"}, 400, "lat 须在 -90 到 90 之间"),
        ({"long": "-200"}, 400, "long 须在 -180 到 180 之间"),
        ({"long": ""}, 400, "同时提供"),
        ({"lat": "114.3", "long": "30.5"}, 400, "写反"),
        ({"lat": "0", "long": "0"}, 400, "中国境内"),
        ({"attribute[kind]": ""}, 400, "attribute[kind]"),
        ({"attribute[kind]": "glass"}, 400, "attribute[kind]"),
        ({"attribute[bins]": "three"}, 400, "attribute[bins]"),
        ({"jurisdiction_id": "nowhere"}, 404, "jurisdiction_id"),
        ({"jurisdiction_id": cast.other_township.code}, 403, "api_key"),
    ]
    for change, status, said in cases:
        root, data = post_both(client, request_data(**change), status=status)
        assert root.tag == "errors" and data[0]["code"] == status, change
        assert said in data[0]["description"], (change, data)
    assert Case.objects.count() == 0


def test_every_fault_of_a_request_is_listed_at_once(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    root, data = post_both(
        client, request_data(lat="999", **{"attribute[kind]": "", "attribute[bins]": "x"}), 400
    )
    assert len(root.findall("error")) == len(data) == 3


def test_what_is_shortened_or_dropped_is_said_in_the_service_notice(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    long = "路口垃圾桶满溢。" * 625 + "末尾七个字在这"  # 5,007 characters
    assert len(long) == 5007
    data = request_data(
        description=long,
        device_id="tt222111",
        colour="red",
        email="not-an-address",
        media_url="javascript:alert(1)",
        **{"attribute[unknown]": "1"},
    )
    response = client.post(f"{BASE}/requests.json", data).json()[0]
    notice = response["service_notice"]
    for said in ("5007", "4000", "device_id", "colour", "email", "media_url", "attribute[unknown]"):
        assert said in notice, said
    case = Case.objects.get(pk=int(response["service_request_id"]))
    assert len(case.description) == 4000 and case.media_url == "" and case.reporter_email == ""


def test_media_url_is_kept_as_a_link_and_shown_back(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    link = "https://img.example.com/2026/11/bin.jpg"
    posted = client.post(f"{BASE}/requests.json", request_data(media_url=link)).json()[0]
    assert "media_url" not in posted["service_notice"]
    root, data = get_both(client, f"requests/{posted['service_request_id']}")
    assert root.findtext("request/media_url") == data[0]["media_url"] == link


def test_a_request_without_a_description_is_taken_the_standard_makes_it_optional(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    posted = client.post(f"{BASE}/requests.json", request_data(description=""))
    assert posted.status_code == 200
    assert Case.objects.get(pk=int(posted.json()[0]["service_request_id"])).title == "环境卫生"


# --- GET service_request_id from a token -----------------------------------------------------------


def test_tokens_are_never_issued_so_every_token_is_a_404(cast: Cast, types: dict, client: Client) -> None:
    for token in ("12345", "abc", "%C2%B2"):
        root, data = get_both(client, f"tokens/{token}", status=404)
        assert root.tag == "errors" and data[0]["code"] == 404 and "token" in data[0]["description"]


# --- GET Service Requests --------------------------------------------------------------------------


def test_requests_list_in_the_standards_shape(cast: Cast, types: dict, client: Client) -> None:
    case = public_case(cast, latitude=Decimal("30.512345"), longitude=Decimal("114.312345"))
    root, data = get_both(client, "requests")
    assert root.tag == "service_requests" and [r.tag for r in root] == ["request"]
    assert [child.tag for child in root[0]] == REQUEST_FIELDS
    shown = data[0]
    assert shown["service_request_id"] == str(case.pk) and shown["status"] == "open"
    assert shown["service_code"] == "grid_event-sanitation" and shown["service_name"] == "环境卫生"
    for moment in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert shown[moment].endswith("+08:00"), "W3C with its offset"
    assert shown["lat"] == 30.512 and shown["long"] == 114.312


def test_the_default_window_is_the_last_90_days(cast: Cast, types: dict, client: Client) -> None:
    now = timezone.now()
    recent = public_case(cast, received_at=now - timedelta(days=89))
    old = public_case(cast, received_at=now - timedelta(days=91))
    assert ids(client) == [str(recent.pk)]
    start = (now - timedelta(days=100)).isoformat()
    end = (now - timedelta(days=30)).isoformat()
    assert ids(client, start_date=start, end_date=end) == [str(recent.pk), str(old.pk)]
    assert ids(client, start_date=start) == [str(recent.pk), str(old.pk)]  # 90 days from the start


def test_a_window_over_90_days_is_refused_not_cut(cast: Cast, types: dict, client: Client) -> None:
    now = timezone.now()
    params = {"start_date": (now - timedelta(days=365)).isoformat(), "end_date": now.isoformat()}
    root, data = get_both(client, "requests", params, status=400)
    assert root.tag == "errors" and "90" in data[0]["description"]
    for bad in ({"start_date": "yesterday"}, {"status": "pending"}, {"page": "0"}, {"page_size": "5000"}):
        root, data = get_both(client, "requests", bad, status=400)
        assert data[0]["code"] == 400


def test_requests_filter_by_status_service_code_and_jurisdiction(
    cast: Cast, types: dict, client: Client
) -> None:
    sanitation = public_case(cast)
    dispute = public_case(cast, category_name="矛盾纠纷")
    act(cast.user("admin"), dispute, "reject", note="不属实")
    assert ids(client, status="open") == [str(sanitation.pk)]
    assert ids(client, status="closed") == [str(dispute.pk)]
    assert set(ids(client, status="open,closed")) == {str(sanitation.pk), str(dispute.pk)}
    assert ids(client, service_code="grid_event-dispute") == [str(dispute.pk)]
    assert len(ids(client, jurisdiction_id=cast.township.code)) == 2
    assert ids(client, jurisdiction_id=cast.other_township.code) == []


def test_service_request_id_overrides_every_other_argument(cast: Cast, types: dict, client: Client) -> None:
    old = public_case(cast, received_at=timezone.now() - timedelta(days=400))
    listed = ids(client, service_request_id=f"{old.pk},999999,abc", status="closed")
    assert listed == [str(old.pk)]


def test_requests_come_in_pages_with_a_link_to_the_next(cast: Cast, types: dict, client: Client) -> None:
    made = [public_case(cast, received_at=timezone.now() - timedelta(hours=h)) for h in range(5)]
    first = client.get(f"{BASE}/requests.json", {"page_size": "2"})
    assert [r["service_request_id"] for r in first.json()] == [str(c.pk) for c in made[:2]]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    assert ids(client, page_size="2", page="3") == [str(made[4].pk)]
    last = client.get(f"{BASE}/requests.xml", {"page_size": "2", "page": "3"})
    assert "Link" not in last


def test_a_closed_request_is_updated_when_it_closed(
    cast: Cast, types: dict, client: Client, time_machine: Any
) -> None:
    """A closed request's updated_datetime is "the date the request was closed" (the standard)."""
    case = make_case(cast.user("wangge01"), cast.grid0101)
    act(cast.user("wangge01"), case, "accept")
    time_machine.move_to(timezone.now() + timedelta(days=2))
    act(cast.user("wangge01"), case, "resolve", note="已清运")
    closed_at = timezone.localtime(case.events.get(action="resolve").at).isoformat(timespec="seconds")
    time_machine.move_to(timezone.now() + timedelta(days=3))
    services.set_public(cast.user("admin"), case.pk, True)  # changes who sees it, not the request
    _, data = get_both(client, f"requests/{case.pk}")
    assert data[0]["status"] == "closed" and data[0]["updated_datetime"] == closed_at


def test_a_page_of_requests_costs_two_queries_however_many_it_lists(
    cast: Cast, types: dict, client: Client, django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        public_case(cast)
    client.get(f"{BASE}/requests.json")  # fills the catalog's cache
    # The cases with what they show, and their latest events.
    with django_assert_num_queries(2):
        assert len(client.get(f"{BASE}/requests.xml").content) > 0


def ids(client: Client, **params: str) -> list[str]:
    _, data = get_both(client, "requests", params)
    return [r["service_request_id"] for r in data]


# --- GET Service Request ---------------------------------------------------------------------------


def test_one_request_reads_as_a_list_of_one(cast: Cast, types: dict, client: Client) -> None:
    case = public_case(cast)
    root, data = get_both(client, f"requests/{case.pk}")
    assert root.tag == "service_requests" and len(root) == 1 and root[0].tag == "request"
    assert [child.tag for child in root[0]] == REQUEST_FIELDS
    assert data[0]["service_request_id"] == str(case.pk)
    assert data[0]["service_notice"] == "网格事件自收到之日起 7 天内办结。"


def test_a_missing_request_is_a_404_in_the_standards_format(cast: Cast, types: dict, client: Client) -> None:
    root, data = get_both(client, "requests/999999", status=404)
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert data == [{"code": 404, "description": "service_request_id 999999 不存在。"}]


# --- errors and encoding, for every method ---------------------------------------------------------


def test_a_wrong_method_or_an_unknown_resource_answers_in_the_standards_format(
    cast: Cast, types: dict, client: Client
) -> None:
    wrong = client.delete(f"{BASE}/requests.xml")
    assert wrong.status_code == 405 and "GET" in wrong["Allow"]
    assert ET.fromstring(wrong.content).findtext("error/code") == "405"
    posted = client.post(f"{BASE}/services.json")
    assert posted.status_code == 405 and posted.json()[0]["code"] == 405
    for path, fmt in (("requests.csv", "xml"), ("nothing.json", "json"), ("", "xml")):
        missing = client.get(f"{BASE}/{path}")
        assert missing.status_code == 404
        assert (
            missing["Content-Type"]
            == {"xml": "text/xml", "json": "application/json"}[fmt] + "; charset=utf-8"
        )


def test_text_that_xml_cannot_carry_leaves_both_formats_alike(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    posted = client.post(f"{BASE}/requests.json", request_data(description="垃圾\x00桶\x1b满了\r\n请处理"))
    number = posted.json()[0]["service_request_id"]
    assert "控制字符" in posted.json()[0]["service_notice"]
    root, data = get_both(client, f"requests/{number}")
    assert data[0]["description"] == root.findtext("request/description") == "垃圾桶满了\n请处理"


def test_a_direction_override_is_taken_out_and_said(
    cast: Cast, sanitation: CaseCategory, key: Open311Key, client: Client
) -> None:
    posted = client.post(f"{BASE}/requests.json", request_data(description="照片\u202egpj.exe 在此"))
    assert "控制字符" in posted.json()[0]["service_notice"]
    case = Case.objects.get(pk=posted.json()[0]["service_request_id"])
    assert "\u202e" not in case.description and "照片gpj.exe 在此" in case.description
