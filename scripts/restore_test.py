"""`make restore-test`: prove that a backup of the demo restores whole (docs/backup.md).

    python scripts/restore_test.py [--keep]

Builds the demo in a fresh database (PostgreSQL when BACKUP_TEST_DATABASE_URL or TEST_DATABASE_URL names a
server, else SQLite files under var/), uploads a few case photos through the cases services, runs
`zhenwu backup`, then `zhenwu restore` into a second fresh database and media root, and compares the two:
every table's row count, 50 random cases, households and members field by field, the whole activity log
(count and the last 100 entries), every media file by sha256, and identity numbers read back through the
model in the restored database. Prints a short report; exits 1 on any difference. Drops the databases
and files it made (--keep leaves them, to look at).

Each database is read by a child process of its own (`--inspect`), with the settings pointing at it, the
way a server would read it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = 50
LOG_TAIL = 100
PHOTOS = 3
SAMPLED = {"cases.Case": "事件", "households.Household": "农户", "households.Member": "成员"}


# --- run in a child, on one database -----------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    import django

    django.setup()


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | bool | type(None)) else str(value)


def add_photos() -> None:
    """A case with a few photos, uploaded the way the intake form does (through the services)."""
    _setup_django()
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from zhenwu.cases import services
    from zhenwu.cases.models import CaseCategory
    from zhenwu.org.models import OrgKind, OrgUnit

    photos = []
    for n in range(PHOTOS):
        out = BytesIO()
        Image.new("RGB", (64 + n, 48), (40 * n, 120, 200)).save(out, "PNG")
        photos.append(SimpleUploadedFile(f"现场{n + 1}.png", out.getvalue(), "image/png"))
    category = CaseCategory.objects.select_related("case_type").order_by("pk").first()
    grid = OrgUnit.objects.filter(kind=OrgKind.GRID).order_by("code").first()
    assert category is not None and grid is not None, "the demo has no case category or grid"
    services.report_case(
        None,
        case_type=category.case_type,
        category=category,
        title="恢复演练：带照片的事件",
        description="备份恢复演练上传的现场照片。",
        org_unit=grid,
        deadline_days=5,
        photos=photos,
    )


def _sample(label: str, seed: int) -> list[dict[str, Any]]:
    from django.apps import apps

    model = apps.get_model(label)
    ids = sorted(model.objects.values_list("pk", flat=True))
    chosen = sorted(random.Random(f"{seed}:{label}").sample(ids, min(SAMPLE, len(ids))))
    return [
        {k: _plain(v) for k, v in row.items()}
        for row in model.objects.filter(pk__in=chosen).order_by("pk").values()
    ]


def _identity_numbers(seed: int) -> dict[str, Any]:
    """Sampled members' identity numbers, decrypted through the model: each number's sha256 (the numbers
    themselves are never printed) and whether its blind index and mask still agree with it."""
    from zhenwu.core import idcard
    from zhenwu.households.models import Member
    from zhenwu.households.services import index_of

    ids = sorted(Member.objects.exclude(id_number_cipher="").values_list("pk", flat=True))
    chosen = sorted(random.Random(f"{seed}:identity").sample(ids, min(SAMPLE, len(ids))))
    digests, agree = {}, 0
    for member in Member.objects.filter(pk__in=chosen).order_by("pk"):
        plain = member.full_id_number()
        digests[str(member.pk)] = hashlib.sha256(plain.encode()).hexdigest()
        agree += (
            index_of(plain) == member.id_number_index
            and idcard.mask_id_number(plain) == member.id_number_masked
        )
    return {"members": len(chosen), "digests": digests, "index_and_mask_agree": agree}


def _activity_log() -> dict[str, Any]:
    from auditlog.models import LogEntry

    tail = LogEntry.objects.order_by("-pk").values()[:LOG_TAIL]
    return {
        "count": LogEntry.objects.count(),
        "last": [{k: _plain(v) for k, v in row.items()} for row in tail],
    }


def _media() -> dict[str, str]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def inspect(seed: int) -> dict[str, Any]:
    _setup_django()
    from django.db import connection

    from zhenwu.web.backup import count_rows, table_names

    with connection.cursor() as cursor:
        tables = count_rows(cursor, table_names(cursor))
    return {
        "vendor": connection.vendor,
        "tables": tables,
        "samples": {label: _sample(label, seed) for label in SAMPLED},
        "log": _activity_log(),
        "media": _media(),
        "identity": _identity_numbers(seed),
    }


# --- the run ------------------------------------------------------------------------------------------


def server_url() -> str:
    for name in ("BACKUP_TEST_DATABASE_URL", "TEST_DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return ""


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(url: str, sql: str) -> None:
    """CREATE or DROP DATABASE, from the server's maintenance database (outside a transaction)."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


