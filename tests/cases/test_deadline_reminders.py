"""办理期限提醒: a case due within one working day (by the holiday table) is reminded to its handler and
its handling unit's people, once per deadline."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import TimeMachineFixture

from tests import factories
from tests.cases.conftest import act, make_case
from tests.cases.scheduled import at, count, due_on, told
from tests.conftest import Cast
from zhenwu.cases import reminders
from zhenwu.cases.models import Case
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import Department, Role

DEADLINE = Kind.DEADLINE


def test_a_case_due_monday_is_reminded_on_friday_afternoon_and_not_on_thursday(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 23))  # a Monday

    summary = reminders.remind_deadlines(at(time_machine, 2026, 11, 19, 14))  # Thursday
    assert told(case, DEADLINE) == set()
    assert "没有" in summary

    summary = reminders.remind_deadlines(at(time_machine, 2026, 11, 20, 14))  # Friday
    note = Notification.objects.get(kind=DEADLINE)
    assert note.recipient == cast.user("wangge01")
    assert note.title == f"事件 {case.number} 将于11月23日23:59到期"
    assert note.link == reverse("cases:case-detail", args=[case.pk])
    assert not note.urgent
    assert summary.startswith("到期提醒：通知 1 人次(1 件")


def test_on_the_eve_of_the_national_day_holiday_the_first_day_back_is_within_one_working_day(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 9, 21)
    first_day_back = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 10, 8))
    second_day_back = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 10, 9))

    reminders.remind_deadlines(at(time_machine, 2026, 9, 29, 14))  # Tuesday: Wednesday is the next day
    assert count(DEADLINE) == 0

    reminders.remind_deadlines(at(time_machine, 2026, 9, 30, 8))  # the last working day before 1-7 Oct
    assert told(first_day_back, DEADLINE) == {"wangge01"}
    assert told(second_day_back, DEADLINE) == set()


def test_the_handler_and_the_handling_units_people_are_told_and_nobody_else(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    township = cast.township
    zzzx = Department.objects.get(township=township, code="zzzx")
    intake = factories.user(Role.DEPARTMENT_STAFF, township, zzzx)
    factories.user(Role.GRID_WORKER, cast.other_grid)
    day = date(2026, 11, 19)
    in_grid = due_on(make_case(cast.user("wangge01"), cast.grid0101), day)
    in_village = due_on(make_case(cast.user("cun01"), cast.village01), day)
    assigned = due_on(make_case(cast.user("cun01"), cast.village01), day)
    assigned = act(cast.user("cun01"), assigned, "accept")
    assigned = act(cast.user("cun01"), assigned, "assign", assignee=cast.user("wangge01"))
    at_township = due_on(make_case(cast.user("admin"), cast.village01, "petition", "劳动保障"), day)
    # 南山村 has no account of its own: its cases' reminders go to the township.
    no_account = due_on(make_case(cast.user("admin"), cast.village03, level=2), day)

    reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 14))

    assert told(in_grid, DEADLINE) == {"wangge01"}
    assert told(in_village, DEADLINE) == {"cun01"}
    assert told(assigned, DEADLINE) == {"wangge01", "cun01"}
    assert told(at_township, DEADLINE) == {intake.username}  # the 综治中心 holds petitions, not the admin
    assert told(no_account, DEADLINE) == {"admin"}
    never = {"leader", "jingfa", "minzheng", "cun02", "xian"}
    assert not never & set(Notification.objects.values_list("recipient__username", flat=True))
    assert not Notification.objects.filter(recipient__org_unit__path__startswith=cast.other_county.path)


def test_a_township_office_without_staff_leaves_the_reminder_to_the_township_admin(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("admin"), cast.village01, "petition", "劳动保障"), date(2026, 11, 19))
    reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 14))
    assert told(case, DEADLINE) == {"admin"}


def test_cases_resolved_or_already_overdue_are_not_reminded(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    resolved = due_on(make_case(cast.user("cun01"), cast.village01), date(2026, 11, 19))
    resolved = act(cast.user("cun01"), act(cast.user("cun01"), resolved, "accept"), "resolve", note="已清运")
    due_on(make_case(cast.user("cun01"), cast.village01), date(2026, 11, 17))

    reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 14))
    assert count(DEADLINE) == 0


def test_a_second_run_reminds_nobody_again(cast: Cast, types: dict, time_machine: TimeMachineFixture) -> None:
    at(time_machine, 2026, 11, 16)
    for _ in range(3):
        due_on(make_case(cast.user("cun01"), cast.village01), date(2026, 11, 19))
    now = at(time_machine, 2026, 11, 18, 8)
    reminders.remind_deadlines(now)
    assert count(DEADLINE) == 3

    summary = reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 14))
    assert count(DEADLINE) == 3
    assert "3 件，均已通知过" in summary


def test_an_extended_deadline_is_reminded_again(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("admin"), cast.village01, "petition", "劳动保障"), date(2026, 11, 19))
    case = act(cast.user("admin"), case, "accept")
    reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 14))
    assert Notification.objects.filter(recipient=cast.user("admin"), kind=DEADLINE).count() == 1

    case = act(cast.user("admin"), case, "extend", note="需调查取证，延期30日")
    assert case.deadline is not None
    reminders.remind_deadlines(at(time_machine, 2026, 11, 18, 15))
    assert Notification.objects.filter(kind=DEADLINE).count() == 1  # the new deadline is a month away

    reminders.remind_deadlines(at(time_machine, 2026, 12, 18, 14))  # Friday before the new deadline
    titles = list(
        Notification.objects.filter(kind=DEADLINE).order_by("created_at").values_list("title", flat=True)
    )
    assert titles == [
        f"事件 {case.number} 将于11月19日23:59到期",
        f"事件 {case.number} 将于12月19日23:59到期",
    ]


def test_a_run_with_nothing_new_reads_the_same_whatever_the_number_of_cases(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    """Each batch reads its cases, people and earlier reminders at once: no query per case."""
    at(time_machine, 2026, 11, 16)
    now = at(time_machine, 2026, 11, 18, 14)

    def idle_run_queries() -> int:
        reminders.remind_deadlines(now)
        with CaptureQueriesContext(connection) as queries:
            reminders.remind_deadlines(now)
        return len(queries)

    for unit in (cast.grid0101, cast.village01, cast.village03):
        due_on(make_case(cast.user("admin"), unit), date(2026, 11, 19))
    few = idle_run_queries()
    for _ in range(4):
        for unit in (cast.grid0101, cast.village01, cast.village03):
            due_on(make_case(cast.user("admin"), unit), date(2026, 11, 19))
    assert Case.objects.count() == 15
    assert idle_run_queries() == few
