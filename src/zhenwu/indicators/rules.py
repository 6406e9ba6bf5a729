"""Consistency rules between indicators, and the life of each violation.

A rule compares a left side with a right side for every unit it applies to. Values carry the precision
their indicator is entered with, so the comparison allows half a unit of the last decimal place for
each number summed: a township total rounded to 0.01 may differ from the sum of twelve rounded village
values by up to 0.065 and still be right (DHIS2 compares exactly, and its users suffer for it).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhenwu.core.periods import Period
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, User

from .models import (
    ConsistencyRule,
    MissingStrategy,
    Operator,
    RuleRight,
    RuleViolation,
    Value,
    ViolationState,
)

COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    Operator.LE: operator.le,
    Operator.LT: operator.lt,
    Operator.EQ: operator.eq,
    Operator.GE: operator.ge,
    Operator.GT: operator.gt,
}


@dataclass(frozen=True)
class Side:
    value: Decimal | None
    terms: int  # how many rounded numbers were added up
    places: int


def tolerance(left: Side, right: Side) -> Decimal:
    """Half a unit of the last place of every number on either side."""
    return sum(
        (Decimal(side.terms) * Decimal(5).scaleb(-(side.places + 1)) for side in (left, right)), Decimal(0)
    )


def holds(op: str, left: Side, right: Side) -> bool:
    """Whether `left op right` holds within the precision the values carry."""
    assert left.value is not None and right.value is not None
    slack = tolerance(left, right)
    difference = left.value - right.value
    if op == Operator.EQ:
        return abs(difference) <= slack
    if op in (Operator.LE, Operator.LT):
        return difference <= slack if op == Operator.LE else difference < slack
    return difference >= -slack if op == Operator.GE else difference > -slack


def _units_for(rule: ConsistencyRule) -> list[OrgUnit]:
    if rule.right_kind == RuleRight.CHILDREN_SUM or not rule.left.by_village:
        return [rule.township]
    return [rule.township, *OrgUnit.objects.filter(parent=rule.township, kind=OrgKind.VILLAGE)]


def _sides(rule: ConsistencyRule, unit: OrgUnit, values: dict[tuple[int, int], Decimal]) -> tuple[Side, Side]:
    left = Side(values.get((rule.left_id, unit.pk)), 1, rule.left.decimals)
    if rule.right_kind == RuleRight.CHILDREN_SUM:
        parts = [values[(rule.left_id, c.pk)] for c in unit.children.all() if (rule.left_id, c.pk) in values]
        right = Side(sum(parts, Decimal(0)) if parts else None, max(len(parts), 1), rule.left.decimals)
    else:
        assert rule.right is not None
        right = Side(values.get((rule.right_id, unit.pk)), 1, rule.right.decimals)  # type: ignore[arg-type]
    return left, right


def _outcome(rule: ConsistencyRule, left: Side, right: Side) -> bool | None:
    """True if the rule holds, False if violated, None if it cannot be judged (a side is missing)."""
    if left.value is None or right.value is None:
        if rule.missing == MissingStrategy.SKIP:
            return None
        if rule.missing == MissingStrategy.VIOLATION:
            return False
        left = Side(left.value or Decimal(0), left.terms, left.places)
        right = Side(right.value or Decimal(0), right.terms, right.places)
    return holds(rule.operator, left, right)


@transaction.atomic
def evaluate_rules(township: OrgUnit, period: Period) -> list[RuleViolation]:
    """Check every active rule of the township for the month; open, reopen or close violations."""
    rules = list(
        ConsistencyRule.objects.filter(township=township, active=True).select_related(
            "left", "right", "township"
        )
    )
    values = {
        (v.indicator_id, v.org_unit_id): v.value
        for v in Value.objects.filter(
            org_unit__path__startswith=township.path, year=period.year, month=period.month
        ).only("indicator_id", "org_unit_id", "value")
    }
    found = []
    for rule in rules:
        for unit in _units_for(rule):
            left, right = _sides(rule, unit, values)
            outcome = _outcome(rule, left, right)
            violation = _record(rule, unit, period, left, right, outcome)
            if violation is not None and violation.state != ViolationState.FIXED:
                found.append(violation)
    return found


def _record(
    rule: ConsistencyRule, unit: OrgUnit, period: Period, left: Side, right: Side, outcome: bool | None
) -> RuleViolation | None:
    existing = RuleViolation.objects.filter(
        rule=rule, org_unit=unit, year=period.year, month=period.month
    ).first()
    if outcome is False:
        if existing is None:
            return RuleViolation.objects.create(
                rule=rule, org_unit=unit, year=period.year, month=period.month,
                left_value=left.value, right_value=right.value,
            )  # fmt: skip
        values_moved = (existing.left_value, existing.right_value) != (left.value, right.value)
        if existing.state == ViolationState.FIXED or (
            values_moved and existing.state == ViolationState.EXPLAINED
        ):
            existing.state = (
                ViolationState.OPEN
            )  # the numbers changed: the old explanation no longer covers them
        existing.left_value, existing.right_value = left.value, right.value
        existing.save()
        return existing
    if existing is not None and existing.state != ViolationState.FIXED:
        existing.state = ViolationState.FIXED
        existing.left_value, existing.right_value = left.value, right.value
        existing.save()
    return existing


def explain_violation(user: User, violation: RuleViolation, explanation: str) -> RuleViolation:
    """An office says the numbers are right and why; the violation stays listed as explained."""
    if not scope.unit_in_scope(user, violation.org_unit) or user.role in ("township_leader", "county_viewer"):
        raise PermissionDenied("无权说明该校验不符。")
    if violation.state == ViolationState.FIXED:
        raise ValidationError("该不符已更正，无需说明。")
    if not explanation.strip():
        raise ValidationError({"explanation": "请填写情况说明。"})
    violation.explanation = explanation.strip()
    violation.explained_by = user
    violation.state = ViolationState.EXPLAINED
    violation.save()
    return violation


def violations_for(
    user: Any, unit: OrgUnit, period: Period | None = None, *, include_fixed: bool = False
) -> Any:
    found = scope.scoped(user, RuleViolation.objects.filter(org_unit__path__startswith=unit.path))
    if period is not None:
        found = found.filter(year=period.year, month=period.month)
    if not include_fixed:
        found = found.exclude(state=ViolationState.FIXED)
    return found.select_related("rule", "rule__left", "rule__right", "org_unit", "explained_by").order_by(
        "state", "-year", "-month"
    )
