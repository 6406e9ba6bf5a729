"""The leaders' dashboard ranks the units under the viewer for the month, worst first, on the figures the
township ranks on: 办结率 and 按期办结率 of cases, and the villages' indicators against time progress.
Ties share a rank, the last three are marked, units with too few cases or nothing to pace are listed but
not ranked, and early in a month the ranking is of the last full month, which the page says.

Every case and value here is stated in tests/web/conftest.py (`League`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.web.conftest import League, add_cases, add_value
from zhenwu.core.periods import Period
from zhenwu.indicators.models import Target
from zhenwu.org.models import OrgKind
from zhenwu.web.dashboard import Dashboard, FigureRanking

URL = reverse("web:dashboard")
SHANGHAI = ZoneInfo("Asia/Shanghai")
Row = tuple[str, int | None, str | None, bool]


def board_of(client: Client, user: Any, query: str = "") -> Dashboard:
    client.force_login(user)
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    return response.context["board"]  # type: ignore[no-any-return]


def figure(board: Dashboard, key: str) -> FigureRanking:
    (found,) = [f for f in board.rankings if f.key == key]
    return found


def table(board: Dashboard, key: str) -> list[Row]:
    """(unit, rank, value as written, marked as one of the last three), worst first."""
    return [
        (p.unit.name, p.rank, None if p.value is None else str(p.value), p.last_three)
        for p in figure(board, key).placings
    ]


ON_TIME = [
    ("戊村", 5, "25.0", True),
    ("己村", 4, "60.0", True),
    ("甲村", 2, "80.0", True),  # 甲村 and 丙村 tie: both second, both with only two below them
    ("丙村", 2, "80.0", True),
    ("丁村", 1, "100.0", False),
    ("乙村", None, "100.0", False),  # three cases: listed, not ranked
]
RESOLUTION = [
    ("戊村", 5, "50.0", True),
    ("己村", 4, "70.0", True),
    ("丙村", 3, "80.0", True),
    ("甲村", 2, "90.0", False),
    ("丁村", 1, "100.0", False),
    ("乙村", None, "100.0", False),
]
INDICATORS = [
    ("丙村", 5, "-41.3", True),  # i1 not reported counts as nothing done
    ("己村", 4, "-13.3", True),
    ("甲村", 2, "1.7", True),
    ("戊村", 2, "1.7", True),
    ("乙村", 1, "4.9", False),  # i1's +16.7 counts as +10: one indicator far ahead does not hide another
    ("丁村", None, None, False),  # no annual target: nothing to pace
]


def test_the_villages_are_ranked_worst_first_and_ties_share_a_rank(league: League, client: Client) -> None:
    board = board_of(client, league.leader)
    assert [f.key for f in board.rankings] == ["resolution_rate", "on_time_rate", "indicators"]
    assert table(board, "on_time_rate") == ON_TIME
    assert table(board, "resolution_rate") == RESOLUTION
    assert table(board, "indicators") == INDICATORS
    assert all(f.child_kind == OrgKind.VILLAGE for f in board.rankings)


def test_the_page_names_the_last_three_of_each_figure(league: League, client: Client) -> None:
    client.force_login(league.leader)
    page = client.get(URL).content.decode()
    ranking = page[page.index('id="ranking"') :]
    assert "末三位" in ranking
    summary = {
        key: ranking.split(f'data-last-three="{key}"', 1)[1].split("</li>", 1)[0]
        for key in ("resolution_rate", "on_time_rate", "indicators")
    }
    assert "丙村" in summary["resolution_rate"] and "甲村" not in summary["resolution_rate"]
    assert all(name in summary["on_time_rate"] for name in ("戊村", "己村", "甲村", "丙村"))
    assert "乙村" not in "".join(summary.values())
    # every ranked row on the page says its rank, and the marked ones say so
    rows = ranking.split('id="rank-on_time_rate"', 1)[1].split("</table>", 1)[0].split("<tr")[2:]
    assert ["末三位" in row for row in rows] == [True, True, True, True, False, False]
    assert "收件3件，不足10件" in rows[-1]


def test_a_unit_with_few_cases_or_nothing_to_pace_is_listed_not_ranked(
    league: League, client: Client
) -> None:
    board = board_of(client, league.leader)
    (few,) = [p for p in figure(board, "on_time_rate").placings if p.rank is None]
    assert few.unit == league.villages["B"] and few.received == 3 and not few.last_three
    assert "不足10件" in few.note
    (unpaced,) = [p for p in figure(board, "indicators").placings if p.rank is None]
    assert unpaced.unit == league.villages["D"] and unpaced.note == "无可比指标"


def test_the_ranking_is_of_this_month_and_of_the_months_values_already_due(
    league: League, client: Client
) -> None:
    board = board_of(client, league.leader)
    cases, indicators = figure(board, "on_time_rate"), figure(board, "indicators")
    assert (cases.start, cases.end, cases.fallback) == (date(2026, 11, 1), date(2026, 11, 30), False)
    assert (indicators.period, indicators.fallback) == (Period(2026, 10), False)  # due 5 November
    assert "本月数据尚少" not in client.get(URL).content.decode()


def test_early_in_a_month_the_ranking_is_of_the_last_full_month(
    league: League, client: Client, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI))
    board = board_of(client, league.leader)
    cases, indicators = figure(board, "on_time_rate"), figure(board, "indicators")
    # no case yet in December: November's cases, the whole month
    assert (cases.start, cases.end, cases.fallback) == (date(2026, 11, 1), date(2026, 11, 30), True)
    assert table(board, "on_time_rate") == ON_TIME
    # November's values are due on 5 December: 甲村's early ones are not ranked against the missing others
    assert (indicators.period, indicators.fallback) == (Period(2026, 10), True)
    assert table(board, "indicators") == INDICATORS
    page = client.get(URL).content.decode()
    assert "本月数据尚少，排名按11月" in page and "本月数据尚少，排名按1-10月" in page


def test_a_county_viewer_sees_the_townships_ranked_the_same_way(league: League, client: Client) -> None:
    Target.objects.bulk_create(
        Target(indicator=indicator, org_unit=league.township, year=2026, value=600)
        for indicator in (league.i1, league.i2)
    )
    board = board_of(client, league.county_viewer)
    assert {f.child_kind for f in board.rankings} == {OrgKind.TOWNSHIP}
    # 排名镇: 65 cases, 52 resolved, 46 on time; 排名二镇: 庚村's 10 on time. Two ranked: none marked last.
    assert table(board, "on_time_rate") == [("排名镇", 2, "70.8", False), ("排名二镇", 1, "100.0", False)]
    assert table(board, "resolution_rate") == [("排名镇", 2, "80.0", False), ("排名二镇", 1, "100.0", False)]
    # 排名镇's totals of its villages: i1 395 of 600 (65.8%, −17.5), i2 452 (75.3%, −8.0): −12.75
    assert table(board, "indicators") == [("排名镇", 1, "-12.8", False), ("排名二镇", None, None, False)]


def test_a_village_user_sees_its_grids_ranked_by_cases_and_no_other_village(
    league: League, client: Client
) -> None:
    board = board_of(client, league.village_user)
    assert board.unit == league.villages["A"]
    assert [f.key for f in board.rankings] == ["resolution_rate", "on_time_rate"]
    assert table(board, "on_time_rate") == [
        ("甲村第1网格", 1, "83.3", False),
        ("甲村第2网格", None, "75.0", False),
    ]
    assert table(board, "resolution_rate") == [
        ("甲村第1网格", 1, "91.7", False),
        ("甲村第2网格", None, "87.5", False),
    ]
    page = client.get(URL).content.decode()
    assert "乙村" not in page and "丙村" not in page
    assert client.get(f"{URL}?org={league.villages['B'].code}").status_code == 404


def test_office_staff_rank_the_villages_on_their_offices_indicators(league: League, client: Client) -> None:
    board = board_of(client, league.office_user)
    assert table(board, "indicators") == [
        ("丙村", 5, "-83.3", True),
        ("己村", 4, "-13.3", True),
        ("戊村", 3, "1.7", True),
        ("甲村", 2, "6.7", False),
        ("乙村", 1, "10.0", False),
        ("丁村", None, None, False),
    ]
    # cases belong to no office: the township's ranking is the leader's
    assert table(board, "on_time_rate") == ON_TIME


def _recount_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}?fresh=1").status_code == 200
    return len(queries)


def test_ranking_more_villages_costs_no_more_queries(league: League, client: Client) -> None:
    client.force_login(league.leader)
    _recount_queries(client)  # the first also reads what the process then remembers (tolerances)
    before = _recount_queries(client)
    for n in range(8):
        village = factories.org_unit(league.township)
        grid = factories.org_unit(village)
        add_cases(grid, 10 + n, 9, 8)
        for indicator in (league.i1, league.i2):
            Target.objects.create(indicator=indicator, org_unit=village, year=2026, value=100)
            add_value(indicator, village, 10, 80 + n)
    assert _recount_queries(client) == before
    board = board_of(client, league.leader, "fresh=1")
    assert all(len(f.placings) == 14 for f in board.rankings)
    assert len([p for p in figure(board, "indicators").placings if p.rank]) == 13
