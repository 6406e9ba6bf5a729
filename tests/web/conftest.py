"""The whole demo (every app's records) loaded once for the dashboard tests, and rolled back after them; and a
small county whose every case and value a test states, for the dashboard's rankings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from tests.conftest import Cast, full_demo_rolled_back
from zhenwu.cases import catalog
from zhenwu.cases.models import Case, CaseType
from zhenwu.cases.states import State
from zhenwu.indicators.models import Indicator, Target, Value
from zhenwu.org.models import Department, OrgUnit, Role, User


@pytest.fixture(scope="package")
def full_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from full_demo_rolled_back(django_db_blocker)


# The league's villages: code suffix and name.
VILLAGES = {"A": "甲村", "B": "乙村", "C": "丙村", "D": "丁村", "E": "戊村", "F": "己村"}


@dataclass
class League:
    """排名县 → 排名镇 (villages 甲…己, two grids each) and 排名二镇 (one village, 庚村).

    Cases received on 3 November 2026 (received, resolved, on time), at each village's first grid
    unless said:
        甲村 20/18/16 (第1网格 12/11/10, 第2网格 8/7/6) → 办结率 90.0, 按期办结率 80.0
        乙村  3/3/3   → too few to rank
        丙村 10/8/8   → 80.0, 80.0 (ties 甲村 on 按期办结率)
        丁村 10/10/10 → 100.0, 100.0
        戊村 12/6/3   → 50.0, 25.0
        己村 10/7/6   → 70.0, 60.0
        庚村 10/10/10
    Indicators of 排名镇, cumulative, by village, annual target 100 (none for 丁村), values for 1-10月
    (time progress 83.3%): i1 of office 甲办, i2 of office 乙办.
        甲村 i1 90, i2 80  → gaps +6.7, −3.3        → mean +1.7
        乙村 i1 100, i2 83 → +16.7 (counted +10), −0.3 → +4.85, shown +4.9
        丙村 i1 —, i2 84   → −83.3 (not reported), +0.7 → −41.3
        丁村 i1 50, i2 50  → no target: nothing to pace
        戊村 i1 85, i2 85  → +1.7, +1.7             → +1.7 (ties 甲村)
        己村 i1 70, i2 70  → −13.3, −13.3           → −13.3
    甲村 also entered its November values early (200 each), which are not due before 5 December.
    """

    county: OrgUnit
    township: OrgUnit
    second_township: OrgUnit
    villages: dict[str, OrgUnit]
    grids: dict[str, OrgUnit]
    leader: User
    village_user: User  # 甲村
    county_viewer: User
    office_user: User  # 甲办, owner of i1
    i1: Indicator
    i2: Indicator


CASES = {"A1": (12, 11, 10), "A2": (8, 7, 6), "B1": (3, 3, 3), "C1": (10, 8, 8), "D1": (10, 10, 10)}
CASES |= {"E1": (12, 6, 3), "F1": (10, 7, 6), "G1": (10, 10, 10)}
OCTOBER = {"A": (90, 80), "B": (100, 83), "C": (None, 84), "D": (50, 50), "E": (85, 85), "F": (70, 70)}


def add_cases(
    unit: OrgUnit, received: int, resolved: int, on_time: int, day: date = date(2026, 11, 3)
) -> None:
    """`received` grid events at `unit` on `day`: the first `on_time` resolved within their deadline, the
    next ones up to `resolved` resolved late, the rest still open."""
    grid_event = CaseType.objects.get(code="grid_event")
    category = grid_event.categories.first()
    start = timezone.make_aware(datetime.combine(day, time(9)))
    cases = []
    for n in range(received):
        at = start + timedelta(minutes=10 * n)
        deadline = at + timedelta(days=5)
        done = at + timedelta(days=1) if n < on_time else at + timedelta(days=6) if n < resolved else None
        cases.append(
            Case(
                case_type=grid_event,
                category=category,
                title=f"{unit.name}事件{n}",
                description="路口垃圾堆放",
                org_unit=unit,
                handling_unit=unit,
                state=State.VERIFIED if done else State.IN_PROGRESS,
                received_at=at,
                deadline=deadline,
                resolved_at=done,
            )
        )
    Case.objects.bulk_create(cases)


def add_value(indicator: Indicator, unit: OrgUnit, month: int, amount: int) -> None:
    Value.objects.create(indicator=indicator, org_unit=unit, year=2026, month=month, value=Decimal(amount))


@pytest.fixture
def league(cast: Cast) -> League:
    catalog.install()
    county = factories.org_unit(None, code="RK", name="排名县")
    township = factories.org_unit(county, code="RK-T", name="排名镇")
    second = factories.org_unit(county, code="RK-T2", name="排名二镇")
    villages = {
        key: factories.org_unit(township, code=f"RK-{key}", name=name) for key, name in VILLAGES.items()
    }
    villages["G"] = factories.org_unit(second, code="RK-G", name="庚村")
    grids = {
        f"{key}{n}": factories.org_unit(village, code=f"RK-{key}{n}", name=f"{village.name}第{n}网格")
        for key, village in villages.items()
        for n in (1, 2)
    }
    for grid, counts in CASES.items():
        add_cases(grids[grid], *counts)
    first = Department.objects.create(township=township, code="jia", name="甲办")
    other = Department.objects.create(township=township, code="yi", name="乙办")
    i1, i2 = (
        Indicator.objects.create(
            township=township, department=office, code=code, name=name, unit="个", by_village=True, decimals=0
        )
        for office, code, name in ((first, "i1", "新增就业岗位"), (other, "i2", "新增市场主体"))
    )
    for key, (one, two) in OCTOBER.items():
        village = villages[key]
        for indicator, amount in ((i1, one), (i2, two)):
            if key != "D":
                Target.objects.create(indicator=indicator, org_unit=village, year=2026, value=Decimal(100))
            if amount is not None:
                add_value(indicator, village, 10, amount)
    for indicator in (i1, i2):
        add_value(indicator, villages["A"], 11, 200)
    return League(
        county=county,
        township=township,
        second_township=second,
        villages=villages,
        grids=grids,
        leader=factories.user(Role.TOWNSHIP_LEADER, township),
        village_user=factories.user(Role.VILLAGE_STAFF, villages["A"]),
        county_viewer=factories.user(Role.COUNTY_VIEWER, county),
        office_user=factories.user(Role.DEPARTMENT_STAFF, township, department=first),
        i1=i1,
        i2=i2,
    )
