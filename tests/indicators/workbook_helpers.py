"""河口镇 of the onboarding fixtures, built with the org services as the org import would leave it, and
small 指标台账 workbooks written in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from tests import factories
from tests.fixtures.township import township as names
from zhenwu.indicators.workbook import INDICATOR_HEADERS, VALUE_HEADERS
from zhenwu.org import services
from zhenwu.org.models import Department, OrgUnit, Role, User


@dataclass
class Hekou:
    county: OrgUnit
    township: OrgUnit
    villages: dict[str, OrgUnit]  # by name
    offices: dict[str, Department]  # by name
    admin: User
    economy: User  # 经济发展办 staff
    clerk: User  # 李家村's clerk


def build_hekou() -> Hekou:
    county = services.create_org_unit(kind="county", code=names.COUNTY[1], name=names.COUNTY[0], parent=None)
    township = services.create_org_unit(
        kind="township", code=names.TOWNSHIP[1], name=names.TOWNSHIP[0], parent=county
    )
    villages = {
        name: services.create_org_unit(kind="village", code=code, name=name, parent=township)
        for name, code, _kind in names.VILLAGES
    }
    offices = {
        name: services.create_department(township=township, code=code, name=name)
        for name, code in names.OFFICES
    }
    return Hekou(
        county=county,
        township=township,
        villages=villages,
        offices=offices,
        admin=factories.user(Role.TOWNSHIP_ADMIN, township),
        economy=factories.user(Role.DEPARTMENT_STAFF, township, offices["经济发展办"]),
        clerk=factories.user(Role.VILLAGE_STAFF, villages["李家村"]),
    )


CATALOG_ROWS = [
    ["gdzctz", "固定资产投资", "万元", "累计", "越高越好", "经济发展办", 1, "否"],
    ["jygw", "新增就业岗位", "个", "累计", "越高越好", "社会事务办", 0, "是"],
    ["bzmj", "粮食播种面积", "亩", "时点", "越高越好", "农业农村办", 0, "是"],
]


def book(
    indicators: list[list[Any]] | None = None,
    targets: list[list[Any]] | None = None,
    values: list[list[Any]] | None = None,
    *,
    year: int = 2026,
) -> bytes:
    """A workbook laid out as the template: title, hint or year, headers, then the rows given.
    `targets` starts with its header row (单位, indicators…)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if indicators is not None:
        sheet = workbook.create_sheet("指标")
        for row in [["指标目录"], ["说明"], INDICATOR_HEADERS, *indicators]:
            sheet.append(row)
    if targets is not None:
        sheet = workbook.create_sheet("目标")
        for row in [["目标任务"], ["年度", year], *targets]:
            sheet.append(row)
    if values is not None:
        sheet = workbook.create_sheet("月度数据")
        for row in [["月度数据"], ["年度", year], VALUE_HEADERS, *values]:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def months(*numbers: Any, note: str = "") -> list[Any]:
    """Twelve month cells from January, then the note."""
    return [*numbers, *[None] * (12 - len(numbers)), note]
