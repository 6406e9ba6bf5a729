"""A refused transition says its actual reason: the state the case is in and who put it there, the
rule that the one who closed a case cannot verify it, the user's role, or the unit or office that holds
the case; never just "您无权"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case
from zhenwu.cases.states import IllegalTransition


def refusal(user, case: Case, action: str, **data: object) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(IllegalTransition) as refused:
        act(user, case, action, **data)
    message = str(refused.value)
    assert "无权" not in message
    return message


def test_the_one_who_resolved_a_case_is_told_that_they_cannot_verify_it(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    act(cast.user("cun01"), case, "accept")
    act(cast.user("cun01"), case, "resolve", note="已清运")
    message = refusal(cast.user("cun01"), case, "verify")
    assert re.fullmatch(r"该事件由您于11月18日 10:\d\d办结，办结人不能核查销号，须由他人核查。", message)
    assert act(cast.user("leader"), case, "verify").state == "verified"


def test_the_assignee_is_told_that_the_one_charged_with_a_case_cannot_verify_it(
    cast: Cast, types: dict
) -> None:
    case = make_case(cast.user("leader"), cast.village01)
    act(cast.user("leader"), case, "accept")
    act(cast.user("leader"), case, "assign", assignee=cast.user("cun01"))
    act(cast.user("leader"), case, "resolve", note="已清运")
    message = refusal(cast.user("cun01"), case, "reopen", note="没清干净")
    assert "您是该事件的承办人" in message and "重新办理" in message


def test_a_wrong_state_names_who_moved_the_case_there_and_when(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    act(cast.user("leader"), case, "accept")
    message = refusal(cast.user("cun01"), case, "reject", note="不属实")
    assert re.fullmatch(r"该事件已由钱镇长于11月18日 10:\d\d受理，当前状态为“受理”，不能不予受理。", message)


def test_a_county_viewer_is_told_their_role_only_looks(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    assert "县级查看" in refusal(cast.user("xian"), case, "accept")


def test_office_staff_are_told_which_office_holds_the_case(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.township, "petition", "劳动保障")  # held by 综治中心
    message = refusal(cast.user("jingfa"), case, "accept")
    assert "综治中心" in message and "经发办" in message


def test_a_grid_worker_is_told_the_case_has_moved_out_of_their_grid(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    act(cast.user("wangge01"), case, "escalate", note="需村里协调")
    message = refusal(cast.user("wangge01"), case, "accept")
    assert cast.village01.name in message
    assert cast.grid0101.name in message


def test_acting_on_a_page_someone_else_moved_on_names_them(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障")
    seen = case.version
    services.transition(cast.user("leader"), case.pk, "accept", seen)
    with pytest.raises(services.StaleCase, match=r"该事件已被钱镇长于11月18日 10:\d\d处理（受理），请刷新"):
        services.transition(
            cast.user("admin"), case.pk, "reject", seen, services.TransitionInput(note="重复")
        )


def test_the_case_page_shows_the_reason(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    act(cast.user("cun01"), case, "accept")
    act(cast.user("cun01"), case, "resolve", note="已清运")
    client.force_login(cast.user("cun01"))
    fresh = Case.objects.get(pk=case.pk)
    page = client.post(f"/cases/{case.pk}/", {"action": "verify", "version": fresh.version})
    assert "办结人不能核查销号" in page.content.decode()
