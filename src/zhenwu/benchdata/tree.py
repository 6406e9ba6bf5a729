"""The county's tree, offices, accounts and Open311 keys, shaped like the demo township (org.demo)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from zhenwu.cases.models import Open311Key
from zhenwu.org.demo import DEPARTMENTS
from zhenwu.org.models import PATH_SEPARATOR, Department, OrgKind, OrgUnit, Role, User

from .scale import Clock, Scale
from .sink import Sink

PASSWORD = "zhenwu-bench"
TOWNSHIP_NAMES = [
    "城关镇", "青山镇", "河口镇", "白石镇", "龙潭镇", "杨柳镇", "长岭镇", "三里镇", "新集镇", "永安镇",
    "柏林镇", "石门镇", "黄土镇", "双河镇", "桥头镇", "金盆乡", "马坪镇", "高店镇", "平林镇", "安居镇",
]  # fmt: skip
VILLAGE_FIRST = "东西南北上下前后大小中新"
VILLAGE_SECOND = "岗河山坪石湾园桥湖林庄岭塘冲"


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    path: str


@dataclass
class Village:
    unit: Unit
    number: int
    grids: list[Unit]


@dataclass
class Township:
    number: int
    unit: Unit
    villages: list[Village]
    departments: dict[str, int]  # office code → id
    admin: int = 0
    leader: int = 0
    office_staff: dict[str, int] = field(default_factory=dict)  # office code → user id
    village_staff: dict[int, int] = field(default_factory=dict)  # village id → user id
    grid_workers: dict[int, int] = field(default_factory=dict)  # grid id → user id
    names: dict[int, str] = field(default_factory=dict)  # user id → display name

    @property
    def grids(self) -> list[Unit]:
        return [g for v in self.villages for g in v.grids]


@dataclass
class County:
    unit: Unit
    townships: list[Township]
    viewer: int
    accounts: list[tuple[str, str]]  # (username, role label) for the printout
    open311_keys: list[str]


def township_name(number: int) -> str:
    return TOWNSHIP_NAMES[number - 1] if number <= len(TOWNSHIP_NAMES) else f"第{number}镇"


def village_name(township: int, village: int) -> str:
    first = VILLAGE_FIRST[(village - 1) % len(VILLAGE_FIRST)]
    second = VILLAGE_SECOND[((village - 1) // len(VILLAGE_FIRST) + township) % len(VILLAGE_SECOND)]
    suffix = "社区" if village % 7 == 0 else "村"
    return f"{first}{second}{suffix}" + (
        "" if village <= len(VILLAGE_FIRST) * len(VILLAGE_SECOND) else str(village)
    )


class _Units:
    """Collects org unit rows with their ids, paths and depths."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.rows: list[tuple[object, ...]] = []

    def add(self, kind: str, code: str, name: str, parent: Unit | None, depth: int) -> Unit:
        unit = Unit(
            self.sink.next_id(OrgUnit), code, name, (parent.path if parent else "") + code + PATH_SEPARATOR
        )
        self.rows.append((unit.id, kind, code, name, parent.id if parent else None, unit.path, depth))
        return unit


