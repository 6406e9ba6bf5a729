"""Factories that build org trees and accounts through the services, as the app itself does."""

from __future__ import annotations

import itertools

from zhenwu.org import services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User

_serial = itertools.count(1)

CHILD_KIND = {
    OrgKind.COUNTY: OrgKind.TOWNSHIP,
    OrgKind.TOWNSHIP: OrgKind.VILLAGE,
    OrgKind.VILLAGE: OrgKind.GRID,
    OrgKind.GRID: OrgKind.MICROGRID,
}
KIND_WORD = {
    OrgKind.COUNTY: "县",
    OrgKind.TOWNSHIP: "镇",
    OrgKind.VILLAGE: "村",
    OrgKind.GRID: "网格",
    OrgKind.MICROGRID: "微网格",
}


def org_unit(parent: OrgUnit | None = None, *, name: str | None = None, code: str | None = None) -> OrgUnit:
    kind = OrgKind.COUNTY if parent is None else CHILD_KIND[OrgKind(parent.kind)]
    n = next(_serial)
    return services.create_org_unit(
        kind=kind, code=code or f"T{n:06d}", name=name or f"测试{KIND_WORD[kind]}{n}", parent=parent
    )


def tree(townships: int, villages: int, grids: int) -> OrgUnit:
    """A county with `townships` townships, each with `villages` villages of `grids` grids."""
    county = org_unit()
    for _ in range(townships):
        township = org_unit(county)
        for _ in range(villages):
            village = org_unit(township)
            for _ in range(grids):
                org_unit(village)
    return county


def department(township: OrgUnit, name: str | None = None) -> Department:
    n = next(_serial)
    return services.create_department(township=township, code=f"d{n}", name=name or f"测试办{n}")


def user(role: Role, unit: OrgUnit, department: Department | None = None, **extra: object) -> User:
    n = next(_serial)
    return services.create_user(
        username=f"user{n}",
        password="correct-horse-battery",
        role=role,
        org_unit=unit,
        department=department,
        **extra,
    )
