"""Identity numbers and phones: encrypted at rest, found by a blind index, masked everywhere, and a full
view is a deliberate POST that is logged; the production settings refuse to run without a key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import crypto, services
from zhenwu.households.models import Member, PersonalDataAccess
from zhenwu.org.models import Role


def test_the_database_row_holds_no_identity_number_or_phone_in_clear(cast: Cast) -> None:
    number = factories.id_number()
    household = factories.household(cast.grid0101, members=0)
    services.add_member(
        household, services.MemberInput(name="张三", relation="head", id_number=number, phone="13912345678")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM households_member")
        row_text = " ".join(str(value) for value in cursor.fetchall()[0])
    assert number not in row_text and number[6:14] + number[14:] not in row_text
    assert "13912345678" not in row_text and "12345678" not in row_text
    member = Member.objects.get(household=household)
    assert member.full_id_number() == number and member.full_phone() == "13912345678"
    assert member.id_number_masked == number[:6] + "********" + number[-4:]


def test_the_same_number_encrypts_differently_each_time_but_indexes_the_same() -> None:
    number = factories.id_number()
    assert crypto.encrypt(number) != crypto.encrypt(number)
    assert crypto.blind_index(number) == crypto.blind_index(number)
    assert crypto.decrypt(crypto.encrypt(number)) == number


def test_the_activity_log_never_holds_the_number(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    member = household.members.first()
    assert member is not None
    full = member.full_id_number()
    logged = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert member.id_number_masked in logged
    assert full not in logged and member.id_number_index not in logged
    assert member.id_number_cipher not in logged


def test_search_by_full_number_finds_the_household_through_the_index(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    other = factories.household(cast.grid0101)
    full = household.members.first().full_id_number()  # type: ignore[union-attr]
    client.force_login(cast.user("leader"))
    body = client.post(reverse("households:household-list"), {"q": full.lower()}).content.decode()
    assert f"/households/{household.pk}/" in body and f"/households/{other.pk}/" not in body
    assert full not in body  # the search box is not echoed back


def test_a_full_number_is_never_taken_from_a_url(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    full = household.members.first().full_id_number()  # type: ignore[union-attr]
    client.force_login(cast.user("leader"))
    page = client.get(reverse("households:household-list"), {"q": full}).content.decode()
    assert "请使用页面上的查找框" in page and full not in page
    api = client.get(reverse("api:household-list"), {"q": full})
    assert api.status_code == 400 and full not in api.content.decode()


@pytest.mark.parametrize("username", ["leader", "wangge01", "jingfa", "xian", "admin"])
def test_roles_without_the_permission_cannot_reveal(cast: Cast, client: Client, username: str) -> None:
    member = factories.member(cast.grid0101)
    client.force_login(cast.user(username))
    response = client.post(reverse("households:member-reveal", args=[member.pk]))
    assert response.status_code == 403
    assert member.full_id_number() not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_a_full_view_is_a_post_and_is_logged(cast: Cast, client: Client) -> None:
    member = factories.member(cast.grid0101)
    full = member.full_id_number()
    client.force_login(cast.user("cun01"))
    confirm = client.get(reverse("households:member-reveal", args=[member.pk]))
    assert confirm.status_code == 200 and full not in confirm.content.decode()
    assert not PersonalDataAccess.objects.exists()
    shown = client.post(reverse("households:member-reveal", args=[member.pk]))
    assert full in shown.content.decode() and shown["Cache-Control"] == "no-store"
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.member) == (cast.user("cun01"), member)


def test_nobody_can_edit_or_delete_a_record_of_who_saw_a_number(cast: Cast, client: Client) -> None:
    member = factories.member(cast.grid0101)
    client.force_login(cast.user("cun01"))
    client.post(reverse("households:member-reveal", args=[member.pk]))
    access = PersonalDataAccess.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=access.pk).update(actor=cast.user("leader"))
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=access.pk).delete()
    assert PersonalDataAccess.objects.get().actor == cast.user("cun01")


def test_civil_affairs_staff_reveal_across_the_township(cast: Cast, client: Client) -> None:
    minzheng = cast.user("minzheng")
    assert minzheng.department == cast.minzheng_department
    member = factories.member(cast.village03)
    client.force_login(minzheng)
    assert (
        member.full_id_number()
        in client.post(reverse("households:member-reveal", args=[member.pk])).content.decode()
    )
    other_village_staff = cast.user("cun02")
    assert services.may_see_full(other_village_staff)
    client.force_login(other_village_staff)
    assert client.post(reverse("households:member-reveal", args=[member.pk])).status_code == 404


def test_an_office_other_than_civil_affairs_sees_masked_only(cast: Cast) -> None:
    assert services.may_see_full(cast.user("cun01"))
    assert services.may_see_full(cast.user("minzheng"))
    assert not services.may_see_full(cast.user("jingfa"))
    assert not services.may_see_full(cast.user("leader"))
    assert not services.may_see_full(cast.user("wangge01"))


def test_the_api_masks_numbers_even_for_roles_allowed_to_reveal(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    member = household.members.get(relation="head")
    client.force_login(cast.user("cun01"))
    body = client.get(reverse("api:household-detail", args=[household.pk])).json()
    head = next(m for m in body["members"] if m["relation"] == "head")
    assert head["id_number"] == member.id_number_masked and head["phone"] == member.phone_masked
    assert member.full_id_number() not in str(body)


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    names = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY"}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run(
        [sys.executable, "-c", "import zhenwu.settings"], env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_field_key() -> None:
    result = _load_settings(DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="zhenwu.example")
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEY is not set" in result.stderr
    good = _load_settings(
        DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="zhenwu.example", FIELD_ENCRYPTION_KEY="f" * 40
    )
    assert good.returncode == 0, good.stderr


def test_a_development_server_derives_a_key_by_itself() -> None:
    assert _load_settings(DEBUG="1").returncode == 0


def test_a_department_staff_account_for_civil_affairs_is_in_the_demo(cast: Cast) -> None:
    assert cast.user("minzheng").role == Role.DEPARTMENT_STAFF


def test_no_page_or_api_shows_a_birth_date_beside_a_masked_number(cast: Cast, client: Client) -> None:
    """Region and last four digits are shown; with the birth date they would be the whole number."""
    household = factories.household(cast.grid0101)
    member = household.members.get(relation="head")
    born = f"{member.birth_date:%Y-%m-%d}"
    client.force_login(cast.user("leader"))
    page = client.get(reverse("households:household-detail", args=[household.pk])).content.decode()
    api = client.get(reverse("api:household-detail", args=[household.pk])).content.decode()
    assert member.id_number_masked in page and born not in page
    assert member.id_number_masked in api and born not in api and f'"age":{member.age}' in api
