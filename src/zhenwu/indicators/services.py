"""Every figure about indicators, and every write of targets and values.

A figure is returned with the records it came from (`ProgressRow.sources`), so that a report can link
each number to its values and targets. Progress for many indicators and units is computed from a
fixed number of queries, whatever their count.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from zhenwu.core.numbers import (
    ENTRY_INTEGER_DIGITS,
    format_fixed,
    format_growth,
    format_percent,
    format_plain,
    format_points,
    round_half_up,
)
from zhenwu.core.periods import Period, time_progress_by_date, time_progress_by_month
from zhenwu.core.progress import STATUS_LABELS, Direction, Progress, Status, rank_competition
from zhenwu.measures import Measured, Records
from zhenwu.notifications.models import Kind, Notification
from zhenwu.notifications.services import Message, notify
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.remembered import Remembered
from zhenwu.workcalendar.services import work_calendar

from .models import VALUE_PLACES, Indicator, IndicatorKind, IndicatorSettings, Target, Value

ENTRY_DEADLINE_DAY = 5
RATE_LIMIT = Decimal(100)


# --- which indicators a unit reports ------------------------------------------------------------


def township_of(unit: OrgUnit) -> OrgUnit:
    township = unit.township()
    if township is None:
        raise ValidationError("县级单元没有统一的指标目录，请选择乡镇/街道或村/社区。")
    return township


def indicators_for(user: Any, unit: OrgUnit) -> QuerySet[Indicator]:
    """The active indicators `unit` reports, as far as `user` may see them."""
    indicators = scope.scoped(user, Indicator.objects.filter(active=True, township=township_of(unit)))
    if unit.kind != OrgKind.TOWNSHIP:
        indicators = indicators.filter(by_village=True)
    return indicators.select_related("department").order_by("position", "code")


def applies_to(indicator: Indicator, unit: OrgUnit) -> bool:
    return unit.kind == OrgKind.TOWNSHIP or (unit.kind == OrgKind.VILLAGE and indicator.by_village)


# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    code: str  # behind | yoy | decrease | missing
    message: str


@dataclass(frozen=True)
class UnitName:
    """A unit named where a figure is shown (a village that has not reported), without its record."""

    code: str
    name: str


def _tolerances() -> dict[int, Decimal]:
    rows = IndicatorSettings.objects.values_list("township_id", "tolerance_points")
    return {township: points for township, points in rows}


TOLERANCES = Remembered("indicator-tolerances", _tolerances, IndicatorSettings)


def tolerance_points(township: OrgUnit) -> Decimal:
    """How far behind time progress (in points) the township still counts as keeping pace: 0 unless set."""
    return TOLERANCES.get().get(township.pk, Decimal(0))


class ProgressRow:
    """One indicator at one unit for one period: the figures and the records behind them.

    The target and value records are made from the rows read only when a page asks for them: a
    table of thousands of rows shows figures, and a detail page the few records behind one of them.
    """

    def __init__(
        self,
        indicator: Indicator,
        org_unit: OrgUnit,
        period: Period,
        progress: Progress,
        target_record: Target | None = None,
        sources: Sequence[Value] = (),
        last_year_sources: Sequence[Value] = (),
        rolled_up: bool = False,
        warnings: list[Warning] | None = None,
        previous_value: Decimal | None = None,
        *,
        tolerance_points: Decimal = Decimal(0),
        missing: tuple[UnitName, ...] | _MissingVillages = (),
        records: Records | None = None,
    ) -> None:
        self.indicator = indicator
        self.org_unit = org_unit
        self.period = period
        self.progress = progress
        self._target: Target | _TargetRow | None = target_record
        self._sources: Sequence[Value] | tuple[_Source, ...] = sources
        self._last_year_sources: Sequence[Value] | tuple[_Source, ...] = last_year_sources
        self.rolled_up = rolled_up
        self._warnings: list[Warning] | Callable[[], list[Warning]] = warnings if warnings is not None else []
        self.warned = bool(warnings)
        self.previous_value = previous_value  # the unit's own value last month, shown beside the entry field
        self.tolerance_points = tolerance_points
        self._missing = missing
        self.records = records  # a bound indicator's records page; typed values are in `sources`

    @property
    def warnings(self) -> list[Warning]:
        """Built when read: a partial total summed in the database names its missing villages only
        if a page shows the message (a county's dashboard counts thousands of rows and reads none)."""
        if callable(self._warnings):
            self._warnings = self._warnings()
        return self._warnings

    @warnings.setter
    def warnings(self, warnings: list[Warning]) -> None:
        self._warnings, self.warned = warnings, bool(warnings)

    @property
    def status(self) -> Status:
        return self.progress.status(self.tolerance_points)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def direction(self) -> str:
        return self.indicator.direction

    @property
    def missing_units(self) -> tuple[UnitName, ...]:
        """The villages left out of a rolled-up total because they have not reported."""
        if isinstance(self._missing, _MissingVillages):
            self._missing = self._missing.units()
        return self._missing

    @property
    def missing_count(self) -> int:
        return len(self._missing)

    @property
    def partial(self) -> bool:
        return self.missing_count > 0

    def missing_words(self) -> str:
        """'白沙村' or '南山村、北坪村、青石村等10个村/社区'."""
        names, shown = self.missing_units, 3
        listed = "、".join(u.name for u in names[:shown])
        return listed if len(names) <= shown else f"{listed}等{len(names)}个村/社区"

    @property
    def actual(self) -> Decimal | None:
        return self.progress.actual

    @property
    def target(self) -> Decimal | None:
        return self.progress.target

    @property
    def target_record(self) -> Target | None:
        if isinstance(self._target, tuple):
            self._target = Target.from_db(Target.objects.db, _TARGET_FIELDS, self._target)
        return self._target

    @property
    def sources(self) -> list[Value]:
        self._sources = _records(self._sources)
        return self._sources

    @sources.setter
    def sources(self, records: Sequence[Value]) -> None:
        self._sources = records

    @property
    def last_year_sources(self) -> list[Value]:
        self._last_year_sources = _records(self._last_year_sources)
        return self._last_year_sources

    @last_year_sources.setter
    def last_year_sources(self, records: Sequence[Value]) -> None:
        self._last_year_sources = records


# Rows are read as tuples in the order of the models' fields, so that the few a page shows become
# records (`Model.from_db`) without another query, and the many it does not show cost no model.
_VALUE_FIELDS = ["id", "indicator_id", "org_unit_id", "year", "month", "value", "note"]
_TARGET_FIELDS = ["id", "indicator_id", "org_unit_id", "year", "value", "phasing"]
_ValueRow = tuple[int, int, int, int, int, Decimal, str]
_TargetRow = tuple[int, int, int, int, Decimal, Any]
_VALUE, _NOTE = 5, 6
_PLACES = Decimal(1).scaleb(-VALUE_PLACES)
_TARGET_VALUE, _PHASING = 4, 5


@dataclass(frozen=True)
class _VillageValues:
    """The village values a township's total was summed from in the database, read if a page asks."""

    indicator_id: int
    township_id: int
    year: int
    month: int

    def rows(self) -> list[_ValueRow]:
        values = Value.objects.filter(
            indicator_id=self.indicator_id,
            org_unit__parent_id=self.township_id,
            org_unit__kind=OrgKind.VILLAGE,
            year=self.year,
            month=self.month,
        )
        return list(values.order_by("org_unit__code").values_list(*_VALUE_FIELDS))  # type: ignore[arg-type]


@dataclass(frozen=True)
class _MissingVillages:
    """The villages left out of a total summed in the database, named if a page asks."""

    indicator_id: int
    township_id: int
    year: int
    month: int
    count: int

    def __len__(self) -> int:
        return self.count

    def units(self) -> tuple[UnitName, ...]:
        reported = Value.objects.filter(
            indicator_id=self.indicator_id, year=self.year, month=self.month, org_unit=OuterRef("pk")
        )
        villages = OrgUnit.objects.filter(parent_id=self.township_id, kind=OrgKind.VILLAGE)
        missing = villages.exclude(Exists(reported)).order_by("code").values_list("code", "name")
        return tuple(UnitName(code, name) for code, name in missing)


_Source = _ValueRow | _VillageValues


def _records(rows: Sequence[Value] | tuple[_Source, ...]) -> list[Value]:
    if isinstance(rows, list):
        return rows
    db = Value.objects.db
    records: list[Value] = []
    for r in rows:
        if isinstance(r, _VillageValues):
            records.extend(Value.from_db(db, _VALUE_FIELDS, v) for v in r.rows())
        else:
            records.append(r if isinstance(r, Value) else Value.from_db(db, _VALUE_FIELDS, r))
    return records


@dataclass
class _Loaded:
    """Targets and values for a set of indicators and units, indexed for lookup without queries."""

    targets: dict[tuple[int, int], _TargetRow]
    values: dict[tuple[int, int, int, int], _ValueRow]
    children: dict[int, list[int]]  # a township's villages' ids, by code
    # When summed in the database: the villages' total and how many reported, by (indicator, township,
    # year, month); `values` then holds only the units' own values.
    sums: dict[tuple[int, int, int, int], tuple[Decimal, int]] | None = None
    # Bound indicators' values, computed from the records, by (indicator, unit, year, month).
    bound: dict[tuple[int, int, int, int], Measured] = field(default_factory=dict)
    names: dict[int, UnitName] = field(default_factory=dict)  # the villages', to say which did not report


def _load(
    indicators: Sequence[Indicator],
    units: Sequence[OrgUnit],
    period: Period,
    *,
    summed: bool = False,
) -> _Loaded:
    """Three queries: child units, targets, and the values of this month, last month and last year.

    Summed: four, the villages' values added up in the database by township and month instead of read
    one by one (a county's townships have some hundred thousand), for tables whose sources are rarely
    looked at. Such a table is of whole catalogs: the units' rows are read whatever their indicator, as
    naming thousands of indicators cost more than the few rows of others.
    """
    unit_ids = [u.pk for u in units]
    children, names = _villages_of([u.pk for u in units if u.kind == OrgKind.TOWNSHIP])
    all_unit_ids = unit_ids + [c for kids in children.values() for c in kids]
    indicator_ids = {i.pk for i in indicators}
    indicator_ids |= {i for ind in indicators for i in (ind.numerator_id, ind.denominator_id) if i}
    of_indicators = Q() if summed else Q(indicator_id__in=indicator_ids)
    target_rows = Target.objects.filter(
        of_indicators, org_unit_id__in=unit_ids, year=period.year
    ).values_list(*_TARGET_FIELDS)
    targets = {(t[1], t[2]): t for t in target_rows}
    months = [period, period.same_period_last_year()]
    if previous := period.previous_month():
        months.append(previous)
    value_rows = Value.objects.filter(
        _months_filter(months),
        of_indicators,
        org_unit_id__in=unit_ids if summed else all_unit_ids,
    ).values_list(*_VALUE_FIELDS)
    values = {(v[1], v[2], v[3], v[4]): v for v in value_rows}
    sums = _village_sums(children, period) if summed else None
    loaded = _Loaded(targets=targets, values=values, children=children, sums=sums, names=names)  # type: ignore[arg-type]
    loaded.bound = _measured(
        [i for i in indicators if i.source], units, [period, period.same_period_last_year()]
    )
    return loaded


def _measured(
    indicators: Sequence[Indicator], units: Sequence[OrgUnit], periods: Sequence[Period]
) -> dict[tuple[int, int, int, int], Measured]:
    """Bound indicators' values, from the records, in the indicators' own units (a measure of money
    in 元 shown in 万元). A bound value is never summed from villages: the measure counts the subtree."""
    found, memo = {}, {}  # type: ignore[var-annotated]
    for indicator in indicators:
        measure = indicator.measure
        if measure is None:
            continue  # a measure no longer offered: the indicator shows no value rather than a wrong one
        for unit in units:
            if not applies_to(indicator, unit):
                continue
            for p in periods:
                measured = measure.compute(unit, p, indicator.source_option, memo)
                value = measure.value_in(indicator.unit, measured.value)
                found[(indicator.pk, unit.pk, p.year, p.month)] = Measured(value, measured.records)
    return found


def _villages_of(townships: list[int]) -> tuple[dict[int, list[int]], dict[int, UnitName]]:
    """The townships' villages' ids (by code) by township, and their names."""
    children: dict[int, list[int]] = defaultdict(list)
    names: dict[int, UnitName] = {}
    if townships:
        villages = OrgUnit.objects.filter(parent_id__in=townships, kind=OrgKind.VILLAGE).order_by("code")
        for child, parent, code, name in villages.values_list("pk", "parent_id", "code", "name"):
            children[parent].append(child)
            names[child] = UnitName(code, name)
    return children, names


def _village_sums(
    children: dict[int, list[int]], period: Period
) -> dict[tuple[int, int, int, int], tuple[Decimal, int]]:
    """Each township's villages' total and how many of them reported, by indicator, in this month and
    the same month last year: of every indicator, as naming those that roll up cost more than summing
    the few that do not, whose totals are never looked up."""
    villages = [c for kids in children.values() for c in kids]
    if not villages:
        return {}
    # Read from the (unit, year, month; indicator, value) index alone: COUNT(*), not of a column the
    # index lacks. The villages are named rather than found by parent and kind, which the planner
    # guessed ten times too few of and so read the table village by village.
    rows = (
        Value.objects.filter(
            org_unit_id__in=villages,
            year__in=[period.same_period_last_year().year, period.year],
            month=period.month,
        )
        .values_list("indicator_id", "org_unit__parent_id", "year", "month")
        .annotate(total=Sum("value"), reported=Count("*"))
        .order_by()
    )
    # To the places of a stored value, as the sum in Python has them (SQLite's SUM of whole numbers has none).
    return {
        (i, t, y, m): (Decimal(total).quantize(_PLACES), reported) for i, t, y, m, total, reported in rows
    }


def _months_filter(periods: Iterable[Period]) -> Q:
    """Exactly these months (not every month of every year named), one condition a year."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for p in periods:
        by_year[p.year].add(p.month)
    condition = Q()
    for year, months in sorted(by_year.items()):
        condition |= Q(year=year, month__in=sorted(months))
    return condition


@dataclass(frozen=True)
class _Facts:
    """What progress asks of an indicator, read once a table rather than once a row."""

    pk: int
    rate: bool
    computed: bool  # numerator ÷ denominator
    bound: bool  # computed from records
    rolls_up: bool  # a township without its own value sums its villages'
    cumulative: bool
    numerator: int | None
    denominator: int | None

    @classmethod
    def of(cls, indicator: Indicator) -> _Facts:
        rate, bound = indicator.is_rate, bool(indicator.source)
        return cls(
            pk=indicator.pk,
            rate=rate,
            computed=indicator.is_computed_rate,
            bound=bound,
            rolls_up=indicator.by_village and not rate and not bound,
            cumulative=indicator.kind == IndicatorKind.CUMULATIVE,
            numerator=indicator.numerator_id,
            denominator=indicator.denominator_id,
        )


@dataclass(frozen=True)
class _Actual:
    value: Decimal | None
    sources: tuple[_Source, ...]
    rolled_up: bool = False
    missing: tuple[UnitName, ...] | _MissingVillages = ()  # villages left out of a rolled-up total
    records: Records | None = None  # of a bound value


NO_VALUE = _Actual(None, ())


def _actual(loaded: _Loaded, facts: dict[int, _Facts], f: _Facts, unit_id: int, period: Period) -> _Actual:
    """The unit's value: its own, or for a computed rate numerator ÷ denominator, or for a township
    without its own value the sum of its villages (a recomputed ratio for rates)."""
    if f.computed:
        num = _actual(loaded, facts, facts[f.numerator], unit_id, period)  # type: ignore[index]
        den = _actual(loaded, facts, facts[f.denominator], unit_id, period)  # type: ignore[index]
        rate = None if num.value is None or not den.value else num.value / den.value * 100
        missing = max(num.missing, den.missing, key=len)  # the part fewer villages reported
        return _Actual(rate, num.sources + den.sources, num.rolled_up or den.rolled_up, missing)
    if f.bound:
        measured = loaded.bound.get((f.pk, unit_id, period.year, period.month))
        return _Actual(measured.value, (), records=measured.records) if measured else NO_VALUE
    values = loaded.values
    own = values.get((f.pk, unit_id, period.year, period.month))
    if own is not None:
        return _Actual(own[_VALUE], (own,))
    if not f.rolls_up:
        return NO_VALUE
    villages = loaded.children.get(unit_id, ())
    if loaded.sums is not None:
        summed = loaded.sums.get((f.pk, unit_id, period.year, period.month))
        if summed is None:
            return NO_VALUE
        total, reported = summed
        where = (f.pk, unit_id, period.year, period.month)
        unreported = len(villages) - reported
        missing = _MissingVillages(*where, unreported) if unreported else ()
        return _Actual(total, (_VillageValues(*where),), True, missing)
    key = (f.pk, period.year, period.month)
    found = {c: v for c in villages if (v := values.get((key[0], c, *key[1:]))) is not None}
    if not found:
        return NO_VALUE
    total = sum((p[_VALUE] for p in found.values()), Decimal(0))
    missing = tuple(loaded.names[c] for c in villages if c not in found)
    return _Actual(total, tuple(found.values()), True, missing)


@dataclass
class _Table:
    """What every row of a table shares: the periods, the deadline, time progress by phasing."""

    loaded: _Loaded
    facts: dict[int, _Facts]
    period: Period
    last_year: Period
    previous: Period | None
    as_of: date | None
    overdue: bool
    deadline: str
    tolerances: dict[int, Decimal]  # by township
    time_progress: dict[tuple[str, ...] | None, Decimal] = field(default_factory=dict)

    def time_progress_for(self, f: _Facts, target: _TargetRow | None) -> Decimal | None:
        """Time progress applies to flows summed through the year; a stock or a rate has none."""
        if not f.cumulative:
            return None
        phasing = target[_PHASING] if target else None
        key = tuple(str(p) for p in phasing) if phasing else None
        if key not in self.time_progress:
            shares = [Decimal(p) / 100 for p in key] if key else None
            self.time_progress[key] = (
                time_progress_by_date(self.as_of, shares)
                if self.as_of is not None
                else time_progress_by_month(self.period, shares)
            )
        return self.time_progress[key]


def progress_table(
    indicators: Sequence[Indicator],
    units: Sequence[OrgUnit],
    period: Period,
    *,
    as_of: date | None = None,
    today: date | None = None,
) -> dict[tuple[int, int], ProgressRow]:
    """Progress of every indicator that applies to every unit, keyed by (indicator id, unit id)."""
    context = _table(indicators, units, period, as_of=as_of, today=today)
    by_village = [i for i in indicators if i.by_village]
    table: dict[tuple[int, int], ProgressRow] = {}
    for unit in units:
        applying = indicators if unit.kind == OrgKind.TOWNSHIP else by_village
        if unit.kind not in (OrgKind.TOWNSHIP, OrgKind.VILLAGE):
            continue
        for indicator in applying:
            table[(indicator.pk, unit.pk)] = _row(context, indicator, unit)
    return table


def _table(
    indicators: Sequence[Indicator],
    units: Sequence[OrgUnit],
    period: Period,
    *,
    as_of: date | None,
    today: date | None,
    summed: bool = False,
) -> _Table:
    today = today or timezone.localdate()
    by_id = {i.pk: i for i in indicators}
    missing_parts = {
        i for ind in indicators for i in (ind.numerator_id, ind.denominator_id) if i and i not in by_id
    }
    if missing_parts:
        by_id.update(Indicator.objects.in_bulk(missing_parts))
    facts = {pk: _Facts.of(i) for pk, i in by_id.items()}
    deadline = period.entry_deadline(ENTRY_DEADLINE_DAY)
    return _Table(
        loaded=_load(indicators, units, period, summed=summed),
        facts=facts,
        period=period,
        last_year=period.same_period_last_year(),
        previous=period.previous_month(),
        as_of=as_of,
        overdue=today > deadline,
        deadline=f"{deadline.month}月{deadline.day}日",
        tolerances=TOLERANCES.get(),
    )


def _row(context: _Table, indicator: Indicator, unit: OrgUnit) -> ProgressRow:
    loaded, f, unit_id, period = context.loaded, context.facts[indicator.pk], unit.pk, context.period
    target = loaded.targets.get((f.pk, unit_id))
    actual = _actual(loaded, context.facts, f, unit_id, period)
    last_year = _actual(loaded, context.facts, f, unit_id, context.last_year)
    progress = Progress(
        actual=actual.value,
        target=target[_TARGET_VALUE] if target else None,
        time_progress=context.time_progress_for(f, target),
        last_year=last_year.value,
        is_rate=f.rate,
        direction=indicator.direction,
        places=indicator.decimals,
    )
    own = loaded.values.get((f.pk, unit_id, period.year, period.month))
    previous = context.previous
    before = loaded.values.get((f.pk, unit_id, previous.year, previous.month)) if previous else None
    row = ProgressRow(
        indicator,
        unit,
        period,
        progress,
        target,  # type: ignore[arg-type]  # made a record when asked for
        actual.sources,  # type: ignore[arg-type]
        last_year.sources,  # type: ignore[arg-type]
        actual.rolled_up,
        previous_value=before[_VALUE] if before else None,
        tolerance_points=context.tolerances.get(indicator.township_id, Decimal(0)),
        missing=actual.missing,
        records=actual.records,
    )
    codes = _warning_codes(row, context, f, own, before)
    row._warnings = lambda: [Warning(code, _warning_words(code, row, context, own, before)) for code in codes]
    row.warned = bool(codes)
    return row


def _warning_codes(
    row: ProgressRow, context: _Table, f: _Facts, own: _ValueRow | None, before: _ValueRow | None
) -> list[str]:
    """What is wrong with a row: behind, falling year on year, a cumulative value below last month's,
    a value or villages missing after the deadline ("partial")."""
    codes = []
    if row.status == Status.BEHIND:
        codes.append("behind")
    if row.progress.worse_than_last_year():
        codes.append("yoy")
    if f.cumulative and own and before and own[_VALUE] < before[_VALUE]:
        codes.append("decrease")
    if context.overdue and row.actual is None and not f.computed and not f.bound:
        codes.append("missing")
    if context.overdue and row.partial:
        codes.append("partial")
    return codes


def _warning_words(
    code: str, row: ProgressRow, context: _Table, own: _ValueRow | None, before: _ValueRow | None
) -> str:
    if code == "behind":
        return behind_words(row)
    if code == "yoy":
        return _yoy_words(row.indicator, row.progress.yoy_percent)  # type: ignore[arg-type]
    if code == "decrease":
        assert own is not None and before is not None
        return f"累计值低于上月({_plain(before[_VALUE])}→{_plain(own[_VALUE])})：{own[_NOTE]}"
    if code == "missing":
        return f"未报（应于{context.deadline}前报送）"
    return f"{row.missing_words()}未报（应于{context.deadline}前报送），合计不全"


def behind_words(row: ProgressRow) -> str:
    """'低于序时进度5.5个百分点', or for fewer-is-better '超过序时进度…'; a partial total says so."""
    points = row.progress.gap_points
    assert points is not None
    words = "低于" if row.direction == Direction.HIGHER else "超过"
    partial = f"（{row.missing_words()}未报，合计不全）" if row.partial else ""
    return f"{words}序时进度{format_fixed(abs(points), 1)}个百分点{partial}"


def _yoy_words(indicator: Indicator, change: Decimal) -> str:
    if indicator.is_rate:
        return f"比去年同期{format_points(change)}"
    return format_growth(change)


def _plain(value: Decimal) -> str:
    return format_plain(value)


def source_option_label(indicator: Indicator) -> str:
    """The name of what a bound indicator's records are narrowed to ("网格事件"), for showing."""
    measure = indicator.measure
    if measure is None or not indicator.source_option:
        return ""
    return dict(measure.option_choices()).get(indicator.source_option, indicator.source_option)


def last_entry(indicator: Indicator, unit: OrgUnit) -> Value | None:
    """The unit's most recently entered value of a typed indicator, with who entered it."""
    values = Value.objects.filter(indicator=indicator, org_unit=unit).select_related("entered_by")
    return values.order_by("-entered_at").first()


def with_authors(values: list[Value]) -> list[Value]:
    """The same value records, with who entered them and their unit, for showing as sources."""
    by_pk = Value.objects.select_related("entered_by", "org_unit").in_bulk([v.pk for v in values])
    return [by_pk[v.pk] for v in values if v.pk in by_pk]


def progress_for_unit(
    user: Any, unit: OrgUnit, period: Period, *, as_of: date | None = None, today: date | None = None
) -> list[ProgressRow]:
    """Every indicator the unit reports, warnings first, for the dashboard and the API."""
    indicators = list(indicators_for(user, unit))
    table = progress_table(indicators, [unit], period, as_of=as_of, today=today)
    rows = [table[(i.pk, unit.pk)] for i in indicators if (i.pk, unit.pk) in table]
    return _warnings_first(rows)


def progress_by_township(
    user: Any, townships: Sequence[OrgUnit], period: Period, *, today: date | None = None
) -> dict[int, list[ProgressRow]]:
    """`progress_for_unit` of many townships, by township id, from a fixed number of queries.

    The villages' values are summed in the database: a county's townships have some hundred thousand,
    which read one by one took most of a second. The records behind a rolled-up figure (`sources`) are
    read when asked for, a query each time: this is for figures shown, not for reports citing them.
    """
    if any(t.kind != OrgKind.TOWNSHIP for t in townships):
        raise ValueError("progress_by_township takes townships only")
    catalog = scope.scoped(user, Indicator.objects.filter(active=True, township__in=townships))
    indicators = list(catalog.select_related("department").order_by("position", "code"))
    context = _table(indicators, townships, period, as_of=None, today=today, summed=True)
    by_township: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_township[indicator.township_id].append(indicator)
    return {t.pk: _warnings_first([_row(context, i, t) for i in by_township[t.pk]]) for t in townships}


def not_reported(rows: Iterable[ProgressRow]) -> list[tuple[UnitName, list[Indicator]]]:
    """Which units have not reported which indicators: the rows' own units where a row has no value,
    and the villages left out of rolled-up totals, in the order first met."""
    missing: dict[UnitName, list[Indicator]] = defaultdict(list)
    for row in rows:
        if row.status == Status.NOT_REPORTED and not row.indicator.is_computed:
            missing[UnitName(row.org_unit.code, row.org_unit.name)].append(row.indicator)
        for unit in row.missing_units:
            missing[unit].append(row.indicator)
    return list(missing.items())


def status_counts(rows: Iterable[ProgressRow]) -> dict[str, int]:
    counted = Counter(row.status.value for row in rows)
    return {status.value: counted[status.value] for status in Status}


def _warnings_first(rows: list[ProgressRow]) -> list[ProgressRow]:
    return sorted(rows, key=lambda r: (not r.warned, r.indicator.position, r.indicator.code))


def latest_period(user: Any, unit: OrgUnit) -> Period | None:
    """The latest month for which the unit (or its villages) has any value the user may see."""
    # One step down the (unit, year, month) index per unit of the subtree. Ordering the subtree's values
    # by period alone walked the values of every township's latest month until it met one of this unit.
    of_unit = scope.scoped(user, Value.objects.filter(org_unit=OuterRef("pk"))).order_by("-year", "-month")
    month_key = of_unit.annotate(key=F("year") * 100 + F("month")).values("key")[:1]
    units = scope.visible_units(user).filter(path__startswith=unit.path)
    latest = units.annotate(latest=Subquery(month_key)).aggregate(Max("latest"))["latest__max"]
    return Period(latest // 100, latest % 100) if latest else None


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None
    row: ProgressRow | None
    org_unit: OrgUnit
    note: str = ""


def village_ranking(
    user: Any, indicator: Indicator, period: Period, today: date | None = None
) -> list[RankedUnit]:
    """Villages ranked by completion (ties share a rank); villages without a target or value come
    last, unranked, with the reason shown."""
    villages = list(
        scope.visible_units(user).filter(kind=OrgKind.VILLAGE, parent=indicator.township).order_by("code")
    )
    table = progress_table([indicator], villages, period, today=today)
    rows = {v.pk: table.get((indicator.pk, v.pk)) for v in villages}
    scores = [(str(pk), row.progress.completion_percent if row else None) for pk, row in rows.items()]
    ranked = rank_competition(scores, descending=indicator.direction == "higher")
    by_pk = {v.pk: v for v in villages}
    result = []
    for key, rank in ranked:
        row = rows[int(key)]
        note = "" if rank is not None else ("未下达任务" if row is None or row.target is None else "未报数")
        result.append(RankedUnit(rank, row, by_pk[int(key)], note))
    return result


# --- a unit's indicators as one standing, for ranking units ---------------------------------------

# A gap ahead of time progress counts up to this many points: one indicator far ahead (a target set too
# low) must not hide another far behind.
AHEAD_CAP_POINTS = Decimal(10)


@dataclass(frozen=True)
class Pace:
    """A unit's indicators against time progress as one figure that units can be ranked on.

    Of the unit's paced indicators (cumulative, with an annual target: those time progress applies to),
    the mean of each one's gap to time progress in points as shown (`Progress.gap_points`, turned for an
    indicator where fewer is better), a gap ahead counted up to AHEAD_CAP_POINTS and an indicator not
    reported counted as nothing done (completion 0). None when the unit has no paced indicator.
    """

    unit: OrgUnit
    period: Period
    paced: int
    ahead: int  # paced indicators at or ahead of time progress (the township's tolerance applied)
    points: Decimal | None


def pace(unit: OrgUnit, period: Period, rows: Iterable[ProgressRow]) -> Pace:
    gaps: list[Decimal] = []
    ahead = 0
    for row in rows:
        due = row.progress.time_progress_percent
        if due is None or not row.target:
            continue
        if row.status == Status.AHEAD:
            ahead += 1
        gap = row.progress.gap_points
        if gap is None:  # not reported
            gaps.append(-due)
            continue
        gaps.append(min(gap if row.direction == Direction.HIGHER else -gap, AHEAD_CAP_POINTS))
    points = round_half_up(sum(gaps, Decimal(0)) / len(gaps), 1) if gaps else None
    return Pace(unit, period, len(gaps), ahead, points)


def village_paces(
    user: Any, township: OrgUnit, villages: Sequence[OrgUnit], period: Period, *, today: date | None = None
) -> list[Pace]:
    """`pace` of each village of `township`, of the by-village indicators the user may see: a fixed
    number of queries, whatever the number of villages (indicators bound to records aside, which
    compute each unit's value from its records)."""
    indicators = [i for i in indicators_for(user, township) if i.by_village]
    table = progress_table(indicators, villages, period, today=today)
    return [
        pace(v, period, [table[(i.pk, v.pk)] for i in indicators if (i.pk, v.pk) in table]) for v in villages
    ]


def due_period(today: date) -> tuple[Period, bool]:
    """The latest month whose values are due by `today`, and whether that is a month earlier than the
    latest complete month: on or before the ENTRY_DEADLINE_DAY, last month's values are still coming in,
    and a ranking of them would rank who reported early."""
    latest = Period.latest_complete(today)
    if today > latest.entry_deadline(ENTRY_DEADLINE_DAY):
        return latest, False
    return latest.previous_month() or Period(latest.year - 1, 12), True


def monthly_trend(
    indicator: Indicator, unit: OrgUnit, year: int, today: date | None = None
) -> dict[str, list[Decimal | None]]:
    """This year's and last year's value by month, for the trend chart (township: own or rolled up).
    A month without a value is None, and drawn as a gap."""
    periods = [Period(y, m) for y in (year - 1, year) for m in range(1, 13)]
    by_id = {indicator.pk: indicator}
    for part in (indicator.numerator, indicator.denominator):
        if part is not None:
            by_id[part.pk] = part
    children, names = _villages_of([unit.pk] if unit.kind == OrgKind.TOWNSHIP else [])
    rows = Value.objects.filter(
        indicator_id__in=by_id, org_unit_id__in=[unit.pk, *names], year__in=[year - 1, year]
    ).values_list(*_VALUE_FIELDS)
    values = {(v[1], v[2], v[3], v[4]): v for v in rows}
    loaded = _Loaded(targets={}, values=values, children=children, names=names)  # type: ignore[arg-type]
    ended = Period.latest_complete(today or timezone.localdate())
    loaded.bound = _measured(
        [i for i in by_id.values() if i.source], [unit], [p for p in periods if p <= ended]
    )
    facts = {pk: _Facts.of(i) for pk, i in by_id.items()}
    series = [_actual(loaded, facts, facts[indicator.pk], unit.pk, p).value for p in periods]
    return {"last_year": series[:12], "this_year": series[12:]}


# --- values missing after the deadline: the reminder job -------------------------------------------

# A reminder names at most this many units' missing values, then says how many more.
MISSING_LINES = 30


def reminder_day(period: Period) -> date:
    """The day the offices are told of `period`'s values still missing: the first working day after the
    entry deadline (holiday table), so that a reminder is read at work, not on a Sunday or in a holiday."""
    deadline = period.entry_deadline(ENTRY_DEADLINE_DAY)
    return work_calendar(deadline, deadline).add_working_days(deadline, 1)


def remind_missing_values(now: datetime) -> str:
    """After the deadline of last month's values, tell each township's admin, each office of its own
    indicators and each village of its own values which are still missing: one notification a recipient
    a month (the key names the month), so the job may run every day of the month and twice."""
    today = timezone.localdate(now)
    period = Period.latest_complete(today)
    deadline, day = period.entry_deadline(ENTRY_DEADLINE_DAY), reminder_day(period)
    if today < day:
        return f"未到提醒日：{period.month}月数据应于{_md(deadline)}前报送，{_md(day)}起提醒"
    told = missing = 0
    for township in OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP, indicators__active=True).distinct():
        people = _answering_for_values(township, period)
        admins = [u for u in people if u.role == Role.TOWNSHIP_ADMIN]
        # The admins, told of everything, are told last: once they have been, the township's reminder is
        # complete, and a later run of the month reads none of its values.
        if admins and all(u.told for u in admins):
            continue
        rows = missing_values(township, period)
        missing += len(rows)
        for user in people:
            theirs = [(i, u) for i, u in rows if _is_theirs(user, i, u)]
            if theirs and not user.told:
                told += notify([user], _missing_message(user, period, theirs))
    return f"提醒 {told} 人({period.month}月未填报 {missing} 项)"


def missing_values(township: OrgUnit, period: Period) -> list[tuple[Indicator, OrgUnit]]:
    """The typed values of `period` the township and its villages have not entered, in catalog order:
    the township's of every indicator that does not roll up from its villages, each village's of the
    indicators entered by village. Three queries: the catalog, the villages, the month's values (the
    period index), whatever the number of values stored."""
    indicators = list(
        Indicator.objects.filter(township=township, active=True, source="")
        .exclude(kind=IndicatorKind.RATE, numerator__isnull=False, denominator__isnull=False)
        .select_related("department")
        .order_by("position", "code")
    )
    if not indicators:
        return []
    villages = list(OrgUnit.objects.filter(parent=township, kind=OrgKind.VILLAGE).order_by("code"))
    entered = set(
        Value.objects.filter(year=period.year, month=period.month, indicator__in=indicators).values_list(
            "indicator_id", "org_unit_id"
        )
    )
    missing = []
    for unit in [township, *villages]:
        for indicator in indicators:
            own = unit.kind == OrgKind.TOWNSHIP and not _Facts.of(indicator).rolls_up
            if (own or (unit.kind == OrgKind.VILLAGE and indicator.by_village)) and (
                (indicator.pk, unit.pk) not in entered
            ):
                missing.append((indicator, unit))
    return missing


def _answering_for_values(township: OrgUnit, period: Period) -> list[User]:
    """Who answers for the township's values: its offices, its villages' staff, then its admins; each
    with `told`, whether they have had `period`'s reminder."""
    reminded = Notification.objects.filter(
        recipient=OuterRef("pk"), key__startswith=f"missing_values:{period.key}:"
    )
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(org_unit=township, role__in=[Role.TOWNSHIP_ADMIN, Role.DEPARTMENT_STAFF])
            | Q(org_unit__parent=township, org_unit__kind=OrgKind.VILLAGE, role=Role.VILLAGE_STAFF)
        )
        .annotate(told=Exists(reminded))
        .select_related("org_unit", "department")
    )
    return sorted(users, key=lambda u: (u.role == Role.TOWNSHIP_ADMIN, u.pk))


