"""Open311 GeoReport v2: an existing client lists services, posts a request with its key and reads it back."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseCategory, Open311Key

BASE = "/open311/v2"


def key(cast: Cast) -> Open311Key:
    return Open311Key.objects.create(township=cast.township, name="测试客户端", key="test-key")


def test_services_list_the_open_categories_only(cast: Cast, types: dict, client: Client) -> None:
    services = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services}
    assert "grid_event-sanitation" in codes
    assert not any(code.startswith("petition") for code in codes)
    assert set(services[0]) >= {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert (
        client.get(f"{BASE}/services/grid_event-sanitation.json").json()["service_code"]
        == "grid_event-sanitation"
    )
    missing = client.get(f"{BASE}/services/petition-land.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_a_client_posts_a_request_and_reads_it_back(cast: Cast, types: dict, client: Client) -> None:
    key(cast)
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": "test-key",
            "service_code": "grid_event-sanitation",
            "lat": "30.123456",
            "long": "114.654321",
            "address_string": "示范镇政府门口",
            "description": "门口垃圾桶满了",
            "first_name": "三",
            "last_name": "张",
            "phone": "13800000000",
        },
    )
    assert response.status_code == 200
    request_id = response.json()[0]["service_request_id"]
    case = Case.objects.get(pk=int(request_id))
    assert case.org_unit == cast.township and case.channel == "open311" and case.reporter_name == "张三"
    detail = client.get(f"{BASE}/requests/{request_id}.json").json()[0]
    assert detail["status"] == "open" and detail["service_code"] == "grid_event-sanitation"
    # The public sees the place to about 100 m; the case keeps it exactly.
    assert detail["lat"] == 30.123 and case.latitude == Decimal("30.123456")
    assert "13800000000" not in str(detail)
    listed = client.get(
        f"{BASE}/requests.json", {"status": "open", "service_code": "grid_event-sanitation"}
    ).json()
    assert request_id in [r["service_request_id"] for r in listed]


def test_a_closed_case_reads_closed_with_its_notes(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    services.set_public(cast.user("admin"), case.pk, True)
    act(cast.user("wangge01"), case, "accept")
    act(cast.user("wangge01"), case, "resolve", note="已清运")
    detail = client.get(f"{BASE}/requests.json", {"service_request_id": str(case.pk)}).json()[0]
    assert detail["status"] == "closed" and "已清运" in detail["status_notes"]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json()[0]["service_request_id"] == str(
        case.pk
    )


def test_errors_are_a_list_of_code_and_description(cast: Cast, types: dict, client: Client) -> None:
    key(cast)
    no_key = client.post(
        f"{BASE}/requests.json", {"service_code": "grid_event-sanitation", "description": "x"}
    )
    assert no_key.status_code == 403 and no_key.json()[0]["code"] == 403
    no_place = client.post(
        f"{BASE}/requests.json",
        {"api_key": "test-key", "service_code": "grid_event-sanitation", "description": "x"},
    )
    assert no_place.status_code == 400 and "位置" in no_place.json()[0]["description"]
    bad_code = client.post(
        f"{BASE}/requests.json", {"api_key": "test-key", "service_code": "nope", "lat": "1", "long": "1"}
    )
    assert bad_code.status_code == 404
    assert client.get(f"{BASE}/requests/999999.json").json() == [
        {"code": 404, "description": "service_request_id 999999 不存在。"}
    ]
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert Case.objects.count() == 0


def test_private_case_types_are_not_published(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障")
    assert client.get(f"{BASE}/requests/{case.pk}.json").status_code == 404


def test_staff_see_the_link_and_attributes_a_reporter_sent(cast: Cast, types: dict, client: Client) -> None:
    key(cast)
    category = CaseCategory.objects.get(code="grid_event-sanitation")
    category.open311_attributes = [
        {"code": "kind", "datatype": "singlevaluelist", "description": "垃圾种类",
         "values": [{"key": "household", "name": "生活垃圾"}]},
    ]  # fmt: skip
    category.save()
    posted = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": "test-key",
            "service_code": "grid_event-sanitation",
            "address_string": "示范镇政府门口",
            "description": "门口垃圾桶满了",
            "media_url": "https://img.example.com/bin.jpg",
            "attribute[kind]": "household",
        },
    ).json()[0]
    client.force_login(cast.user("admin"))
    page = client.get(f"/cases/{posted['service_request_id']}/").content.decode()
    # A link only: the server never fetches it, and the page does not send the reader's address along.
    assert 'href="https://img.example.com/bin.jpg" rel="noopener noreferrer nofollow"' in page
    assert "垃圾种类：生活垃圾" in page
