"""Progress of many townships at once (the leaders' dashboard) sums the villages' values in the database:
every row, its warnings, its order and the records behind it are those each township gives alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, make, target, value
from zhenwu.core.periods import Period
from zhenwu.indicators import services
from zhenwu.indicators.models import IndicatorKind
from zhenwu.org import services as org_services
from zhenwu.org.models import OrgUnit

AUGUST = Period(YEAR, 8)
LATE = date(YEAR, 11, 23)
PHASED = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100]


def _second_township(cast: Cast) -> tuple[OrgUnit, list[OrgUnit]]:
    """A township beside the demo one, with three villages and a catalog where one village reports."""
    township = factories.org_unit(cast.county)
    villages = [factories.org_unit(township) for _ in range(3)]
    office = org_services.create_department(township=township, code="tjz", name="统计站")
    grain = make("grain", "粮食产量", "吨", office, by_village=True, decimals=4)
    farms = make("farms", "家庭农场", "个", office, kind=IndicatorKind.LEVEL, by_village=True, decimals=0)
    plots = make("plots", "耕地", "个", office, kind=IndicatorKind.LEVEL, by_village=True, decimals=0)
    make("share", "农场占比", "%", office, kind=IndicatorKind.RATE, by_village=True, numerator=farms,
         denominator=plots)  # fmt: skip
    make("old", "停用指标", "个", office, by_village=True, active=False)
    value(grain, villages[0], 8, "12.3456")
    value(grain, villages[1], 8, "0.0001")
    value(grain, villages[1], 8, "7.5", year=YEAR - 1)
    value(farms, villages[2], 8, "4")
    value(plots, villages[2], 8, "40")
    value(plots, villages[0], 8, "60")
    target(grain, township, "100", phasing=PHASED)
    return township, villages


def _stored(cast: Cast, catalog: Catalog) -> None:
    """Own values, rolled-up values, a township value beside its villages', last year and last month."""
    for n, village in enumerate((cast.village01, cast.village02, cast.village03), start=1):
        value(catalog.jobs, village, 8, f"{n}.25")
        value(catalog.jobs, village, 7, f"{n + 1}")
        value(catalog.jobs, village, 8, f"{n}", year=YEAR - 1)
        value(catalog.due, village, 8, str(100 * n))
    value(catalog.insured, cast.village01, 8, "90")
    value(catalog.insured, cast.village02, 8, "180")
    value(catalog.due, cast.township, 8, "5000")  # the township's own figure, not its villages' sum
    value(catalog.jobs, cast.grid0101, 8, "999")  # a grid's value is no village's
    value(catalog.invest, cast.township, 8, "4.5", note="口径调整")
    value(catalog.invest, cast.township, 7, "5")
    value(catalog.retail, cast.township, 8, "2", year=YEAR - 1)
    value(catalog.retail, cast.township, 8, "1.5")
    value(catalog.closed_rate, cast.township, 8, "97.5")
    target(catalog.invest, cast.township, "9.6", phasing=PHASED)
    target(catalog.jobs, cast.township, "20")
    target(catalog.retail, cast.township, "3")
    target(catalog.accidents, cast.township, "2")


def _same(batch: list[services.ProgressRow], alone: list[services.ProgressRow]) -> None:
    assert [(r.indicator.pk, r.org_unit.pk) for r in batch] == [
        (r.indicator.pk, r.org_unit.pk) for r in alone
    ]
    for r, a in zip(batch, alone, strict=True):
        assert r.progress == a.progress and str(r.actual) == str(a.actual)
        assert r.warnings == a.warnings
        assert (r.rolled_up, r.previous_value) == (a.rolled_up, a.previous_value)
        assert [v.pk for v in r.sources] == [v.pk for v in a.sources]
        assert [v.pk for v in r.last_year_sources] == [v.pk for v in a.last_year_sources]
        assert (r.target_record and r.target_record.pk) == (a.target_record and a.target_record.pk)


@pytest.mark.parametrize("username", ["xian", "leader", "jingfa"])
def test_many_townships_give_what_each_gives_alone(cast: Cast, catalog: Catalog, username: str) -> None:
    _stored(cast, catalog)
    second, _ = _second_township(cast)
    user = cast.user(username)
    townships = [cast.township, second]
    batch = services.progress_by_township(user, townships, AUGUST, today=LATE)
    assert list(batch) == [t.pk for t in townships]
    for township in townships:
        _same(batch[township.pk], services.progress_for_unit(user, township, AUGUST, today=LATE))
    assert len(batch[cast.township.pk]) > 0


def test_a_rolled_up_total_names_the_villages_that_did_not_report(cast: Cast, catalog: Catalog) -> None:
    second, villages = _second_township(cast)
    rows = services.progress_by_township(cast.user("xian"), [second], AUGUST, today=LATE)[second.pk]
    by_code = {r.indicator.code: r for r in rows}
    grain, share = by_code["grain"], by_code["share"]
    assert grain.actual == Decimal("12.3457") and grain.rolled_up
    assert [v.org_unit_id for v in grain.sources] == [villages[0].pk, villages[1].pk]
    assert grain.progress.last_year == Decimal("7.5")
    assert grain.warnings[-1].message == f"{villages[2].name}未报（应于9月5日前报送），合计不全"
    assert share.actual == Decimal(4) / Decimal(100) * 100  # both parts summed, then divided
    # the part fewer villages reported (farms: only the third) names the two that did not
    assert share.missing_units == tuple(services.UnitName(v.code, v.name) for v in villages[:2])
    assert "old" not in by_code


def test_the_query_count_does_not_grow_with_townships(cast: Cast, catalog: Catalog) -> None:
    _stored(cast, catalog)
    user = cast.user("xian")

    def queries(townships: list[OrgUnit]) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.progress_by_township(user, townships, AUGUST, today=LATE)
        return len(captured)

    queries([cast.township])  # the user's own unit, read once
    one = queries([cast.township])
    second, _ = _second_township(cast)
    third, _ = _second_township(cast)
    assert queries([cast.township, second, third]) == one


def test_only_townships_are_taken(cast: Cast, catalog: Any) -> None:
    with pytest.raises(ValueError):
        services.progress_by_township(cast.user("xian"), [cast.village01], AUGUST)