def _is_theirs(user: User, indicator: Indicator, unit: OrgUnit) -> bool:
    """The admin answers for the whole township, an office for its indicators, a village for its values."""
    if user.role == Role.DEPARTMENT_STAFF:
        return indicator.department_id == user.department_id
    if user.role == Role.VILLAGE_STAFF:
        return unit.pk == user.org_unit_id
    return True


def _missing_message(user: User, period: Period, rows: list[tuple[Indicator, OrgUnit]]) -> Message:
    assert user.org_unit is not None
    names: dict[int, str] = {}
    by_unit: dict[int, list[str]] = defaultdict(list)
    for indicator, unit in rows:
        names[unit.pk] = unit.name
        by_unit[unit.pk].append(indicator.name)
    lines = [f"{names[pk]}：{'、'.join(indicators)}" for pk, indicators in by_unit.items()]
    if len(lines) > MISSING_LINES:
        lines = [*lines[:MISSING_LINES], f"……另有{len(lines) - MISSING_LINES}个单元未报"]
    query = {"org": user.org_unit.code, "period": period.key}
    if user.role == Role.DEPARTMENT_STAFF and user.department is not None:
        query["department"] = user.department.code
    deadline = _md(period.entry_deadline(ENTRY_DEADLINE_DAY))
    return Message(
        kind=Kind.MISSING_VALUES,
        key=f"missing_values:{period.key}:unit:{user.org_unit_id}",
        title=f"{period.year}年{period.month}月指标数据尚有{len(rows)}项未填报",
        body="\n".join([f"{period.month}月数据应于{deadline}前报送，以下尚未填报：", *lines]),
        link=f"{reverse('indicators:entry')}?{urlencode(query)}",
    )


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


