"""`zhenwu backup` and `zhenwu restore`, run as the operator runs them, on SQLite and on PostgreSQL.

Each test works on databases of its own (SQLite files, or databases it creates on the PostgreSQL server
DATABASE_URL names), never on the test database; the PostgreSQL half is skipped when DATABASE_URL is not
PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.processes import environment, zhenwu
from zhenwu.web.restore import WRONG_KEY

HOUSEHOLDS = 12
MEMBERS = 3
# Makes a small township through the services: households whose members' identity numbers are
# encrypted, and a case with two photos in the media root.
SEED = """
from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhenwu.cases import services as cases
from zhenwu.cases.models import CaseCategory
from zhenwu.core import idcard
from zhenwu.households.services import MemberInput, create_household
from zhenwu.onboarding import prepare_township
from zhenwu.org import services as org
from zhenwu.org.models import OrgKind

done = prepare_township(township="河口镇", code="990102101000", county="清源县", county_code="990102000000")
village = org.create_org_unit(kind=OrgKind.VILLAGE, code="990102101001", name="东村", parent=done.township)
for n in range({households}):
    create_household(org_unit=village, number=f"H{n:04d}", members=[
        MemberInput(name=f"成员{n}之{m}", relation="head" if m == 0 else "child",
                    id_number=idcard.compose("990102", date(1960 + m, 1, 1 + n % 28), n * 10 + m))
        for m in range({members})
    ])
photos = []
for n in range(2):
    out = BytesIO()
    Image.new("RGB", (32 + n, 24), (200, 40 * n, 90)).save(out, "PNG")
    photos.append(SimpleUploadedFile(f"p{n}.png", out.getvalue(), "image/png"))
category = CaseCategory.objects.select_related("case_type").order_by("pk").first()
cases.report_case(None, case_type=category.case_type, category=category, title="路灯不亮",
                  description="东村路口路灯不亮。", org_unit=village, deadline_days=5, photos=photos)
""".replace("{households}", str(HOUSEHOLDS)).replace("{members}", str(MEMBERS))

# Adds households of three members, each in one transaction, until the file STOP exists.
WRITER = """
import sys, time
from datetime import date
from pathlib import Path
from zhenwu.core import idcard
from zhenwu.households.services import MemberInput, create_household
from zhenwu.org.models import OrgUnit

