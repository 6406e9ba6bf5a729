"""`zhenwu restore DIR [--replace]`: put a backup back into an empty database and media root."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenwu.web import restore
from zhenwu.web.backup import BackupError


class Command(BaseCommand):
    help = "从 zhenwu backup 写的备份目录恢复数据库与上传的文件(目标须为空库，或加 --replace)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="备份目录，如 /backup/zhenwu-backup-20261203-023000")
        parser.add_argument("--replace", action="store_true", help="目标数据库已有数据时，删去现有数据后恢复")

    def handle(self, *args: Any, directory: str, replace: bool, **options: Any) -> None:
        try:
            restore.restore(Path(directory), replace=replace, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"已从 {directory} 恢复。"))
