"""The guard at intake: a report very like one of the last 30 minutes, by the same person or in the same
unit, is not saved until the reporter confirms (仍然上报); a confirmed one records what it was seen to be
like. Other texts, other places and older cases pass; Open311 has no guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseType, Open311Key

TEXT = "3组路口垃圾堆放两天未清运，气味很大"
MOMENT = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture(autouse=True)
def _clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(MOMENT, tick=False)


def quick_report(client: Client, types: dict[str, CaseType], text: str = TEXT, **extra: Any) -> Any:
    category = types["grid_event"].categories.get(name="环境卫生")
    return client.post(reverse("cases:report"), {"category": category.pk, "description": text, **extra})


def test_a_double_tap_makes_one_case_and_asks_about_the_second(
    cast: Cast, types: dict[str, CaseType], client: Client, time_machine: TimeMachineFixture
) -> None:
    client.force_login(cast.user("wangge01"))
    assert quick_report(client, types).status_code == 302
    first = Case.objects.get()
    time_machine.move_to(MOMENT + timedelta(seconds=40), tick=False)

    again = quick_report(client, types)

    page = again.content.decode()
    assert again.status_code == 200 and Case.objects.count() == 1
    assert f'可能与<a href="/cases/{first.pk}/">{first.number}</a>重复' in page
    assert 'name="confirm_duplicate"' in page and "仍然上报" in page


def test_reporting_anyway_saves_and_records_the_case_it_was_like(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    quick_report(client, types)
    first = Case.objects.get()

    confirmed = quick_report(client, types, confirm_duplicate="on")

    assert confirmed.status_code == 302 and Case.objects.count() == 2
    second = Case.objects.exclude(pk=first.pk).get()
    event = second.events.get()
    assert event.details["possible_duplicate"] == {"id": first.pk, "number": first.number}
    assert f"可能与{first.number}重复" in event.note


def test_another_text_or_another_grid_is_not_asked_about(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    quick_report(client, types)
    assert quick_report(client, types, "5组水渠堵塞，雨天积水漫过道路").status_code == 302
    category = types["grid_event"].categories.get(name="环境卫生")
    services.create_case(  # the village's staff, the same text, the next grid
        cast.user("cun01"), case_type=types["grid_event"], category=category, title=TEXT[:30],
        description=TEXT, org_unit=cast.grid0102, confirm_duplicate=False,
    )  # fmt: skip
    assert Case.objects.count() == 3


def test_someone_else_in_the_same_grid_is_asked_too(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    quick_report(client, types)
    first = Case.objects.get()
    category = first.category
    with pytest.raises(services.PossibleDuplicate) as seen:
        services.create_case(
            cast.user("cun01"), case_type=types["grid_event"], category=category, title=TEXT[:30],
            description=TEXT, org_unit=cast.grid0101, confirm_duplicate=False,
        )  # fmt: skip
    assert seen.value.case == first and str(seen.value) == f"可能与{first.number}重复"


def test_places_far_apart_are_not_the_same_place(cast: Cast, types: dict[str, CaseType]) -> None:
    category = types["grid_event"].categories.get(name="环境卫生")
    common = dict(
        case_type=types["grid_event"], category=category, title="垃圾", description=TEXT,
        org_unit=cast.grid0101, confirm_duplicate=False,
    )  # fmt: skip
    services.create_case(
        cast.user("wangge01"), latitude=Decimal("30.5"), longitude=Decimal("114.3"), **common
    )
    services.create_case(
        cast.user("wangge01"), latitude=Decimal("30.51"), longitude=Decimal("114.3"), **common
    )
    assert Case.objects.count() == 2  # 1.1 km apart
    with pytest.raises(services.PossibleDuplicate):  # 11 m from the first
        services.create_case(
            cast.user("wangge01"), latitude=Decimal("30.5001"), longitude=Decimal("114.3"), **common
        )


def test_after_thirty_minutes_the_same_report_is_not_asked_about(
    cast: Cast, types: dict[str, CaseType], client: Client, time_machine: TimeMachineFixture
) -> None:
    client.force_login(cast.user("wangge01"))
    quick_report(client, types)
    time_machine.move_to(MOMENT + timedelta(minutes=30, seconds=1), tick=False)
    assert quick_report(client, types).status_code == 302
    assert Case.objects.count() == 2


def test_the_case_form_asks_too(cast: Cast, types: dict[str, CaseType], client: Client) -> None:
    client.force_login(cast.user("cun01"))
    category = types["grid_event"].categories.get(name="环境卫生")
    body = {
        "case_type": types["grid_event"].pk, "category": category.pk, "title": "路口垃圾",
        "description": TEXT, "org_unit": cast.grid0101.pk,
    }  # fmt: skip
    assert client.post(reverse("cases:case-create"), body).status_code == 302
    asked = client.post(reverse("cases:case-create"), body)
    assert asked.status_code == 200 and "可能与" in asked.content.decode() and Case.objects.count() == 1
    assert client.post(reverse("cases:case-create"), {**body, "confirm_duplicate": "on"}).status_code == 302
    assert Case.objects.count() == 2


def test_the_api_answers_409_until_the_reporter_confirms(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    body = {
        "case_type": "grid_event", "category": "grid_event-sanitation", "title": "垃圾",
        "description": TEXT, "org_unit": cast.grid0101.code,
    }  # fmt: skip
    assert client.post(reverse("api:case-list"), body, content_type="application/json").status_code == 201
    first = Case.objects.get()

    refused = client.post(reverse("api:case-list"), body, content_type="application/json")

    assert refused.status_code == 409 and Case.objects.count() == 1
    answer = refused.json()
    assert answer["duplicate_of"] == first.number and answer["duplicate_of_id"] == first.pk
    assert f"可能与{first.number}重复" in answer["detail"] and "confirm_duplicate" in answer["errors"]
    confirmed = client.post(
        reverse("api:case-list"), {**body, "confirm_duplicate": True}, content_type="application/json"
    )
    assert confirmed.status_code == 201 and Case.objects.count() == 2
    assert confirmed.json()["events"][0]["details"]["possible_duplicate"]["number"] == first.number


def test_open311_has_no_guard(cast: Cast, types: dict[str, CaseType], client: Client) -> None:
    """A public client cannot answer the question: a repeated request is taken in, for staff to merge."""
    Open311Key.objects.create(township=cast.township, name="客户端", key="intake-key")
    data = {
        "api_key": "intake-key",
        "service_code": "grid_event-sanitation",
        "address_string": "示范镇政府门口",
        "description": TEXT,
    }
    for _ in range(2):
        assert client.post("/open311/v2/requests.json", data).status_code == 200
    assert Case.objects.count() == 2
