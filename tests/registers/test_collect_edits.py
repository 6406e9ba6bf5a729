"""A sent form edited in ODK Collect: Collect sends the whole record again with a new meta/instanceID and
the one it replaces in meta/deprecatedID. The record it replaces is updated in place (checked as a new
one is, its thing's properties following the edited values, the change in the activity log); both ids are
then known, so that a resend of either is acknowledged and stored nowhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.org.models import User
from zhenwu.registers import openrosa, services
from zhenwu.registers.models import Register, RegisterRecord, Thing

from . import books
from .collect import PASSWORD, basic, edited, fill, grid_worker, jpeg, patrols, submit, with_password
from .helpers import load

FIRST = "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11"
SECOND = "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e22"
THIRD = "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e33"
PHOTO = "1731895200123.jpg"


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
        "faults": "bulb",
        "minutes": "12",
        "photo": PHOTO,
        **values,
    }
    assert register.current_version is not None
    return fill(register.current_version.xform, answers, instance_id)


def message(answer: Any) -> str:
    root = ET.fromstring(answer.content)
    assert root.tag == f"{{{openrosa.RESPONSE_NS}}}OpenRosaResponse"
    return "".join(root.itertext())


def send(user: User, instance: bytes, photo: bool = True) -> Any:
    return submit(Client(), instance, basic(user.username, PASSWORD), {PHOTO: jpeg()} if photo else None)


def sent_and_edited(user: User, register: Register, **changes: str) -> tuple[bytes, bytes]:
    original = patrol(register)
    assert send(user, original).status_code == 201
    return original, edited(original, SECOND, **changes)


# --- the record is updated, not doubled ------------------------------------------------------------


def test_an_edit_collect_sends_updates_the_record_it_replaces(cast: Cast, register: Register) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, status="normal", minutes="30")
    record = RegisterRecord.objects.get()

    answer = send(user, edit)

    assert answer.status_code == 201, message(answer)
    assert "已更新" in message(answer)
    updated = RegisterRecord.objects.get()
    assert updated.pk == record.pk
    assert updated.instance_id == SECOND
    assert updated.data["status"] == "normal" and updated.data["minutes"] == 30
    assert updated.data["lamp_no"] == "0123"
    assert (updated.unit, updated.entered_by, updated.entered_at) == (record.unit, user, record.entered_at)


def test_a_resend_of_the_original_or_of_the_edit_is_acknowledged_and_stored_nowhere(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    original, edit = sent_and_edited(user, register, status="normal")
    assert send(user, edit).status_code == 201

    original_again, edit_again = send(user, original), send(user, edit)

    assert original_again.status_code == 202 and edit_again.status_code == 202
    record = RegisterRecord.objects.get()
    assert record.instance_id == SECOND and record.data["status"] == "normal"


def test_an_edit_is_checked_like_a_new_record_and_a_refused_one_changes_nothing(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, lamp_no="12", minutes="-5")

    answer = send(user, edit)

    assert answer.status_code == 400
    assert "路灯编号：编号应为4位数字" in message(answer) and "用时不能为负数" in message(answer)
    record = RegisterRecord.objects.get()
    assert record.instance_id == FIRST and record.data["lamp_no"] == "0123"


def test_an_edit_of_an_edit_updates_the_same_record(cast: Cast, register: Register) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, minutes="20")
    assert send(user, edit).status_code == 201

    again = send(user, edited(edit, THIRD, minutes="25"))

    assert again.status_code == 201, message(again)
    record = RegisterRecord.objects.get()
    assert record.instance_id == THIRD and record.data["minutes"] == 25
    assert send(user, patrol(register)).status_code == 202  # the first id is still known


# --- refusals ----------------------------------------------------------------------------------------


def test_an_edit_of_an_unknown_record_is_refused_with_a_message(cast: Cast, register: Register) -> None:
    user = grid_worker(cast)
    unknown = edited(patrol(register, "uuid:00000000-0000-4000-8000-000000000000"), SECOND)

    answer = send(user, unknown)

    assert answer.status_code == 404
    assert "要修改的记录" in message(answer)
    assert not RegisterRecord.objects.exists()


def test_an_edit_of_a_record_out_of_scope_is_refused_like_an_unknown_one(
    cast: Cast, register: Register
) -> None:
    village02 = with_password(cast.user("cun02"))
    original = patrol(register)
    assert send(village02, original).status_code == 201
    grid_worker_of_village01 = grid_worker(cast)
    unknown = edited(patrol(register, "uuid:00000000-0000-4000-8000-000000000000"), THIRD)

    out_of_scope = send(grid_worker_of_village01, edited(original, SECOND, status="normal"))
    missing = send(grid_worker_of_village01, unknown)

    assert out_of_scope.status_code == missing.status_code == 404
    assert message(out_of_scope) == message(missing)
    record = RegisterRecord.objects.get()
    assert record.instance_id == FIRST and record.data["status"] == "damaged"


def test_a_writer_in_scope_may_edit_a_record_someone_else_entered(cast: Cast, register: Register) -> None:
    worker = grid_worker(cast)
    _, edit = sent_and_edited(worker, register, status="normal")
    village_staff = with_password(cast.user("cun01"))  # village01 holds the grid worker's grid

    answer = send(village_staff, edit)

    assert answer.status_code == 201, message(answer)
    record = RegisterRecord.objects.get()
    assert record.data["status"] == "normal" and record.entered_by == worker
    assert record.unit == cast.grid0101  # the record stays where it was entered


def test_a_user_who_may_not_fill_the_register_may_not_edit_its_records(cast: Cast) -> None:
    sheets = patrols()
    sheets["zhenwu"] = [*sheets["zhenwu"], ["writers", "grid_worker"]]
    register = load(cast, sheets).register
    worker = grid_worker(cast)
    _, edit = sent_and_edited(worker, register, status="normal")

    answer = send(with_password(cast.user("cun01")), edit)

    assert answer.status_code == 403
    assert RegisterRecord.objects.get().instance_id == FIRST


def test_two_edits_of_the_same_version_keep_the_first_and_refuse_the_second(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    original, first_edit = sent_and_edited(user, register, minutes="20")
    assert send(user, first_edit).status_code == 201

    second_edit = send(user, edited(original, THIRD, minutes="40"))

    assert second_edit.status_code == 409
    assert "已被修改" in message(second_edit)
    record = RegisterRecord.objects.get()
    assert record.instance_id == SECOND and record.data["minutes"] == 20


# --- photos ------------------------------------------------------------------------------------------


def test_an_edit_sent_without_an_unchanged_photo_keeps_the_photo_already_received(
    cast: Cast, register: Register, client: Client
) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, status="normal")
    kept = RegisterRecord.objects.get().data["photo"]

    answer = send(user, edit, photo=False)

    assert answer.status_code == 201, message(answer)
    record = RegisterRecord.objects.get()
    assert record.data["photo"] == kept and default_storage.exists(kept)
    client.force_login(user)
    served = client.get(reverse("registers:record-photo", kwargs={"pk": record.pk, "field": "photo"}))
    assert served.status_code == 200


def test_an_edit_with_a_new_photo_stores_it_with_the_edit(cast: Cast, register: Register) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, photo="1731899999999.jpg")

    answer = submit(Client(), edit, basic(user.username, PASSWORD), {"1731899999999.jpg": jpeg(40, 30)})

    assert answer.status_code == 201, message(answer)
    photo = RegisterRecord.objects.get().data["photo"]
    assert photo.endswith("1731899999999.jpg") and SECOND.removeprefix("uuid:") in photo
    assert default_storage.exists(photo)


# --- things ------------------------------------------------------------------------------------------


def lamp_and_patrol_registers(cast: Cast) -> tuple[Register, Register]:
    return load(cast, books.lamps()).register, load(cast, books.patrols()).register


def xform(register: Register) -> str:
    assert register.current_version is not None
    return register.current_version.xform


def lamp(lamps: Register, number: str, instance_id: str, status: str = "normal") -> bytes:
    return fill(xform(lamps), {"lamp_no": number, "status": status}, instance_id)


def test_an_edited_patrol_leaves_its_lamp_as_the_edited_values_say(cast: Cast) -> None:
    lamps, patrols_ = lamp_and_patrol_registers(cast)
    user = grid_worker(cast)
    for number, instance_id in (("0123", "uuid:l-0123"), ("0124", "uuid:l-0124")):
        assert send(user, lamp(lamps, number, instance_id), photo=False).status_code == 201
    patrolled = fill(xform(patrols_), {"lamp": "0123", "status": "broken"}, FIRST)
    assert send(user, patrolled, photo=False).status_code == 201
    first, second = Thing.objects.get(identity="0123"), Thing.objects.get(identity="0124")
    assert first.properties["status"] == "broken"

    fixed = send(user, edited(patrolled, SECOND, status="normal"), photo=False)

    assert fixed.status_code == 201, message(fixed)
    first.refresh_from_db()
    assert first.properties["status"] == "normal"

    moved = send(user, edited(edited(patrolled, SECOND), THIRD, lamp="0124", status="broken"), photo=False)

    assert moved.status_code == 201, message(moved)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.properties["status"] == "normal"  # as registered: the patrol no longer names it
    assert second.properties["status"] == "broken"
    assert RegisterRecord.objects.get(register=patrols_).thing == second


def test_editing_an_earlier_patrol_does_not_undo_a_later_one(cast: Cast) -> None:
    lamps, patrols_ = lamp_and_patrol_registers(cast)
    user = grid_worker(cast)
    assert send(user, lamp(lamps, "0123", "uuid:l-0123"), photo=False).status_code == 201
    earlier = fill(xform(patrols_), {"lamp": "0123", "status": "broken"}, FIRST)
    later = fill(xform(patrols_), {"lamp": "0123", "status": "normal"}, THIRD)
    assert send(user, earlier, photo=False).status_code == 201
    assert send(user, later, photo=False).status_code == 201

    answer = send(user, edited(earlier, SECOND, minutes="15"), photo=False)

    assert answer.status_code == 201, message(answer)
    assert Thing.objects.get().properties["status"] == "normal"


def test_an_edited_lamp_record_renumbers_and_relabels_its_lamp(cast: Cast) -> None:
    lamps, _ = lamp_and_patrol_registers(cast)
    user = grid_worker(cast)
    registered = lamp(lamps, "0123", FIRST)
    assert send(user, registered, photo=False).status_code == 201
    assert send(user, lamp(lamps, "0200", "uuid:l-0200"), photo=False).status_code == 201

    renumbered = send(user, edited(registered, SECOND, lamp_no="0125", status="broken"), photo=False)

    assert renumbered.status_code == 201, message(renumbered)
    thing = RegisterRecord.objects.get(instance_id=SECOND).thing
    assert thing is not None
    assert (thing.identity, thing.label, thing.properties["status"]) == ("0125", "路灯0125", "broken")
    assert Thing.objects.count() == 2

    taken = send(user, edited(edited(registered, SECOND), THIRD, lamp_no="0200"), photo=False)

    assert taken.status_code == 400 and "0200" in message(taken)
    assert Thing.objects.get(pk=thing.pk).identity == "0125"


# --- the log -----------------------------------------------------------------------------------------


def test_the_activity_log_shows_who_edited_the_record_and_what_it_held_before(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, status="normal")
    record = RegisterRecord.objects.get()

    assert send(user, edit).status_code == 201

    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RegisterRecord),
        object_pk=str(record.pk),
        action=LogEntry.Action.UPDATE,
    ).latest("timestamp")
    assert entry.actor == user
    changes = entry.changes_dict
    assert changes["instance_id"] == [FIRST, SECOND]
    before, after = changes["data"]
    assert "damaged" in before and "normal" in after


def test_an_edit_collect_splits_is_stored_with_the_photo_of_its_first_part(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    _, edit = sent_and_edited(user, register, photo="1731899999999.jpg", status="normal")
    client = Client()
    auth = basic(user.username, PASSWORD)
    part = client.post(
        "/openrosa/submission",
        {
            "xml_submission_file": SimpleUploadedFile("submission.xml", edit, "text/xml"),
            "1731899999999.jpg": SimpleUploadedFile("1731899999999.jpg", jpeg(), "image/jpeg"),
            "*isIncomplete*": "yes",
        },
        **auth,
    )
    assert part.status_code == 201 and RegisterRecord.objects.get().instance_id == FIRST

    last = submit(client, edit, auth)

    assert last.status_code == 201, message(last)
    record = RegisterRecord.objects.get()
    assert record.instance_id == SECOND and record.data["photo"].endswith("1731899999999.jpg")
    assert default_storage.exists(record.data["photo"])


def test_the_first_part_of_an_edit_of_an_unknown_record_is_refused_at_once(
    cast: Cast, register: Register
) -> None:
    user = grid_worker(cast)
    unknown = edited(patrol(register, "uuid:00000000-0000-4000-8000-000000000000"), SECOND)

    part = Client().post(
        "/openrosa/submission",
        {
            "xml_submission_file": SimpleUploadedFile("submission.xml", unknown, "text/xml"),
            PHOTO: SimpleUploadedFile(PHOTO, jpeg(), "image/jpeg"),
            "*isIncomplete*": "yes",
        },
        **basic(user.username, PASSWORD),
    )

    assert part.status_code == 404
    assert not default_storage.exists("registers/pending")


def test_the_one_who_entered_a_record_may_edit_it_and_a_reader_may_not(
    cast: Cast, register: Register
) -> None:
    worker = grid_worker(cast)
    original = patrol(register)
    assert send(worker, original).status_code == 201
    record = RegisterRecord.objects.get()
    register.writers = ["grid_worker"]
    register.save(update_fields=["writers"])
    reader = cast.user("cun01")  # reads the register, in scope, fills none of it
    values = {"lamp_no": "0123", "status": "normal"}

    assert services.may_edit_record(worker, record) and not services.may_edit_record(reader, record)
    with pytest.raises(PermissionDenied):
        services.edit_record(reader, record, values, replaces=FIRST, instance_id=SECOND)
    register.writers = ["township_admin"]  # the grid worker no longer fills it, and still mends their own
    register.save(update_fields=["writers"])
    record.refresh_from_db()

    updated = services.edit_record(worker, record, values, replaces=FIRST, instance_id=SECOND)

    assert updated.pk == record.pk and updated.data["status"] == "normal"
