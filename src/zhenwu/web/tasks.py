"""The site's own jobs: forgetting the idempotency keys of submissions old enough never to be retried, and
the nightly backup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings

from zhenwu.jobs.registry import Schedule, periodic

from . import backup, idempotency


@periodic("clean_submission_keys", "清理过期的提交幂等键", Schedule(minute="45", hour="3"))
def clean_submission_keys(now: datetime) -> str:
    """Daily: delete the keys older than IDEMPOTENCY_KEY_DAYS, batch after batch until none is due."""
    total = 0
    while True:
        deleted, more = idempotency.clean_keys(now)
        total += deleted
        if not more:
            return f"清理 {total} 个过期的提交幂等键"


@periodic("nightly_backup", "每晚备份数据库与上传的文件", Schedule(minute="30", hour="2"))
def nightly_backup(now: datetime) -> str:
    """Nightly, when BACKUP_DIR is set: `zhenwu backup` into it, then the oldest beyond BACKUP_KEEP go.
    A second run the same night makes a second backup, never a changed one: backups are only added."""
    if not settings.BACKUP_DIR:
        return "未设置 BACKUP_DIR：未备份(docs/backup.md)"
    out = Path(settings.BACKUP_DIR)
    written = backup.backup(out, now)
    removed = backup.prune(out, settings.BACKUP_KEEP)
    tables = written.manifest["tables"]
    return (
        f"备份 {written.path.name}：{len(tables)} 张表 {sum(tables.values())} 行，"
        f"{written.manifest['media']['files']} 个文件；删除 {len(removed)} 份旧备份"
    )
