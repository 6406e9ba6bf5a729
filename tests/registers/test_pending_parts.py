"""Photos of split submissions whose last part never came: kept under registers/pending/<user>/<instance>/
until the last part stores the record, and cleared once a submission has sent nothing for
REGISTERS_PENDING_PARTS_DAYS (by the job in registers/tasks.py, or `zhenwu register-clean-parts`).

A file's age is its modification time, set here relative to the test clock."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from tests.conftest import Cast
from zhenwu.jobs.services import run_job
from zhenwu.manage import DASHED
from zhenwu.registers import media
from zhenwu.registers.models import RegisterRecord

from .collect import PASSWORD, basic, fill, grid_worker, jpeg, patrols, submit
from .helpers import load

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any, time_machine: TimeMachineFixture) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.REGISTERS_PENDING_PARTS_DAYS = 7
    time_machine.move_to(NOW, tick=False)
    return tmp_path


def part(root: Path, user: int, instance: str, name: str, days_old: float) -> Path:
    """A photo kept from an earlier part, last written `days_old` days before now."""
    path = root / "registers" / "pending" / str(user) / instance / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg())
    written = (timezone.now() - timedelta(days=days_old)).timestamp()
    os.utime(path, (written, written))
    return path


def test_parts_older_than_the_set_age_are_deleted_and_newer_ones_kept(media_root: Path) -> None:
    abandoned = [part(media_root, 7, "aaaa", "1.jpg", 10), part(media_root, 7, "aaaa", "2.jpg", 8)]
    waiting = part(media_root, 7, "bbbb", "1.jpg", 2)
    other_user = part(media_root, 9, "cccc", "1.jpg", 30)

    cleaned = media.clean_pending_parts()

    assert (cleaned.files, cleaned.folders) == (3, 2)
    assert not any(path.exists() for path in [*abandoned, other_user])
    assert waiting.exists()
    assert not (media_root / "registers" / "pending" / "7" / "aaaa").exists()  # no empty folder left
    assert not (media_root / "registers" / "pending" / "9").exists()


def test_a_submission_still_arriving_keeps_every_part(media_root: Path) -> None:
    """Its newest part is what counts: an old first part stays while later parts keep coming."""
    first = part(media_root, 7, "aaaa", "1.jpg", 9)
    latest = part(media_root, 7, "aaaa", "2.jpg", 1)

    cleaned = media.clean_pending_parts()

    assert cleaned.files == 0 and first.exists() and latest.exists()


def test_the_age_is_a_setting_and_the_boundary_is_kept(media_root: Path, settings: Any) -> None:
    settings.REGISTERS_PENDING_PARTS_DAYS = 3
    exactly = part(media_root, 7, "aaaa", "1.jpg", 3)
    older = part(media_root, 7, "bbbb", "1.jpg", 3.01)

    media.clean_pending_parts()

    assert exactly.exists() and not older.exists()


def test_nothing_pending_is_nothing_to_do(media_root: Path) -> None:
    assert media.clean_pending_parts() == media.Cleaned(files=0, folders=0, more=False)


def test_a_run_clears_a_batch_and_says_there_is_more(media_root: Path) -> None:
    for number in range(5):
        part(media_root, 7, f"i{number}", "1.jpg", 10)

    first = media.clean_pending_parts(batch=3)
    second = media.clean_pending_parts(batch=3)

    assert (first.folders, first.more) == (3, True)
    assert (second.folders, second.more) == (2, False)


@pytest.mark.django_db
def test_the_daily_job_cleans_what_is_due_and_says_so(media_root: Path) -> None:
    old = part(media_root, 7, "aaaa", "1.jpg", 10)

    run = run_job("clean_register_parts")

    assert run.ok and run.summary == "清理 1 份未收齐的提交(照片 1 张)" and not old.exists()


def test_the_command_clears_everything_due_and_says_how_much(media_root: Path) -> None:
    for number in range(3):
        part(media_root, 7, f"i{number}", "1.jpg", 10)
    part(media_root, 7, "new", "1.jpg", 1)
    out = StringIO()

    call_command("register_clean_parts", "--batch", "2", stdout=out)

    assert "3 份" in out.getvalue() and "3 张" in out.getvalue() and "7 天" in out.getvalue()
    assert [p.parent.name for p in (media_root / "registers" / "pending").rglob("*.jpg")] == ["new"]


def test_the_command_takes_another_age(media_root: Path) -> None:
    recent = part(media_root, 7, "aaaa", "1.jpg", 2)
    out = StringIO()

    call_command("register_clean_parts", "--days", "1", stdout=out)

    assert not recent.exists() and "1 天" in out.getvalue()


def test_the_console_script_spells_it_with_a_dash(media_root: Path) -> None:
    from zhenwu.manage import main

    assert DASHED["register-clean-parts"] == "register_clean_parts"
    old = part(media_root, 7, "aaaa", "1.jpg", 10)
    # The command closes every connection when it ends, the test's own too: keep it open.
    with mock.patch("django.db.connections.close_all"):
        main(["zhenwu", "register-clean-parts"])
    assert not old.exists()


def test_the_last_part_of_a_cleared_submission_is_refused_with_a_message(
    cast: Cast, media_root: Path
) -> None:
    """End to end with Collect: a part kept aside, then cleared, then the last part comes too late."""
    register = load(cast, patrols()).register
    assert register.current_version is not None
    user = grid_worker(cast)
    auth = basic(user.username, PASSWORD)
    instance = fill(
        register.current_version.xform,
        {"lamp_no": "0123", "status": "damaged", "photo": "1731895200123.jpg"},
        "uuid:0b7d2a10-1111-4c3a-8e7f-000000000002",
    )
    first = Client().post(
        "/openrosa/submission",
        {
            "xml_submission_file": SimpleUploadedFile("submission.xml", instance, "text/xml"),
            "1731895200123.jpg": SimpleUploadedFile("1731895200123.jpg", jpeg(), "image/jpeg"),
            "*isIncomplete*": "yes",
        },
        **auth,
    )
    assert first.status_code == 201
    kept = next((media_root / "registers" / "pending").rglob("*.jpg"))
    eight_days_ago = (timezone.now() - timedelta(days=8)).timestamp()
    os.utime(kept, (eight_days_ago, eight_days_ago))

    run_job("clean_register_parts")
    late = submit(Client(), instance, auth)

    assert not kept.exists()
    assert late.status_code == 400 and "1731895200123.jpg" in late.content.decode()
    assert not RegisterRecord.objects.exists()
