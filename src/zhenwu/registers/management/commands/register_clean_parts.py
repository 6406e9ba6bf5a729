"""zhenwu register-clean-parts [--days N]"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from zhenwu.registers import media


class Command(BaseCommand):
    help = "清理 ODK Collect 分批提交中迟迟未收齐的部分(暂存的照片)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="清理超过多少天未收到最后一部分的提交(默认取 REGISTERS_PENDING_PARTS_DAYS)",
        )
        parser.add_argument("--batch", type=int, default=media.CLEAN_BATCH, help="每批最多清理的提交份数")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.REGISTERS_PENDING_PARTS_DAYS
        cleaned = media.clean_all_pending_parts(timedelta(days=days), batch=max(options["batch"], 1))
        done = f"已清理 {cleaned.folders} 份未收齐的提交(照片 {cleaned.files} 张)"
        self.stdout.write(f"{done}：超过 {days} 天未收到最后一部分。")
