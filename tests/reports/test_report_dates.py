"""A report says when it was made and what its figures cover: generated before its span ends it says
its figures are to date and which month its indicators are for; overdue is counted to the day it is
generated, and only values already due are called missing. It ends with its issuer and date."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from tests.conftest import Cast
from tests.projects.conftest import make_project
from zhenwu.documents.model import Document, Style
from zhenwu.indicators.models import Value
from zhenwu.org.models import User
from zhenwu.projects.models import Milestone, Stage
from zhenwu.reader import analyse
from zhenwu.reports import services
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")

BEIJING = ZoneInfo("Asia/Shanghai")


def generate(time_machine: TimeMachineFixture, day: date, kind: str, org: str = "示范镇") -> Document:
    """The report as the web page and the CLI make it on `day`: dated by the clock."""
    time_machine.move_to(datetime(day.year, day.month, day.day, 9, tzinfo=BEIJING), tick=False)
    admin = User.objects.get(username="admin")
    return services.compiled_report(admin, services.find_unit(admin, org), spec_for(kind, 2026))


def texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def problems(document: Document) -> str:
    paragraphs = texts(document)
    start = paragraphs.index("三、存在问题")
    return "\n".join(paragraphs[start : start + 8])


def test_an_annual_report_on_2_december_counts_overdue_to_that_day_and_plans_what_is_still_to_come(
    cast: Cast, time_machine: TimeMachineFixture
) -> None:
    project = make_project(cast, "测试节点项目", stage=Stage.UNDER_CONSTRUCTION, planned_investment=0)
    Milestone.objects.create(project=project, name="施工许可", position=1, planned_date=date(2026, 11, 29))
    Milestone.objects.create(project=project, name="主体完工", position=2, planned_date=date(2026, 12, 3))
    report = generate(time_machine, date(2026, 12, 2), "annual")
    assert "测试节点项目：节点“施工许可”计划11月29日完成，已逾期3天" in problems(report)
    assert "主体完工”计划" not in report.text
    plans = next(p for p in texts(report) if "抓好重点项目节点" in p)
    assert "测试节点项目2026年12月3日前完成“主体完工”" in plans  # the year: the plans are for 2027


def test_an_annual_report_before_year_end_says_its_figures_are_to_date_and_its_indicators_month(
    time_machine: TimeMachineFixture,
) -> None:
    report = generate(time_machine, date(2026, 12, 2), "annual")
    opening, note = texts(report)[:2]
    assert opening.startswith("今年以来，示范镇")
    assert note == "（数据截至2026年12月2日，其中主要指标为1—10月数据。）"
    invest = next(f for f in report.figures if f.key == "indicator:gdzctz:actual")
    assert invest.how.startswith("2026年1-10月累计值")
    assert "今年以来共受理各类事件" in report.text
    assert "2026年1-10月，新签约项目" in report.text
    assert "全年，" not in report.text and "全年共受理" not in report.text


def test_the_projects_behind_in_an_early_annual_report_are_measured_against_its_indicators_month(
    time_machine: TimeMachineFixture,
) -> None:
    report = generate(time_machine, date(2026, 12, 2), "annual")
    assert "低于序时进度（83.3%）" in problems(report)  # 10 of 12 months, not the whole year
    assert "（100.0%）" not in report.text


def test_a_fourth_quarter_report_in_november_names_its_span_as_to_date(
    time_machine: TimeMachineFixture,
) -> None:
    report = generate(time_machine, date(2026, 11, 18), "q4")
    assert report.title == "示范镇2026年四季度工作总结和2027年工作计划"
    assert texts(report)[1] == "（数据截至2026年11月18日，其中主要指标为1—10月数据。）"
    assert "四季度以来共受理各类事件" in report.text


def test_a_report_generated_after_its_span_and_deadline_names_the_span_and_no_cut_off(
    time_machine: TimeMachineFixture,
) -> None:
    report = generate(time_machine, date(2026, 11, 18), "half-year")
    assert "数据截至" not in report.text and "主要指标为" not in report.text
    assert "上半年共受理各类事件" in report.text
    assert "2026年上半年，新签约项目" in report.text


def test_an_annual_report_in_january_before_decembers_values_are_due_says_its_indicators_month(
    time_machine: TimeMachineFixture,
) -> None:
    october = Value.objects.get(indicator__code="gdzctz", org_unit__code="990101001", year=2026, month=10)
    Value.objects.create(indicator=october.indicator, org_unit=october.org_unit, year=2026, month=11,
                         value=october.value + 1)  # fmt: skip
    report = generate(time_machine, date(2027, 1, 3), "annual")
    assert texts(report)[1] == "（主要指标为1—11月数据。）"
    assert "全年共受理各类事件" in report.text


def test_a_value_past_its_deadline_is_called_missing(time_machine: TimeMachineFixture) -> None:
    Value.objects.filter(indicator__code="gdzctz", org_unit__code="990101001", year=2026, month=6).delete()
    report = generate(time_machine, date(2026, 11, 18), "half-year")
    assert "固定资产投资未报（应于7月5日前报送）" in problems(report)


def test_a_value_not_yet_due_is_not_called_missing(time_machine: TimeMachineFixture) -> None:
    Value.objects.filter(indicator__code="gdzctz", org_unit__code="990101001", year=2026, month=1).delete()
    report = generate(time_machine, date(2026, 2, 3), "q1")
    assert "未报（应于" not in report.text


def test_the_report_ends_with_its_issuer_and_the_day_it_was_generated(
    time_machine: TimeMachineFixture,
) -> None:
    report = generate(time_machine, date(2026, 12, 2), "annual")
    *_, signature, day = report.paragraphs
    assert (signature.style, signature.text) == (Style.SIGNATURE, "示范镇")
    assert (day.style, day.text) == (Style.SIGNATURE, "2026年12月2日")


def test_a_villages_report_is_signed_by_the_village(cast: Cast, time_machine: TimeMachineFixture) -> None:
    report = generate(time_machine, date(2026, 12, 2), "annual", org=cast.village01.code)
    assert texts(report)[-2:] == [cast.village01.name, "2026年12月2日"]


@pytest.mark.parametrize(("day", "kind"), [(date(2026, 12, 2), "annual"), (date(2026, 11, 18), "q4")])
def test_the_reader_finds_no_error_in_a_report_generated_before_its_span_ends(
    time_machine: TimeMachineFixture, day: date, kind: str
) -> None:
    report = generate(time_machine, day, kind)
    assert [f.message for f in analyse(report.text).findings if f.severity == "error"] == []
