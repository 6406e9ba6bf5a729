"""The registers' REST API: /api/v1/registers/ and each register's records, scoped and masked."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Cast
from zhenwu.org.models import User
from zhenwu.registers.models import RegisterRecord

from . import books
from .helpers import lamp_at, load, visit_at


def api(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_list_gives_the_registers_the_user_may_read(cast: Cast):
    load(cast, books.visits())
    load(cast, books.key_persons())
    load(cast, books.visits("far_visits", "外镇走访"), cast.other_township)

    mine = api(cast.user("cun01")).get("/api/v1/registers/").json()
    admins = api(cast.user("admin")).get("/api/v1/registers/").json()

    assert mine == [
        {
            "form_id": "visits",
            "title": "走访记录",
            "version": "1",
            "kind": "activity",
            "township": cast.township.code,
        }
    ]
    assert {r["form_id"] for r in admins} == {"visits", "key_persons"}


def test_records_are_listed_in_the_users_scope_with_personal_values_masked(cast: Cast):
    lamp_at(cast, cast.village01, "0001", keeper_phone="13812345678")
    lamp_at(cast, cast.village02, "0002")
    client = api(cast.user("cun01"))

    page = client.get("/api/v1/registers/lamps/records/").json()

    assert page["count"] == 1
    (row,) = page["results"]
    assert row["unit"] == cast.village01.code
    assert row["version"] == "1"
    assert row["data"]["lamp_no"] == "0001"
    assert row["data"]["keeper_phone"] == "138****5678"
    assert row["thing"] is not None
    assert "13812345678" not in str(page)
    detail = client.get(f"/api/v1/registers/lamps/records/{row['id']}/")
    assert detail.status_code == 200 and detail.json() == row


def test_a_record_out_of_scope_or_of_an_unreadable_register_is_404(cast: Cast):
    other = visit_at(cast, cast.village02)
    far = visit_at(cast, cast.other_village)
    client = api(cast.user("cun01"))

    for record in (other, far):
        answer = client.get(f"/api/v1/registers/{record.register.form_id}/records/{record.pk}/")
        assert answer.status_code == 404
        assert set(answer.json()) == {"detail", "errors"}
    load(cast, books.key_persons())
    assert client.get("/api/v1/registers/key_persons/records/").status_code == 404
    assert client.get("/api/v1/registers/nothing/records/").status_code == 404


def test_paging_by_limit_and_offset(cast: Cast):
    for n in range(3):
        visit_at(cast, cast.village01, f"问题{n}")

    page = api(cast.user("cun01")).get("/api/v1/registers/visits/records/?limit=2").json()

    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


def post(client: APIClient, form_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/registers/{form_id}/records/", body, format="json")


def test_a_record_is_created_in_the_users_unit_or_a_unit_they_name(cast: Cast):
    load(cast, books.lamps())
    client = api(cast.user("cun01"))

    own = post(client, "lamps", {"data": {"lamp_no": "0007", "status": "normal"}, "instance_id": "uuid:a-1"})
    named = post(
        client, "lamps", {"data": {"lamp_no": "0008", "status": "broken"}, "unit": cast.grid0101.code}
    )
    again = post(
        client, "lamps", {"data": {"lamp_no": "0007", "status": "normal"}, "instance_id": "uuid:a-1"}
    )

    assert own.status_code == 201, own.json()
    assert own.json()["unit"] == cast.village01.code and own.json()["instance_id"] == "uuid:a-1"
    assert named.status_code == 201 and named.json()["unit"] == cast.grid0101.code
    assert again.status_code == 201 and again.json()["id"] == own.json()["id"]
    assert RegisterRecord.objects.count() == 2


def test_bad_values_are_refused_with_errors_by_field(cast: Cast):
    load(cast, books.lamps())
    client = api(cast.user("cun01"))

    broken = post(client, "lamps", {"data": {"lamp_no": "12", "status": "gone", "colour": "red"}})
    nested = post(client, "lamps", {"data": {"lamp_no": {"a": 1}}})
    elsewhere = post(
        client, "lamps", {"data": {"lamp_no": "0009", "status": "normal"}, "unit": cast.village02.code}
    )

    assert broken.status_code == 400
    errors = broken.json()["errors"]
    assert errors["lamp_no"] == ["编号应为4位数字"]
    assert "status" in errors and "colour" in errors
    assert nested.status_code == 400 and "lamp_no" in nested.json()["errors"]["data"][0]
    assert elsewhere.status_code == 400 and "unit" in elsewhere.json()["errors"]
    assert not RegisterRecord.objects.exists()


def test_a_reader_who_may_not_write_is_refused(cast: Cast):
    load(cast, books.visits())

    answer = post(api(cast.user("xian")), "visits", {"data": {"problem": "道路破损"}})

    assert answer.status_code == 403
    assert answer.json()["detail"] == "无权填报该台账。"


@pytest.mark.parametrize("path", ["/api/v1/registers/", "/api/v1/registers/visits/records/"])
def test_without_a_token_the_api_answers_401(cast: Cast, path: str):
    assert APIClient().get(path).status_code == 401


def test_the_schema_documents_the_register_api(cast: Cast):
    client = APIClient()
    client.force_login(cast.user("leader"))

    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    assert set(paths["/api/v1/registers/"]) == {"get"}
    assert set(paths["/api/v1/registers/{form_id}/records/"]) == {"get", "post"}
    assert set(paths["/api/v1/registers/{form_id}/records/{id}/"]) == {"get"}
    created = paths["/api/v1/registers/{form_id}/records/"]["post"]["responses"]
    assert "201" in created and "400" in created
