"""Staff enter a case received earlier (补录) through the REST API with its real `received_at`; the event
log says so and who entered it. Open311's public clients cannot date their reports."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from tests.cases.test_open311 import BASE, key
from tests.conftest import Cast
from zhenwu.cases.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/cases/"


def body(cast: Cast, **extra: object) -> dict[str, object]:
    return {
        "case_type": "hazard",
        "category": "hazard-fire",
        "title": "楼道堆放杂物",
        "description": "三楼楼道堆放纸箱，堵塞通道",
        "org_unit": cast.village01.code,
        **extra,
    }


def test_staff_enter_a_case_received_in_march_and_the_log_says_who_entered_it(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    response = client.post(
        URL, body(cast, received_at="2026-03-10T09:30:00+08:00"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.received_at == datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
    # The deadline runs from the real date (30 calendar days).
    assert case.deadline.astimezone(SHANGHAI).date() == date(2026, 4, 9)
    event = case.events.get()
    assert event.at == case.received_at and event.actor == cast.user("cun01")
    assert event.note.startswith(f"补录：{cast.user('cun01')}于2026-11-18") and event.details["backfilled"]
    assert response.json()["events"][0]["note"].startswith("补录")


def test_a_case_without_received_at_is_received_now_and_not_marked(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    response = client.post(URL, body(cast), content_type="application/json")
    assert response.status_code == 201
    event = Case.objects.get(pk=response.json()["id"]).events.get()
    assert "backfilled" not in event.details and not event.note.startswith("补录")


def test_a_future_or_ancient_or_malformed_received_at_is_a_400_in_the_error_shape(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    for value, message in [
        ("2026-11-19T09:00:00+08:00", "收到时间不能晚于现在。"),
        ("1999-12-31T12:00:00+08:00", "收到时间不能早于2000年1月1日。"),
    ]:
        response = client.post(URL, body(cast, received_at=value), content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {"detail": response.json()["detail"], "errors": {"received_at": [message]}}
    malformed = client.post(URL, body(cast, received_at="三月十日"), content_type="application/json")
    assert malformed.status_code == 400 and list(malformed.json()["errors"]) == ["received_at"]
    assert not Case.objects.filter(title="楼道堆放杂物").exists()


def test_an_open311_client_cannot_date_its_report(cast: Cast, types: dict, client: Client) -> None:
    key(cast)
    posted = {
        "api_key": "test-key",
        "service_code": "grid_event-sanitation",
        "address_string": "示范镇政府门口",
        "description": "门口垃圾桶满了",
    }
    for name in ("received_at", "requested_datetime"):
        response = client.post(f"{BASE}/requests.json", {**posted, name: "2026-03-10T09:00:00+08:00"})
        assert response.status_code == 400
        assert response.json()[0]["description"] == f"Open311 不接受 {name}：收到时间以提交时刻为准。"
    assert not Case.objects.filter(channel="open311").exists()
    accepted = client.post(f"{BASE}/requests.json", posted)
    assert accepted.status_code == 200
    case = Case.objects.get(channel="open311")
    assert case.received_at.astimezone(SHANGHAI).date() == date(2026, 11, 18)


def test_the_schema_documents_received_at(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    field = schema["components"]["schemas"]["CaseCreate"]["properties"]["received_at"]
    assert field["format"] == "date-time" and "补录" in field["description"]