class Run:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.token = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.work = ROOT / "var" / f"restore-test-{self.token}"
        self.server = server_url()
        self.databases: list[str] = []
        # A key of this run's own: the restored numbers decrypt only if the backup carried them whole.
        self.key = secrets.token_urlsafe(40)

    def database(self, role: str) -> str:
        if not self.server:
            return f"sqlite:///{self.work / f'{role}.sqlite3'}"
        name = f"zhenwu_restore_test_{role}_{self.token}"
        admin_sql(self.server, f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return with_database(self.server, name)

    def env(self, url: str, media: Path) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
            ),
            "DJANGO_SETTINGS_MODULE": "zhenwu.settings",
            "ZHENWU_ENV_FILE": "",
            "ZHENWU_VAR": str(self.work / "var"),
            "DEBUG": "1",
            "FIELD_ENCRYPTION_KEY": self.key,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(media),
        }

    def zhenwu(self, env: dict[str, str], *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "zhenwu.manage", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"zhenwu {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def child(self, env: dict[str, str], *args: str) -> str:
        done = subprocess.run(
            [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"restore_test.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def drop(self) -> None:
        if self.keep:
            print(f"kept: {self.work} {' '.join(self.databases)}")
            return
        for name in self.databases:
            admin_sql(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(self.work, ignore_errors=True)


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(what, same, detail) for each comparison, in the report's order."""
    lines = []
    tables, restored = before["tables"], after["tables"]
    differ = [t for t in sorted(set(tables) | set(restored)) if tables.get(t) != restored.get(t)]
    lines.append(
        (
            "各表行数 row counts",
            not differ,
            f"{len(tables)} 张表 tables, {sum(tables.values())} 行 rows"
            + (f"; 不同 differ: {', '.join(differ[:8])}" if differ else ""),
        )
    )
    for label, name in SAMPLED.items():
        rows, back = before["samples"][label], after["samples"][label]
        same = rows == back
        fields = len(rows[0]) if rows else 0
        lines.append((f"抽样{name} sample {label}", same, f"{len(rows)} 条 rows × {fields} 字段 fields"))
    log, log_back = before["log"], after["log"]
    lines.append(
        (
            "操作日志 activity log",
            log == log_back,
            f"{log['count']} 条 entries, 最后 last {len(log['last'])} 条逐字段 field by field",
        )
    )
    media, media_back = before["media"], after["media"]
    lines.append(
        ("上传文件 media files", media == media_back and bool(media), f"{len(media)} 个 files, sha256")
    )
    identity, identity_back = before["identity"], after["identity"]
    decrypts = (
        identity["digests"] == identity_back["digests"]
        and identity_back["index_and_mask_agree"] == identity_back["members"] > 0
    )
    lines.append(
        (
            "身份证号解密 identity numbers decrypt",
            decrypts,
            f"{identity_back['members']} 名成员 members read through the model in the restored database",
        )
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the databases and files made")
    parser.add_argument("--inspect", type=int, metavar="SEED", help=argparse.SUPPRESS)
    parser.add_argument("--add-photos", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect is not None:
        print(json.dumps(inspect(args.inspect), ensure_ascii=False))
        return 0
    if args.add_photos:
        add_photos()
        return 0
    return run(args.keep)


def run(keep: bool) -> int:
    this = Run(keep)
    seed = random.SystemRandom().randrange(1 << 30)
    print(f"== 备份恢复演练 restore test: {'PostgreSQL' if this.server else 'SQLite'}, seed {seed}")
    try:
        (this.work / "var").mkdir(parents=True)
        source = this.env(this.database("source"), this.work / "media-source")
        started = time.monotonic()
        this.zhenwu(source, "migrate", "--noinput", "-v0")
        this.zhenwu(source, "demo")
        this.child(source, "--add-photos")
        print(f"   演示数据已载入 demo loaded ({time.monotonic() - started:.0f} s)")
        started = time.monotonic()
        this.zhenwu(source, "backup", "--out", str(this.work / "backups"))
        backup = next((this.work / "backups").glob("zhenwu-backup-*"))
        size = sum(p.stat().st_size for p in backup.iterdir())
        print(f"   备份 backup: {time.monotonic() - started:.1f} s, {size / 1e6:.1f} MB")
        target = this.env(this.database("restored"), this.work / "media-restored")
        started = time.monotonic()
        this.zhenwu(target, "restore", str(backup))
        print(f"   恢复 restore: {time.monotonic() - started:.1f} s")
        before = json.loads(this.child(source, "--inspect", str(seed)))
        after = json.loads(this.child(target, "--inspect", str(seed)))
        lines = compare(before, after)
        for what, same, detail in lines:
            print(f"   {'一致 same' if same else '不同 DIFFER'}  {what}: {detail}")
        ok = all(same for _, same, _ in lines)
        print("== 通过 passed" if ok else "== 失败 FAILED: 恢复的数据与原数据不同 the restored data differ")
        return 0 if ok else 1
    finally:
        this.drop()


if __name__ == "__main__":
    sys.exit(main())
