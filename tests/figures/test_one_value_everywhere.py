"""Every demo figure reads the same on the page, in the API, in the Excel export and in the report, and no
generated report states one measure with two values."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.activity.services import acting_as, changes_of
from zhenwu.core.numbers import parse_quantity
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, Value
from zhenwu.reader.audit import analyse
from zhenwu.reports import services as reports
from zhenwu.reports.kinds import KINDS, spec_for

pytestmark = pytest.mark.usefixtures("full_demo")


def number(text: str) -> Decimal:
    parsed = parse_quantity(text.replace(",", "").rstrip("%"))
    assert parsed is not None, text
    return parsed.value


def test_the_page_the_api_and_the_export_agree_on_every_demo_figure(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    api = {r["name"]: r for r in client.get(reverse("api:indicator-progress")).json()["rows"]}
    page = client.get(reverse("indicators:dashboard")).content.decode()
    sheet = load_workbook(BytesIO(client.get(reverse("indicators:export")).content)).active
    exported = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert set(api) == set(exported) and len(api) == 36
    for name, row in api.items():
        line = page[page.index(f">{name}</a>") :].split("</tr>", 1)[0]
        cells = [c.split("<", 1)[0] for c in line.split('class="num')[1:]]
        shown = [c.split(">", 1)[1] for c in cells]  # 目标, 本期, 占全年, 序时进度, 较序时, 同比
        for text, api_text, cell in (
            (shown[1], row["actual"], exported[name][3]),
            (shown[2], row["completion"], exported[name][4]),
            (shown[3], row["time_progress"], exported[name][5]),
            (shown[4], row["gap_points"], exported[name][6]),
        ):
            if api_text is None:
                assert text == "—" and cell is None, name
            else:
                assert number(text) == Decimal(api_text) == Decimal(str(cell)), name
        if row["gap_points"] is not None:
            assert Decimal(row["completion"]) - Decimal(row["time_progress"]) == Decimal(row["gap_points"])
        assert "E" not in "".join(str(v) for v in row.values() if isinstance(v, str) and v[:1].isdigit())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_demo_report_states_one_measure_with_two_values(cast: Cast, kind: str) -> None:
    document = reports.compiled_report(cast.user("leader"), cast.township, spec_for(kind, 2026))
    assert document.measure_conflicts() == []
    # nor states it over two spans (1-10月 for indicators, to the day for records): two values again
    spans = defaultdict(set)
    for figure in document.figures:
        if figure.measure:
            measure, span = figure.measure.split("@", 1)
            spans[measure].add(span)
    assert spans and all(len(s) == 1 for s in spans.values()), spans
    assert [f.message for f in analyse(document.text).findings if f.severity == "error"] == []


def test_the_half_year_report_counts_the_project_library_and_the_dibao_once(cast: Cast) -> None:
    """It said 在库项目数达17个 beside 纳入项目库的重点项目共32个, and 发放低保金完成93.3万元 (typed)
    beside 发放低保金33.68万元 (the benefit records)."""
    document = reports.compiled_report(cast.user("leader"), cast.township, spec_for("half-year", 2026))
    text = document.text
    library = text.split("在库项目数达", 1)[1].split("个", 1)[0]
    assert text.split("纳入项目库的重点项目共", 1)[1].split("个", 1)[0] == library
    dibao = [f.text for f in document.figures if f.measure.startswith("households.benefit_paid:dibao@")]
    assert len(dibao) == 1 and f"发放低保金完成{dibao[0]}" in text


def test_the_activity_log_writes_a_saved_value_plainly(cast: Cast) -> None:
    indicator = Indicator.objects.get(code="gdzctz")
    with acting_as(cast.user("jingfa")):
        value = Value.objects.create(
            indicator=indicator, org_unit=cast.township, year=2024, month=1, value=Decimal("1E+3")
        )
    (entry,) = LogEntry.objects.get_for_object(value)
    shown = dict((field, after) for field, _, after in changes_of(entry))
    assert shown["数值"] == "1,000"  # as the indicator's page writes it (the amount filter)


def test_a_month_without_a_value_is_a_gap_in_the_trend(cast: Cast) -> None:
    trend = services.monthly_trend(Indicator.objects.get(code="zwgk"), cast.township, 2026)
    assert trend["this_year"][8] is not None and trend["this_year"][9] is None  # October was not reported
