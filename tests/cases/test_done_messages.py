"""After an action the page says what was done and to which case ("已受理WG…", "已将WG…分派至…"),
not "已保存"."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases.models import Case


def done(client: Client, case: Case, action: str, **data: object) -> str:
    fresh = Case.objects.get(pk=case.pk)
    url = reverse("cases:case-detail", kwargs={"pk": case.pk})
    response = client.post(url, {"action": action, "version": fresh.version, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return [str(m) for m in get_messages(response.wsgi_request)][-1]  # earlier ones wait for a page


def test_each_step_of_a_case_names_the_case_and_what_was_done(
    cast: Cast, types: dict, client: Client
) -> None:
    case = make_case(cast.user("leader"), cast.village01)
    number = case.number
    client.force_login(cast.user("leader"))
    assert done(client, case, "accept") == f"已受理{number}。"
    grid = cast.grid0101
    assert done(client, case, "assign", unit=grid.pk) == f"已将{number}分派至{grid.name}。"
    client.force_login(cast.user("cun01"))
    assert done(client, case, "resolve", note="已清运") == f"已办结{number}。"
    client.force_login(cast.user("leader"))
    assert done(client, case, "verify") == f"已核查销号{number}。"


def test_a_follow_up_and_an_escalation_say_so(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("wangge01"))
    assert done(client, case, "escalate", note="需村里协调") == (
        f"已将{case.number}上报升级至{cast.village01.name}。"
    )
    client.force_login(cast.user("cun01"))
    done(client, case, "accept")
    assert done(client, case, "follow_up", note="已联系") == f"已为{case.number}添加跟进记录。"


def test_logging_a_visit_names_whom(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    response = client.post(
        reverse("cases:visit-list"), {"target_kind": "household", "target": "张三户", "note": ""}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已登记对张三户的走访。"]
