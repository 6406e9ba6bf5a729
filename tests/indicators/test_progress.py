"""Progress figures from the database: own values, village roll-ups, computed rates, warnings."""

from datetime import date
from decimal import Decimal

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, target, value
from zhenwu.core.periods import Period
from zhenwu.indicators import services

D = Decimal
AUGUST = Period(YEAR, 8)
LATE = date(YEAR, 11, 23)  # after the September deadline, so missing values are overdue


def row(
    cast: Cast, indicator: object, unit: object, period: Period = AUGUST, **kw: object
) -> services.ProgressRow:
    table = services.progress_table([indicator], [unit], period, **kw)  # type: ignore[list-item,arg-type]
    return table[(indicator.pk, unit.pk)]  # type: ignore[attr-defined]


def test_a_township_indicator_reports_completion_time_progress_gap_and_growth(
    cast: Cast, catalog: Catalog
) -> None:
    target(catalog.invest, cast.township, "9.6")
    value(catalog.invest, cast.township, 8, "4.90")
    value(catalog.invest, cast.township, 8, "3.50", year=YEAR - 1)
    r = row(cast, catalog.invest, cast.township, today=LATE)
    assert r.actual == D("4.90") and r.target == D("9.6")
    assert round(r.progress.completion * 100, 1) == D("51.0")  # type: ignore[operator]
    assert r.progress.time_progress == D(8) / D(12)
    assert round(r.progress.yoy * 100, 1) == D("40.0")  # type: ignore[operator]
    assert [w.code for w in r.warnings] == ["behind"]  # 51.0% against 66.7%: 15.6 points behind
    assert [v.value for v in r.sources] == [D("4.90")] and r.target_record is not None


def test_a_mid_month_date_uses_days_elapsed(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "10")
    value(catalog.invest, cast.township, 8, "6")
    r = row(cast, catalog.invest, cast.township, as_of=date(YEAR, 8, 15))
    assert r.progress.time_progress == D(227) / D(365)
    # 6 − 10 × 227/365 = −0.219…, at the indicator's two decimals as every output shows it
    assert r.progress.gap_amount == D("-0.22")


def test_a_year_without_last_years_value_has_no_growth(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "10")
    value(catalog.invest, cast.township, 8, "7")
    r = row(cast, catalog.invest, cast.township, today=LATE)
    assert r.progress.yoy is None and r.warnings == []


def test_a_zero_target_is_shown_without_completion(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "0")
    value(catalog.invest, cast.township, 8, "1")
    r = row(cast, catalog.invest, cast.township)
    assert r.progress.completion is None and r.warnings == []


def test_villages_roll_up_to_the_township_and_a_missing_village_is_named(
    cast: Cast, catalog: Catalog
) -> None:
    value(catalog.jobs, cast.village01, 8, "30")
    value(catalog.jobs, cast.village02, 8, "12")
    r = row(cast, catalog.jobs, cast.township, today=LATE)
    assert r.actual == D(42) and r.rolled_up
    assert {v.org_unit for v in r.sources} == {cast.village01, cast.village02}
    assert any("10个村/社区" in w.message and "合计不全" in w.message for w in r.warnings)


def test_the_townships_own_value_wins_over_the_village_sum(cast: Cast, catalog: Catalog) -> None:
    value(catalog.jobs, cast.village01, 8, "30")
    value(catalog.jobs, cast.township, 8, "45")
    r = row(cast, catalog.jobs, cast.township)
    assert r.actual == D(45) and not r.rolled_up


def test_a_computed_rate_is_recomputed_from_summed_parts_not_averaged(cast: Cast, catalog: Catalog) -> None:
    value(catalog.insured, cast.village01, 8, "90")
    value(catalog.due, cast.village01, 8, "100")  # 90%
    value(catalog.insured, cast.village02, 8, "950")
    value(catalog.due, cast.village02, 8, "1000")  # 95%
    r = row(cast, catalog.insured_rate, cast.township)
    assert r.actual == D(1040) / D(1100) * 100  # 94.5%, not the 92.5% an average would give
    assert r.progress.time_progress is None  # a rate has no time progress


