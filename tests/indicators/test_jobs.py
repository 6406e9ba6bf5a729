"""The missing-values job: after the entry deadline, each office, village and township admin is told once a
month of the values still missing that are theirs to enter, and nobody else is told anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cast
from tests.indicators.conftest import Catalog, value
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator
from zhenwu.jobs.services import run_job
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import Department
from zhenwu.workcalendar import demo as calendar_demo

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=BEIJING)


def run_on(time_machine: Any, moment: datetime) -> str:
    time_machine.move_to(moment)
    return run_job("missing_values").summary


def told(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, kind=Kind.MISSING_VALUES))


def enter_everything_but(catalog: Catalog, cast: Cast, month: int, *left_out: tuple[Indicator, Any]) -> None:
    """Every value of the month entered, but those named."""
    entered = {(i.pk, u.pk) for i, u in left_out}
    for indicator, unit in services.missing_values(cast.township, services.Period(2026, month)):
        if (indicator.pk, unit.pk) not in entered:
            value(indicator, unit, month, "1")


def test_nothing_is_said_on_or_before_the_deadline_and_the_day_after_it_everyone_responsible_is_told(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    enter_everything_but(catalog, cast, 10, (catalog.invest, cast.township), (catalog.jobs, cast.village01))
    # October's values are due by 5 November, a Thursday.
    assert run_on(time_machine, at(2026, 11, 5)).startswith("未到提醒日")
    assert not Notification.objects.exists()

    summary = run_on(time_machine, at(2026, 11, 6))

    assert summary == "提醒 3 人(10月未填报 2 项)"
    [admin] = told("admin")
    assert admin.title == "2026年10月指标数据尚有2项未填报"
    assert admin.body.splitlines() == [
        "10月数据应于11月5日前报送，以下尚未填报：",
        "示范镇：固定资产投资",
        "东岗村：新增就业岗位",
    ]
    assert admin.link == f"/indicators/entry/?org={cast.township.code}&period=2026-10"
    [office] = told("jingfa")  # 经发办 answers for 固定资产投资, not for the villages' jobs
    assert office.body.splitlines()[1:] == ["示范镇：固定资产投资"]
    assert office.link.endswith("&department=jfb")
    [village] = told("cun01")
    assert village.body.splitlines()[1:] == ["东岗村：新增就业岗位"]
    assert village.link == f"/indicators/entry/?org={cast.village01.code}&period=2026-10"
    for nobody in ("leader", "minzheng", "cun02", "wangge01", "xian", "outsider"):
        assert told(nobody) == [], nobody


def test_an_office_hears_of_its_villages_values_and_the_township_of_none_it_rolls_up(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    social = Department.objects.get(township=cast.township, code="sbs")
    staff = cast.user("jingfa")
    staff.department = social  # the cast has no 社保所 account: 孙经发 moves there for this test
    staff.save()
    enter_everything_but(catalog, cast, 10, (catalog.jobs, cast.village01), (catalog.jobs, cast.village02))

    run_on(time_machine, at(2026, 11, 6))

    [office] = told("jingfa")
    assert office.body.splitlines()[1:] == ["东岗村：新增就业岗位", "西河村：新增就业岗位"]
    [admin] = told("admin")
    # The township's 新增就业岗位 is the villages' sum: the township enters none, and is not asked for it.
    assert "示范镇" not in admin.body


def test_running_twice_or_every_day_of_the_month_tells_nobody_twice(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    run_on(time_machine, at(2026, 11, 6))
    made = Notification.objects.count()
    assert made > 0

    # Once the admin has been told, the township's reminder is complete: a later run reads none of it.
    assert run_on(time_machine, at(2026, 11, 6, 10)) == "提醒 0 人(10月未填报 0 项)"
    run_on(time_machine, at(2026, 11, 20))
    assert Notification.objects.count() == made
    # The next month's values are a new reminder, after their own deadline.
    run_on(time_machine, at(2026, 12, 8))
    assert Notification.objects.filter(key__startswith="missing_values:2026-11:").count() == made


def test_a_deadline_on_a_saturday_is_reminded_of_on_monday(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    # November's values are due by 5 December 2026, a Saturday.
    assert services.reminder_day(services.Period(2026, 11)).isoformat() == "2026-12-07"
    assert run_on(time_machine, at(2026, 12, 6)).startswith("未到提醒日")
    assert not Notification.objects.exists()
    run_on(time_machine, at(2026, 12, 7))
    assert [n.key for n in told("admin")] == [f"missing_values:2026-11:unit:{cast.township.pk}"]


def test_a_deadline_in_the_national_day_holiday_is_reminded_of_on_the_first_working_day_after_it(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    # September's values are due by 5 October 2026, in the holiday of 1–7 October.
    for day in (6, 7):
        assert run_on(time_machine, at(2026, 10, day)).startswith("未到提醒日")
    assert not Notification.objects.exists()
    run_on(time_machine, at(2026, 10, 8))
    assert told("admin")[0].title.startswith("2026年9月")


def test_a_month_entered_in_full_tells_nobody(cast: Cast, catalog: Catalog, time_machine: Any) -> None:
    calendar_demo.load()
    enter_everything_but(catalog, cast, 10)
    assert run_on(time_machine, at(2026, 11, 6)) == "提醒 0 人(10月未填报 0 项)"
    assert not Notification.objects.exists()


@pytest.mark.parametrize("values", [0, 1])
def test_a_later_run_reads_no_values_once_everyone_is_told(
    cast: Cast, catalog: Catalog, values: int, django_assert_max_num_queries: Any
) -> None:
    """The incremental rule: once told, a township costs the job one query a day, however many values."""
    calendar_demo.load()
    services.remind_missing_values(at(2026, 11, 6))
    for month in range(1, 11) if values else []:
        enter_everything_but(catalog, cast, month)
    with django_assert_max_num_queries(3):
        assert services.remind_missing_values(at(2026, 11, 9)) == "提醒 0 人(10月未填报 0 项)"


def test_a_run_killed_after_telling_some_is_completed_by_the_next_without_telling_them_again(
    cast: Cast, catalog: Catalog, time_machine: Any
) -> None:
    calendar_demo.load()
    enter_everything_but(catalog, cast, 10, (catalog.invest, cast.township), (catalog.jobs, cast.village01))
    # What a run killed after its first recipient leaves behind: the village told, the others not.
    rows = services.missing_values(cast.township, services.Period(2026, 10))
    village = cast.user("cun01")
    services.notify([village], services._missing_message(village, services.Period(2026, 10), rows[1:]))

    assert run_on(time_machine, at(2026, 11, 6)) == "提醒 2 人(10月未填报 2 项)"
    assert len(told("cun01")) == 1 and len(told("jingfa")) == 1 and len(told("admin")) == 1
