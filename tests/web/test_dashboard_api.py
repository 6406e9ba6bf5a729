"""`GET /api/v1/dashboard`: what the leaders' dashboard shows, as JSON, for the caller's scope, with the
page's own numbers (one build makes both), decimals as strings, and the shape the OpenAPI schema states."""

from __future__ import annotations

from typing import Any

import jsonschema
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.web.conftest import League, add_cases
from tests.web.test_dashboard_cache import figure
from tests.web.test_dashboard_ranking import INDICATORS, ON_TIME, RESOLUTION, table
from zhenwu.indicators.models import Target
from zhenwu.web.dashboard import Dashboard

URL = reverse("api:dashboard")
PAGE = reverse("web:dashboard")


def api(client: Client, user: Any, query: str = "") -> dict[str, Any]:
    client.force_login(user)
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def page_board(client: Client, user: Any, query: str = "") -> Dashboard:
    client.force_login(user)
    return client.get(f"{PAGE}?{query}" if query else PAGE).context["board"]  # type: ignore[no-any-return]


def township_targets(league: League) -> None:
    Target.objects.bulk_create(
        Target(indicator=indicator, org_unit=league.township, year=2026, value=600)
        for indicator in (league.i1, league.i2)
    )


def test_the_api_says_what_the_page_shows(league: League, client: Client) -> None:
    township_targets(league)
    board = page_board(client, league.leader)
    body = api(client, league.leader)
    assert body["org"] == {"code": "RK-T", "name": "排名镇", "kind": "township"}
    assert body["periods"] == {
        "today": "2026-11-18",
        "month": {"start": "2026-11-01", "end": "2026-11-18"},
        "year": {"start": "2026-01-01", "end": "2026-11-18"},
        "indicators": "2026-10",
    }
    standing = board.indicator_total
    assert standing is not None
    shown = body["indicators"]
    assert (
        shown["status_counts"]
        == {
            "ahead": standing.on_schedule,
            "behind": standing.behind,
            "no_time_progress": standing.no_time_progress,
            "not_reported": standing.not_reported,
        }
        == {"ahead": 0, "behind": 2, "no_time_progress": 0, "not_reported": 0}
    )
    assert shown["behind"] == ["i1", "i2"] and shown["not_reported"] == [] and shown["partial"] == ["i1"]
    assert shown["tolerance_points"] == "0.0"
    assert [(w["code"], w["completion"], w["gap_points"]) for w in shown["worst"]] == [
        ("i1", "65.8", "-17.5"),
        ("i2", "75.3", "-8.0"),
    ]
    month, year = body["cases"]["month"], body["cases"]["year"]
    total = board.cases.month.total
    assert (month["received"], month["resolved"], month["on_time"], month["overdue"]) == (
        total.received, total.resolved, total.on_time, total.overdue,
    ) == (65, 52, 46, 13)  # fmt: skip
    assert (month["resolution_rate"], month["on_time_rate"]) == ("80.0", "70.8")
    assert year["received"] == board.cases.year.total.received == 65
    assert body["projects"]["by_stage"] == board.projects.by_stage
    assert body["households"]["new_this_year"] == {"households": 0, "people": 0}
    ranking = body["ranking"]
    assert ranking["child_kind"] == "village"
    for key, expected in (
        ("resolution_rate", RESOLUTION),
        ("on_time_rate", ON_TIME),
        ("indicators", INDICATORS),
    ):
        (shown_figure,) = [f for f in ranking["figures"] if f["key"] == key]
        rows = [(r["name"], r["rank"], r["value"], r["last_three"]) for r in shown_figure["rows"]]
        assert rows == expected == table(board, key)
    (on_time,) = [f for f in ranking["figures"] if f["key"] == "on_time_rate"]
    assert (on_time["start"], on_time["end"], on_time["fallback"]) == ("2026-11-01", "2026-11-30", False)
    assert on_time["rows"][-1] == {
        "rank": None, "org": "RK-B", "name": "乙村", "value": "100.0", "last_three": False,
        "note": "收件3件，不足10件", "received": 3, "paced": None, "ahead": None,
    }  # fmt: skip


def test_the_page_and_the_api_read_one_count(league: League, client: Client) -> None:
    """Within the minutes a count is kept, the page and the API give the same one, made once for both."""
    client.force_login(league.leader)
    assert client.get(PAGE).status_code == 200
    add_cases(league.grids["A1"], 1, 0, 0)
    assert api(client, league.leader)["cases"]["month"]["received"] == 65  # the page's count, kept
    recount = api(client, league.leader, "fresh=1")
    assert recount["cases"]["month"]["received"] == 66 and recount["built_at"]
    assert figure(client.get(PAGE).content.decode(), "received-month") == 66  # the page shows the recount


def test_a_token_reads_the_dashboard_and_nobody_else_does(league: League, client: Client) -> None:
    token = Token.objects.create(user=league.village_user)
    body = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert body["org"]["code"] == "RK-A"
    assert [f["key"] for f in body["ranking"]["figures"]] == ["resolution_rate", "on_time_rate"]
    assert Client().get(URL).status_code == 401


def test_out_of_scope_answers_like_missing(league: League, client: Client) -> None:
    client.force_login(league.village_user)
    other, missing = client.get(URL, {"org": "RK-B"}), client.get(URL, {"org": "NOPE"})
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert client.get(URL, {"org": "RK-A1"}).status_code == 200


def test_office_staff_get_what_their_scope_gives(league: League, client: Client) -> None:
    township_targets(league)
    body = api(client, league.office_user)
    assert body["indicators"]["behind"] == ["i1"]
    assert body["indicators"]["worst"][0]["code"] == "i1"
    (indicators,) = [f for f in body["ranking"]["figures"] if f["key"] == "indicators"]
    assert [(r["name"], r["value"]) for r in indicators["rows"]][:2] == [("丙村", "-83.3"), ("己村", "-13.3")]


def test_a_county_viewer_gets_the_townships(league: League, client: Client) -> None:
    township_targets(league)
    body = api(client, league.county_viewer)
    assert body["org"]["kind"] == "county" and body["ranking"]["child_kind"] == "township"
    assert [t["org"] for t in body["indicators"]["by_township"]] == ["RK-T", "RK-T2"]
    assert body["indicators"]["behind"] == ["i1", "i2"]
    assert body["indicators"]["status_counts"]["behind"] == 2


def _nullable(schema: Any) -> Any:
    """OpenAPI 3.0's `nullable` as JSON Schema says it, for jsonschema to check a response."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: _nullable(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _resolved(schema: Any, components: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [_resolved(s, components) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _resolved(components[schema["$ref"].rsplit("/", 1)[1]], components)
    return {k: _resolved(v, components) for k, v in schema.items()}


def test_the_schema_documents_the_dashboard_and_the_answer_fits_it(league: League, client: Client) -> None:
    township_targets(league)
    client.force_login(league.leader)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/dashboard"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"org"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    answer = _nullable(_resolved(response, schema["components"]["schemas"]))
    assert set(answer["properties"]) >= {"org", "periods", "indicators", "cases", "projects", "households"}
    for user in (league.leader, league.village_user, league.county_viewer):
        jsonschema.validate(api(client, user), answer)