# --- entry ---------------------------------------------------------------------------------------


ENTERING_ROLES = (Role.TOWNSHIP_ADMIN, Role.DEPARTMENT_STAFF, Role.VILLAGE_STAFF)


def may_enter_values(user: Any) -> bool:
    """Whether the user enters indicator values at all (the entry form, the Excel template and upload, the
    指标台账 import): the roles `may_enter` lets enter something; which indicators and units, it says."""
    if scope.sees_everything(user):
        return True
    return bool(user.is_authenticated and user.role in ENTERING_ROLES and scope.scope_root(user) is not None)


def may_enter(user: User, indicator: Indicator, unit: OrgUnit) -> bool:
    """Office staff enter their office's indicators for the township and its villages; village staff
    enter their own village's; the township admin may enter any. Leaders and viewers only read."""
    if not scope.unit_in_scope(user, unit) or not applies_to(indicator, unit) or indicator.is_computed:
        return False
    if scope.sees_everything(user) or user.role == Role.TOWNSHIP_ADMIN:
        return True
    if user.role == Role.DEPARTMENT_STAFF:
        return indicator.department_id == user.department_id
    return user.role == Role.VILLAGE_STAFF and unit.pk == user.org_unit_id


def may_set_targets(user: User, unit: OrgUnit) -> bool:
    return scope.is_township_admin(user) and scope.unit_in_scope(user, unit)