def test_a_rates_growth_is_in_percentage_points(cast: Cast, catalog: Catalog) -> None:
    value(catalog.closed_rate, cast.township, 8, "96.5")
    value(catalog.closed_rate, cast.township, 8, "94.4", year=YEAR - 1)
    target(catalog.closed_rate, cast.township, "95")
    r = row(cast, catalog.closed_rate, cast.township)
    assert r.progress.yoy == D("2.1")


def test_falling_year_on_year_warns(cast: Cast, catalog: Catalog) -> None:
    value(catalog.retail, cast.township, 8, "3.0")
    value(catalog.retail, cast.township, 8, "3.2", year=YEAR - 1)
    r = row(cast, catalog.retail, cast.township)
    assert [w.message for w in r.warnings] == ["同比下降6.3%"]


def test_more_accidents_than_last_year_warns_for_a_lower_is_better_indicator(
    cast: Cast, catalog: Catalog
) -> None:
    value(catalog.accidents, cast.township, 8, "3")
    value(catalog.accidents, cast.township, 8, "1", year=YEAR - 1)
    r = row(cast, catalog.accidents, cast.township)
    assert [w.code for w in r.warnings] == ["yoy"] and "增长200.0%" in r.warnings[0].message


def test_a_value_missing_after_the_deadline_warns_and_not_before(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "10")
    before = row(cast, catalog.invest, cast.township, today=date(YEAR, 9, 5))
    after = row(cast, catalog.invest, cast.township, today=date(YEAR, 9, 6))
    assert before.warnings == []
    assert [w.message for w in after.warnings] == ["未报（应于9月5日前报送）"]


def test_a_cumulative_value_below_last_month_warns_with_its_reason(cast: Cast, catalog: Catalog) -> None:
    value(catalog.invest, cast.township, 7, "5")
    value(catalog.invest, cast.township, 8, "4.5", note="统计口径调整")
    r = row(cast, catalog.invest, cast.township)
    assert any(w.code == "decrease" and "统计口径调整" in w.message for w in r.warnings)


def test_villages_rank_by_completion_with_ties_and_no_target_shown_apart(
    cast: Cast, catalog: Catalog
) -> None:
    for village, goal, done in (
        (cast.village01, "100", "50"),
        (cast.village02, "200", "100"),
        (cast.village03, "100", "80"),
    ):
        target(catalog.jobs, village, goal)
        value(catalog.jobs, village, 8, done)
    ranking = services.village_ranking(cast.user("leader"), catalog.jobs, AUGUST, today=LATE)
    head = [(r.rank, r.org_unit.name) for r in ranking[:3]]
    assert head == [(1, "南山村"), (2, "东岗村"), (2, "西河村")]
    assert all(r.rank is None and r.note == "未下达任务" for r in ranking[3:])
    assert len(ranking) == 12


def test_progress_for_many_indicators_and_units_takes_a_fixed_number_of_queries(
    cast: Cast, catalog: Catalog, django_assert_max_num_queries: object
) -> None:
    from zhenwu.indicators.models import Indicator
    from zhenwu.org.models import OrgKind, OrgUnit

    def run() -> int:
        indicators = list(Indicator.objects.all())
        units = [cast.township, *OrgUnit.objects.filter(kind=OrgKind.VILLAGE, parent=cast.township)]
        with django_assert_max_num_queries(4):  # type: ignore[operator]
            return len(services.progress_table(indicators, units, AUGUST))

    small = run()
    for v in OrgUnit.objects.filter(kind=OrgKind.VILLAGE, parent=cast.township):
        for indicator in (catalog.jobs, catalog.insured, catalog.due):
            value(indicator, v, 8, "10")
            value(indicator, v, 7, "9")
            value(indicator, v, 8, "8", year=YEAR - 1)
            target(indicator, v, "100")
    assert run() == small  # same rows, now with data: still at most four queries
