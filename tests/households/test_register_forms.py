"""Typing in a household or a member: the identity number's fault is shown beside its field, in Chinese,
and nothing is written; a grid worker has no such form."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.households import factories
from zhenwu.core import idcard
from zhenwu.households.models import Household, Member


def test_village_staff_register_a_household_with_its_head(cast: Cast, client: Client) -> None:
    number = idcard.compose("990555", date(1966, 6, 6), 42)
    client.force_login(cast.user("cun01"))
    response = client.post(
        reverse("households:household-add"),
        {"household-org_unit": cast.grid0102.pk, "household-number": "N-001", "household-address": "三组",
         "household-lifted_out": "on", "head-name": "刘一", "head-relation": "head", "head-id_number": number,
         "head-phone": "13511112222"},
    )  # fmt: skip
    household = Household.objects.get(number="N-001")
    assert response.status_code == 302 and household.org_unit == cast.grid0102 and household.lifted_out
    head = household.members.get()
    assert (head.relation, head.birth_date, head.gender) == ("head", date(1966, 6, 6), "female")


def test_a_bad_number_is_named_beside_its_field_and_nothing_is_written(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("cun01"))
    body = client.post(
        reverse("households:member-add", args=[household.pk]),
        {"name": "错号", "relation": "child", "id_number": "99055519660606004"},
    ).content.decode()
    assert "身份证号应为18位，这里是17位。" in body
    assert household.members.count() == 2


def test_a_person_already_registered_is_refused_beside_the_number(cast: Cast, client: Client) -> None:
    first = factories.household(cast.grid0101)
    taken = first.members.first().full_id_number()  # type: ignore[union-attr]
    second = factories.household(cast.grid0102)
    client.force_login(cast.user("cun01"))
    body = client.post(
        reverse("households:member-add", args=[second.pk]),
        {"name": "重", "relation": "child", "id_number": taken},
    ).content.decode()
    assert "此人已登记在其他户中：同一人不能属于两户。" in body and taken not in body
    assert Member.objects.filter(household=second).count() == 2


def test_a_unit_outside_the_scope_cannot_be_chosen(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    response = client.post(
        reverse("households:household-add"),
        {"household-org_unit": cast.village02.pk, "household-number": "N-002", "head-name": "甲",
         "head-relation": "head", "head-id_number": factories.id_number()},
    )  # fmt: skip
    assert "“所属村/网格”：所选单位不存在或不在您的范围内" in response.content.decode()
    assert not Household.objects.filter(number="N-002").exists()


def test_a_grid_worker_has_no_register_forms(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("wangge01"))
    assert client.get(reverse("households:household-add")).status_code == 403
    assert client.get(reverse("households:member-add", args=[household.pk])).status_code == 403