village = OrgUnit.objects.get(code="990102101001")
stop, n = Path(sys.argv[-1]), 100
while not stop.exists():
    create_household(org_unit=village, number=f"W{n:04d}", members=[
        MemberInput(name=f"写入{n}之{m}", relation="head" if m == 0 else "child",
                    id_number=idcard.compose(
                        "990103", date(1950 + n // 300, 1 + m, 1 + n % 28), n % 300 * 3 + m))
        for m in range(3)
    ])
    n += 1
"""

# Prints, from the restored database, each member's identity number decrypted through the model.
READ_NUMBERS = """
import json
from zhenwu.households.models import Member
print(json.dumps({m.name: m.full_id_number() for m in Member.objects.order_by("pk")}, ensure_ascii=False))
"""


def _postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


VENDORS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not _postgres_server(), reason="DATABASE_URL is not PostgreSQL"),
    ),
]


@dataclass
class Site:
    """One installation: its database and media root, as the `zhenwu` commands see them."""

    url: str
    media: Path
    var: Path

    def env(self, **extra: str) -> dict[str, str]:
        return environment(
            DATABASE_URL=self.url, MEDIA_ROOT=str(self.media), ZHENWU_VAR=str(self.var), **extra
        )

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            zhenwu(*args), env=self.env(**extra), capture_output=True, text=True, check=False
        )

    def python(self, code: str, *args: str) -> str:
        script = f"import django\ndjango.setup()\n{code}"
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


class Sites:
    """Makes sites on one vendor and drops their databases afterwards. A migrated site is a copy of one
    migrated once (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE), not migrated again."""

    def __init__(self, vendor: str, root: Path) -> None:
        self.vendor, self.root, self.made = vendor, root, []
        self.migrated: str | None = None

    def new(self, migrated: bool = True) -> Site:
        if migrated and self.migrated is None:
            first = self.new(migrated=False)
            done = first.run("migrate", "-v0")
            assert done.returncode == 0, done.stderr
            self.migrated = first.url
        name = f"zhenwu_scale_backup_{uuid.uuid4().hex[:10]}"
        template = self.migrated if migrated else None
        if self.vendor == "sqlite":
            url = f"sqlite:///{self.root / f'{name}.sqlite3'}"
            if template:
                shutil.copyfile(urlsplit(template).path, urlsplit(url).path)
        else:
            like = f' TEMPLATE "{urlsplit(template).path[1:]}"' if template else ""
            _admin(f'CREATE DATABASE "{name}"{like}')
            self.made.append(name)
            url = _with_database(_postgres_server(), name)
        site = Site(url, self.root / f"{name}-media", self.root / f"{name}-var")
        site.var.mkdir()
        return site

    def drop(self) -> None:
        for name in self.made:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(_postgres_server(), "postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module", params=VENDORS)
def seeded(request: Any, tmp_path_factory: Any) -> Iterator[tuple[Sites, Site, Path]]:
    """A seeded site on each vendor and one backup of it, shared by the tests that only read them."""
    sites = Sites(request.param, tmp_path_factory.mktemp(request.param))
    try:
        source = sites.new()
        source.python(SEED)
        done = source.run("backup", "--out", str(sites.root / "backups"))
        assert done.returncode == 0, done.stderr
        yield sites, source, _only_backup(sites.root / "backups")
    finally:
        sites.drop()


def _only_backup(out: Path) -> Path:
    (backup,) = out.glob("zhenwu-backup-*")
    return backup


def _copy(backup: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(backup, tmp_path / backup.name))


def _tables(url: str) -> dict[str, list[str]]:
    """Every table's rows, each as text, sorted: the whole content of a small database."""
    if url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(url).path) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {
                t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"')))
                for t in names
                if t != "sqlite_sequence"
            }
    import psycopg

    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in names}


def _media(site: Site) -> dict[str, bytes]:
    return {
        p.relative_to(site.media).as_posix(): p.read_bytes() for p in site.media.rglob("*") if p.is_file()
    }


def _manifest(backup: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((backup / "manifest.json").read_text("utf-8"))
    return loaded


def test_a_backup_restores_into_a_fresh_database_with_every_row_file_and_number(
    seeded: tuple[Sites, Site, Path],
) -> None:
    sites, source, backup = seeded
    target = sites.new(migrated=False)
    done = target.run("restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "行数核对一致" in done.stdout
    assert _tables(target.url) == _tables(source.url)
    assert len(_media(source)) == 2 and _media(target) == _media(source)
    numbers = json.loads(target.python(READ_NUMBERS))
    assert len(numbers) == HOUSEHOLDS * MEMBERS
    assert numbers == json.loads(source.python(READ_NUMBERS))


def test_the_manifest_names_the_key_without_holding_it(seeded: tuple[Sites, Site, Path]) -> None:
    _, _, backup = seeded
    manifest = _manifest(backup)
    text = (backup / "manifest.json").read_text("utf-8")
    assert os.environ["FIELD_ENCRYPTION_KEY"] not in text
    assert len(manifest["field_encryption_key_check"]) == 64
    assert manifest["tables"]["households_member"] == HOUSEHOLDS * MEMBERS
    assert manifest["migrations"]["households"].startswith("00")
    assert manifest["created_at"].endswith("+08:00")
    assert set(manifest["files"]) == {manifest["database"]["file"], "media.tar"}


@pytest.mark.parametrize("changed", ["database", "media.tar"])
def test_a_changed_file_is_refused_before_anything_is_written(
    seeded: tuple[Sites, Site, Path], tmp_path: Path, changed: str
) -> None:
    sites, _, backup = seeded
    copy = _copy(backup, tmp_path)
    name = _manifest(copy)["database"]["file"] if changed == "database" else changed
    with (copy / name).open("r+b") as stream:
        stream.seek(-1, os.SEEK_END)
        last = stream.read(1)
        stream.seek(-1, os.SEEK_END)
        stream.write(bytes([last[0] ^ 1]))
    target = sites.new(migrated=False)
    done = target.run("restore", str(copy))
    assert done.returncode == 1
    assert f"备份文件 {name} 已损坏或被改动（sha256 与清单不符）" in done.stderr
    assert not any(_tables(target.url).values())
    assert not target.media.exists()


def test_a_backup_made_with_another_key_is_refused_with_the_message(seeded: tuple[Sites, Site, Path]) -> None:
    sites, _, backup = seeded
    target = sites.new(migrated=False)
    done = target.run("restore", str(backup), FIELD_ENCRYPTION_KEY="another-key-" + "x" * 40)
    assert done.returncode == 1
    assert WRONG_KEY in done.stderr
    assert not any(_tables(target.url).values())


def test_a_target_holding_records_is_refused_unless_replace(seeded: tuple[Sites, Site, Path]) -> None:
    sites, source, backup = seeded
    target = sites.new()
    target.python(SEED)
    before = _tables(target.url)
    done = target.run("restore", str(backup))
    assert done.returncode == 1
    assert "目标数据库不是空的" in done.stderr and "--replace" in done.stderr
    assert _tables(target.url) == before
    replaced = target.run("restore", "--replace", str(backup))
    assert replaced.returncode == 0, replaced.stderr
    assert _tables(target.url) == _tables(source.url)


def test_a_migrated_but_empty_database_takes_a_restore(seeded: tuple[Sites, Site, Path]) -> None:
    sites, source, backup = seeded
    target = sites.new(migrated=True)
    done = target.run("restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert _tables(target.url) == _tables(source.url)


@pytest.mark.skipif(
    not _postgres_server(), reason="DATABASE_URL is not PostgreSQL: no other vendor to cross to"
)
def test_a_backup_does_not_cross_vendors(seeded: tuple[Sites, Site, Path], tmp_path: Path) -> None:
    sites, _, backup = seeded
    other = Sites("sqlite" if sites.vendor == "postgresql" else "postgresql", tmp_path)
    try:
        target = other.new(migrated=False)
        done = target.run("restore", str(backup))
    finally:
        other.drop()
    assert done.returncode == 1
    assert "不能跨数据库恢复" in done.stderr


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_backup_taken_while_the_database_is_written_is_consistent(vendor: str, tmp_path: Path) -> None:
    """A writer adds households of three members, one transaction each, all through the backup: the copy
    holds whole households only, and its row counts are the manifest's."""
    sites = Sites(vendor, tmp_path)
    try:
        source = sites.new()
        source.python(SEED)
        stop = tmp_path / "STOP"
        script = f"import django\ndjango.setup()\n{WRITER}"
        writer = subprocess.Popen(
            [sys.executable, "-c", script, str(stop)], env=source.env(), stderr=subprocess.PIPE
        )
        try:
            time.sleep(2)  # the writer is under way before the copy starts
            done = source.run("backup", "--out", str(tmp_path / "backups"))
            time.sleep(1)
        finally:
            stop.touch()
            _, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors
        assert done.returncode == 0, done.stderr
        backup = _only_backup(tmp_path / "backups")
        copied = _manifest(backup)["tables"]["households_household"]
        final = len(_tables(source.url)["households_household"])
        assert HOUSEHOLDS < copied < final, "the writer wrote before, during and after the backup"
        target = sites.new(migrated=False)
        restored = target.run("restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        rows = _tables(target.url)
        assert len(rows["households_household"]) == copied
        assert len(rows["households_member"]) == copied * MEMBERS
    finally:
        sites.drop()


def test_the_nightly_job_backs_up_into_backup_dir_and_keeps_the_newest(tmp_path: Path) -> None:
    sites = Sites("sqlite", tmp_path)
    site = sites.new()
    idle = site.run("jobs", "run", "nightly_backup")
    assert idle.returncode == 0, idle.stderr
    assert "未设置 BACKUP_DIR" in idle.stdout
    out = tmp_path / "nightly"
    for _ in range(3):
        done = site.run("jobs", "run", "nightly_backup", BACKUP_DIR=str(out), BACKUP_KEEP="2")
        assert done.returncode == 0, done.stderr
        time.sleep(1.1)  # a backup is named by its second
    assert "删除 1 份旧备份" in done.stdout
    kept = sorted(p.name for p in out.iterdir())
    assert len(kept) == 2 and all(name.startswith("zhenwu-backup-") for name in kept)