ENTRY_LIMIT = Decimal(10) ** ENTRY_INTEGER_DIGITS
PLAUSIBLE_FACTOR = Decimal(10)  # ten times more or less than a comparison asks for a confirmation


def period_error(period: Period, today: date | None = None) -> str:
    """A month's values are entered in the first days of the next: a month that has not ended yet
    cannot be entered."""
    if period > Period.latest_complete(today or timezone.localdate()):
        return f"{period.year}年{period.month}月尚未结束，不能填报。"
    return ""


def entry_rows(user: User, unit: OrgUnit, period: Period, department: str = "") -> list[Indicator]:
    """The indicators `user` fills for `unit` in `period`, in catalog order: the rows of the entry form
    and of the month's Excel template alike (one per indicator of this unit), so that the two never
    disagree. `department` (an office's code) keeps that office's. None for a month not yet over."""
    if period_error(period):
        return []
    rows = [i for i in indicators_for(user, unit) if may_enter(user, i, unit)]
    return [i for i in rows if i.department.code == department] if department else rows


def entry_offices(user: User, unit: OrgUnit, period: Period) -> list[Department]:
    """The offices whose indicators `user` fills for `unit` in `period`: what the entry page offers
    to narrow its rows by, and nothing the user could not fill."""
    offices = {i.department_id: i.department for i in entry_rows(user, unit, period)}
    return sorted(offices.values(), key=lambda office: office.code)


