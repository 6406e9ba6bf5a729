"""Progress for many indicators and units at once: every row's figures and records match what each
indicator and unit would give alone, and the records behind a figure are the stored ones."""

from datetime import date
from decimal import Decimal

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, target, value
from zhenwu.core.periods import Period
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, Value

D = Decimal
AUGUST = Period(YEAR, 8)
LATE = date(YEAR, 11, 23)
PHASED = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100]


def test_a_computed_rates_sources_are_the_stored_parts_of_every_village(cast: Cast, catalog: Catalog) -> None:
    stored = [
        value(catalog.insured, cast.village01, 8, "90"),
        value(catalog.due, cast.village01, 8, "100"),
        value(catalog.insured, cast.village02, 8, "950"),
        value(catalog.due, cast.village02, 8, "1000"),
    ]
    last_year = value(catalog.due, cast.village01, 8, "80", year=YEAR - 1)
    table = services.progress_table(
        [catalog.insured_rate], [cast.township, cast.village01], AUGUST, today=LATE
    )
    township, village = (
        table[(catalog.insured_rate.pk, cast.township.pk)],
        table[(catalog.insured_rate.pk, cast.village01.pk)],
    )
    assert township.actual == D(1040) / D(1100) * 100 and township.rolled_up
    assert sorted(v.pk for v in township.sources) == sorted(v.pk for v in stored)
    assert all(isinstance(v, Value) and v.org_unit.township() == cast.township for v in township.sources)
    assert [v.pk for v in township.last_year_sources] == [last_year.pk]
    assert township.progress.last_year is None  # no numerator last year: no rate
    assert village.actual == D(90) and not village.rolled_up
    # the villages without either part are not reported: the larger of the two counts is named
    (message,) = [w.message for w in township.warnings]
    assert message == "南山村、北坪村、青石村等10个村/社区未报（应于9月5日前报送），合计不全"
    assert len(township.missing_units) == 10 and cast.village01.name not in township.warnings[0].message


def test_the_records_behind_a_figure_load_who_entered_them(cast: Cast, catalog: Catalog) -> None:
    stored = value(catalog.jobs, cast.village01, 8, "30", note="含季节工")
    stored.entered_by = cast.user("cun01")
    stored.save()
    r = services.progress_table([catalog.jobs], [cast.township], AUGUST)[(catalog.jobs.pk, cast.township.pk)]
    [source] = r.sources
    assert (source.pk, source.value, source.note, source.year, source.month) == (
        stored.pk, D(30), "含季节工", YEAR, 8,
    )  # fmt: skip
    [shown] = services.with_authors(r.sources)
    assert shown.entered_by == cast.user("cun01") and shown.org_unit == cast.village01


def test_villages_missing_from_a_roll_up_leave_the_sum_of_those_reported(
    cast: Cast, catalog: Catalog
) -> None:
    value(catalog.jobs, cast.village01, 8, "30")
    value(catalog.jobs, cast.village02, 7, "12")  # last month only: not in August's total
    value(catalog.jobs, cast.village03, 8, "0")
    r = services.progress_table([catalog.jobs], [cast.township], AUGUST, today=LATE)[
        (catalog.jobs.pk, cast.township.pk)
    ]
    assert r.actual == D(30) and r.rolled_up and len(r.sources) == 2
    assert r.previous_value is None  # the township's own last month, not its villages'
    assert r.warnings[-1].message == "西河村、北坪村、青石村等10个村/社区未报（应于9月5日前报送），合计不全"
    assert [u.name for u in r.missing_units][:2] == ["西河村", "北坪村"]


def test_each_target_keeps_its_own_phasing_in_one_table(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "100", phasing=PHASED)
    target(catalog.retail, cast.township, "100")
    target(catalog.retail_above, cast.township, "100", phasing=PHASED)
    target(catalog.jobs, cast.village01, "100", phasing=[10, 20, 30, 40, 50, 60, 70, 75, 80, 90, 95, 100])
    indicators = [catalog.invest, catalog.retail, catalog.retail_above, catalog.jobs, catalog.insured]
    table = services.progress_table(indicators, [cast.township, cast.village01], AUGUST)

    def time_progress(indicator: Indicator, unit: object) -> Decimal | None:
        return table[(indicator.pk, unit.pk)].progress.time_progress  # type: ignore[attr-defined]

    assert time_progress(catalog.invest, cast.township) == D("0.7")
    assert time_progress(catalog.retail, cast.township) == D(8) / D(12)
    assert time_progress(catalog.retail_above, cast.township) == D("0.7")
    assert time_progress(catalog.jobs, cast.village01) == D("0.75")
    assert time_progress(catalog.jobs, cast.township) == D(8) / D(12)  # no target: a straight line
    assert time_progress(catalog.insured, cast.township) is None  # a level has none
    record = table[(catalog.invest.pk, cast.township.pk)].target_record
    assert (
        record is not None and record.phasing == [str(p) for p in PHASED] and record.org_unit == cast.township
    )


