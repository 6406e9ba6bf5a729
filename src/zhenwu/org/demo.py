"""The demo township's tree, offices and accounts: 示范县 → 示范镇 → 12 villages → 60 grids.

Deterministic and idempotent: every record is looked up by its code before it is created, so loading
twice changes nothing. The codes start with 99, a province code that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import services
from .models import Department, OrgKind, OrgUnit, Role, User

DEMO_PASSWORD = "zhenwu-demo"
COUNTY = ("990101", "示范县")
TOWNSHIP = ("990101001", "示范镇")
VILLAGES = [
    "东岗村", "西河村", "南山村", "北坪村", "青石村", "柳湾村",
    "桃园村", "石桥村", "新华社区", "和平社区", "龙泉村", "白沙村",
]  # fmt: skip
GRIDS_PER_VILLAGE = 5
DEPARTMENTS = [
    ("dzb", "党政办"),
    ("jfb", "经发办"),
    ("nyb", "农业农村办"),
    ("yjb", "应急管理办"),
    ("zzzx", "综治中心"),
    ("mzb", "民政办"),
    ("sbs", "社保所"),
    ("czs", "财政所"),
    ("shb", "社会事务办"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    unit_code: str
    department_code: str | None = None


def village_code(number: int) -> str:
    return f"{TOWNSHIP[0]}{number:03d}"


def grid_code(village_number: int, grid_number: int) -> str:
    return f"{village_code(village_number)}{grid_number:02d}"


ACCOUNTS = [
    DemoAccount("admin", "赵管理", Role.TOWNSHIP_ADMIN, TOWNSHIP[0]),
    DemoAccount("leader", "钱镇长", Role.TOWNSHIP_LEADER, TOWNSHIP[0]),
    DemoAccount("jingfa", "孙经发", Role.DEPARTMENT_STAFF, TOWNSHIP[0], "jfb"),
    DemoAccount("minzheng", "王民政", Role.DEPARTMENT_STAFF, TOWNSHIP[0], "mzb"),
    # The safety office: the hazards the township takes in, and its registers (the registers demo enters
    # an office's records as its first staff account).
    DemoAccount("anquan", "冯安全", Role.DEPARTMENT_STAFF, TOWNSHIP[0], "yjb"),
    DemoAccount("cun01", "李东岗", Role.VILLAGE_STAFF, village_code(1)),
    DemoAccount("cun02", "周西河", Role.VILLAGE_STAFF, village_code(2)),
    DemoAccount("wangge01", "吴网格", Role.GRID_WORKER, grid_code(1, 1)),
    DemoAccount("xian", "郑县里", Role.COUNTY_VIEWER, COUNTY[0]),
]


def _unit(kind: OrgKind, code: str, name: str, parent: OrgUnit | None) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    return existing or services.create_org_unit(kind=kind, code=code, name=name, parent=parent)


def load_tree() -> OrgUnit:
    county = _unit(OrgKind.COUNTY, *COUNTY, parent=None)
    township = _unit(OrgKind.TOWNSHIP, *TOWNSHIP, parent=county)
    for v, village_name in enumerate(VILLAGES, start=1):
        village = _unit(OrgKind.VILLAGE, village_code(v), village_name, township)
        for g in range(1, GRIDS_PER_VILLAGE + 1):
            _unit(OrgKind.GRID, grid_code(v, g), f"{village_name}第{g}网格", village)
    for code, name in DEPARTMENTS:
        if not Department.objects.filter(township=township, code=code).exists():
            services.create_department(township=township, code=code, name=name)
    return township


def load_accounts() -> list[DemoAccount]:
    for account in ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        unit = OrgUnit.objects.get(code=account.unit_code)
        department = (
            Department.objects.get(township=unit, code=account.department_code)
            if account.department_code
            else None
        )
        services.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            org_unit=unit,
            department=department,
            display_name=account.display_name,
        )
    return ACCOUNTS


def load() -> None:
    load_tree()
    load_accounts()