@dataclass(frozen=True)
class Entry:
    """One value as a user typed it, before it is saved."""

    indicator: Indicator
    org_unit: OrgUnit
    value: Decimal
    note: str = ""
    where: str = ""  # how the user finds it again: a form field, "第5行" or "values[2]"


@dataclass
class EntryCheck:
    """The outcome of checking entries against the stored values, before anything is saved."""

    errors: list[tuple[Entry | None, str]] = field(default_factory=list)
    new: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Value]] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    warnings: list[tuple[Entry, str]] = field(default_factory=list)
    # Far from last month, last year or the target: saved only once the user has confirmed them.
    implausible: list[tuple[Entry, str]] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def confirm_key(self) -> str:
        """Names the warnings as they were shown, so that a confirmation is of these and no others."""
        if not self.implausible:
            return ""
        shown = sorted([e.indicator.pk, e.org_unit.pk, _plain(e.value), m] for e, m in self.implausible)
        return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:24]


def check_entries(
    user: User, period: Period, entries: Iterable[Entry], *, period_where: str = ""
) -> EntryCheck:
    """Validate every entry, compare it with what is stored, and say what saving would do.

    `period_where` names where the user gave the period ("第2行B列"), for a message about it.
    """
    entries = list(entries)
    check = EntryCheck()
    if refused := period_error(period):
        check.errors.append((None, f"{period_where}：{refused}" if period_where else refused))
        return check
    if not entries:
        return check
    known = _Known.load(entries, period)
    seen: dict[tuple[int, int], Entry] = {}
    for entry in entries:
        key = (entry.indicator.pk, entry.org_unit.pk)
        if key in seen:
            check.errors.append((entry, f"与{seen[key].where}重复：同一指标、同一单元只能填一次。"))
            continue
        seen[key] = entry
        before = known.value(entry, period.previous_month())
        message = _entry_error(user, entry, before)
        if message:
            check.errors.append((entry, message))
            continue
        current = known.value(entry, period)
        if current is None:
            check.new.append(entry)
        elif current.value == entry.value and current.note == entry.note:
            check.unchanged.append(entry)
        else:
            check.changed.append((entry, current))
        if entry.indicator.kind == IndicatorKind.CUMULATIVE and before and entry.value < before.value:
            check.warnings.append((entry, f"累计值低于上月的{_plain(before.value)}，原因：{entry.note}"))
        if doubt := _implausible(entry, known):
            check.implausible.append((entry, doubt))
    return check


