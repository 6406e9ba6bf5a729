"""Each case type can be taken through its whole life, with the deadlines its type and the calendar set."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import CaseEvent
from zhenwu.cases.states import IllegalTransition, State

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_grid_event_goes_from_report_to_verified_closure_by_three_people(cast: Cast, types: dict) -> None:
    wangge, cun01, leader = cast.user("wangge01"), cast.user("cun01"), cast.user("leader")
    case = make_case(wangge, cast.grid0101, level=2)
    assert case.state == State.REPORTED and case.handling_unit == cast.village01
    for user, action, note in [
        (cun01, "accept", ""),
        (cun01, "start", ""),
        (cun01, "resolve", "已清运"),
    ]:
        if action == "start":
            act(cun01, case, "assign", assignee=cun01)
        case = act(user, case, action, note=note)
    with pytest.raises(IllegalTransition, match="办结人不能核查销号"):
        act(cun01, case, "verify")  # the one who resolved it may not verify it
    case = act(leader, case, "verify")
    assert case.state == State.VERIFIED and case.verified_at is not None
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["report", "accept", "assign", "start", "resolve", "verify"]
    assert case.version == 6


def test_a_level_one_event_stays_in_the_grid_and_the_village_verifies(cast: Cast, types: dict) -> None:
    wangge = cast.user("wangge01")
    case = make_case(wangge, cast.grid0101)
    assert case.level == 1 and case.handling_unit == cast.grid0101
    case = act(wangge, case, "accept")
    case = act(wangge, case, "resolve", note="已劝离")
    case = act(cast.user("cun01"), case, "verify")
    assert case.state == State.VERIFIED


def test_escalation_moves_the_case_up_the_tree(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    case = act(cast.user("wangge01"), case, "escalate", note="涉及多户，网格内无法处置")
    assert case.state == State.ESCALATED and case.level == 2 and case.handling_unit == cast.village01
    case = act(cast.user("cun01"), case, "escalate", note="需乡镇协调")
    assert case.level == 3 and case.handling_unit == cast.township
    assert case.handling_department is not None and case.handling_department.code == "zzzx"
    assert "escalate" not in [t.action for t in services.allowed_transitions(cast.user("leader"), case)]
    # the village no longer acts on it, though it still sees it
    with pytest.raises(IllegalTransition):
        act(cast.user("cun01"), case, "accept")
    assert services.get_case(cast.user("cun01"), case.pk) == case


def test_a_petition_has_fifteen_days_to_accept_sixty_to_close_and_one_extension_of_thirty(
    cast: Cast, types: dict
) -> None:
    received = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    case = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障", received_at=received)
    assert timezone.localdate(case.acceptance_deadline) == date(2026, 3, 17)
    assert timezone.localdate(case.deadline) == date(2026, 5, 1)
    case = act(cast.user("leader"), case, "accept")
    with pytest.raises(ValidationError):
        act(cast.user("leader"), case, "extend")  # a reason is required
    case = act(cast.user("leader"), case, "extend", note="需调取劳动合同")
    assert timezone.localdate(case.deadline) == date(2026, 5, 31)
    with pytest.raises(IllegalTransition, match="延期过一次"):
        act(cast.user("leader"), case, "extend", note="再延")


def test_a_disclosure_request_counts_twenty_working_days_over_national_day(cast: Cast, types: dict) -> None:
    received = datetime(2025, 9, 26, 10, 0, tzinfo=SHANGHAI)
    case = make_case(cast.user("admin"), cast.township, "disclosure", "财政资金", received_at=received)
    assert timezone.localdate(case.deadline) == date(2025, 10, 30)
    case = act(cast.user("admin"), case, "accept")
    case = act(cast.user("admin"), case, "extend", note="需征求第三方意见")
    # twenty more working days from 30 October 2025
    assert timezone.localdate(case.deadline) == date(2025, 11, 27)


def test_a_hotline_ticket_needs_its_own_deadline_and_records_the_reply(cast: Cast, types: dict) -> None:
    with pytest.raises(ValidationError, match="逐件设定"):
        make_case(cast.user("admin"), cast.village01, "hotline", "投诉")
    case = make_case(
        cast.user("admin"), cast.village01, "hotline", "投诉", deadline_days=3, external_number="12345-0001"
    )
    assert case.handling_department is not None and case.handling_department.code == "dzb"
    admin = cast.user("admin")
    case = act(admin, case, "accept")
    case = act(admin, case, "assign", unit=cast.village01)
    case = act(cast.user("cun01"), case, "resolve", note="已致电来电人答复：周末前修复")
    case = act(admin, case, "verify")
    assert case.resolution.startswith("已致电") and case.state == State.VERIFIED


def test_a_hazard_gets_a_numbered_notice_and_is_closed_by_someone_else(cast: Cast, types: dict) -> None:
    admin, leader = cast.user("admin"), cast.user("leader")
    case = make_case(leader, cast.village01, "hazard", "自建房", place="东岗村3组")
    case = act(admin, case, "accept")
    case = act(admin, case, "assign", assignee=admin)
    notice = services.issue_rectification_notice(
        admin,
        case,
        addressee="王某",
        requirements="拆除违规加层",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    assert notice.number == f"安整改〔{timezone.localdate().year}〕1号"
    case = act(admin, case, "resolve", note="已拆除")
    with pytest.raises(IllegalTransition):
        act(admin, case, "verify")
    case = act(leader, case, "verify")
    assert case.state == State.VERIFIED


def test_a_closed_case_can_be_reopened_with_a_reason(cast: Cast, types: dict) -> None:
    wangge, cun01 = cast.user("wangge01"), cast.user("cun01")
    case = make_case(wangge, cast.grid0101)
    case = act(wangge, case, "accept")
    case = act(wangge, case, "resolve", note="已处理")
    case = act(cun01, case, "verify")
    with pytest.raises(ValidationError, match="重新办理的理由"):
        act(cun01, case, "reopen")
    case = act(cun01, case, "reopen", note="群众反映垃圾又堆起来了")
    assert case.state == State.REOPENED and case.resolved_at is None and case.is_open


def test_rejecting_closes_without_fixing(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.village01, "petition", "其他")
    case = act(cast.user("leader"), case, "reject", note="属于诉讼渠道")
    assert case.state == State.REJECTED and not case.is_open and case.outcome == "not_fixed"


def test_a_hazard_follow_up_is_recorded_without_changing_the_state(cast: Cast, types: dict) -> None:
    admin = cast.user("admin")
    case = make_case(cast.user("leader"), cast.village01, "hazard", "消防")
    case = act(admin, case, "accept")
    case = act(admin, case, "follow_up", note="复查：通道已清理一半")
    assert case.state == State.ACCEPTED
    assert case.events.last().note == "复查：通道已清理一半"


def test_a_handler_returns_a_wrongly_assigned_case_and_it_is_assigned_again(cast: Cast, types: dict) -> None:
    leader, jingfa = cast.user("leader"), cast.user("jingfa")
    case = make_case(leader, cast.township, "petition", "土地征收")
    case = act(leader, case, "accept")
    case = act(leader, case, "assign", department=cast.jingfa_department)
    with pytest.raises(ValidationError, match="退回理由"):
        act(jingfa, case, "return")
    case = act(jingfa, case, "return", note="征地事项不属经发办职责")
    assert case.state == State.RETURNED and case.handling_department.code == "zzzx"
    case = act(leader, case, "assign", unit=cast.village01)
    assert case.state == State.ASSIGNED and case.handling_unit == cast.village01
    assert case.events.last().details == {"handling_unit": "东岗村"}


def test_a_petition_not_accepted_in_fifteen_days_is_marked(cast: Cast, types: dict) -> None:
    received = timezone.now() - timedelta(days=20)
    case = make_case(cast.user("leader"), cast.village01, "petition", "其他", received_at=received)
    assert case.is_acceptance_overdue()
    case = act(cast.user("leader"), case, "accept")
    assert not case.is_acceptance_overdue()
