"""Accounts hold one role at a unit of the right kind; office staff belong to an office of their township."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from tests.conftest import Cast
from zhenwu.org import services
from zhenwu.org.models import Role, User


def test_a_village_role_at_a_township_is_refused_with_the_reason(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        factories.user(Role.VILLAGE_STAFF, cast.township)
    assert "村/社区工作人员应设在村/社区一级" in str(error.value)


def test_office_staff_need_an_office(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        factories.user(Role.DEPARTMENT_STAFF, cast.township)
    assert "站所工作人员须选择所属站所" in str(error.value)


def test_office_staff_cannot_join_another_townships_office(cast: Cast) -> None:
    other_office = factories.department(cast.other_township, name="外镇经发办")
    with pytest.raises(ValidationError) as error:
        factories.user(Role.DEPARTMENT_STAFF, cast.township, department=other_office)
    assert "所选站所不属于该乡镇" in str(error.value)


def test_only_township_admins_are_staff_of_the_admin_site(cast: Cast) -> None:
    assert cast.user("admin").is_staff
    assert not any(cast.user(name).is_staff for name in ("leader", "jingfa", "cun01", "wangge01", "xian"))


def test_a_township_admin_cannot_create_accounts_in_another_township(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_user(
            username="intruder", password=None, role=Role.VILLAGE_STAFF, org_unit=cast.other_village,
            actor=cast.user("admin"),
        )  # fmt: skip
    assert not User.objects.filter(username="intruder").exists()


def test_a_village_user_cannot_change_the_tree(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.update_org_unit(
            cast.village01, code=cast.village01.code, name="改名", actor=cast.user("cun01")
        )