def test_a_phased_target_on_a_date_uses_the_days_within_the_month(cast: Cast, catalog: Catalog) -> None:
    target(catalog.invest, cast.township, "100", phasing=PHASED)
    target(catalog.retail, cast.township, "100")
    as_of = date(YEAR, 8, 16)
    table = services.progress_table([catalog.invest, catalog.retail], [cast.township], AUGUST, as_of=as_of)
    phased = table[(catalog.invest.pk, cast.township.pk)].progress.time_progress
    straight = table[(catalog.retail.pk, cast.township.pk)].progress.time_progress
    assert phased is not None and straight is not None
    assert D("0.6") < phased < D("0.7") and phased != straight


def test_year_on_year_compares_the_same_month_of_last_year_not_last_month(
    cast: Cast, catalog: Catalog
) -> None:
    value(catalog.retail, cast.township, 8, "3.0")
    value(catalog.retail, cast.township, 7, "2.0")
    value(catalog.retail, cast.township, 7, "1.0", year=YEAR - 1)
    value(catalog.retail, cast.township, 8, "2.5", year=YEAR - 1)
    value(catalog.jobs, cast.village01, 8, "10", year=YEAR - 1)
    value(catalog.jobs, cast.village02, 8, "10", year=YEAR - 1)
    value(catalog.jobs, cast.village01, 8, "30")
    table = services.progress_table([catalog.retail, catalog.jobs], [cast.township], AUGUST)
    retail, jobs = table[(catalog.retail.pk, cast.township.pk)], table[(catalog.jobs.pk, cast.township.pk)]
    assert retail.progress.last_year == D("2.5") and retail.progress.yoy == D("0.2")
    assert retail.previous_value == D("2.0")
    assert jobs.progress.last_year == D(20) and len(jobs.last_year_sources) == 2


def test_january_has_no_last_month_even_with_last_decembers_value(cast: Cast, catalog: Catalog) -> None:
    value(catalog.invest, cast.township, 12, "9", year=YEAR - 1)
    value(catalog.invest, cast.township, 1, "1")
    r = services.progress_table([catalog.invest], [cast.township], Period(YEAR, 1))[
        (catalog.invest.pk, cast.township.pk)
    ]
    assert r.previous_value is None and r.progress.last_year is None
    assert not any(w.code == "decrease" for w in r.warnings)


def test_a_table_has_a_row_only_where_an_indicator_applies(cast: Cast, catalog: Catalog) -> None:
    indicators = [catalog.invest, catalog.jobs, catalog.insured_rate]
    units = [cast.township, cast.village01, cast.grid0101]
    table = services.progress_table(indicators, units, AUGUST)
    assert set(table) == {
        (catalog.invest.pk, cast.township.pk),
        (catalog.jobs.pk, cast.township.pk),
        (catalog.insured_rate.pk, cast.township.pk),
        (catalog.jobs.pk, cast.village01.pk),
        (catalog.insured_rate.pk, cast.village01.pk),
    }


def test_the_table_agrees_with_each_indicator_and_unit_taken_alone(cast: Cast, catalog: Catalog) -> None:
    for n, village in enumerate((cast.village01, cast.village02, cast.village03), start=1):
        for indicator in (catalog.jobs, catalog.insured, catalog.due):
            value(indicator, village, 8, str(10 * n + indicator.pk % 7))
            value(indicator, village, 7, str(9 * n), note="上月")
            value(indicator, village, 8, str(8 * n), year=YEAR - 1)
            target(indicator, village, str(100 * n), phasing=PHASED if n == 2 else None)
    value(catalog.invest, cast.township, 8, "4.5", note="口径调整")
    value(catalog.invest, cast.township, 7, "5")
    target(catalog.invest, cast.township, "9.6", phasing=PHASED)
    indicators = list(Indicator.objects.filter(township=cast.township))
    units = [cast.township, cast.village01, cast.village02, cast.village03]
    table = services.progress_table(indicators, units, AUGUST, today=LATE)
    assert len(table) == len(indicators) + 3 * sum(i.by_village for i in indicators)
    for (indicator_pk, unit_pk), r in table.items():
        alone = services.progress_table([r.indicator], [r.org_unit], AUGUST, today=LATE)[
            (indicator_pk, unit_pk)
        ]
        assert r.progress == alone.progress and r.warnings == alone.warnings
        assert (r.rolled_up, r.previous_value) == (alone.rolled_up, alone.previous_value)
        assert [v.pk for v in r.sources] == [v.pk for v in alone.sources]
        assert [v.pk for v in r.last_year_sources] == [v.pk for v in alone.last_year_sources]
        assert (r.target_record and r.target_record.pk) == (alone.target_record and alone.target_record.pk)
