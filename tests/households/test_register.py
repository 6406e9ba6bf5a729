"""The household register: identity numbers checked, birth date and gender derived, one person one
household, one head per household; bad input names the field and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.conftest import Cast
from tests.households import factories
from zhenwu.core import idcard
from zhenwu.households import services
from zhenwu.households.models import Household, Member


def test_birth_date_and_gender_come_from_the_number(cast: Cast) -> None:
    household = factories.household(cast.grid0101, members=0)
    number = idcard.compose("990888", date(1975, 3, 9), 123)
    member = services.add_member(household, services.MemberInput("李四", "head", number))
    assert member.birth_date == date(1975, 3, 9) and member.gender == "male"


def test_a_bad_check_digit_is_refused_with_the_expected_digit(cast: Cast) -> None:
    household = factories.household(cast.grid0101, members=0)
    number = idcard.compose("990888", date(1975, 3, 9), 123)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.add_member(household, services.MemberInput("李四", "head", wrong))
    assert f"按前17位应为{number[17]}" in str(caught.value.message_dict["id_number"])
    assert not Member.objects.exists()


def test_the_same_person_cannot_be_in_two_households(cast: Cast) -> None:
    first = factories.household(cast.grid0101)
    number = first.members.first().full_id_number()  # type: ignore[union-attr]
    second = factories.household(cast.village02, members=0)
    with pytest.raises(ValidationError, match="同一人不能属于两户"):
        services.add_member(second, services.MemberInput("重复", "head", number))


def test_a_failed_household_leaves_nothing_behind(cast: Cast) -> None:
    good = factories.id_number()
    members = [services.MemberInput("甲", "head", good), services.MemberInput("乙", "child", "123")]
    with pytest.raises(ValidationError), transaction.atomic():
        services.create_household(org_unit=cast.grid0101, number="BAD-1", members=members)
    assert not Household.objects.filter(number="BAD-1").exists()
    assert not Member.objects.exists()


def test_a_household_has_one_head(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    with pytest.raises(ValidationError, match="已有户主"):
        services.add_member(household, services.MemberInput("二号", "head", factories.id_number()))


def test_households_hang_at_a_village_or_grid_only(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="村/社区或网格"):
        services.create_household(org_unit=cast.township, number="T-1")


def test_a_grid_worker_cannot_write_the_register(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_household(org_unit=cast.grid0101, number="G-1", actor=cast.user("wangge01"))


def test_village_staff_cannot_write_another_villages_register(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_household(org_unit=cast.village02, number="V-1", actor=cast.user("cun01"))
    household = services.create_household(org_unit=cast.grid0102, number="V-2", actor=cast.user("cun01"))
    assert household.org_unit == cast.grid0102
