"""The public Open311 feed shows only what the public may see.

A case typed in by village staff or a grid worker stays off the feed until someone allowed to publish it
marks it public; a request the public posted through Open311 is public from the start. Whatever the feed
shows, names, phones, identity numbers and household doors are cut out, the reporter's own details are
never shown, and the position is given to about 100 m. An id that is not an id is a clean 404.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from tests import factories
from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, Open311Key
from zhenwu.cases.states import IllegalTransition
from zhenwu.org.models import Department, Role

BASE = "/open311/v2"
PERSONAL = "联系人：张三，电话13800138000，身份证420102199001011234，住东岗村3组12号。"


def feed_ids(client: Client, **params: str) -> list[str]:
    listed = client.get(f"{BASE}/requests.json", params).json()
    xml = ET.fromstring(client.get(f"{BASE}/requests.xml", params).content)
    from_xml = [r.findtext("service_request_id") for r in xml.findall("request")]
    ids = [r["service_request_id"] for r in listed]
    assert ids == from_xml
    return ids


def post(client: Client, **fields: str) -> dict[str, Any]:
    Open311Key.objects.get_or_create(township_id=fields.pop("township_id"), key="privacy-key", name="公众号")
    data = {
        "api_key": "privacy-key",
        "service_code": "grid_event-sanitation",
        "address_string": "镇政府门口",
        "description": "门口垃圾桶满了",
        **fields,
    }
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 200, response.content
    return response.json()[0]  # type: ignore[no-any-return]


def test_cases_typed_in_by_staff_are_not_on_the_public_feed(cast: Cast, types: dict, client: Client) -> None:
    by_grid_worker = make_case(cast.user("wangge01"), cast.grid0101, description=PERSONAL)
    by_village = make_case(cast.user("cun01"), cast.village01)
    act(cast.user("wangge01"), by_grid_worker, "accept")
    act(cast.user("wangge01"), by_grid_worker, "resolve", note="已联系张三(13800138000)处理")
    assert not by_grid_worker.public and not by_village.public
    assert feed_ids(client) == []
    assert feed_ids(client, status="closed") == []
    assert feed_ids(client, service_request_id=f"{by_grid_worker.pk},{by_village.pk}") == []
    for case in (by_grid_worker, by_village):
        for fmt in ("json", "xml"):
            assert client.get(f"{BASE}/requests/{case.pk}.{fmt}").status_code == 404


def test_a_request_the_public_posted_is_public(cast: Cast, types: dict, client: Client) -> None:
    posted = post(client, township_id=cast.township.pk)
    case = Case.objects.get(pk=int(posted["service_request_id"]))
    assert case.public and case.channel == "open311"
    assert feed_ids(client) == [posted["service_request_id"]]


def test_a_township_admin_publishes_a_case_from_its_page_and_it_is_logged(
    cast: Cast, types: dict, client: Client
) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101, description=PERSONAL)
    admin = cast.user("admin")
    client.force_login(admin)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="action" value="public"' in page
    client.post(f"/cases/{case.pk}/", {"action": "public", "public": "1"})
    case.refresh_from_db()
    assert case.public
    assert feed_ids(client) == [str(case.pk)]
    entry = LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin and entry.changes_dict["public"] == ["False", "True"]
    assert case.events.filter(action="publish", actor=admin).exists()
    client.post(f"/cases/{case.pk}/", {"action": "public", "public": "0"})
    assert feed_ids(client) == []
    assert case.events.filter(action="unpublish").exists()


def test_who_may_publish(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    zzzx = Department.objects.get(township=cast.township, code="zzzx")
    intake_office = factories.user(Role.DEPARTMENT_STAFF, cast.township, department=zzzx)
    for user in (cast.user("admin"), cast.user("leader"), intake_office):
        assert services.may_set_public(user, case), user
    for user in (
        cast.user("wangge01"),
        cast.user("cun01"),
        cast.user("jingfa"),
        cast.user("xian"),
        cast.other_admin,
    ):
        assert not services.may_set_public(user, case), user
    with pytest.raises(IllegalTransition):
        services.set_public(cast.user("wangge01"), case.pk, True)
    petition = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障")
    assert not services.may_set_public(cast.user("admin"), petition)
    assert not Case.objects.get(pk=case.pk).public


def test_the_page_offers_publishing_only_to_those_who_may(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("wangge01"))
    assert 'value="public"' not in client.get(f"/cases/{case.pk}/").content.decode()
    client.post(f"/cases/{case.pk}/", {"action": "public", "public": "1"})
    assert not Case.objects.get(pk=case.pk).public


SECRETS = ("张三", "李四", "13800138000", "420102199001011234", "8123456", "3组12号", "114.654321")


def test_personal_data_is_cut_from_everything_the_feed_shows(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(
        cast.user("wangge01"),
        cast.grid0101,
        description=PERSONAL + "门前排水沟堵塞",
        place="东岗村3组12号门前",
        reporter_name="张三",
        reporter_phone="13800138000",
        latitude=Decimal("30.123456"),
        longitude=Decimal("114.654321"),
    )
    act(cast.user("wangge01"), case, "accept")
    act(cast.user("wangge01"), case, "resolve", note="已联系户主：李四，电话 0716-8123456，已疏通")
    services.set_public(cast.user("admin"), case.pk, True)
    for fmt in ("json", "xml"):
        shown = client.get(f"{BASE}/requests/{case.pk}.{fmt}").content.decode()
        for secret in SECRETS:
            assert secret not in shown, (fmt, secret)
        assert "门前排水沟堵塞" in shown and "已疏通" in shown and "东岗村3组" in shown
    detail = client.get(f"{BASE}/requests/{case.pk}.json").json()[0]
    assert detail["lat"] == 30.123 and detail["long"] == 114.654


def test_the_reporters_own_details_are_never_shown(cast: Cast, types: dict, client: Client) -> None:
    posted = post(
        client,
        township_id=cast.township.pk,
        first_name="小明",
        last_name="王",
        phone="13912345678",
        email="wxm@example.com",
    )
    case = Case.objects.get(pk=int(posted["service_request_id"]))
    assert (case.reporter_name, case.reporter_phone, case.reporter_email) == (
        "王小明",
        "13912345678",
        "wxm@example.com",
    )
    for path in (f"requests/{case.pk}", "requests"):
        for fmt in ("json", "xml"):
            shown = client.get(f"{BASE}/{path}.{fmt}").content.decode()
            assert "王小明" not in shown and "13912345678" not in shown and "wxm@example.com" not in shown


def test_a_merged_case_does_not_name_a_private_original(cast: Cast, types: dict, client: Client) -> None:
    original = make_case(cast.user("wangge01"), cast.grid0101)
    posted = post(client, township_id=cast.township.pk)
    duplicate = Case.objects.get(pk=int(posted["service_request_id"]))
    act(cast.user("admin"), duplicate, "merge", duplicate_of=original)
    notes = client.get(f"{BASE}/requests/{duplicate.pk}.json").json()[0]["status_notes"]
    assert str(original.pk) not in notes and "合并" in notes
    services.set_public(cast.user("admin"), original.pk, True)
    notes = client.get(f"{BASE}/requests/{duplicate.pk}.json").json()[0]["status_notes"]
    assert f"service_request_id {original.pk}" in notes


@pytest.mark.parametrize(
    "raw",
    ["%C2%B2", "\u0661", "\uff11", "007", "-1", "+1", "1.0", "1e3", "0", "99999999999999999999999", "%20"],
)
def test_an_id_that_is_not_an_id_is_a_clean_404(cast: Cast, types: dict, client: Client, raw: str) -> None:
    post(client, township_id=cast.township.pk)
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests/{raw}.{fmt}")
        assert response.status_code == 404
        assert response["Content-Type"].endswith("charset=utf-8")
        if fmt == "json":
            assert response.json()[0]["code"] == 404
        else:
            assert ET.fromstring(response.content).find("error/code").text == "404"  # type: ignore[union-attr]


def test_an_arabic_indic_digit_never_reads_as_another_case(cast: Cast, types: dict, client: Client) -> None:
    """ "١" is a digit to str.isdigit() and int() reads it as 1: it must not answer case 1."""
    first = post(client, township_id=cast.township.pk)["service_request_id"]
    digits = "".join(chr(0x0660 + int(d)) for d in first)
    assert client.get(f"{BASE}/requests/{first}.json").status_code == 200
    assert client.get(f"{BASE}/requests/{digits}.json").status_code == 404
    assert feed_ids(client, service_request_id=digits) == []
