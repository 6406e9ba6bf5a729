"""Each township's indicator catalog with annual targets and monthly values, as indicators.models reads them.

The catalog repeats the demo's 35 indicators (indicators.demo.SPECS) for several sectors until it has
the asked number. Cumulative indicators hold the year-to-date value (starting afresh each January),
stocks the month-end level, rates a percentage; computed rates hold no values of their own. Indicators
reported by village have values at the villages only: the township's figure is their sum, the roll-up
the progress pages compute. A few units miss the latest month, so the warnings have work to do.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu.core.periods import Period
from zhenwu.indicators.demo import COMPUTED_RATES, SPECS, Spec
from zhenwu.indicators.models import Indicator, IndicatorKind, Target, Value

from .scale import Clock
from .sink import Row, Sink
from .tree import County, Township, Unit

SECTORS = ["工业园区", "镇区", "农业园区", "一产", "二产", "三产", "东片", "西片", "南片", "北片", "重点企业"]
INDICATOR_COLUMNS = [
    "id", "township_id", "department_id", "code", "name", "unit", "kind", "direction", "decimals",
    "by_village", "numerator_id", "denominator_id", "source", "source_option", "position", "active",
]  # fmt: skip
TARGET_COLUMNS = ["id", "indicator_id", "org_unit_id", "year", "value", "phasing"]
VALUE_COLUMNS = [
    "id",
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "value",
    "note",
    "entered_by_id",
    "entered_at",
]
STRAIGHT = [100 * m / 12 for m in range(1, 13)]
YEARLY_GROWTH = 1.06


def catalog(count: int) -> list[tuple[Spec, int]]:
    """(spec, round) for `count` indicators: round 0 is the demo catalog, each later round a sector."""
    return [(SPECS[i % len(SPECS)], i // len(SPECS)) for i in range(count)]


def indicator_code(spec: Spec, round_: int) -> str:
    return spec.code if round_ == 0 else f"{spec.code}{round_:02d}"


def by_village(spec: Spec, round_: int) -> bool:
    return spec.by_village or round_ % 3 == 1  # about half of a full catalog


def generate(sink: Sink, clock: Clock, county: County, per_township: int, seed: int) -> None:
    for township in county.townships:
        rng = random.Random(f"{seed}:indicators:{township.number}")
        _Township(sink, clock, township, rng).run(per_township)


class _Township:
    def __init__(self, sink: Sink, clock: Clock, township: Township, rng: random.Random) -> None:
        self.sink, self.clock, self.township, self.rng = sink, clock, township, rng
        raw = [rng.randint(60, 140) for _ in township.villages]
        self.weights = [w / sum(raw) for w in raw]
        self.months = clock.months
        self.years = clock.calendar_years

    def run(self, count: int) -> None:
        specs = catalog(count)
        ids = list(self.sink.ids(Indicator, count))
        index = {indicator_code(spec, r): i for i, (spec, r) in enumerate(specs)}
        rows = [self._indicator(ids[i], spec, r, ids, index, i) for i, (spec, r) in enumerate(specs)]
        self.sink.write(Indicator, INDICATOR_COLUMNS, rows)
        targets: list[Row] = []
        values: list[Row] = []
        for indicator_id, (spec, r), row in zip(ids, specs, rows, strict=True):
            computed = row[10] is not None
            self._series(indicator_id, spec, by_village(spec, r), computed, targets, values)
        first = self.sink.ids(Target, len(targets)).start
        self.sink.write(Target, TARGET_COLUMNS, ((first + n, *t) for n, t in enumerate(targets)))
        first = self.sink.ids(Value, len(values)).start
        self.sink.write(Value, VALUE_COLUMNS, ((first + n, *v) for n, v in enumerate(values)))

    def _indicator(
        self, indicator_id: int, spec: Spec, round_: int, ids: list[int], index: dict[str, int], position: int
    ) -> Row:
        parts = [index.get(indicator_code_of(code, round_)) for code in COMPUTED_RATES.get(spec.code, ())]
        numerator, denominator = (
            (ids[parts[0]], ids[parts[1]]) if len(parts) == 2 and None not in parts else (None, None)
        )  # type: ignore[index]
        name = spec.name if round_ == 0 else f"{spec.name}({SECTORS[(round_ - 1) % len(SECTORS)]})"
        return (
            indicator_id,
            self.township.unit.id,
            self.township.departments[spec.department],
            indicator_code(spec, round_),
            name[:64],
            spec.unit,
            spec.kind,
            spec.direction,
            spec.decimals,
            by_village(spec, round_),
            numerator,
            denominator,
            "",  # typed, with generated values, even where the demo binds the indicator to records
            "",
            (position + 1) * 10,
            True,
        )

    def _series(
        self,
        indicator_id: int,
        spec: Spec,
        village_level: bool,
        computed: bool,
        targets: list[Row],
        values: list[Row],
    ) -> None:
        township = self.township
        units: list[tuple[Unit, float, int | None]] = (
            [
                (v.unit, w, township.village_staff[v.unit.id])
                for v, w in zip(township.villages, self.weights, strict=True)
            ]
            if village_level
            else [(township.unit, 1.0, township.office_staff[spec.department])]
        )
        phasing = json.dumps([str(p) for p in spec.phasing]) if spec.phasing else None
        base, rate = float(spec.target), spec.kind == IndicatorKind.RATE
        for year in self.years:
            growth = 1.0 if rate else YEARLY_GROWTH ** (year - self.years[-1])
            targets.append((indicator_id, township.unit.id, year, _decimal(base * growth, spec), phasing))
            if village_level:
                for unit, weight, _ in units:
                    targets.append(
                        (
                            indicator_id,
                            unit.id,
                            year,
                            _decimal(base * growth * (1.0 if rate else weight), spec),
                            phasing,
                        )
                    )
        if computed:
            return
        for unit, weight, author in units:
            self._values(indicator_id, spec, unit, weight, author, values)

    def _values(
        self, indicator_id: int, spec: Spec, unit: Unit, weight: float, author: int | None, values: list[Row]
    ) -> None:
        rng = self.rng
        pace = float(spec.pace) * rng.uniform(0.85, 1.15)
        skip_latest = rng.random() < 0.02  # 应报未报
        shares = spec.phasing or STRAIGHT
        so_far = (0, 0.0)  # (year, value): a year-to-date value never falls within its year
        for period in self.months:
            if skip_latest and period == self.clock.latest:
                continue
            target = float(spec.target) * (YEARLY_GROWTH ** (period.year - self.clock.latest.year))
            if spec.kind == IndicatorKind.RATE:
                amount = min(100.0, float(spec.target) - rng.uniform(-1.0, 3.0))
            elif spec.kind == IndicatorKind.LEVEL:
                amount = target * weight * pace * (0.9 + 0.1 * period.month / 12)
            else:
                amount = target * weight * pace * shares[period.month - 1] / 100 * rng.uniform(0.98, 1.02)
                if so_far[0] == period.year:
                    amount = max(amount, so_far[1])
                so_far = (period.year, amount)
            values.append(
                (
                    indicator_id,
                    unit.id,
                    period.year,
                    period.month,
                    _decimal(max(amount, 0.0), spec),
                    "",
                    author,
                    self._entered_at(period),
                )
            )

    def _entered_at(self, period: Period) -> datetime:
        day = period.entry_deadline(3)
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        return min(moment, self.clock.now - timedelta(hours=1))


def indicator_code_of(code: str, round_: int) -> str:
    spec = next(s for s in SPECS if s.code == code)
    return indicator_code(spec, round_)


def _decimal(amount: float, spec: Spec) -> Decimal:
    return Decimal(f"{amount:.{spec.decimals}f}")
