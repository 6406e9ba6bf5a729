"""The register pages: the list, a register's records, a record, a thing with its timeline, the upload."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.registers import services
from zhenwu.registers.models import Register

from .books import key_persons, lamps, patrols, xlsx
from .helpers import lamp_at, load, register_in, visit_at


def test_the_list_shows_the_registers_the_user_may_read(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    load(cast, key_persons())
    client.force_login(cast.user("jingfa"))
    page = client.get(reverse("registers:register-list")).content.decode()
    assert "路灯" in page and "重点人员" not in page


def test_a_register_page_lists_its_records_in_scope(cast: Cast, client: Client) -> None:
    inside, outside = visit_at(cast, cast.grid0101), visit_at(cast, cast.village02)
    client.force_login(cast.user("wangge01"))
    page = client.get(reverse("registers:record-list", kwargs={"form_id": "visits"})).content.decode()
    assert f"/registers/records/{inside.pk}/" in page
    assert f"/registers/records/{outside.pk}/" not in page


def test_a_register_the_user_may_not_read_answers_404(cast: Cast, client: Client) -> None:
    load(cast, key_persons())
    client.force_login(cast.user("jingfa"))
    assert client.get(reverse("registers:record-list", kwargs={"form_id": "key_persons"})).status_code == 404
    assert client.get(reverse("registers:record-list", kwargs={"form_id": "nothing"})).status_code == 404


def test_a_record_page_shows_labels_choices_and_masked_personal_values(cast: Cast, client: Client) -> None:
    record = lamp_at(cast, cast.village01, keeper_phone="13812345678")
    client.force_login(cast.user("admin"))
    page = client.get(reverse("registers:record-detail", kwargs={"pk": record.pk})).content.decode()
    assert "路灯编号" in page and "正常" in page and "138****5678" in page
    assert "13812345678" not in page


def test_a_thing_page_shows_its_properties_and_timeline(cast: Cast, client: Client) -> None:
    made = lamp_at(cast, cast.grid0101)
    thing = made.thing
    assert thing is not None
    patrol = register_in(cast, cast.township, patrols())
    broken = services.create_record(cast.user("admin"), patrol, {"lamp": str(thing.key), "status": "broken"})
    client.force_login(cast.user("leader"))
    page = client.get(reverse("registers:thing-detail", kwargs={"pk": thing.pk})).content.decode()
    assert "路灯0123" in page and "<dt>状态</dt><dd>损坏</dd>" in page
    assert page.index(f"/registers/records/{made.pk}/") < page.index(f"/registers/records/{broken.pk}/")
    assert "路灯巡查" in page and "损坏" in page


def test_a_record_of_a_register_the_user_may_not_read_answers_404(cast: Cast, client: Client) -> None:
    register = load(cast, key_persons()).register
    record = services.create_record(cast.user("admin"), register, {"name": "张三"}, unit=cast.township)
    client.force_login(cast.user("jingfa"))
    assert client.get(reverse("registers:record-detail", kwargs={"pk": record.pk})).status_code == 404


def test_a_township_admin_uploads_a_definition(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    upload = SimpleUploadedFile("lamps.xlsx", xlsx(lamps()))
    response = client.post(reverse("registers:load"), {"township": cast.township.pk, "file": upload})
    assert response.status_code == 302
    assert response["Location"] == f"/registers/lamps/?township={cast.township.code}"
    assert Register.objects.get().form_id == "lamps"


def test_a_bad_upload_shows_the_errors_and_changes_nothing(cast: Cast, client: Client) -> None:
    sheets = lamps()
    sheets["survey"].append(["bogus_type", "x", "某字段", "", "", "", ""])
    client.force_login(cast.user("admin"))
    upload = SimpleUploadedFile("lamps.xlsx", xlsx(sheets))
    response = client.post(reverse("registers:load"), {"township": cast.township.pk, "file": upload})
    assert response.status_code == 200
    assert "未作任何更改" in response.content.decode() and "survey" in response.content.decode()
    assert not Register.objects.exists()


def test_the_upload_page_is_for_township_admins_only(cast: Cast, client: Client) -> None:
    for name in ("leader", "jingfa", "cun01"):
        client.force_login(cast.user(name))
        assert client.get(reverse("registers:load")).status_code == 403


def test_an_admin_cannot_upload_into_another_township(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    upload = SimpleUploadedFile("lamps.xlsx", xlsx(lamps()))
    response = client.post(reverse("registers:load"), {"township": cast.other_township.pk, "file": upload})
    assert response.status_code == 200 and "township" in response.context["form"].errors
    assert not Register.objects.exists()


def test_the_navigation_has_registers(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    assert 'href="/registers/"' in client.get(reverse("registers:register-list")).content.decode()


def test_a_register_page_takes_the_same_queries_for_many_records(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        visit_at(cast, cast.village01, f"问题{n}")
    client.force_login(cast.user("admin"))
    url = reverse("registers:record-list", kwargs={"form_id": "visits"})
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(20):
        visit_at(cast, cast.village01, f"问题{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_personal_values_are_revealed_on_confirmation_and_logged(cast: Cast, client: Client) -> None:
    from zhenwu.households.models import PersonalDataAccess

    record = lamp_at(cast, cast.village01, keeper_phone="13812345678")
    url = reverse("registers:record-reveal", kwargs={"pk": record.pk})
    client.force_login(cast.user("cun01"))
    assert "13812345678" not in client.get(url).content.decode()
    assert not PersonalDataAccess.objects.exists()
    page = client.post(url).content.decode()
    assert "13812345678" in page and "管护人电话" in page
    assert PersonalDataAccess.objects.get().actor == cast.user("cun01")
    client.force_login(cast.user("jingfa"))
    assert client.post(url).status_code == 404
    assert PersonalDataAccess.objects.count() == 1
