"""Reference data read from the cache is never older than the last change to its records.

Intake reads the holiday table, the case catalog, the offices and the Open311 clients from the shared
cache; each test changes the records the ordinary way and expects the next read to see the change.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import CaseCategory, Open311Key
from zhenwu.core.workdays import DayCount
from zhenwu.remembered import Remembered
from zhenwu.workcalendar.models import CalendarDay, DayKind
from zhenwu.workcalendar.services import set_day

pytestmark = pytest.mark.django_db


def test_a_value_is_built_once_and_again_after_its_records_change() -> None:
    builds: list[int] = []

    def count_days() -> int:
        builds.append(1)
        return CalendarDay.objects.count()

    days = Remembered("test-days", count_days, CalendarDay)
    first = days.get()
    assert days.get() == first and len(builds) == 1
    set_day(date(2031, 5, 2), DayKind.HOLIDAY, "测试假日")
    assert days.get() == first + 1 and len(builds) == 2
    CalendarDay.objects.get(date=date(2031, 5, 2)).delete()
    assert days.get() == first and len(builds) == 3


def test_a_change_moves_the_version_again_when_it_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    days = Remembered("test-commit", CalendarDay.objects.count, CalendarDay)
    days.get()
    with django_capture_on_commit_callbacks() as callbacks:
        set_day(date(2031, 5, 3), DayKind.HOLIDAY, "测试假日")
    before_commit = days.get()
    days.forget()  # what another process's read between the change and the commit could have kept
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert days.get() == before_commit


def test_a_new_holiday_moves_the_next_deadline_at_once(cast: Cast) -> None:
    monday = datetime(2031, 3, 3, 9, tzinfo=timezone.get_current_timezone())
    before = services.due_after(monday, 1, DayCount.WORKING)
    set_day(date(2031, 3, 4), DayKind.HOLIDAY, "测试假日")
    assert services.due_after(monday, 1, DayCount.WORKING).date() == before.date().replace(day=5)


def test_a_deactivated_open311_key_is_refused_at_once(cast: Cast, types: dict, client: Client) -> None:
    key = Open311Key.objects.create(township=cast.township, name="客户端", key="soon-revoked")
    data = {
        "api_key": "soon-revoked",
        "service_code": "grid_event-sanitation",
        "address_string": "示范镇政府门口",
        "description": "门口垃圾桶满了",
    }
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    key.active = False
    key.save()
    assert client.post("/open311/v2/requests.json", data).status_code == 403


def test_a_renamed_category_is_found_by_its_new_code(cast: Cast, types: dict) -> None:
    category = services.category_by_code("grid_event-sanitation")
    assert category is not None
    renamed = CaseCategory.objects.get(pk=category.pk)
    renamed.code = "grid_event-cleaning"
    renamed.save()
    assert services.category_by_code("grid_event-sanitation") is None
    found = services.category_by_code("grid_event-cleaning")
    assert found is not None and found.pk == category.pk
