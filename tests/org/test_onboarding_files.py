"""The fixture files of tests/fixtures/township import cleanly into a database that does not hold the
township yet, and a second import of them changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.township import township as t
from zhenwu.org import accounts, imports, services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "township"
ORG_FILE = FIXTURES / "组织机构.xlsx"
ACCOUNTS_FILE = FIXTURES / "人员账号.xlsx"


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root-import", password=None)


def test_the_org_file_dry_runs_clean_then_imports_the_whole_tree(root: User) -> None:
    data = ORG_FILE.read_bytes()
    dry = imports.dry_run_org(root, data, ORG_FILE.name)
    assert dry.errors == []
    assert (dry.added, dry.updated, dry.unchanged) == (1 + 1 + 8 + 24 + 7, 0, 0)
    assert not OrgUnit.objects.filter(code=t.TOWNSHIP[1]).exists()  # a dry run saves nothing

    result = imports.apply_org(root, data, ORG_FILE.name)
    assert result.saved and result.errors == []
    township = OrgUnit.objects.get(code=t.TOWNSHIP[1])
    under = OrgUnit.objects.subtree(township)
    assert under.filter(kind=OrgKind.VILLAGE).count() == 8
    assert under.filter(kind=OrgKind.GRID).count() == 24
    assert Department.objects.filter(township=township).count() == 7
    grid = OrgUnit.objects.get(code=t.grid_code("990102101203", 2))
    assert grid.parent.name == "柳湾村" and grid.path.startswith(township.path)

    again = imports.apply_org(root, data, ORG_FILE.name)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 41)


def test_the_accounts_file_imports_the_41_people_with_first_login_links(root: User) -> None:
    """Imported by the township's admin: the test database also holds the demo county, whose village
    names (柳湾村 …) a county-wide import would find twice."""
    imports.apply_org(root, ORG_FILE.read_bytes(), ORG_FILE.name)
    first_admin = services.create_user(
        username="first-admin", password=None, role=Role.TOWNSHIP_ADMIN,
        org_unit=OrgUnit.objects.get(code=t.TOWNSHIP[1]),
    )  # fmt: skip
    data = ACCOUNTS_FILE.read_bytes()
    dry = accounts.dry_run_accounts(first_admin, data, ACCOUNTS_FILE.name)
    assert dry.errors == []
    assert dry.added == len(t.PEOPLE) == 41
    # The admin's office is noted in the sheet, but only office staff belong to one.
    assert dry.warnings == ["第3行「站所」：只有站所工作人员记录所属站所，“党政办”将不记录。"]

    result = accounts.apply_accounts(first_admin, data, ACCOUNTS_FILE.name)
    assert result.saved and len(result.created) == 41
    links = accounts.first_login_links(result.created, "https://zhenwu.example")
    assert all(link.startswith("https://zhenwu.example/org/first-login/") for _, link in links)
    admin = User.objects.get(username="13900000001")
    assert admin.role == Role.TOWNSHIP_ADMIN and admin.display_name == "周海涛" and admin.is_staff
    assert not admin.has_usable_password()
    clerk = User.objects.get(username="13900000011")
    assert clerk.department.name == "经济发展办"
    assert (
        User.objects.filter(role=Role.GRID_WORKER, org_unit__path__startswith=admin.org_unit.path).count()
        == 24
    )

    again = accounts.apply_accounts(first_admin, data, ACCOUNTS_FILE.name)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 41) and again.created == []
