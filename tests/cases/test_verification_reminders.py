"""整改待核查: a case resolved more than three working days ago and not verified is reminded to those who
may verify it (never the person who resolved it or was charged with it), once per resolution."""

from __future__ import annotations

from datetime import date

from time_machine import TimeMachineFixture

from tests import factories
from tests.cases.conftest import act, make_case
from tests.cases.scheduled import at, count, due_on, told
from tests.conftest import Cast
from zhenwu.cases import reminders
from zhenwu.cases.models import Case
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import Department, Role, User

VERIFICATION = Kind.VERIFICATION


def resolved(user: User, case: Case) -> Case:
    return act(user, act(user, case, "accept"), "resolve", note="已整改到位")


def test_a_case_resolved_on_monday_is_reminded_on_friday_morning(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16, 8)
    case = make_case(cast.user("wangge01"), cast.grid0101)
    at(time_machine, 2026, 11, 16, 10)
    case = resolved(cast.user("wangge01"), case)

    reminders.remind_verifications(at(time_machine, 2026, 11, 19, 9))  # Thursday 10:00 is three days
    assert count(VERIFICATION) == 0

    summary = reminders.remind_verifications(at(time_machine, 2026, 11, 20, 9))
    note = Notification.objects.get(kind=VERIFICATION)
    assert note.recipient == cast.user("cun01")  # the village checks what its grid worker resolved
    assert note.title == f"事件 {case.number} 已办结超过3个工作日，待核查销号"
    assert "已整改到位" in note.body
    assert summary == "待核查提醒：通知 1 人次(1 件办结超过3个工作日未核查的事件)"


def test_the_national_day_holiday_is_not_counted_as_waiting(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 9, 29, 10)
    case = resolved(cast.user("wangge01"), make_case(cast.user("wangge01"), cast.grid0101))

    reminders.remind_verifications(at(time_machine, 2026, 10, 8, 9))  # nine days, one working day
    reminders.remind_verifications(at(time_machine, 2026, 10, 9, 9))  # 30 Sep, 8 Oct, 9 Oct at 10:00
    assert count(VERIFICATION) == 0
    reminders.remind_verifications(at(time_machine, 2026, 10, 10, 9))  # the make-up working Saturday
    assert told(case, VERIFICATION) == {"cun01"}


def test_who_resolved_or_was_charged_with_it_does_not_verify_it(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    zzzx = Department.objects.get(township=cast.township, code="zzzx")
    handler = factories.user(Role.DEPARTMENT_STAFF, cast.township, zzzx)
    colleague = factories.user(Role.DEPARTMENT_STAFF, cast.township, zzzx)
    at(time_machine, 2026, 11, 16, 8)
    in_village = resolved(cast.user("cun01"), make_case(cast.user("cun01"), cast.village01))
    petition = make_case(cast.user("admin"), cast.village01, "petition", "劳动保障")
    petition = act(handler, petition, "accept")
    petition = act(handler, petition, "assign", assignee=handler)
    petition = act(handler, petition, "resolve", note="已答复信访人")

    reminders.remind_verifications(at(time_machine, 2026, 11, 20, 9))

    # The village's only account resolved it: the township verifies.
    assert told(in_village, VERIFICATION) == {"admin"}
    # The office holds the petition: a colleague of the handler verifies, not the admin.
    assert told(petition, VERIFICATION) == {colleague.username}
    never = {"cun01", handler.username, "leader", "jingfa", "minzheng", "wangge01", "xian", "cun02"}
    assert not never & set(Notification.objects.values_list("recipient__username", flat=True))


def test_verified_cases_are_not_reminded_and_a_case_resolved_again_is(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 2, 8)
    verified = resolved(cast.user("wangge01"), make_case(cast.user("wangge01"), cast.grid0101))
    act(cast.user("cun01"), verified, "verify")
    again = resolved(cast.user("wangge01"), make_case(cast.user("wangge01"), cast.grid0101))

    reminders.remind_verifications(at(time_machine, 2026, 11, 9, 9))
    assert told(verified, VERIFICATION) == set()
    assert told(again, VERIFICATION) == {"cun01"}

    again = act(cast.user("cun01"), again, "reopen", note="垃圾又堆起来了")
    at(time_machine, 2026, 11, 10, 8)
    act(cast.user("wangge01"), again, "resolve", note="再次清运")
    reminders.remind_verifications(at(time_machine, 2026, 11, 16, 9))
    assert Notification.objects.filter(kind=VERIFICATION, recipient=cast.user("cun01")).count() == 2


def test_a_second_run_reminds_nobody_again(cast: Cast, types: dict, time_machine: TimeMachineFixture) -> None:
    at(time_machine, 2026, 11, 2, 8)
    for _ in range(2):
        resolved(cast.user("wangge01"), make_case(cast.user("wangge01"), cast.grid0101))
    now = at(time_machine, 2026, 11, 9, 9)
    reminders.remind_verifications(now)
    assert reminders.remind_verifications(now) == "待核查提醒：办结超过3个工作日未核查的事件 2 件，均已通知过"
    assert count(VERIFICATION) == 2


def test_open_cases_are_no_business_of_the_verification_job(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 2, 8)
    due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 3))
    assert reminders.remind_verifications(at(time_machine, 2026, 11, 9, 9)) == (
        "待核查提醒：没有办结超过3个工作日未核查的事件"
    )
