"""The values waiting for a user: last month's values of the indicators their office or village reports.

A month's values are due by the ENTRY_DEADLINE_DAY of the next month. An office reports its indicators
for the township; a village its by-village indicators (the township's figure of those is the villages'
sum, so the office is not asked for it). Indicators computed from other values or from records are
never typed, and the entry page's own rule (`services.may_enter`) decides the rest. Two queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhenwu.core.periods import Period
from zhenwu.notifications.todo import TodoItem, TodoKind, end_of
from zhenwu.org.models import OrgKind, Role

from . import services
from .models import Indicator, Value

SHOWN_NAMES = 3


def missing_indicators(user: Any, period: Period) -> list[Indicator]:
    """The indicators the user's own unit (their office's, at a township) has not entered for `period`."""
    unit = user.org_unit
    if user.role not in (Role.DEPARTMENT_STAFF, Role.VILLAGE_STAFF) or unit is None:
        return []
    reported = [
        i
        for i in services.indicators_for(user, unit)
        if services.may_enter(user, i, unit) and (unit.kind != OrgKind.TOWNSHIP or not i.by_village)
    ]
    entered = set(
        Value.objects.filter(
            indicator__in=reported, org_unit=unit, year=period.year, month=period.month
        ).values_list("indicator_id", flat=True)
    )
    return [i for i in reported if i.pk not in entered]


def _names(indicators: list[Indicator]) -> str:
    names = "、".join(i.name for i in indicators[:SHOWN_NAMES])
    return names if len(indicators) <= SHOWN_NAMES else f"{names}等{len(indicators)}项"


def todo_items(user: Any, now: datetime) -> list[TodoItem]:
    period = Period.latest_complete(timezone.localdate(now))
    missing = missing_indicators(user, period)
    if not missing:
        return []
    unit = user.org_unit
    query = f"org={unit.code}&period={period.key}"
    return [
        TodoItem(
            kind=TodoKind.VALUES,
            key=f"values:{unit.code}:{period.key}",
            title=f"{period.year}年{period.month}月指标数据：{len(missing)}项未填报",
            link=f"{reverse('indicators:entry')}?{query}",
            due=end_of(period.entry_deadline(services.ENTRY_DEADLINE_DAY)),
            detail=f"{unit.name} · {_names(missing)}",
        )
    ]
