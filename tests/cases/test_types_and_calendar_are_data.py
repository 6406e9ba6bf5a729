"""Deadlines come from data an admin keeps: the case type's rule and the holiday table, not code."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases.models import CaseType
from zhenwu.workcalendar.models import CalendarDay, DayKind

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_holiday_added_to_the_table_moves_a_working_day_deadline(cast: Cast, types: dict) -> None:
    before = make_case(cast.user("admin"), cast.township, "disclosure", "其他信息", received_at=MONDAY)
    assert timezone.localdate(before.deadline) == date(2026, 12, 28)  # 20 working days, no holiday between
    CalendarDay.objects.create(date=date(2026, 12, 7), kind=DayKind.HOLIDAY, name="测试假日")
    after = make_case(cast.user("admin"), cast.township, "disclosure", "其他信息", received_at=MONDAY)
    assert timezone.localdate(after.deadline) == date(2026, 12, 29)
    CalendarDay.objects.create(date=date(2026, 12, 12), kind=DayKind.MAKEUP_WORKDAY, name="测试调休")
    again = make_case(cast.user("admin"), cast.township, "disclosure", "其他信息", received_at=MONDAY)
    assert timezone.localdate(again.deadline) == date(2026, 12, 28)


def test_a_changed_case_type_rule_applies_to_new_cases(cast: Cast, types: dict) -> None:
    CaseType.objects.filter(code="grid_event").update(deadline_days=3)
    case = make_case(cast.user("wangge01"), cast.grid0101, received_at=MONDAY)
    assert timezone.localdate(case.deadline) == date(2026, 12, 3)


def test_a_township_admin_edits_case_types_and_holidays_in_the_admin_site(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    petition = types["petition"]
    page = client.get(reverse("admin:cases_casetype_change", args=[petition.pk]))
    assert page.status_code == 200 and "劳动保障" in page.content.decode()
    add = reverse("admin:workcalendar_calendarday_add")
    assert client.get(add).status_code == 200
    client.post(add, {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "元旦"
    client.force_login(cast.user("cun01"))
    assert client.get(reverse("admin:cases_casetype_change", args=[petition.pk])).status_code == 302
