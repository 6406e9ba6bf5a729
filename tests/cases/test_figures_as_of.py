"""Case figures as of a past moment are those of that moment, read from the cases' events: a case
resolved after it was open then (and overdue, past its deadline), one reopened after it was resolved."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from time_machine import TimeMachineFixture

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.states import State

BEIJING = ZoneInfo("Asia/Shanghai")
JUNE_END = datetime(2026, 6, 30, 23, 59, 59, tzinfo=BEIJING)
FIRST_HALF = (date(2026, 1, 1), date(2026, 6, 30))


def at(time_machine: TimeMachineFixture, *day: int) -> None:
    time_machine.move_to(datetime(*day, 10, tzinfo=BEIJING), tick=False)  # type: ignore[misc]


def test_a_case_resolved_after_the_moment_was_open_and_overdue_then(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    wangge = cast.user("wangge01")
    at(time_machine, 2026, 3, 2)
    case = act(wangge, make_case(wangge, cast.grid0101), "accept")
    at(time_machine, 2026, 7, 10)
    case = act(wangge, case, "resolve", note="已清运")
    at(time_machine, 2026, 11, 18)
    assert case.state == State.RESOLVED and case.deadline is not None and case.deadline < JUNE_END
    then = services.case_figures(cast.user("leader"), cast.township, *FIRST_HALF, now=JUNE_END).total
    assert case.pk in then.received_ids and case.pk not in then.resolved_ids
    assert case.pk in then.overdue_ids  # open past its deadline on 30 June
    assert services.states_on([case.pk], JUNE_END) == {case.pk: State.ACCEPTED}
    today = services.case_figures(cast.user("leader"), cast.township, *FIRST_HALF).total
    assert case.pk in today.resolved_ids and case.pk not in today.overdue_ids


def test_a_case_reopened_after_the_moment_was_resolved_then(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    wangge = cast.user("wangge01")
    at(time_machine, 2026, 3, 2)
    case = act(wangge, act(wangge, make_case(wangge, cast.grid0101), "accept"), "resolve", note="已清运")
    at(time_machine, 2026, 7, 10)
    case = act(cast.user("cun01"), case, "reopen", note="又有堆放")
    at(time_machine, 2026, 11, 18)
    assert case.state == State.REOPENED
    then = services.case_figures(cast.user("leader"), cast.township, *FIRST_HALF, now=JUNE_END).total
    assert case.pk not in then.overdue_ids
    assert services.states_on([case.pk], JUNE_END) == {case.pk: State.RESOLVED}
