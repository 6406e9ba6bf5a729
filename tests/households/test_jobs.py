"""The unvisited-households job: from the 20th, the grid worker of each household under monitoring not
visited this month, and its village's staff, are told once a month which households are still to visit,
with numbers and masked names only; nobody else is told."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import services
from zhenwu.households.models import MonitoringCase
from zhenwu.jobs.registry import job
from zhenwu.jobs.services import run_job
from zhenwu.notifications.models import Kind, Notification
from zhenwu.notifications.services import Message

BEIJING = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


def run_on(time_machine: Any, moment: datetime) -> str:
    time_machine.move_to(moment)
    return run_job("unvisited_households").summary


def told(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, kind=Kind.UNVISITED))


def monitored(unit: Any) -> MonitoringCase:
    return factories.monitoring_case(unit, identified_on=date(2026, 6, 1))


def test_from_the_20th_the_grid_worker_and_the_village_hear_of_the_households_not_visited_this_month(
    cast: Cast, time_machine: Any
) -> None:
    first = monitored(cast.grid0101)
    visited = monitored(cast.grid0101)
    other_grid = monitored(cast.grid0102)
    other_village = monitored(cast.village02)
    worker = cast.user("wangge01")
    services.record_visit(visited, visited_on=date(2026, 11, 3), note="入户核实收入", actor=worker)
    services.record_visit(first, visited_on=date(2026, 10, 28), note="上月走访", actor=worker)

    assert run_on(time_machine, at(11, 19)).startswith("未到提醒日")
    assert not Notification.objects.exists()

    assert run_on(time_machine, at(11, 20)) == "提醒 3 人(本月未走访监测户 3 户)"

    [worker] = told("wangge01")
    number, head = first.household.number, first.household.members.get(relation="head").name
    assert worker.title == "11月尚有1户监测对象未走访"
    assert worker.body.splitlines() == [
        "截至11月20日，以下监测户本月尚未走访，请在月底前走访并登记：",
        f"{number} {head[0]}{'*' * (len(head) - 1)} 边缘易致贫户",
    ]
    assert worker.link == f"/households/monitoring/?unit={cast.grid0101.code}"
    [village] = told("cun01")
    assert [line.split()[0] for line in village.body.splitlines()[1:]] == sorted(
        [first.household.number, other_grid.household.number]
    )
    assert f"（{cast.grid0102.name}）" in village.body
    [neighbour] = told("cun02")
    assert other_village.household.number in neighbour.body
    for nobody in ("admin", "leader", "jingfa", "minzheng", "xian", "outsider"):
        assert told(nobody) == [], nobody


def test_no_identity_number_phone_or_full_name_is_in_a_notification(cast: Cast, time_machine: Any) -> None:
    case = monitored(cast.grid0101)
    run_on(time_machine, at(11, 21))
    [notification] = told("wangge01")
    text = notification.title + notification.body
    for member in case.household.members.all():
        assert member.name not in text
        assert member.full_id_number() not in text and member.full_id_number()[-4:] not in text
        if member.phone_cipher:
            assert member.full_phone() not in text
    assert not re.search(r"\d{11}", text)


def test_running_twice_or_every_day_to_the_months_end_tells_nobody_twice(
    cast: Cast, time_machine: Any
) -> None:
    monitored(cast.grid0101)
    run_on(time_machine, at(11, 20))
    made = Notification.objects.count()
    assert made == 2
    for day in (20, 23, 30):
        assert run_on(time_machine, at(11, day, 10)).startswith("提醒 0 人")
    assert Notification.objects.count() == made
    # December is a month of its own.
    run_on(time_machine, at(12, 20))
    assert Notification.objects.count() == 2 * made


def test_a_household_no_longer_monitored_or_visited_this_month_is_not_listed(
    cast: Cast, time_machine: Any
) -> None:
    proposed = monitored(cast.grid0101)
    services.propose_elimination(proposed, eliminated_on=date(2026, 11, 10), reason="收入稳定超过监测线")
    visited = monitored(cast.grid0101)
    services.record_visit(visited, visited_on=date(2026, 11, 1), note="走访", actor=cast.user("wangge01"))
    assert run_on(time_machine, at(11, 25)) == "提醒 0 人(本月未走访监测户 0 户)"


def test_a_run_killed_after_telling_the_village_tells_the_grid_worker_only(
    cast: Cast, time_machine: Any
) -> None:
    monitored(cast.grid0101)
    village = cast.user("cun01")
    # What a run killed after its first recipient leaves behind: the village told, the grid worker not.
    key = f"unvisited:2026-11:unit:{cast.village01.pk}"
    services.notify([village], Message(Kind.UNVISITED, key, "11月尚有1户监测对象未走访"))
    assert run_on(time_machine, at(11, 20)) == "提醒 1 人(本月未走访监测户 1 户)"
    assert len(told("cun01")) == 1 and len(told("wangge01")) == 1


def test_the_job_reads_only_the_households_under_monitoring(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    """Households not monitored are never read: the queries do not grow with the register."""
    for _ in range(20):
        factories.household(cast.grid0101)
    monitored(cast.grid0101)
    services.remind_unvisited(at(11, 20))
    with django_assert_max_num_queries(2):  # the households due, and who has not been told of them
        services.remind_unvisited(at(11, 21))


def test_the_job_is_scheduled_every_morning_from_the_20th() -> None:
    found = job("unvisited_households")
    assert found is not None and found.schedule.describe() == "每月20-31日 09:00"
    # huey tests naive minutes of Beijing time.
    assert found.schedule.matches(datetime(2026, 11, 20, 9, 0))  # noqa: DTZ001
    assert found.schedule.matches(datetime(2026, 11, 30, 9, 0))  # noqa: DTZ001
    assert not found.schedule.matches(datetime(2026, 11, 19, 9, 0))  # noqa: DTZ001
