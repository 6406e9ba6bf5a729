"""Household figures an indicator can be bound to: monitoring, and benefits paid and in force."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.measures import COUNT, MONEY, Measure, Measured, Records
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import services
from .models import BenefitKind

MONTHLY = [
    (BenefitKind.DIBAO.value, BenefitKind.DIBAO.label),
    (BenefitKind.TEKUN.value, BenefitKind.TEKUN.label),
]


def _span(period: Period) -> tuple[date, date]:
    return date(period.year, 1, 1), period.end_date()


def _overview(unit: OrgUnit, label: str) -> Records:
    return Records(label, "households:overview", (), (("unit", unit.code),))


def benefit_paid(unit: OrgUnit, period: Period, kind: str, memo: dict[object, object]) -> Measured:
    money = services.benefit_paid(scope.WHOLE_UNIT, kind, *_span(period), unit)
    return Measured(money.yuan, _overview(unit, f"{len(money.records)}条{BenefitKind(kind).label}记录"))


def benefit_grants(unit: OrgUnit, period: Period, kind: str, memo: dict[object, object]) -> Measured:
    """Benefits counted in the span: for 临时救助 each grant (人次), else each household paid."""
    money = services.benefit_paid(scope.WHOLE_UNIT, kind, *_span(period), unit)
    return Measured(Decimal(len(money.records)), _overview(unit, f"{BenefitKind(kind).label}记录"))


def _in_force(pick: Callable[[tuple[int, int]], int], what: str) -> Callable[..., Measured]:
    def compute(unit: OrgUnit, period: Period, kind: str, memo: dict[object, object]) -> Measured:
        counted = services.benefits_in_force(scope.WHOLE_UNIT, kind, period.end_date(), unit)
        label = f"{period.end_date():%Y年%m月%d日}享受{BenefitKind(kind).label}的{what}"
        return Measured(Decimal(pick(counted)), _overview(unit, label))

    return compute


def _new_monitored(pick: Callable[[services.HouseholdCount], int]) -> Callable[..., Measured]:
    def compute(unit: OrgUnit, period: Period, option: str, memo: dict[object, object]) -> Measured:
        start, end = _span(period)
        count = services.new_monitored(scope.WHOLE_UNIT, start, end, unit)
        query = (("unit", unit.code), ("start", start.isoformat()), ("end", end.isoformat()))
        return Measured(
            Decimal(pick(count)), Records("新识别的监测对象", "households:monitoring-list", (), query)
        )

    return compute


def register() -> None:
    kinds = {"option_label": "救助类型", "options": lambda: list(BenefitKind.choices)}
    monthly = {"option_label": "救助类型", "options": lambda: MONTHLY}
    measures.register(
        Measure("households.benefit_paid", "救助金发放额", "cumulative", MONEY, benefit_paid, **kinds),
        Measure("households.benefit_grants", "救助发放户次(临时救助为人次)", "cumulative", COUNT,
                benefit_grants, **kinds),
        Measure("households.benefit_households", "在保户数", "level", COUNT,
                _in_force(lambda c: c[0], "户数"), **monthly),
        Measure("households.benefit_people", "在保人数", "level", COUNT,
                _in_force(lambda c: c[1], "人数"), **monthly),
        Measure("households.new_monitored", "新增防返贫监测对象户数", "cumulative", COUNT,
                _new_monitored(lambda c: c.households)),
        Measure("households.new_monitored_people", "新增防返贫监测对象人数", "cumulative", COUNT,
                _new_monitored(lambda c: c.people)),
    )  # fmt: skip
