"""The to-do list as users meet it: `/todo/` with its kinds, the panel on the home page, the count in the
navigation, and `GET /api/v1/todo` for token and session clients, as the OpenAPI schema says."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from tests.households import factories as hh
from tests.web.test_dashboard_api import _nullable, _resolved
from zhenwu.cases.models import CaseType
from zhenwu.households import services as households


def _work_for_wangge01(cast: Cast) -> None:
    """Two grid cases to accept (one overdue) and a household to visit."""
    make_case(None, cast.grid0101, title="垃圾清运")
    make_case(
        cast.user("wangge01"), cast.grid0101, title="早已超期", backfilled=True,
        received_at=datetime(2026, 10, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    )  # fmt: skip
    hh.monitoring_case(cast.grid0101)


def test_the_page_lists_the_items_with_kind_due_date_and_overdue_mark(
    cast: Cast, client: Client, types: dict[str, CaseType]
) -> None:
    _work_for_wangge01(cast)
    client.force_login(cast.user("wangge01"))
    page = client.get(reverse("todo:list")).content.decode()
    assert "共 3 项，其中 1 项已逾期" in page
    assert page.index("早已超期") < page.index("走访监测户") < page.index("垃圾清运")
    assert page.count("已逾期</span>") == 1 and "截止 2026-11-20" in page
    assert "待受理 2" in page and "待走访 1" in page
    only_visits = client.get(reverse("todo:list"), {"kind": "visit"}).content.decode()
    assert "走访监测户" in only_visits and "垃圾清运" not in only_visits
    # a kind nobody knows shows everything, rather than failing
    assert "垃圾清运" in client.get(reverse("todo:list"), {"kind": "nonsense"}).content.decode()


def test_the_navigation_counts_the_items_and_the_home_page_shows_the_first(
    cast: Cast, client: Client, types: dict[str, CaseType]
) -> None:
    _work_for_wangge01(cast)
    client.force_login(cast.user("wangge01"))
    home = client.get(reverse("web:home")).content.decode()
    assert 'aria-label="待办 3 项"' in home and '<span class="nav-count">3</span>' in home
    assert 'id="todo-panel"' in home and "共 3 项，其中 1 项已逾期" in home and "早已超期" in home


def test_the_count_is_kept_a_minute_and_the_list_counts_anew(
    cast: Cast, client: Client, types: dict[str, CaseType]
) -> None:
    client.force_login(cast.user("wangge01"))
    assert 'aria-label="待办 0 项"' in client.get(reverse("cases:case-list")).content.decode()
    case = make_case(None, cast.grid0101)
    # another page within the minute shows the count it had
    assert 'aria-label="待办 0 项"' in client.get(reverse("cases:case-list")).content.decode()
    assert '<span class="nav-count">1</span>' in client.get(reverse("todo:list")).content.decode()
    act(cast.user("wangge01"), case, "reject", note="重复反映")
    cache.clear()  # a minute later
    assert 'aria-label="待办 0 项"' in client.get(reverse("cases:case-list")).content.decode()


def test_the_county_viewer_has_no_to_do_link_and_an_empty_list(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("xian"))
    home = client.get(reverse("web:home")).content.decode()
    assert "todo-link" not in home and "todo-panel" not in home
    assert "目前没有待办事项" in client.get(reverse("todo:list")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(reverse("todo:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the API ------------------------------------------------------------------------------------------


def _api(client: Client, **headers: Any) -> Any:
    return client.get(reverse("api:todo"), **headers)


def test_the_api_gives_the_list_to_a_token_client(
    cast: Cast, client: Client, types: dict[str, CaseType]
) -> None:
    _work_for_wangge01(cast)
    token = Token.objects.create(user=cast.user("wangge01"))
    response = _api(client, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["overdue"] == 1
    assert body["by_kind"]["accept"] == 2 and body["by_kind"]["visit"] == 1 and body["by_kind"]["verify"] == 0
    first = body["items"][0]
    assert set(first) == {"kind", "kind_label", "key", "title", "detail", "due", "overdue", "url"}
    assert first["title"] == "早已超期" and first["overdue"] is True and first["kind_label"] == "待受理"
    assert first["due"].endswith("+08:00") and first["url"].startswith("/cases/")
    visits = _api(client, HTTP_AUTHORIZATION=f"Token {token.key}", QUERY_STRING="kind=visit").json()
    assert [i["kind"] for i in visits["items"]] == ["visit"] and visits["count"] == 3


def test_the_api_refuses_an_unknown_kind_naming_the_parameter(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    response = client.get(reverse("api:todo"), {"kind": "everything"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"] and response.json()["detail"]


def test_the_api_answers_401_without_credentials(client: Client) -> None:
    response = _api(client)
    assert response.status_code == 401 and response.has_header("WWW-Authenticate")
    assert response.json()["detail"]


def test_the_schema_documents_the_list_and_every_roles_answer_fits_it(
    cast: Cast, client: Client, types: dict[str, CaseType]
) -> None:
    _work_for_wangge01(cast)
    hh_case = hh.monitoring_case(cast.grid0102)
    households.propose_elimination(
        hh_case, eliminated_on=hh_case.identified_on, reason="收入稳定", actor=cast.user("cun01")
    )
    client.force_login(cast.user("admin"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/todo"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["kind"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    answer = _nullable(_resolved(response, schema["components"]["schemas"]))
    for username in ("admin", "leader", "jingfa", "cun01", "wangge01", "xian"):
        client.force_login(cast.user(username))
        body = _api(client).json()
        jsonschema.validate(body, answer)
        assert (body["count"] > 0) == (username in ("leader", "cun01", "wangge01"))
