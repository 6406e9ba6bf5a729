"""The case engine's figures an indicator can be bound to: counts and rates of one case type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.measures import COUNT, PERCENT, Measure, Measured, Records
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import services
from .models import CaseType


def _case_types() -> list[tuple[str, str]]:
    return list(CaseType.objects.order_by("code").values_list("code", "name"))


def type_figures(
    unit: OrgUnit, period: Period, type_code: str, memo: dict[object, object]
) -> tuple[services.Figures, Records]:
    """One type's figures from 1 January to the end of the period, as they stood at its end: a case
    resolved later does not change a month that has passed."""
    start, end = date(period.year, 1, 1), period.end_date()
    key = ("cases", unit.pk, period)
    if key not in memo:
        period_over = services.start_of_day(end + timedelta(days=1)) - timedelta(microseconds=1)
        now = min(timezone.now(), period_over)
        memo[key] = services.case_figures(scope.WHOLE_UNIT, unit, start, end, now=now)
    report: services.FigureReport = memo[key]  # type: ignore[assignment]
    case_type = services.case_type_by_code(type_code)
    name = case_type.name if case_type else type_code
    figures = next((f for n, f in report.by_type if n == name), services.Figures())
    query = (("unit", unit.code), ("start", start.isoformat()), ("end", end.isoformat()))
    if case_type is not None:
        query += (("case_type", str(case_type.pk)),)
    label = f"{name}：{start.month}月{start.day}日至{end.month}月{end.day}日受理的事件"
    return figures, Records(label, "cases:case-list", (), query)


def _measured(read: Callable[[services.Figures], Decimal | int | None]) -> Callable[..., Measured]:
    def compute(unit: OrgUnit, period: Period, option: str, memo: dict[object, object]) -> Measured:
        figures, records = type_figures(unit, period, option, memo)
        value = read(figures)
        return Measured(None if value is None else Decimal(value), records)

    return compute


def register() -> None:
    def of_type(key: str, label: str, kind: str, quantity: str, read: Callable[..., object]) -> Measure:
        compute = _measured(read)
        return Measure(key, label, kind, quantity, compute, option_label="事件类型", options=_case_types)

    measures.register(
        of_type("cases.received", "受理事件数", "cumulative", COUNT, lambda f: f.received),
        of_type("cases.resolved", "办结事件数", "cumulative", COUNT, lambda f: f.resolved),
        of_type("cases.resolution_rate", "事件办结率", "rate", PERCENT, lambda f: f.resolution_rate),
        of_type("cases.on_time_rate", "事件按期办结率", "rate", PERCENT, lambda f: f.on_time_rate),
    )
