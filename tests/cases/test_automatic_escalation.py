"""超期自动升级: an overdue case moves up by its type's rule, counted in working days by the holiday table,
once per rule, as an event by the system naming the rule; the new handling unit's people are told."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import TimeMachineFixture

from tests import factories
from tests.cases.conftest import act, make_case
from tests.cases.scheduled import at, count, due_on, told
from tests.conftest import Cast
from zhenwu.cases import catalog, reminders, services
from zhenwu.cases.models import Case, CaseEvent, CaseType, EscalationRule
from zhenwu.cases.states import State
from zhenwu.jobs import registry
from zhenwu.jobs import services as jobs
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import Department, Role

ESCALATION = Kind.ESCALATION


def rule(type_code: str, from_level: int | None) -> EscalationRule:
    return EscalationRule.objects.get(case_type__code=type_code, from_level=from_level)


def rule_events(case: Case) -> list[CaseEvent]:
    return list(case.events.filter(action="escalate", actor__isnull=True).order_by("at", "pk"))


def test_a_level_one_event_two_working_days_overdue_goes_to_the_village(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))  # a Friday
    case = act(cast.user("wangge01"), case, "accept")

    reminders.escalate_overdue(at(time_machine, 2026, 11, 24, 23, 30))  # Monday and Tuesday not yet over
    assert rule_events(case) == []

    summary = reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 0, 30))
    case.refresh_from_db()
    assert (case.state, case.level, case.handling_unit, case.assignee) == (
        State.ESCALATED,
        2,
        cast.village01,
        None,
    )
    [event] = rule_events(case)
    assert (event.actor, event.actor_name) == (None, "系统")
    assert (event.from_state, event.to_state) == (State.ACCEPTED, State.ESCALATED)
    assert event.note == "超期2个工作日自动升级：一级事件→村级"
    assert event.details["rule"] == rule("grid_event", 1).pk
    assert event.details["rule_name"] == event.note
    assert event.details["handling_unit"] == cast.village01.name
    note = Notification.objects.get(kind=ESCALATION)
    assert note.recipient == cast.user("cun01") and note.urgent
    assert note.title == f"事件 {case.number} 超期2个工作日，已自动升级至{cast.village01.name}"
    assert note.link == reverse("cases:case-detail", args=[case.pk])
    assert summary == "自动升级 1 件超期事件，通知 1 人次"


def test_the_national_day_holiday_does_not_count_as_overdue_days(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 9, 21)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 9, 30))

    reminders.escalate_overdue(at(time_machine, 2026, 10, 7, 12))  # a week overdue, all of it holiday
    reminders.escalate_overdue(at(time_machine, 2026, 10, 9, 12))  # 8 Oct is one working day, 9 Oct two
    assert rule_events(case) == []

    reminders.escalate_overdue(at(time_machine, 2026, 10, 10, 0, 30))
    assert len(rule_events(case)) == 1


def test_a_level_two_event_goes_to_the_township_office_that_takes_in_its_type(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    zzzx = Department.objects.get(township=cast.township, code="zzzx")
    intake = factories.user(Role.DEPARTMENT_STAFF, cast.township, zzzx)
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("cun01"), cast.village01), date(2026, 11, 20))
    assert case.level == 2

    reminders.escalate_overdue(at(time_machine, 2026, 11, 27, 12))  # the fifth working day after
    assert rule_events(case) == []
    reminders.escalate_overdue(at(time_machine, 2026, 11, 28, 0, 30))

    case.refresh_from_db()
    assert (case.level, case.handling_unit, case.handling_department) == (3, cast.township, zzzx)
    assert rule_events(case)[0].note == "超期5个工作日自动升级：二级事件→乡镇"
    assert told(case, ESCALATION) == {intake.username}  # not the admin, not another office


def test_a_level_one_event_climbs_one_rule_at_a_time_and_each_rule_once(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))

    reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 9))
    reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 9, 30))
    case.refresh_from_db()
    assert (case.level, case.handling_unit) == (2, cast.village01)

    reminders.escalate_overdue(at(time_machine, 2026, 11, 28, 9))
    reminders.escalate_overdue(at(time_machine, 2026, 11, 30, 9))
    case.refresh_from_db()
    assert (case.level, case.handling_unit) == (3, cast.township)
    assert [e.details["rule"] for e in rule_events(case)] == [
        rule("grid_event", 1).pk,
        rule("grid_event", 2).pk,
    ]
    assert told(case, ESCALATION) == {"cun01", "admin"}


def test_an_event_a_week_late_climbs_to_the_township_in_one_run_telling_only_the_township(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))

    summary = reminders.escalate_overdue(at(time_machine, 2026, 11, 28, 9))  # both rules are due
    case.refresh_from_db()
    assert (case.level, case.handling_unit, case.state) == (3, cast.township, State.ESCALATED)
    assert [e.note for e in rule_events(case)] == [
        "超期2个工作日自动升级：一级事件→村级",
        "超期5个工作日自动升级：二级事件→乡镇",
    ]
    assert told(case, ESCALATION) == {"admin"}  # the village never held it: not told
    note = Notification.objects.get(kind=ESCALATION)
    assert "一级事件→村级；超期5个工作日自动升级：二级事件→乡镇" in note.body
    assert summary == "自动升级 1 件超期事件，通知 1 人次"
    assert reminders.escalate_overdue(at(time_machine, 2026, 11, 28, 9, 30)).startswith("没有需要")


def test_a_hazard_handed_down_comes_back_to_the_township_once(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    hazard = make_case(cast.user("wangge01"), cast.grid0101, "hazard", "自建房")
    hazard = act(cast.user("admin"), hazard, "accept")
    hazard = act(cast.user("admin"), hazard, "assign", unit=cast.village01)
    hazard = due_on(hazard, date(2026, 11, 20))
    at_township = due_on(
        make_case(cast.user("wangge01"), cast.grid0101, "hazard", "消防"), date(2026, 11, 20)
    )

    reminders.escalate_overdue(at(time_machine, 2026, 11, 26, 0, 30))  # three working days past
    hazard.refresh_from_db()
    assert (hazard.handling_unit, hazard.handling_department.code) == (cast.township, "yjb")
    assert rule_events(hazard)[0].note == "超期3个工作日自动升级：任何级别→乡镇"
    assert told(hazard, ESCALATION) == {"anquan"}  # the 应急管理办 holds it now: its staff are told
    assert rule_events(at_township) == []  # nothing above the township to go to

    # The township hands it down again: the rule has escalated it once, and does not again.
    hazard = act(cast.user("admin"), hazard, "accept")
    hazard = act(cast.user("admin"), hazard, "assign", unit=cast.village01)
    reminders.escalate_overdue(at(time_machine, 2026, 12, 3, 9))
    hazard.refresh_from_db()
    assert hazard.handling_unit == cast.village01
    assert len(rule_events(hazard)) == 1


def test_types_without_rules_and_rules_switched_off_escalate_nothing(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    EscalationRule.objects.filter(case_type__code="grid_event").update(active=False)
    at(time_machine, 2026, 11, 2)
    petition = due_on(
        make_case(cast.user("cun01"), cast.village01, "petition", "劳动保障"), date(2026, 11, 3)
    )
    event = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 3))

    summary = reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 9))
    assert rule_events(petition) == rule_events(event) == []
    assert summary.startswith("没有需要自动升级的事件")

    EscalationRule.objects.all().update(active=False)
    assert reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 9)) == "没有启用的自动升级规则"


def test_an_imported_case_is_overdue_only_from_its_import(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 6, 20)
    case = make_case(cast.user("wangge01"), cast.grid0101)
    imported_at = at(time_machine, 2026, 11, 20, 10)  # a Friday; the ledger's deadline was in July
    case = due_on(case, date(2026, 7, 1), imported_at=imported_at, ledger_number="2026-017")

    reminders.escalate_overdue(at(time_machine, 2026, 11, 24, 9))  # Monday 1, Tuesday 10:00 is 2
    assert rule_events(case) == []
    reminders.escalate_overdue(at(time_machine, 2026, 11, 24, 10, 30))
    assert len(rule_events(case)) == 1


def test_a_second_run_escalates_nothing_and_tells_nobody_again(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    cases = [due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20)) for _ in range(3)]
    now = at(time_machine, 2026, 11, 25, 9)

    assert reminders.escalate_overdue(now) == "自动升级 3 件超期事件，通知 3 人次"
    assert reminders.escalate_overdue(now).startswith("没有需要自动升级的事件")
    assert [len(rule_events(case)) for case in cases] == [1, 1, 1]
    assert count(ESCALATION) == 3
    assert {c.version for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {cases[0].version + 1}


def test_a_person_who_loaded_the_case_before_the_escalation_is_told_to_refresh(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    at(time_machine, 2026, 11, 16)
    case = due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))
    seen = case.version
    reminders.escalate_overdue(at(time_machine, 2026, 11, 25, 9))
    with pytest.raises(services.StaleCase):
        services.transition(cast.user("wangge01"), case.pk, "accept", seen)


def test_an_idle_run_reads_the_same_whatever_the_number_of_overdue_cases(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    """Cases overdue by calendar days but not yet by working days are read, in one batch, and left."""
    at(time_machine, 2026, 11, 16)
    now = at(time_machine, 2026, 11, 24, 12)  # Friday's deadline: four days, one and a half working days

    def idle_run_queries() -> int:
        cases = Case.objects.count()
        assert reminders.escalate_overdue(now) == f"没有需要自动升级的事件(查看超期事件 {cases} 件)"
        with CaptureQueriesContext(connection) as queries:
            reminders.escalate_overdue(now)
        return len(queries)

    def overdue_cases(n: int) -> None:
        for _ in range(n):
            due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))
            due_on(make_case(cast.user("admin"), cast.village03, level=2), date(2026, 11, 17))

    overdue_cases(1)
    few = idle_run_queries()
    overdue_cases(5)
    assert idle_run_queries() == few


def test_the_job_is_declared_and_its_run_recorded(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    names = {job.name for job in registry.jobs()}
    assert {"deadline_reminders", "escalate_overdue_cases", "verification_reminders"} <= names
    at(time_machine, 2026, 11, 16)
    due_on(make_case(cast.user("wangge01"), cast.grid0101), date(2026, 11, 20))
    run = jobs.run_job("escalate_overdue_cases", at(time_machine, 2026, 11, 25, 9))
    assert run.ok and run.summary == "自动升级 1 件超期事件，通知 1 人次"


# --- the rules are data ---------------------------------------------------------------------------


def test_the_standard_rules_are_installed_once_and_an_admins_edit_is_kept(cast: Cast, types: dict) -> None:
    described = sorted(str(r) for r in EscalationRule.objects.all())
    assert described == [
        "安全隐患排查整治：超期3个工作日自动升级：任何级别→乡镇",
        "网格事件：超期2个工作日自动升级：一级事件→村级",
        "网格事件：超期5个工作日自动升级：二级事件→乡镇",
    ]
    EscalationRule.objects.filter(case_type__code="hazard").update(overdue_days=5, active=False)
    catalog.install()
    assert EscalationRule.objects.count() == 3
    assert rule("hazard", None).overdue_days == 5 and not rule("hazard", None).active


@pytest.mark.parametrize(
    ("type_code", "from_level", "to_level", "field"),
    [
        ("grid_event", 2, 2, "to_level"),  # must go up
        ("petition", 1, 3, "from_level"),  # a type without levels takes any level
        ("grid_event", 1, 3, "from_level"),  # the type has a rule for level 1 already
    ],
)
def test_a_rule_that_cannot_work_is_refused_naming_the_field(
    cast: Cast, types: dict, type_code: str, from_level: int, to_level: int, field: str
) -> None:
    bad = EscalationRule(
        case_type=CaseType.objects.get(code=type_code),
        from_level=from_level,
        overdue_days=2,
        to_level=to_level,
    )
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert field in refused.value.message_dict


def test_township_admins_edit_the_rules_with_the_case_type_in_the_admin_site(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    grid_event = types["grid_event"]
    page = client.get(reverse("admin:cases_casetype_change", args=[grid_event.pk]))
    assert page.status_code == 200
    assert "自动升级规则" in page.content.decode() and "超期工作日" in page.content.decode()
    client.force_login(cast.user("cun01"))
    assert client.get(reverse("admin:cases_casetype_change", args=[grid_event.pk])).status_code != 200
