"""Project figures an indicator can be bound to."""

from __future__ import annotations

from decimal import Decimal

from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.measures import COUNT, Measure, Measured, Records
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import services


def in_library(unit: OrgUnit, period: Period, option: str, memo: dict[object, object]) -> Measured:
    count = services.projects_in_library(scope.WHOLE_UNIT, unit, period.end_date()).count()
    records = Records("项目库中的重点项目", "projects:dashboard", (), (("org", unit.code),))
    return Measured(Decimal(count), records)


def register() -> None:
    measures.register(Measure("projects.in_library", "在库项目数", "level", COUNT, in_library))
