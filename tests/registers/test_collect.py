"""ODK Collect against zhenwu's OpenRosa server (/openrosa/): the form list, the XForm, HEAD and POST of
submissions shaped as Collect sends them, and Basic authentication by password or device key."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from axes.models import AccessAttempt
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import Cast
from zhenwu.registers import devicekeys, openrosa
from zhenwu.registers.models import Register, RegisterRecord

from . import books
from .collect import HEADERS, PASSWORD, basic, fill, grid_worker, jpeg, patrols, submit, with_password
from .helpers import load

LIST = f"{{{openrosa.FORM_LIST_NS}}}"
QUERIES_PER_SUBMISSION = 8  # was 13 before one lookup of the version and of the instance id
FIRST = "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11"


@pytest.fixture(autouse=True)
def media_in(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def register(cast: Cast) -> Register:
    return load(cast, patrols()).register


def patrol(register: Register, instance_id: str = FIRST, **values: str) -> bytes:
    answers = {
        "lamp_no": "0123",
        "status": "damaged",
        "faults": "bulb wire",
        "minutes": "12",
        "point": "30.5123 114.3011 21.0 4.5",
        "photo": "1731895200123.jpg",
        "keeper_phone": "13812345678",
        **values,
    }
    assert register.current_version is not None
    return fill(register.current_version.xform, answers, instance_id)


def form_list(client: Client, auth: dict[str, str], query: str = "") -> ET.Element:
    answer = client.get(f"/openrosa/formList{query}", **auth)
    assert answer.status_code == 200, answer.content.decode()
    assert answer["X-OpenRosa-Version"] == "1.0"
    assert answer["Content-Type"].startswith("text/xml")
    return ET.fromstring(answer.content)


def message(answer: Any) -> str:
    root = ET.fromstring(answer.content)
    assert root.tag == f"{{{openrosa.RESPONSE_NS}}}OpenRosaResponse"
    return "".join(root.itertext())


# --- the form list and the form ---------------------------------------------------------------------


def test_the_form_list_offers_the_register_with_the_hash_of_the_form_it_serves(cast, register):
    user = grid_worker(cast)
    client = Client()

    root = form_list(client, basic(user.username, PASSWORD))

    assert root.tag == f"{LIST}xforms"
    entries = {e.findtext(f"{LIST}formID"): e for e in root.findall(f"{LIST}xform")}
    entry = entries["lamp_patrol"]
    assert entry.findtext(f"{LIST}name") == "路灯巡查"
    assert entry.findtext(f"{LIST}version") == "1"
    url = entry.findtext(f"{LIST}downloadUrl")
    assert url == f"http://testserver/openrosa/forms/{register.pk}/form.xml"
    form = client.get(url, **basic(user.username, PASSWORD))
    assert form.status_code == 200
    assert form["Content-Type"].startswith("text/xml")
    assert form["X-OpenRosa-Version"] == "1.0"
    assert b"<h:html" in form.content
    assert entry.findtext(f"{LIST}hash") == "md5:" + hashlib.md5(form.content).hexdigest()


def test_the_form_list_filters_by_form_id_and_describes_when_verbose(cast, register):
    load(cast, books.visits())
    auth = basic(grid_worker(cast).username, PASSWORD)
    client = Client()

    only = form_list(client, auth, "?formID=visits&verbose=true").findall(f"{LIST}xform")

    assert [e.findtext(f"{LIST}formID") for e in only] == ["visits"]
    assert only[0].findtext(f"{LIST}descriptionText") == f"{cast.township.name}工作记录"
    assert len(form_list(client, auth).findall(f"{LIST}xform")) == 2


def test_a_register_the_user_may_not_write_is_not_offered_nor_served(cast, register):
    kept = load(cast, books.key_persons()).register  # 综治中心's: a grid worker does not even read it
    admin_only = books.visits("admin_visits", "管理员走访")
    admin_only["zhenwu"].append(["writers", "township_admin"])
    read_only = load(cast, admin_only).register
    auth = basic(grid_worker(cast).username, PASSWORD)
    client = Client()

    offered = {e.findtext(f"{LIST}formID") for e in form_list(client, auth).findall(f"{LIST}xform")}

    assert offered == {"lamp_patrol"}
    for hidden in (kept, read_only):
        assert client.get(f"/openrosa/forms/{hidden.pk}/form.xml", **auth).status_code == 404
        assert hidden.current_version is not None
        instance = fill(
            hidden.current_version.xform, {"problem": "路灯不亮", "name": "某人"}, f"uuid:{hidden.pk}"
        )
        answer = submit(client, instance, auth)
        assert answer.status_code == (403 if hidden == read_only else 404)
    assert not RegisterRecord.objects.exists()


# --- authentication ----------------------------------------------------------------------------------


def test_a_request_without_the_openrosa_header_is_still_answered(cast, register):
    user = grid_worker(cast)
    token = basic(user.username, PASSWORD)["HTTP_AUTHORIZATION"]

    answer = Client().get("/openrosa/formList", HTTP_AUTHORIZATION=token)

    assert answer.status_code == 200 and answer["X-OpenRosa-Version"] == "1.0"


def test_without_credentials_collect_is_challenged_for_basic(cast, register):
    answer = Client().get("/openrosa/formList", **HEADERS)

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith('Basic realm="zhenwu"')
    assert answer["X-OpenRosa-Version"] == "1.0"
    assert "sessionid" not in answer.cookies


def test_a_wrong_password_and_a_revoked_key_are_refused(cast, register):
    user = grid_worker(cast)
    client = Client()
    made = devicekeys.create_key(user)
    assert client.get("/openrosa/formList", **basic(user.username, made.key)).status_code == 200
    assert client.get("/openrosa/formList", **basic(user.username, "not-the-password")).status_code == 401
    assert client.get("/openrosa/formList", **basic("cun01", made.key)).status_code == 401

    devicekeys.revoke_keys(user)

    answer = client.get("/openrosa/formList", **basic(user.username, made.key))
    assert answer.status_code == 401
    assert "WWW-Authenticate" in answer


def test_a_device_key_is_stored_only_as_its_digest_and_its_use_is_noted(cast, register):
    user = grid_worker(cast)
    made = devicekeys.create_key(user)

    Client().get("/openrosa/formList", **basic(user.username, made.key))

    made.device_key.refresh_from_db()
    assert made.device_key.key_hash == hashlib.sha256(made.key.encode()).hexdigest()
    assert made.key not in made.device_key.key_hash
    assert made.device_key.last_used_at is not None


def test_no_session_is_made_and_no_csrf_token_is_asked_of_collect(cast, register):
    user = grid_worker(cast)
    client = Client(enforce_csrf_checks=True)
    answer = submit(client, patrol(register), basic(user.username, PASSWORD), {"1731895200123.jpg": jpeg()})

    assert answer.status_code == 201
    assert "sessionid" not in answer.cookies


def test_failed_passwords_lock_the_account_for_collect_too(cast, register, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = grid_worker(cast)
    client = Client()
    for _ in range(3):
        client.get("/openrosa/formList", **basic(user.username, "wrong-password"))

    answer = client.get("/openrosa/formList", **basic(user.username, PASSWORD))

    assert answer.status_code in (403, 429)
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_basic_over_plain_http_is_refused_where_https_is_required(cast, register, settings):
    settings.OPENROSA_REQUIRE_HTTPS = True
    user = grid_worker(cast)
    client = Client()

    plain = client.get("/openrosa/formList", **basic(user.username, PASSWORD))
    secure = client.get("/openrosa/formList", secure=True, **basic(user.username, PASSWORD))

    assert plain.status_code == 403
    assert "WWW-Authenticate" not in plain  # no challenge: Collect never sends the password in clear
    assert "https://" in message(plain)
    assert secure.status_code == 200
    assert b"https://testserver/openrosa/forms/" in secure.content


# --- submissions -------------------------------------------------------------------------------------


def test_head_tells_collect_how_much_one_submission_may_carry(cast, register):
    user = grid_worker(cast)

    answer = Client().head("/openrosa/submission", **basic(user.username, PASSWORD))

    assert answer.status_code == 204
    assert int(answer["X-OpenRosa-Accept-Content-Length"]) > 6 * 5 * 1024 * 1024
    assert answer["X-OpenRosa-Version"] == "1.0"


def test_a_collect_submission_with_its_photo_is_kept_in_the_grid_workers_grid(cast, register):
    user = grid_worker(cast)

    answer = submit(Client(), patrol(register), basic(user.username, PASSWORD), {"1731895200123.jpg": jpeg()})

    assert answer.status_code == 201, answer.content.decode()
    assert answer["X-OpenRosa-Version"] == "1.0"
    assert "路灯巡查" in message(answer)
    record = RegisterRecord.objects.get()
    assert record.instance_id == FIRST
    assert record.unit == cast.grid0101
    assert record.entered_by == user
    assert record.version == register.current_version
    data = record.data
    assert data["lamp_no"] == "0123"
    assert data["faults"] == ["bulb", "wire"]
    assert data["minutes"] == 12
    assert data["point"] == "30.5123 114.3011 21.0 4.5"
    assert data["keeper_phone"] != "13812345678"  # personal: kept masked
    assert data["photo"].startswith("registers/lamp_patrol/") and data["photo"].endswith("1731895200123.jpg")
    assert default_storage.exists(data["photo"])


def test_a_second_submission_of_the_same_instance_is_acknowledged_and_kept_once(cast, register):
    user = grid_worker(cast)
    client = Client()
    auth = basic(user.username, PASSWORD)
    submit(client, patrol(register), auth, {"1731895200123.jpg": jpeg()})

    again = submit(client, patrol(register), auth, {"1731895200123.jpg": jpeg()})

    assert again.status_code == 202
    assert RegisterRecord.objects.count() == 1


def test_a_submission_of_an_old_version_is_kept_under_that_version(cast, register):
    old = register.current_version
    assert old is not None
    old_instance = patrol(register)
    new = load(cast, patrols("2", with_remark=True))
    user = grid_worker(cast)

    answer = submit(Client(), old_instance, basic(user.username, PASSWORD), {"1731895200123.jpg": jpeg()})

    assert answer.status_code == 201, answer.content.decode()
    record = RegisterRecord.objects.get()
    assert record.version == old
    assert record.version != new
    form_list_versions = form_list(Client(), basic(user.username, PASSWORD)).findall(f".//{LIST}version")
    assert [v.text for v in form_list_versions] == ["2"]


def test_a_broken_constraint_is_refused_with_its_message(cast, register):
    user = grid_worker(cast)

    answer = submit(
        Client(),
        patrol(register, lamp_no="12", minutes="-5", photo=""),
        basic(user.username, PASSWORD),
    )

    assert answer.status_code == 400
    text = message(answer)
    assert "路灯编号：编号应为4位数字" in text
    assert "用时(分钟)：用时不能为负数" in text
    assert not RegisterRecord.objects.exists()


def test_a_photo_named_but_not_sent_or_not_a_picture_is_refused(cast, register):
    user = grid_worker(cast)
    auth = basic(user.username, PASSWORD)
    client = Client()

    missing = submit(client, patrol(register), auth)
    not_a_picture = submit(client, patrol(register), auth, {"1731895200123.jpg": b"not a jpeg"})

    assert missing.status_code == 400 and "1731895200123.jpg" in message(missing)
    assert not_a_picture.status_code == 400 and "现场照片" in message(not_a_picture)
    assert not RegisterRecord.objects.exists()


def test_broken_xml_and_a_post_without_the_record_are_refused_with_a_message(cast, register):
    user = grid_worker(cast)
    auth = basic(user.username, PASSWORD)
    client = Client()

    broken = submit(client, b"<lamp_patrol id='lamp_patrol'><oops></lamp_patrol>", auth)
    empty = client.post("/openrosa/submission", {}, **auth)

    assert broken.status_code == 400 and "XML" in message(broken)
    assert empty.status_code == 400 and "xml_submission_file" in message(empty)


def test_a_record_collect_splits_is_stored_with_the_photo_of_its_first_part(cast, register, media_in):
    user = grid_worker(cast)
    auth = basic(user.username, PASSWORD)
    client = Client()

    first = submit(client, patrol(register), auth, {"1731895200123.jpg": jpeg()})
    assert first.status_code == 201  # an ordinary submit; now the same split, with a new instance
    instance = patrol(register, "uuid:0b7d2a10-1111-4c3a-8e7f-000000000002")
    part = client.post(
        "/openrosa/submission",
        {
            "xml_submission_file": SimpleUploadedFile("submission.xml", instance, "text/xml"),
            "1731895200123.jpg": SimpleUploadedFile("1731895200123.jpg", jpeg(), "image/jpeg"),
            "*isIncomplete*": "yes",
        },
        **auth,
    )
    assert part.status_code == 201 and "一部分" in message(part)
    assert RegisterRecord.objects.count() == 1

    last = submit(client, instance, auth)

    assert last.status_code == 201, message(last)
    record = RegisterRecord.objects.get(instance_id="uuid:0b7d2a10-1111-4c3a-8e7f-000000000002")
    assert default_storage.exists(record.data["photo"])
    assert not list((media_in / "registers" / "pending").rglob("*.jpg"))


def test_a_submission_larger_than_announced_is_refused_as_too_large(cast, register):
    user = grid_worker(cast)

    answer = submit(
        Client(), patrol(register), basic(user.username, PASSWORD), CONTENT_LENGTH=str(200 * 1024 * 1024)
    )

    assert answer.status_code == 413
    assert not RegisterRecord.objects.exists()


def test_a_village_staffs_submission_lands_in_their_village(cast, register):
    user = with_password(cast.user("cun01"))

    answer = submit(Client(), patrol(register, photo=""), basic(user.username, PASSWORD))

    assert answer.status_code == 201
    assert RegisterRecord.objects.get().unit == cast.village01


# --- the device page ---------------------------------------------------------------------------------


def test_the_device_page_shows_a_new_key_once_with_its_qr_code_and_the_key_works(cast, register):
    user = cast.user("wangge01")
    client = Client()
    client.force_login(user)
    assert "尚未生成" in client.get("/registers/device/").content.decode()

    made = client.post("/registers/device/").content.decode()

    key = re.search(r'<code id="new-key">([^<]+)</code>', made)
    assert key is not None
    assert 'src="data:image/png;base64,' in made
    assert "http://testserver/openrosa" in made
    assert Client().get("/openrosa/formList", **basic(user.username, key.group(1))).status_code == 200
    later = client.get("/registers/device/").content.decode()
    assert key.group(1) not in later
    assert key.group(1)[:8] in later


def test_a_new_key_replaces_the_old_and_revoking_cuts_the_phone_off(cast, register):
    user = cast.user("wangge01")
    first = devicekeys.create_key(user)
    second = devicekeys.create_key(user)
    client = Client()
    client.force_login(user)
    assert Client().get("/openrosa/formList", **basic(user.username, first.key)).status_code == 401

    client.post("/registers/device/revoke/")

    assert Client().get("/openrosa/formList", **basic(user.username, second.key)).status_code == 401
    assert devicekeys.active_key(user) is None


def test_the_qr_code_carries_collects_settings(cast):
    settings_json = openrosa.collect_settings(
        "https://zhenwu.example/openrosa", "wangge01", "zwKEY", "镇务·示范镇"
    )
    decoded = openrosa.decode_settings(openrosa.encode_settings(settings_json))

    assert '"server_url":"https://zhenwu.example/openrosa"' in decoded
    assert '"password":"zwKEY"' in decoded


def test_making_and_revoking_a_key_are_in_the_activity_log_without_the_key(cast):
    from auditlog.models import LogEntry

    user = cast.user("wangge01")
    made = devicekeys.create_key(user)
    devicekeys.revoke_keys(user)

    entries = LogEntry.objects.filter(object_pk=str(made.device_key.pk), actor=user)
    assert entries.count() == 2
    assert all(
        made.key not in str(e.changes) and made.device_key.key_hash not in str(e.changes) for e in entries
    )


LIBRARY = Path(__file__).resolve().parents[2] / "src" / "zhenwu" / "registers" / "library"


def library_register(cast: Cast, name: str) -> Register:
    from zhenwu.registers import services

    source = (LIBRARY / f"{name}.xlsx").read_bytes()
    return services.load_definition(cast.user("admin"), cast.township, source, f"{name}.xlsx").register


def test_library_lamps_and_patrols_filled_in_collect_make_and_update_the_lamp(cast):
    lamps, patrols_ = library_register(cast, "street_lamp"), library_register(cast, "lamp_patrol")
    user = with_password(cast.user("cun01"))
    auth = basic(user.username, PASSWORD)
    client = Client()
    assert lamps.current_version is not None and patrols_.current_version is not None
    offered = {e.findtext(f"{LIST}formID") for e in form_list(client, auth).findall(f"{LIST}xform")}
    assert {"street_lamp", "lamp_patrol"} <= offered
    lamp = fill(
        client.get(f"/openrosa/forms/{lamps.pk}/form.xml", **auth).content.decode(),
        {
            "code": "DW-0123", "place": "东岗村村委会门口", "lamp_type": "solar", "power": "60",
            "installed_on": "2025-06-01", "location": "30.5123 114.3011 21.0 4.5", "status": "normal",
            "keeper": "李师傅", "keeper_phone": "13812345678", "photo": "1731895200123.jpg",
        },
        "uuid:11111111-2222-4333-8444-555555555555",
    )  # fmt: skip
    patrol_ = fill(
        client.get(f"/openrosa/forms/{patrols_.pk}/form.xml", **auth).content.decode(),
        {"lamp": "DW-0123", "visit_type": "patrol", "visit_date": "2026-11-18", "finding": "no_light",
         "status": "broken"},
        "uuid:11111111-2222-4333-8444-666666666666",
    )  # fmt: skip

    made = submit(client, lamp, auth, {"1731895200123.jpg": jpeg()})
    patrolled = submit(client, patrol_, auth)

    assert made.status_code == 201, message(made)
    assert patrolled.status_code == 201, message(patrolled)
    record = RegisterRecord.objects.get(register=lamps)
    assert record.unit == cast.village01
    assert record.data["power"] == 60 and record.data["installed_on"] == "2025-06-01"
    assert record.data["keeper_phone"] == "138****5678"
    thing = record.thing
    assert thing is not None and thing.identity == "DW-0123"
    thing.refresh_from_db()
    assert thing.properties["status"] == "broken"
    assert RegisterRecord.objects.get(register=patrols_).thing == thing


def test_a_new_submission_asks_the_database_a_bounded_number_of_times(
    cast, register, django_assert_max_num_queries
):
    """Every phone's record passes here: the lockout, the key, the version and a lookup of the new
    instance id are one query each (a 20-township county's load depends on it; bench/registers_bench.py)."""
    user = grid_worker(cast)
    key = devicekeys.create_key(user).key
    client, auth, photo = Client(), basic(user.username, key), {"1731895200123.jpg": jpeg()}
    submit(client, patrol(register, "uuid:warm-up-0001"), auth, photo)

    with django_assert_max_num_queries(QUERIES_PER_SUBMISSION):
        answer = submit(client, patrol(register), auth, photo)

    assert answer.status_code == 201, answer.content.decode()
