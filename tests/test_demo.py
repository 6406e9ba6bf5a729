"""The demo township: the promised tree, offices and accounts; loading twice changes nothing."""

from io import StringIO

from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from tests.conftest import Cast
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import ACCOUNTS, DEMO_PASSWORD
from zhenwu.org.models import Department, OrgKind, OrgUnit, User


def snapshot() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        LogEntry.objects.count(),
    )


def test_the_demo_has_a_county_a_township_twelve_villages_and_sixty_grids(cast: Cast) -> None:
    demo_units = OrgUnit.objects.subtree(cast.county)
    assert cast.county.name == "示范县" and cast.township.name == "示范镇"
    assert demo_units.of_kind(OrgKind.VILLAGE).count() >= 12
    assert demo_units.of_kind(OrgKind.GRID).count() >= 60
    offices = set(cast.township.departments.values_list("name", flat=True))
    assert {"党政办", "经发办", "农业农村办", "应急管理办", "综治中心", "民政办", "社保所"} <= offices


def test_loading_the_demo_twice_changes_nothing(db: None) -> None:
    load_demo()
    first = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == first


def test_every_demo_account_logs_in_with_the_demo_password(cast: Cast) -> None:
    request = RequestFactory().post("/accounts/login/")
    for account in ACCOUNTS:
        user = authenticate(request, username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        assert user.role == account.role


def test_the_grid_worker_works_in_a_grid_of_the_first_village(cast: Cast) -> None:
    assert cast.user("wangge01").org_unit == cast.grid0101
    assert cast.grid0101.parent == cast.village01
