"""The fixed cast: the demo township with its accounts, and a neighbouring county nobody there may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection

from tests import factories
from zhenwu.org import demo
from zhenwu.org.models import Department, OrgUnit, Role, User


@dataclass
class Cast:
    county: OrgUnit
    township: OrgUnit
    village01: OrgUnit
    village02: OrgUnit
    village03: OrgUnit
    grid0101: OrgUnit
    grid0102: OrgUnit
    jingfa_department: Department
    minzheng_department: Department
    # outside the demo county altogether
    other_county: OrgUnit
    other_township: OrgUnit
    other_village: OrgUnit
    other_grid: OrgUnit
    other_admin: User
    users: dict[str, User]

    def user(self, username: str) -> User:
        return self.users[username]


@pytest.fixture
def cast(db: None) -> Cast:
    township = demo.load_tree()
    demo.load_accounts()
    other_county = factories.org_unit(name="外县")
    other_township = factories.org_unit(other_county, name="外镇")
    other_village = factories.org_unit(other_township, name="外村")
    other_grid = factories.org_unit(other_village, name="外村网格")
    units = {u.code: u for u in OrgUnit.objects.all()}
    return Cast(
        county=units[demo.COUNTY[0]],
        township=township,
        village01=units[demo.village_code(1)],
        village02=units[demo.village_code(2)],
        village03=units[demo.village_code(3)],
        grid0101=units[demo.grid_code(1, 1)],
        grid0102=units[demo.grid_code(1, 2)],
        jingfa_department=Department.objects.get(township=township, code="jfb"),
        minzheng_department=Department.objects.get(township=township, code="mzb"),
        other_county=other_county,
        other_township=other_township,
        other_village=other_village,
        other_grid=other_grid,
        other_admin=factories.user(Role.TOWNSHIP_ADMIN, other_township, display_name="外镇管理员"),
        users={u.username: u for u in User.objects.filter(username__in=[a.username for a in demo.ACCOUNTS])},
    )


@pytest.fixture(autouse=True)
def _purge_permit_for_flushes(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's flush empty the append-only log, and only that flush.

    The permit is written after the test and removed before the next one, so every test body runs
    against the log as production has it.
    """
    uses_db = {"db", "transactional_db", "live_server", "cast"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        yield
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or _marked_transactional(
        request
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_log_purge_permit")
    yield
    if transactional:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO activity_log_purge_permit (id) VALUES (1)")


def _marked_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))
