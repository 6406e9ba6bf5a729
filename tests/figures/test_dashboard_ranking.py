"""On the demo, every figure the dashboard ranks reads the same behind its links (the case list, the monthly
ranking page, the indicators of the unit), and `GET /api/v1/dashboard` gives the page's own numbers."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.web.dashboard import Dashboard

pytestmark = pytest.mark.usefixtures("full_demo")
PAGE = reverse("web:dashboard")
API = reverse("api:dashboard")
AHEAD_CAP = Decimal(10)


def ranking_rows(page: str, key: str) -> list[dict[str, str]]:
    """Each row of one figure's ranking on the page: its unit code, and the text and target of its links."""
    section = page.split(f'id="rank-{key}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for code, row in re.findall(r'<tr data-unit="([^"]+)"[^>]*>(.*?)</tr>', section, re.S):
        found = {"unit": code}
        for link, href, text in re.findall(r'<a data-link="(\w+)" href="([^"]+)">([^<]+)</a>', row):
            found[link] = text
            found[f"{link}_href"] = href.replace("&amp;", "&")
        rows.append(found)
    return rows


def cases_counted(client: Client, href: str) -> int:
    page = client.get(href).content.decode()
    return int(page.split("共 ", 1)[1].split(" 件", 1)[0])


def ranking_page_cell(client: Client, href: str, unit_name: str, label: str) -> str:
    page = client.get(href).content.decode()
    (row,) = [r for r in page.split("<tr") if f'<td data-label="单元">{unit_name}</td>' in r]
    return row.split(f'data-label="{label}">', 1)[1].split("<", 1)[0]


def pace_points(client: Client, href: str) -> str:
    """The unit's indicators against time progress, from its indicators' own figures: the mean of each
    paced indicator's gap in points (nothing done when not reported), a gap ahead counted up to 10."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    rows = client.get(reverse("api:indicator-progress"), query).json()["rows"]
    gaps = []
    for row in rows:
        if row["time_progress"] is None or row["target"] is None:
            continue
        if row["actual"] is None:
            gaps.append(-Decimal(row["time_progress"]))
            continue
        gap = Decimal(row["gap_points"]) * (1 if row["direction"] == "higher" else -1)
        gaps.append(min(gap, AHEAD_CAP))
    mean = (sum(gaps, Decimal(0)) / len(gaps)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{mean:f}"


@pytest.mark.parametrize("username", ["leader", "cun01", "xian"])
def test_every_ranked_figure_reads_the_same_behind_its_link(
    cast: Cast, client: Client, username: str
) -> None:
    client.force_login(cast.user(username))
    response = client.get(PAGE)
    board: Dashboard = response.context["board"]
    page = response.content.decode()
    assert board.rankings
    for ranked in board.rankings:
        rows = ranking_rows(page, ranked.key)
        assert [r["unit"] for r in rows] == [p.unit.code for p in ranked.placings]
        for placing, row in zip(ranked.placings, rows, strict=True):
            name = placing.unit.name
            if ranked.key == "indicators":
                if placing.value is not None:
                    assert pace_points(client, row["value_href"]) == str(placing.value), name
                continue
            assert cases_counted(client, row["received_href"]) == int(row["received"]) == placing.received
            if placing.value is None:  # no case: no rate
                assert "value" not in row
                continue
            label = "按期办结率" if ranked.key == "on_time_rate" else "办结率"
            assert ranking_page_cell(client, row["value_href"], name, label) == row["value"], name
            assert row["value"] == f"{placing.value}%"
            if placing.rank is not None and ranked.key == "on_time_rate":
                # the monthly ranking ranks by 按期办结率: the same rank, ties shared
                assert ranking_page_cell(client, row["value_href"], name, "名次") == str(placing.rank)


def _tile(page: str, name: str) -> int:
    return int(page.split(f'data-figure="{name}"', 1)[1].split("<strong>", 1)[1].split("<", 1)[0])


@pytest.mark.parametrize("username", ["leader", "cun01", "xian", "jingfa"])
def test_the_api_gives_the_pages_numbers(cast: Cast, client: Client, username: str) -> None:
    client.force_login(cast.user(username))
    response = client.get(PAGE)
    board: Dashboard = response.context["board"]
    page = response.content.decode()
    body: dict[str, Any] = client.get(API).json()
    assert body["org"]["code"] == board.unit.code
    month, year = body["cases"]["month"], body["cases"]["year"]
    assert month["received"] == _tile(page, "received-month") == board.cases.month.total.received
    assert month["resolved"] == _tile(page, "resolved-month")
    assert month["overdue"] == _tile(page, "overdue")
    assert year["received"] == _tile(page, "received-year")
    assert year["resolution_rate"] == (
        None
        if board.cases.year.total.resolution_rate is None
        else str(board.cases.year.total.resolution_rate)
    )
    standing = board.indicator_total
    if standing is not None and standing.total:
        counts = body["indicators"]["status_counts"]
        assert counts["ahead"] == _tile(page, "on-schedule")
        assert counts["behind"] == _tile(page, "behind") == len(body["indicators"]["behind"])
        assert (
            counts["not_reported"] == _tile(page, "not-reported") == len(body["indicators"]["not_reported"])
        )
        assert counts["no_time_progress"] == _tile(page, "no-time-progress")
    for stage, n in board.projects.by_stage.items():
        assert body["projects"]["by_stage"][stage] == n == _tile(page, f"stage-{stage}")
    assert body["projects"]["overdue_milestones"] == _tile(page, "overdue-milestones")
    households = body["households"]
    assert households["unvisited"] == _tile(page, "unvisited")
    assert households["new_this_month"]["households"] == _tile(page, "new-month")
    for state, n in households["by_state"].items():
        assert n == _tile(page, f"monitoring-{state}")
    for ranked in board.rankings:
        (figure,) = [f for f in body["ranking"]["figures"] if f["key"] == ranked.key]
        assert [(r["org"], r["rank"], r["value"], r["last_three"]) for r in figure["rows"]] == [
            (p.unit.code, p.rank, None if p.value is None else str(p.value), p.last_three)
            for p in ranked.placings
        ]
