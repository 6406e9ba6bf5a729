"""The demo township's half-year report: its figures are the services' figures, and the report
reader finds no error in it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhenwu.cases.services import case_figures
from zhenwu.core.numbers import format_money, format_percent
from zhenwu.core.periods import Period
from zhenwu.documents.model import Document
from zhenwu.indicators.services import progress_for_unit
from zhenwu.org.models import User
from zhenwu.projects.services import project_counts
from zhenwu.reader import analyse
from zhenwu.reports import services
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")


@pytest.fixture
def report(db: None) -> Document:
    admin = User.objects.get(username="admin")
    return services.compiled_report(admin, services.find_unit(admin, "示范镇"), spec_for("half-year", 2026))


def by_key(document: Document) -> dict[str, str]:
    return {f.key: f.text for f in document.figures}


def test_the_report_has_the_title_and_the_four_parts(report: Document) -> None:
    assert report.title == "示范镇2026年上半年工作总结及下半年工作计划"
    headings = [p.text for p in report.paragraphs if p.style == "heading1"]
    assert headings == ["一、工作成效", "二、主要做法", "三、存在问题", "四、下半年工作计划"]


def test_the_reader_finds_no_error_in_the_demo_half_year_report(report: Document) -> None:
    errors = [f.message for f in analyse(report.text).findings if f.severity == "error"]
    assert errors == []


def test_indicator_figures_are_the_indicator_services_figures(report: Document) -> None:
    admin = User.objects.get(username="admin")
    rows = progress_for_unit(admin, services.find_unit(admin, "990101001"), Period(2026, 6))
    invest = next(r for r in rows if r.indicator.code == "gdzctz")
    assert invest.actual is not None and invest.progress.completion is not None
    figures = by_key(report)
    assert figures["indicator:gdzctz:actual"] == format_money(invest.actual * 10**8)
    assert figures["indicator:gdzctz:completion"] == format_percent(invest.progress.completion * 100)


def test_case_and_project_figures_are_their_services_figures(report: Document) -> None:
    admin = User.objects.get(username="admin")
    township = services.find_unit(admin, "示范镇")
    # as they stood at the end of 30 June: a case resolved in July was open then
    june_end = datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai"))
    cases = case_figures(admin, township, date(2026, 1, 1), date(2026, 6, 30), now=june_end).total
    projects = project_counts(admin, township, Period(2026, 6))
    figures = by_key(report)
    assert figures["cases:received"] == f"{cases.received}件"
    assert figures["cases:resolved"] == f"{cases.resolved}件"
    assert cases.resolution_rate is not None
    assert figures["cases:rate"] == format_percent(cases.resolution_rate)
    assert figures["projects:total"] == f"{sum(projects.by_stage.values())}个"
    assert figures["projects:completed"] == format_money(projects.completed_investment)
    assert projects.completed_investment > Decimal(0)


def test_every_figure_names_its_computation_and_a_source(report: Document) -> None:
    assert len(report.figures) > 80
    for figure in report.figures:
        assert figure.how and figure.sources, figure
