"""Figures over a repeat's items, against items counted by hand: a sum and an average of 数量 over the
outputs of campaigns, the filter read in each item, per village, and the records behind the number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import Cast
from zhenwu.registers import figures, services
from zhenwu.registers.models import Register, RegisterRecord

from .helpers import load
from .repeats import campaign, outputs

YEAR = figures.Span(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def campaigns(cast: Cast) -> Register:
    register = load(cast, campaign()).register
    admin = cast.user("admin")
    for unit, day, rows in [
        (
            cast.village01,
            "2026-03-05",
            [("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"), ("渣土", "2", "ton")],
        ),
        (cast.grid0101, "2026-04-09", [("垃圾", "1.25", "ton")]),
        (cast.village02, "2026-05-20", [("标语", "12", "piece")]),
        (cast.village02, "2025-12-30", [("垃圾", "100", "ton")]),  # last year's
        (cast.village03, "2026-06-01", []),
    ]:
        values = {"day": day, "title": "集中清洁日", "outputs": outputs(*rows)}
        services.create_record(admin, register, values, unit=unit)
    return register


def by_name(computed: list[figures.Computed]) -> dict[str, Decimal | None]:
    return {c.spec.name: c.value for c in computed}


def test_a_sum_over_items_reads_the_filter_in_each_item(cast: Cast, campaigns: Register) -> None:
    found = by_name(figures.figures_for(cast.user("admin"), campaigns, cast.township, YEAR))
    # Tons of this year's items only: 3.5 + 2 + 1.25, not the 200 leaflets in the same record.
    assert found["garbage"] == Decimal("6.75")
    assert found["campaigns"] == 4
    # The average of every item's 数量: (3.5 + 200 + 2 + 1.25 + 12) / 5.
    assert found["avg_qty"] == Decimal("43.75")


def test_the_records_behind_a_sum_over_items_are_those_with_an_item_that_counts(
    cast: Cast, campaigns: Register
) -> None:
    garbage = figures.spec_named(campaigns, "garbage")
    assert garbage is not None
    rows = figures.rows_for(cast.user("admin"), campaigns, cast.township, YEAR)
    behind = figures.compute(campaigns, garbage, rows).rows
    assert sorted(r.unit.name for r in behind) == sorted([cast.village01.name, cast.grid0101.name])


def test_each_village_gets_its_own_items(cast: Cast, campaigns: Register) -> None:
    found = figures.breakdown(cast.user("admin"), campaigns, cast.township, YEAR)
    rows = {unit.code: by_name(computed) for unit, computed in found.rows}
    assert rows[cast.village01.code]["garbage"] == Decimal("6.75")  # its grid's record counted too
    assert rows[cast.village02.code]["garbage"] == 0
    assert rows[cast.village02.code]["avg_qty"] == 12
    assert rows[cast.village03.code]["avg_qty"] is None  # no items: nothing to average
    behind = {
        unit.code: next(c for c in computed if c.spec.name == "garbage").rows for unit, computed in found.rows
    }
    assert behind[cast.village01.code].count() == 2 and behind[cast.village02.code].count() == 0


def test_the_report_says_the_sum_is_over_the_items(cast: Cast, campaigns: Register) -> None:
    lines = figures.report_lines(cast.user("admin"), cast.township, YEAR)
    (line,) = [line for line in lines if line.form_id == "activities"]
    garbage = next(s for s in line.figures if s.label == "清理垃圾")
    assert garbage.text == "6.75吨"
    assert "“产出各项的数量”之和" in garbage.how and "${unit} = 'ton'" in garbage.how
    assert RegisterRecord.objects.count() == 5
