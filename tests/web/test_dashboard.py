"""The leaders' dashboard shows, for the user's scope, the same figures as each app's own services, links
every figure to a page that answers, and costs the same number of queries however many villages."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import Cast
from zhenwu.cases import services as cases
from zhenwu.households import services as households
from zhenwu.indicators import services as indicators
from zhenwu.org.models import OrgKind, User
from zhenwu.projects import services as projects
from zhenwu.web.dashboard import Dashboard

pytestmark = pytest.mark.usefixtures("full_demo")
URL = reverse("web:dashboard")


def board_of(client: Client, user: Any, query: str = "") -> Dashboard:
    client.force_login(user)
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    return response.context["board"]  # type: ignore[no-any-return]


def test_the_leaders_case_figures_are_the_case_services_figures(cast: Cast, client: Client) -> None:
    leader = cast.user("leader")
    board = board_of(client, leader)
    today = timezone.localdate()
    month = cases.case_figures(leader, cast.township, today.replace(day=1), today, child_kind=OrgKind.VILLAGE)
    year = cases.case_figures(leader, cast.township, date(today.year, 1, 1), today)
    shown = board.cases.month.total
    assert (shown.received, shown.resolved, shown.on_time, shown.overdue) == (
        month.total.received, month.total.resolved, month.total.on_time, month.total.overdue,
    )  # fmt: skip
    assert shown.resolution_rate == month.total.resolution_rate
    assert board.cases.year.total.received == year.total.received > 0
    assert board.cases.year.total.on_time_rate == year.total.on_time_rate
    assert len(board.cases.month.by_child) == 12
    for (unit, counts), (same_unit, figures) in zip(board.cases.month.by_child, month.by_child, strict=True):
        assert unit == same_unit
        assert (counts.received, counts.resolved, counts.overdue) == (
            figures.received, figures.resolved, figures.overdue,
        )  # fmt: skip


def test_the_leaders_indicator_project_and_household_figures_are_the_services_figures(
    cast: Cast, client: Client
) -> None:
    leader = cast.user("leader")
    board = board_of(client, leader)
    today = board.today
    rows = indicators.progress_for_unit(leader, cast.township, board.period, today=today)
    behind = [r for r in rows if any(w.code == "behind" for w in r.warnings)]
    standing = board.indicator_total
    assert standing is not None and standing.behind == len(behind) > 0
    assert standing.total == len(rows)
    assert {r.indicator.pk for r in standing.worst} <= {r.indicator.pk for r in behind}
    gaps = [r.progress.gap_points for r in standing.worst]
    assert gaps == sorted(gaps)  # every demo indicator behind is one where more is better

    counts = projects.project_counts(leader, cast.township, board.period)
    now = Counter(p.stage for p in projects.projects_for(leader))  # the dashboard's stages are today's
    assert {s: n for s, n in board.projects.by_stage.items() if n} == now
    assert board.projects.planned_investment == counts.planned_investment
    assert board.projects.completed_investment == counts.completed_investment
    with_details = projects.with_details(projects.projects_for(leader))
    assert board.projects.overdue_milestones == len(projects.overdue_milestones(with_details, today)) > 0

    month_start = today.replace(day=1)
    assert (
        board.households.new_this_month.households
        == households.new_monitored(leader, month_start, today).households
    )
    year = households.new_monitored(leader, date(today.year, 1, 1), today)
    assert (board.households.new_this_year.households, board.households.new_this_year.people) == (
        year.households, year.people,
    )  # fmt: skip
    breakdown = households.monitoring_breakdown(leader)
    for state, n in board.households.by_state.items():
        assert n == sum(row["households"] for row in breakdown if row["state"] == state)


def test_a_village_user_sees_their_village_and_nothing_of_another(cast: Cast, client: Client) -> None:
    leader, cun01 = cast.user("leader"), cast.user("cun01")
    board = board_of(client, cun01)
    today = timezone.localdate()
    own = cases.case_figures(leader, cast.village01, date(today.year, 1, 1), today)
    other = cases.case_figures(leader, cast.village02, date(today.year, 1, 1), today)
    assert board.unit == cast.village01
    assert board.cases.year.total.received == own.total.received != other.total.received
    assert all(child.is_within(cast.village01) for child in board.children)
    assert [c.kind for c in board.children] == [OrgKind.GRID] * 5
    summary = projects.project_summary(leader, cast.village01, board.period, today)
    assert board.projects.by_stage == summary.by_stage
    body = client.get(URL).content.decode()
    assert cast.village02.name not in body
    assert client.get(f"{URL}?org={cast.village02.code}").status_code == 404


def test_a_leader_opens_one_village_from_the_table(cast: Cast, client: Client) -> None:
    board = board_of(client, cast.user("leader"), f"org={cast.village02.code}")
    assert board.unit == cast.village02
    assert (
        b"\xe2\x86\x90 " + cast.township.name.encode()
        in client.get(f"{URL}?org={cast.village02.code}").content
    )


def test_a_county_viewer_sees_the_figures_by_township(cast: Cast, client: Client) -> None:
    board = board_of(client, cast.user("xian"))
    assert board.unit == cast.county
    assert board.children == [cast.township]
    assert [s.unit for s in board.indicators] == [cast.township]
    leader_board = board_of(client, cast.user("leader"))
    assert board.cases.year.total == leader_board.cases.year.total
    ((township, counts),) = board.cases.month.by_child
    assert township == cast.township and counts == leader_board.cases.month.total
    assert board.projects == leader_board.projects


def _queries(client: Client) -> int:
    """Queries of a recount: a visit within the minutes a count is kept reads no figure at all."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}?fresh=1").status_code == 200
    return len(queries)


def test_the_query_count_is_small_and_does_not_grow_with_villages(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.user("leader"))
    client.get(reverse("web:home"))  # the navigation's to-do count, then kept a minute, is made there
    # 30 for the dashboard, the top bar's unread count, and a fixed few for each demo indicator computed
    # from records
    with django_assert_max_num_queries(51):
        client.get(URL)
    before = _queries(client)
    for _ in range(20):
        village = factories.org_unit(cast.township)
        factories.org_unit(village)
    after = _queries(client)
    # 20 of 32 villages without a case: the month has too little to rank, and the ranking counts last
    # month's cases instead (two queries), however many villages
    assert after == before + 2
    for _ in range(20):
        village = factories.org_unit(cast.township)
        factories.org_unit(village)
    assert _queries(client) == after


def test_every_link_on_the_dashboard_answers(cast: Cast, client: Client) -> None:
    for username in ("leader", "cun01", "xian"):
        client.force_login(cast.user(username))
        body = client.get(URL).content.decode()
        main = body[body.index("<main") : body.index("</main>")]
        links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', main)}
        assert len(links) > 10
        for link in sorted(links):
            assert client.get(link).status_code == 200, f"{username}: {link}"


def test_the_menu_offers_the_dashboard_only_to_users_with_a_unit(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    home = client.get(reverse("web:home")).content.decode()
    assert f'<li><a href="{URL}">驾驶舱</a></li>' in home
    client.force_login(User.objects.create_user(username="nobody", password=None))
    assert f'href="{URL}"' not in client.get(reverse("web:home")).content.decode()
    assert client.get(URL).status_code == 404
