"""`zhenwu backup --out DIR`: write one backup directory (database, media files, manifest) into DIR."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhenwu.web import backup


class Command(BaseCommand):
    help = "备份数据库与上传的文件：在 --out 目录下写一个 zhenwu-backup-年月日-时分秒 目录(docs/backup.md)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out",
            default=settings.BACKUP_DIR or None,
            help="备份写到哪个目录(默认 BACKUP_DIR)",
        )

    def handle(self, *args: Any, out: str | None, **options: Any) -> None:
        if not out:
            raise CommandError("请用 --out 指定备份目录(或设置 BACKUP_DIR)。")
        try:
            written = backup.backup(Path(out))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"备份已写入 {written.path}"))
        for line in summary(written.manifest):
            self.stdout.write(f"  {line}")


def summary(manifest: dict[str, Any]) -> list[str]:
    database, media, tables = manifest["database"], manifest["media"], manifest["tables"]
    return [
        f"数据库：{backup.VENDOR_NAMES[database['vendor']]} {database['server_version']}，"
        f"{len(tables)} 张表，共 {sum(tables.values())} 行",
        f"上传的文件：{media['files']} 个，{media['bytes']} 字节",
        f"字段加密密钥校验值：{manifest['field_encryption_key_check'][:16]}…(密钥本身不在备份中，须另行保管)",
    ]
