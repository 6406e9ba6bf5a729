"""The figures, bulletin and ranking match the cases, counted here independently of the services."""

from __future__ import annotations

import statistics
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case
from zhenwu.cases.states import State


def build(cast: Cast) -> None:
    """Nine cases in 东岗村 and three in 西河村 this week, in known states."""
    wangge, cun01, cun02 = cast.user("wangge01"), cast.user("cun01"), cast.user("cun02")
    for n in range(9):
        case = make_case(wangge, cast.grid0101, title=f"事件{n}")
        if n < 6:
            case = act(wangge, case, "accept")
            case = act(wangge, case, "resolve", note="已处理")
        if n < 3:
            act(cun01, case, "verify")
    for n in range(3):
        make_case(cun02, cast.village02, title=f"西河{n}")
    # one of 西河村's cases is past its deadline
    Case.objects.filter(title="西河0").update(deadline=timezone.now() - timedelta(hours=1))
    # one of 东岗村's resolved cases was resolved late
    late = Case.objects.get(title="事件5")
    Case.objects.filter(pk=late.pk).update(deadline=late.resolved_at - timedelta(minutes=1))


def test_the_township_figures_match_counts_made_by_hand(cast: Cast, types: dict) -> None:
    build(cast)
    today = timezone.localdate()
    report = services.case_figures(cast.user("leader"), cast.township, today - timedelta(days=6), today)
    cases = list(Case.objects.all())
    resolved = [c for c in cases if c.state in (State.RESOLVED, State.VERIFIED)]
    on_time = [c for c in resolved if c.resolved_at <= c.deadline]
    assert report.total.received == len(cases) == 12
    assert report.total.resolved == len(resolved) == 6
    assert report.total.on_time == len(on_time) == 5
    assert str(report.total.resolution_rate) == "50.0"
    assert str(report.total.on_time_rate) == "41.7"
    assert report.total.overdue == 1
    hours = [(c.resolved_at - c.received_at).total_seconds() / 3600 for c in resolved]
    assert abs(float(report.total.median_hours) - statistics.median(hours)) < 0.06
    by_child = {unit.name: figures for unit, figures in report.by_child}
    assert by_child["东岗村"].received == 9 and by_child["西河村"].received == 3
    assert by_child["西河村"].overdue_ids == [Case.objects.get(title="西河0").pk]
    assert sorted(report.total.resolved_ids) == sorted(c.pk for c in resolved)


def test_the_ranking_puts_units_with_few_cases_apart(cast: Cast, types: dict) -> None:
    build(cast)
    wangge = cast.user("wangge01")
    for n in range(3):
        make_case(wangge, cast.grid0101, title=f"补{n}")
    ranking = services.ranking(
        cast.user("leader"), cast.township, *services.month_of(timezone.localdate()), "village"
    )
    assert [r.unit.name for r in ranking.ranked] == ["东岗村"]
    assert ranking.ranked[0].rank == 1
    assert "西河村" in [r.unit.name for r in ranking.too_few]
    assert all(r.rank is None for r in ranking.too_few)
    grids = services.ranking(
        cast.user("leader"), cast.township, *services.month_of(timezone.localdate()), "grid"
    )
    assert [(r.unit, r.figures.received) for r in grids.ranked] == [(cast.grid0101, 12)]
    assert sum(r.figures.received for r in grids.too_few) == 0  # 西河村's cases hang on the village itself


def test_the_bulletin_page_and_files_carry_the_same_figures(cast: Cast, types: dict, client: Client) -> None:
    build(cast)
    client.force_login(cast.user("leader"))
    url = reverse("cases:bulletin", kwargs={"code": cast.township.code})
    this_week = {"date": timezone.localdate().isoformat()}
    page = client.get(url, this_week).content.decode()
    assert "本周共收件 <strong>12</strong> 件，办结 <strong>6</strong> 件，办结率 50.0%" in page
    docx = client.get(url, {**this_week, "format": "docx"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    from io import BytesIO

    from docx import Document
    from openpyxl import load_workbook

    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "本周共收件12件，办结6件，办结率50.0%" in text
    sheet = load_workbook(BytesIO(client.get(url, {**this_week, "format": "xlsx"}).content))["各单元"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["东岗村"][1] == 9 and rows["西河村"][8] == 1


def test_the_ranking_downloads(cast: Cast, types: dict, client: Client) -> None:
    build(cast)
    client.force_login(cast.user("leader"))
    url = reverse("cases:ranking", kwargs={"code": cast.township.code})
    assert "不参与排名" in client.get(url).content.decode()
    assert client.get(url, {"format": "xlsx"}).status_code == 200
    assert client.get(url, {"format": "docx"}).status_code == 200


def test_units_with_the_same_on_time_rate_share_a_rank(cast: Cast, types: dict, client: Client) -> None:
    for grid in (cast.grid0101, cast.grid0102):
        for n in range(10):
            make_case(None, grid, title=f"{grid.name}{n}")
    month = services.month_of(timezone.localdate())
    ranking = services.ranking(cast.user("leader"), cast.township, *month, "grid")
    assert [(r.unit, r.rank) for r in ranking.ranked] == [(cast.grid0101, 1), (cast.grid0102, 1)]
    client.force_login(cast.user("leader"))
    url = reverse("cases:ranking", kwargs={"code": cast.township.code})
    page = client.get(url, {"kind": "grid", "date": month[0].isoformat()}).content.decode()
    assert page.count('<td data-label="名次">1</td>') == 2


def test_a_county_ranks_its_townships(cast: Cast, types: dict, client: Client) -> None:
    build(cast)
    client.force_login(cast.user("xian"))
    url = reverse("cases:ranking", kwargs={"code": cast.county.code})
    page = client.get(url, {"kind": "township", "date": timezone.localdate().isoformat()}).content.decode()
    assert f'<td data-label="单元">{cast.township.name}</td>' in page and "乡镇/街道" in page


def test_the_case_list_of_a_figure_leaves_out_merged_duplicates(
    cast: Cast, types: dict, client: Client
) -> None:
    original = make_case(None, cast.grid0101, title="原件")
    duplicate = make_case(None, cast.grid0101, title="重复")
    Case.objects.filter(pk=duplicate.pk).update(state=State.MERGED, duplicate_of=original)
    today = timezone.localdate()
    report = services.case_figures(cast.user("leader"), cast.grid0101, today, today)
    client.force_login(cast.user("leader"))
    query = {"unit": cast.grid0101.code, "start": today.isoformat(), "end": today.isoformat()}
    assert "共 2 件" in client.get(reverse("cases:case-list"), query).content.decode()
    counted = client.get(reverse("cases:case-list"), {**query, "counted": "on"}).content.decode()
    assert "共 1 件" in counted and report.total.received == 1