@dataclass(frozen=True)
class _Known:
    """What entries are checked against: the stored values of the month, the month before and the
    same month last year, and the year's targets."""

    period: Period
    values: dict[tuple[int, int, int, int], Value]
    targets: dict[tuple[int, int], Target]

    @classmethod
    def load(cls, entries: list[Entry], period: Period) -> _Known:
        indicators, units = {e.indicator.pk for e in entries}, {e.org_unit.pk for e in entries}
        months = [period, period.same_period_last_year(), *filter(None, [period.previous_month()])]
        values = Value.objects.filter(
            _months_filter(months), indicator_id__in=indicators, org_unit_id__in=units
        )
        targets = Target.objects.filter(indicator_id__in=indicators, org_unit_id__in=units, year=period.year)
        return cls(
            period,
            {(v.indicator_id, v.org_unit_id, v.year, v.month): v for v in values},
            {(t.indicator_id, t.org_unit_id): t for t in targets},
        )

    def value(self, entry: Entry, period: Period | None) -> Value | None:
        if period is None:
            return None
        return self.values.get((entry.indicator.pk, entry.org_unit.pk, period.year, period.month))


def _entry_error(user: User, entry: Entry, before: Value | None) -> str:
    indicator = entry.indicator
    if indicator.is_computed and scope.unit_in_scope(user, entry.org_unit):
        how = "由平台记录自动计算" if indicator.source else "由分子、分母指标计算"
        return f"“{indicator.name}”{how}，不能手工填报。"
    if not may_enter(user, indicator, entry.org_unit):
        return f"无权填报{entry.org_unit.name}的“{indicator.name}”。"
    if not entry.value.is_finite() or abs(entry.value) >= ENTRY_LIMIT:
        return f"“{indicator.name}”超出可填写的范围。"
    if entry.value < 0:
        return f"“{indicator.name}”不能为负数。"
    if indicator.is_rate and indicator.unit == "%" and entry.value > RATE_LIMIT:
        return f"“{indicator.name}”是百分比，不能超过100。"
    if entry.value != round(entry.value, indicator.decimals):
        return f"“{indicator.name}”最多保留{indicator.decimals}位小数。"
    if len(entry.note) > 200:
        return "备注不能超过200字。"
    if (
        indicator.kind == IndicatorKind.CUMULATIVE
        and before
        and entry.value < before.value
        and not entry.note.strip()
    ):
        return f"累计值低于上月的{_plain(before.value)}，请在备注中说明原因。"
    return ""


