"""Township admins manage their own tree and accounts in the admin site, and nothing beyond it."""

from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.org.models import OrgUnit, User


def test_an_admin_adds_a_grid_under_a_village_of_their_township(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(
        reverse("admin:org_orgunit_add"),
        {"kind": "grid", "code": "99010100100106", "name": "东岗村第6网格", "parent": cast.village01.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    grid = OrgUnit.objects.get(code="99010100100106")
    assert grid.path == f"{cast.village01.path}99010100100106/"
    assert LogEntry.objects.get_for_object(grid).get().actor == cast.user("admin")


def test_an_admin_cannot_hang_a_unit_under_another_township(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(
        reverse("admin:org_orgunit_add"),
        {"kind": "grid", "code": "X1", "name": "越界网格", "parent": cast.other_village.pk},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_a_wrong_parent_kind_is_explained_on_the_form(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(
        reverse("admin:org_orgunit_add"),
        {"kind": "village", "code": "V99", "name": "错挂村", "parent": cast.village01.pk},
    )
    assert "村/社区的上级应为乡镇/街道" in response.content.decode()
    assert not OrgUnit.objects.filter(code="V99").exists()


def test_an_admin_creates_a_village_account(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "cun03",
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "display_name": "王南山",
            "role": "village_staff",
            "org_unit": cast.village03.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="cun03")
    assert user.org_unit == cast.village03 and not user.is_staff
    assert user.password.startswith(("argon2", "md5"))


def test_the_admin_site_is_closed_to_leaders_and_village_staff(cast: Cast, client: Client) -> None:
    for name in ("leader", "cun01"):
        client.force_login(cast.user(name))
        assert client.get(reverse("admin:index")).status_code == 302  # to the admin login


def test_the_admin_site_speaks_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "镇务管理后台" in page and "组织单元" in page and "用户" in page
