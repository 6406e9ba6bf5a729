"""Households, members, cases and batches built through the services, with fictional identity numbers."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from zhenwu.core import idcard
from zhenwu.households import services
from zhenwu.households.models import Household, Member, MonitoringCase, PersonalDataAccess, SubsidyBatch
from zhenwu.org.models import OrgKind, OrgUnit, User

_serial = itertools.count(1)


def id_number(birth: date = date(1980, 5, 17), region: str = "990777") -> str:
    """A fresh valid number in a region that does not exist; the sequence makes it unique."""
    n = next(_serial)
    return idcard.compose(region, birth.replace(year=birth.year + n // 1000), n % 1000)


def register_unit(unit: OrgUnit) -> OrgUnit:
    """Households hang at a village or grid: a township stands for its first village."""
    if unit.kind == OrgKind.TOWNSHIP:
        return unit.children.order_by("code").first() or unit
    return unit


def household(unit: OrgUnit, members: int = 2, **extra: object) -> Household:
    n = next(_serial)
    unit = register_unit(unit)
    people = [
        services.MemberInput(
            name=f"测试{n}号{i}",
            relation="head" if i == 0 else "child",
            id_number=id_number(),
            phone=f"139{n % 10_000:04d}{i:04d}" if i == 0 else "",
        )
        for i in range(members)
    ]
    return services.create_household(
        org_unit=unit, number=f"HH{n:06d}", address=f"测试路{n}号", members=people, **extra
    )


def member(unit: OrgUnit) -> Member:
    return household(unit, members=1).members.get()


def monitoring_case(unit: OrgUnit, identified_on: date | None = None) -> MonitoringCase:
    return services.identify(
        household=household(unit),
        category="marginal",
        identified_on=identified_on or date.today(),  # noqa: DTZ011
        risk_causes=["illness"],
    )


def batch_paying(unit: OrgUnit, area: Decimal = Decimal("3.5")) -> SubsidyBatch:
    """A batch set up by `unit`'s township with one line for a household at `unit`."""
    township = unit.township()
    assert township is not None
    batch = services.create_batch(
        org_unit=township,
        name=f"测试补贴批次{next(_serial)}",
        kind="farmland",
        year=2026,
        rate=Decimal("95.50"),
    )
    services.add_payment(batch, household(unit), area)
    return batch


def access_at(unit: OrgUnit, actor: User) -> PersonalDataAccess:
    """A logged full view of a member at `unit`."""
    target = member(unit)
    return PersonalDataAccess.objects.create(
        actor=actor, member=target, org_unit=target.household.org_unit, what="查看完整身份证号和电话"
    )