def _implausible(entry: Entry, known: _Known) -> str:
    """Ten times more or less than last month, the same month last year or the month's share of the
    target is most likely a slip of unit (元 for 万元) or of the decimal point."""
    if entry.value == 0:
        return ""  # zero is zero in any unit
    unit, period = entry.indicator.unit, known.period
    compared = []
    if before := known.value(entry, period.previous_month()):
        compared.append((before.value, f"上月{_plain(before.value)}{unit}"))
    if last_year := known.value(entry, period.same_period_last_year()):
        compared.append((last_year.value, f"去年同期{_plain(last_year.value)}{unit}"))
    if target := known.targets.get((entry.indicator.pk, entry.org_unit.pk)):
        compared.append(_target_share(entry.indicator, target, period))
    far = [words for base, label in compared if (words := _far_from(entry.value, base, label))]
    if not far:
        return ""
    return f"“{entry.indicator.name}”{_plain(entry.value)}{unit}{'，'.join(far)}，请确认单位和数值。"


def _target_share(indicator: Indicator, target: Target, period: Period) -> tuple[Decimal, str]:
    """What the month should show of the annual target: the target phased by time progress for a
    flow summed through the year, the target itself for a stock or a rate."""
    unit, whole = indicator.unit, f"全年目标{_plain(target.value)}{indicator.unit}"
    if indicator.kind != IndicatorKind.CUMULATIVE:
        return target.value, whole
    progress = time_progress_by_month(period, target.phasing_shares())
    due = target.value * progress
    shown = _plain(due.quantize(Decimal(1).scaleb(-max(indicator.decimals, 2)), ROUND_HALF_UP))
    return due, f"按序时进度应完成的{shown}{unit}({whole}的{format_percent(progress * 100)})"


