"""Every figure of a report is as of its span's end, read from the records' histories, not as things
are today; money paid counts to the day the report is made; year-to-date and in-period figures are
named as such; an indicator not reported or without a target is said so, never counted as on time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from tests.households import factories as household_factories
from zhenwu.households import services as households
from zhenwu.indicators.models import Target, Value
from zhenwu.org.models import OrgUnit, User
from zhenwu.projects import services as projects
from zhenwu.projects.models import Category, Project, Stage
from zhenwu.reports import services
from zhenwu.reports.compose import compose
from zhenwu.reports.kinds import span_spec, spec_for

pytestmark = pytest.mark.usefixtures("full_demo")

BEIJING = ZoneInfo("Asia/Shanghai")
NOVEMBER_18 = date(2026, 11, 18)  # the suite's frozen clock
FIRST_HALF = span_spec("2026-01", "2026-06", NOVEMBER_18)


def admin() -> User:
    return User.objects.get(username="admin")


def test_a_project_whose_stage_changed_after_the_span_is_counted_in_its_earlier_stage(cast: Cast) -> None:
    before = services.gather(admin(), cast.township, FIRST_HALF).projects
    project = Project(
        name="测试阶段项目", category=Category.INDUSTRY, stage=Stage.UNDER_CONSTRUCTION, plan_year=2026,
        total_investment=Decimal(5000), planned_investment=Decimal(0), leader="钱镇长",
        department=cast.jingfa_department, org_unit=cast.village01,
    )  # fmt: skip
    project = projects.create_project(admin(), project, on=date(2026, 3, 1))
    projects.change_stage(admin(), project, Stage.COMPLETED, date(2026, 8, 1))
    after = services.gather(admin(), cast.township, FIRST_HALF).projects
    assert before is not None and after is not None
    assert after.by_stage.get("under_construction", 0) == before.by_stage.get("under_construction", 0) + 1
    assert after.by_stage.get("completed", 0) == before.by_stage.get("completed", 0)


def test_a_household_whose_monitoring_closed_after_the_span_counts_as_monitored(cast: Cast) -> None:
    before = services.gather(admin(), cast.township, FIRST_HALF).monitored
    case = household_factories.monitoring_case(cast.grid0101, identified_on=date(2026, 2, 1))
    households.propose_elimination(case, eliminated_on=date(2026, 8, 1), reason="收入稳定")
    households.decide_elimination(case, approve=True)
    figures = services.gather(admin(), cast.township, FIRST_HALF)
    assert before is not None and figures.monitored is not None
    assert figures.monitored.households == before.households + 1
    text = compose(figures).text
    assert f"截至6月30日，共有防返贫监测对象{figures.monitored.households}户" in text
    after_it = services.gather(admin(), cast.township, span_spec("2026-01", "2026-09", NOVEMBER_18))
    assert after_it.monitored is not None and case not in after_it.monitored.records


def test_a_case_resolved_after_the_span_counts_as_open_then(
    cast: Cast, types: dict, time_machine: TimeMachineFixture
) -> None:
    before = services.gather(admin(), cast.township, FIRST_HALF).cases
    wangge = cast.user("wangge01")
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=BEIJING), tick=False)
    case = act(wangge, make_case(wangge, cast.grid0101), "accept")
    time_machine.move_to(datetime(2026, 7, 10, 10, tzinfo=BEIJING), tick=False)
    act(wangge, case, "resolve", note="已清运")
    time_machine.move_to(datetime(2026, 11, 18, 10, tzinfo=BEIJING), tick=False)
    after = services.gather(admin(), cast.township, FIRST_HALF).cases
    assert before is not None and after is not None
    assert after.total.received == before.total.received + 1
    assert after.total.resolved == before.total.resolved  # resolved in July: open on 30 June
    assert after.total.overdue == before.total.overdue + 1  # and past its deadline then


def test_benefit_money_not_yet_paid_is_not_counted(cast: Cast) -> None:
    """A report of the whole year made on 18 November counts 低保金 to November: December's is not paid."""
    year = span_spec("2026-01", "2026-12", NOVEMBER_18)

    def dibao() -> Decimal:
        return next(
            m.yuan for k, _, m in services.gather(admin(), cast.township, year).benefits if k == "dibao"
        )

    before = dibao()
    household = household_factories.household(cast.grid0101, members=1)
    households.grant_benefit(household=household, kind="dibao", starts_on=date(2026, 1, 1),
                             monthly_amount=Decimal(500))  # fmt: skip
    assert dibao() - before == 500 * 11


def test_indicators_are_named_year_to_date_in_a_span_starting_later(db: None) -> None:
    document = services.compiled_report(
        admin(), cast_township(), span_spec("2026-07", "2026-09", NOVEMBER_18)
    )
    paragraphs = [p.text for p in document.paragraphs]
    heading = paragraphs.index("（一）经济指标")
    assert paragraphs[heading + 1].startswith("前三季度累计，")
    assert "三季度共受理各类事件" in document.text  # the span's own figures, by its name


def cast_township() -> OrgUnit:
    return services.find_unit(admin(), "示范镇")


def test_an_indicator_not_reported_is_said_and_not_counted_as_on_time(db: None) -> None:
    township = cast_township()
    Value.objects.filter(indicator__code="gdzctz", org_unit=township, year=2026, month=6).delete()
    figures = services.gather(admin(), township, spec_for("half-year", 2026))
    opening = compose(figures).paragraphs[0].text
    assert "另有1项指标应报未报（固定资产投资），未计入。" in opening
    # with no warnings, projects or cases to speak of, 存在问题 still does not call it on time
    for row in figures.indicators:
        row.warnings = []
    figures.review, figures.cases, figures.entries = [], None, []
    text = compose(figures).text
    assert "1项指标应报未报，完成进度待数据报齐后研判" in text
    assert "均达到序时进度" not in text


def test_an_indicator_without_a_target_is_not_counted_as_on_time(db: None) -> None:
    township = cast_township()
    rows = services.gather(admin(), township, spec_for("half-year", 2026)).indicators
    timed = [r for r in rows if r.status in ("ahead", "behind")]
    row = next(r for r in timed if r.indicator.kind == "cumulative")
    Target.objects.filter(indicator=row.indicator, org_unit=township, year=2026).delete()
    document = services.compiled_report(admin(), township, spec_for("half-year", 2026))
    opening = document.paragraphs[0].text
    assert f"按序时进度考核的{len(timed) - 1}项主要指标中" in opening
    assert f"另有1项指标未下达全年任务（{row.indicator.name}），不按序时进度考核。" in opening


def test_a_part_with_no_records_says_so_rather_than_vanish(db: None) -> None:
    figures = services.gather(admin(), cast_township(), spec_for("half-year", 2026))
    figures.projects, figures.cases = None, None
    assert "（上半年暂无登记的重点项目、受理的事件，相应情况未列。）" in compose(figures).text