def build(
    sink: Sink, scale: Scale, clock: Clock, county_code: str, county_name: str, account_prefix: str = ""
) -> County:
    """The county's units, offices, accounts (usernames start with `account_prefix`) and Open311 keys."""
    units = _Units(sink)
    county = units.add(OrgKind.COUNTY, county_code, county_name, None, 0)
    townships = []
    for t in range(1, scale.townships + 1):
        unit = units.add(OrgKind.TOWNSHIP, f"{county_code}{t:03d}", township_name(t), county, 1)
        villages = []
        for v in range(1, scale.villages_per_township + 1):
            village = units.add(OrgKind.VILLAGE, f"{unit.code}{v:03d}", village_name(t, v), unit, 2)
            grids = [
                units.add(OrgKind.GRID, f"{village.code}{g:02d}", f"{village.name}第{g}网格", village, 3)
                for g in range(1, scale.grids_per_village + 1)
            ]
            villages.append(Village(village, v, grids))
        departments = {code: sink.next_id(Department) for code, _ in DEPARTMENTS}
        townships.append(Township(t, unit, villages, departments))
    sink.write(OrgUnit, ["id", "kind", "code", "name", "parent_id", "path", "depth"], units.rows)
    sink.write(
        Department,
        ["id", "township_id", "code", "name"],
        [(t.departments[code], t.unit.id, code, name) for t in townships for code, name in DEPARTMENTS],
    )
    users = _Users(sink, clock, account_prefix)
    viewer = users.add("county", "县里查看", Role.COUNTY_VIEWER, county.id)
    for township in townships:
        _township_accounts(users, township)
    users.flush()
    keys = _open311_keys(sink, clock, townships)
    return County(county, townships, viewer, users.accounts, keys)


def _township_accounts(users: _Users, township: Township) -> None:
    prefix, name = f"t{township.number:02d}", township.unit.name
    township.admin = users.add(f"{prefix}admin", f"{name}管理员", Role.TOWNSHIP_ADMIN, township.unit.id)
    township.leader = users.add(f"{prefix}leader", f"{name}镇长", Role.TOWNSHIP_LEADER, township.unit.id)
    for code, office in DEPARTMENTS:
        township.office_staff[code] = users.add(
            f"{prefix}{code}",
            f"{name}{office}",
            Role.DEPARTMENT_STAFF,
            township.unit.id,
            township.departments[code],
        )
    for village in township.villages:
        v = f"{prefix}v{village.number:02d}"
        township.village_staff[village.unit.id] = users.add(
            v, f"{village.unit.name}干部", Role.VILLAGE_STAFF, village.unit.id
        )
        # One grid worker per village: enough to log in as one, without a thousand accounts nobody uses.
        grid = village.grids[0]
        township.grid_workers[grid.id] = users.add(f"{v}g01", f"{grid.name}网格员", Role.GRID_WORKER, grid.id)
    township.names = users.names


class _Users:
    def __init__(self, sink: Sink, clock: Clock, prefix: str = "") -> None:
        self.sink = sink
        self.prefix = prefix
        self.clock = clock
        # One hash for every account: hashing a thousand passwords with argon2 would take minutes.
        self.password = make_password(PASSWORD)
        self.rows: list[tuple[object, ...]] = []
        self.accounts: list[tuple[str, str]] = []
        self.names: dict[int, str] = {}

    def add(
        self, username: str, display: str, role: Role, unit_id: int, department_id: int | None = None
    ) -> int:
        user_id = self.sink.next_id(User)
        username = self.prefix + username
        self.rows.append(
            (
                user_id,
                self.password,
                None,
                False,
                username,
                "",
                "",
                "",
                role == Role.TOWNSHIP_ADMIN,
                True,
                self.clock.start,
                display,
                role.value,
                unit_id,
                department_id,
                "",
            )
        )
        self.accounts.append((username, role.label))
        self.names[user_id] = display
        return user_id

    def flush(self) -> None:
        columns = [
            "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
            "is_staff", "is_active", "date_joined", "display_name", "role", "org_unit_id", "department_id",
            "phone",
        ]  # fmt: skip
        self.sink.write(User, columns, self.rows)


def open311_key(township_code: str) -> str:
    return f"bench-{township_code}"


def _open311_keys(sink: Sink, clock: Clock, townships: list[Township]) -> list[str]:
    keys = [open311_key(t.unit.code) for t in townships]
    sink.write(
        Open311Key,
        ["id", "township_id", "name", "key", "active", "created_at"],
        [
            (sink.next_id(Open311Key), t.unit.id, "基准测试客户端", key, True, clock.start)
            for t, key in zip(townships, keys, strict=True)
        ],
    )
    return keys