def _far_from(value: Decimal, base: Decimal, label: str) -> str:
    if base <= 0:
        return ""
    ratio = value / base
    if ratio > PLAUSIBLE_FACTOR:
        step = Decimal(1) if ratio >= 100 else Decimal("0.1")
        return f"是{label}的{_plain(ratio.quantize(step, ROUND_HALF_UP))}倍"
    if ratio * PLAUSIBLE_FACTOR < 1:
        percent = ratio * 100
        two_digits = percent.quantize(Decimal(1).scaleb(percent.adjusted() - 1), ROUND_HALF_UP)
        return f"仅为{label}的{_plain(two_digits)}%"
    return ""


@transaction.atomic
def save_entries(
    user: User, period: Period, entries: Iterable[Entry], *, confirmed: bool | str = False
) -> EntryCheck:
    """Save all entries or none: any error and nothing changes. Then re-check the township's rules.

    Values far from their comparisons (`EntryCheck.implausible`) are saved only once confirmed:
    `confirmed` is True when the caller answers for having shown every warning (the API's
    `"confirm": true`), or the `confirm_key` of the warnings the user saw, which must still be the
    warnings of these entries.
    """
    check = check_entries(user, period, entries)
    if not check.ok or (check.implausible and confirmed is not True and confirmed != check.confirm_key):
        return check
    for entry in check.new:
        Value.objects.create(
            indicator=entry.indicator, org_unit=entry.org_unit, year=period.year, month=period.month,
            value=_kept(entry), note=entry.note, entered_by=user,
        )  # fmt: skip
    for entry, current in check.changed:
        if current.value != entry.value:  # the stored form of an equal value stays, and is not logged
            current.value = _kept(entry)
        current.note, current.entered_by = entry.note, user
        current.save()
    check.saved = True
    from .rules import evaluate_rules  # rules read values through this module's figures

    townships = {township_of(e.org_unit) for e in check.new + [e for e, _ in check.changed]}
    for township in townships:
        evaluate_rules(township, period)
    return check


def _kept(entry: Entry) -> Decimal:
    """The value to the indicator's decimals, written out plainly: the activity log shows 1000.00,
    never 1E+3."""
    return entry.value.quantize(Decimal(1).scaleb(-entry.indicator.decimals))


def set_target(
    user: User | None,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: Decimal,
    phasing: list[Decimal] | None,
) -> Target:
    if user is not None and not may_set_targets(user, unit):
        raise PermissionDenied("无权为该单元下达目标任务。")
    if not applies_to(indicator, unit):
        raise ValidationError(f"“{indicator.name}”不按村填报，不能给{unit.name}下达任务。")
    if value < 0:
        raise ValidationError(f"“{indicator.name}”的目标不能为负数。")
    _check_phasing(phasing)
    target, _ = Target.objects.get_or_create(
        indicator=indicator, org_unit=unit, year=year, defaults={"value": value}
    )
    target.value = value
    target.phasing = [str(p) for p in phasing] if phasing else None
    target.save()
    return target


def _check_phasing(phasing: list[Decimal] | None) -> None:
    if not phasing:
        return
    if len(phasing) != 12:
        raise ValidationError(f"月度进度安排应有12个数，现有{len(phasing)}个。")
    if any(b < a for a, b in pairwise(phasing)) or phasing[0] < 0:
        raise ValidationError("月度进度安排应为逐月不减的累计百分比。")
    if phasing[-1] != 100:
        raise ValidationError("月度进度安排的12月应为100。")


def targets_for(unit: OrgUnit, year: int) -> QuerySet[Target]:
    return Target.objects.filter(org_unit=unit, year=year).select_related("indicator")


@transaction.atomic
def set_targets(
    user: User, unit: OrgUnit, year: int, targets: list[tuple[Indicator, Decimal, list[Decimal] | None]]
) -> int:
    """Set many targets at once, all or none."""
    for indicator, value, phasing in targets:
        set_target(user, indicator, unit, year, value, phasing)
    return len(targets)
