"""The state machine refuses what the state or the user's part does not allow, and events cannot be edited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import states
from zhenwu.cases.models import CaseEvent
from zhenwu.cases.states import IllegalTransition, Party, State


def test_a_reported_case_cannot_be_verified(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    with pytest.raises(IllegalTransition, match="当前状态为“上报”，不能核查销号"):
        act(cast.user("leader"), case, "verify")


def test_a_county_viewer_may_look_but_not_act(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    with pytest.raises(IllegalTransition, match="您的角色是“县级查看”，只能查看事件"):
        act(cast.user("xian"), case, "accept")


def test_office_staff_act_only_on_cases_their_office_holds(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.township, "petition", "劳动保障")  # held by 综治中心
    with pytest.raises(IllegalTransition, match="该事件由综治中心承办，不是您所在的经发办"):
        act(cast.user("jingfa"), case, "accept")
    act(cast.user("leader"), case, "accept")
    case = act(cast.user("leader"), case, "assign", department=cast.jingfa_department)
    case = act(cast.user("jingfa"), case, "start")
    assert case.state == State.IN_PROGRESS


def test_a_grid_worker_cannot_act_on_another_grids_case(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("cun01"), cast.grid0102)
    with pytest.raises(Http404):
        act(cast.user("wangge01"), case, "accept")


def test_an_illegal_transition_changes_nothing(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    with pytest.raises(ValidationError, match="不予受理的理由"):
        act(cast.user("cun01"), case, "reject")
    case.refresh_from_db()
    assert case.state == State.REPORTED and case.version == 1
    assert case.events.count() == 1


def test_the_state_machine_gives_each_party_only_its_transitions() -> None:
    assert [t.action for t in states.allowed(State.RESOLVED, frozenset({Party.HANDLER}))] == ["follow_up"]
    assert {t.action for t in states.allowed(State.RESOLVED, frozenset({Party.VERIFIER}))} == {
        "verify",
        "reopen",
    }
    assert states.outcome(State.REJECTED) is states.Outcome.NOT_FIXED
    assert states.outcome(State.RESOLVED) is states.Outcome.FIXED
    assert all(not states.is_open(s) for s in (State.VERIFIED, State.MERGED))


def test_case_events_cannot_be_edited_even_in_sql(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    event = case.events.get()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_office_staff_see_the_townships_cases_and_can_narrow_to_their_office(cast, types, client) -> None:  # type: ignore[no-untyped-def]
    leader = cast.user("leader")
    ours = make_case(leader, cast.township, "petition", "劳动保障", title="经发办的")
    act(leader, ours, "accept")
    act(leader, ours, "assign", department=cast.jingfa_department)
    make_case(leader, cast.village01, "petition", "土地征收", title="综治中心的")
    client.force_login(cast.user("jingfa"))
    everything = client.get("/cases/").content.decode()
    assert "经发办的" in everything and "综治中心的" in everything
    mine = client.get("/cases/", {"my_office": "on"}).content.decode()
    assert "经发办的" in mine and "综治中心的" not in mine
