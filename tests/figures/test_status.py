"""Where each demo indicator stands is explicit and follows its own shown numbers: behind is behind by any
amount unless the township sets a tolerance, an indicator without a value is "not reported" (never 预警 无),
a total missing a village says so wherever it is shown, and fewer accidents than time progress is good."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.core.progress import Status
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, IndicatorSettings
from zhenwu.reports import services as reports
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")
API = reverse("api:indicator-progress")
DASHBOARD = reverse("indicators:dashboard")


def demo_rows(cast: Cast) -> dict[str, services.ProgressRow]:
    leader = cast.user("leader")
    period = services.latest_period(leader, cast.township)
    assert period is not None
    return {r.indicator.code: r for r in services.progress_for_unit(leader, cast.township, period)}


def api_rows(client: Client, cast: Cast) -> dict[str, dict[str, Any]]:
    client.force_login(cast.user("leader"))
    return {r["code"]: r for r in client.get(API).json()["rows"]}


def test_every_demo_indicators_status_follows_its_own_shown_numbers(cast: Cast) -> None:
    rows = demo_rows(cast)
    assert {r.status for r in rows.values()} == set(Status)
    for row in rows.values():
        p = row.progress
        if p.actual is None:
            assert row.status == Status.NOT_REPORTED
        elif p.gap_points is None:
            assert row.status == Status.NO_TIME_PROGRESS
        else:
            shortfall = -p.gap_points if row.direction == "higher" else p.gap_points
            assert (row.status == Status.BEHIND) == (shortfall > 0), row.indicator.name
        assert any(w.code == "behind" for w in row.warnings) == (row.status == Status.BEHIND)


def test_a_lag_of_under_a_point_counts_as_behind_on_every_output(cast: Cast, client: Client) -> None:
    """限额以上社零 0.9 and 外贸 1.4 points behind were counted under 达到序时进度, with no word of a
    tolerance."""
    rows = demo_rows(cast)
    behind = [r for r in rows.values() if r.status == Status.BEHIND]
    small = [r for r in behind if -1 < r.progress.gap_points < 0]  # type: ignore[operator]
    assert [r.indicator.code for r in small] == ["xeysl"]
    api = api_rows(client, cast)
    assert (api["xeysl"]["status"], api["xeysl"]["gap_points"]) == ("behind", "-0.9")
    assert api["wmjcke"]["status"] == "behind" and api["xeysl"]["tolerance_points"] == "0.0"
    board = client.get(reverse("web:dashboard")).context["board"].indicator_total
    assert board.behind == sum(1 for r in rows.values() if r.status == Status.BEHIND)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "落后序时进度即计为落后，不设容差" in page


def test_a_township_tolerance_is_applied_shown_and_returned(cast: Cast, client: Client) -> None:
    IndicatorSettings.objects.create(township=cast.township, tolerance_points=Decimal("1.0"))
    rows = demo_rows(cast)
    assert rows["xeysl"].status == Status.AHEAD and rows["wmjcke"].status == Status.BEHIND
    api = api_rows(client, cast)
    assert (api["xeysl"]["status"], api["xeysl"]["tolerance_points"]) == ("ahead", "1.0")
    assert (
        "落后序时进度不超过1个百分点的指标视为达到序时进度"
        in client.get(reverse("web:dashboard")).content.decode()
    )
    assert "落后序时进度不超过1个百分点的指标视为达到序时进度" in client.get(DASHBOARD).content.decode()


def test_an_indicator_without_a_value_is_not_reported_and_counted_so(cast: Cast, client: Client) -> None:
    """政务信息公开 has no value this month: its page said 预警 无."""
    row = demo_rows(cast)["zwgk"]
    assert row.status == Status.NOT_REPORTED
    assert [w.message for w in row.warnings] == ["未报（应于11月5日前报送）"]
    api = api_rows(client, cast)["zwgk"]
    assert (api["status"], api["actual"]) == ("not_reported", None)
    detail = client.get(reverse("indicators:indicator-detail", args=[row.indicator.pk])).content.decode()
    assert '<span class="badge status-not_reported" id="status">未报</span>' in detail
    assert "<dd>无</dd>" not in detail and "预警</dt><dd>无" not in detail
    board = client.get(reverse("web:dashboard")).context["board"].indicator_total
    assert board.not_reported == 1
    listed = client.get(DASHBOARD).content.decode()
    assert "未报送情况" in listed and "示范镇</a>：政务信息公开" in listed


def test_a_total_missing_a_village_says_so_wherever_it_is_shown(cast: Cast, client: Client) -> None:
    """新增就业岗位 flagged 5 points behind on a sum without 白沙村, which only the detail page said."""
    row = demo_rows(cast)["xzjy"]
    assert row.rolled_up and [u.name for u in row.missing_units] == ["白沙村"]
    assert row.warnings[0].message == "低于序时进度5.0个百分点（白沙村未报，合计不全）"
    api = api_rows(client, cast)["xzjy"]
    assert [u["name"] for u in api["missing_units"]] == ["白沙村"]
    listed = client.get(DASHBOARD).content.decode()
    assert "白沙村未报，合计不全" in listed and "白沙村</a>：新增就业岗位" in listed
    leaders = client.get(reverse("web:dashboard")).content.decode()
    assert "项指标的合计缺少未报村/社区的数据：新增就业岗位" in leaders
    export = client.get(reverse("indicators:export")).content
    sheet = load_workbook(BytesIO(export)).active
    line = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "新增就业岗位")
    assert "白沙村未报" in line[-1]
    report = reports.compiled_report(cast.user("leader"), cast.township, spec_for("annual", 2026))
    assert "新增就业岗位完成626个（白沙村未报，合计不全），占全年任务的78.3%" in report.text


def test_fewer_accidents_than_time_progress_is_ahead_and_shown_green(cast: Cast, client: Client) -> None:
    rows = demo_rows(cast)
    accidents, crimes = rows["aqsg"], rows["xsfa"]
    assert accidents.progress.gap_points == Decimal("-33.3") and accidents.status == Status.AHEAD
    assert crimes.progress.gap_points == Decimal("4.2") and crimes.status == Status.BEHIND
    assert crimes.warnings[0].message == "超过序时进度4.2个百分点"
    client.force_login(cast.user("leader"))
    page = client.get(DASHBOARD).content.decode()
    line = page[page.index(">生产安全事故起数<") :].split("</tr>", 1)[0]
    assert 'class="num status-ahead">-33.3<' in line and "越低越好" in line and "达到序时" in line
    chart = client.get(DASHBOARD).context["chart"]
    assert '"name": "生产安全事故起数", "completion": 50.0, "time_progress": 83.3, "status": "ahead"' in chart


def test_a_stock_or_a_rate_has_no_time_progress_to_be_behind_of(cast: Cast) -> None:
    rows = demo_rows(cast)
    for code in ("lsbzmj", "yibaol", "zkxm"):
        assert rows[code].status == Status.NO_TIME_PROGRESS and rows[code].progress.time_progress is None
    assert Indicator.objects.get(code="yibaol").is_computed_rate
