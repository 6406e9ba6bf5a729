"""`zhenwu holidays [YEAR] [--notice FILE] [--dry-run]`: show a year's holiday table, or load it from the
State Council's notice (the admin's task each December, when next year's notice is out)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenwu.workcalendar import services
from zhenwu.workcalendar.holidays import how_to_load
from zhenwu.workcalendar.models import DayKind
from zhenwu.workcalendar.notice import WEEKDAY_NAMES, NoticeError, parse_notice

KIND_LABELS = dict(DayKind.choices)


def read_text(path: Path) -> str:
    """A notice saved on a township's computer may be UTF-8 or GB18030 (Windows Notepad's Chinese)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"无法读取文件 {path}：{error.strerror or error}") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(f"文件 {path} 既不是 UTF-8 也不是 GB18030 编码的文本。")


class Command(BaseCommand):
    help = "显示某年的节假日表，或从国务院办公厅的节假日安排通知载入(替换)该年的节假日表。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("year", nargs="?", type=int, help="年份，默认今年")
        parser.add_argument("--notice", type=Path, help="通知全文的文本文件")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的改动，不保存")

    def handle(
        self, *args: Any, year: int | None, notice: Path | None, dry_run: bool, **options: Any
    ) -> None:
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"年份 {year} 不正确。")
        if notice is None:
            self.show(year)
            return
        try:
            parsed = parse_notice(read_text(notice), year)
        except NoticeError as error:
            raise CommandError(f"{notice}：{error}") from error
        change = services.replace_year(year, parsed.days, dry_run=dry_run)
        self.report(change, dry_run)

    def show(self, year: int) -> None:
        days = services.year_table(year)
        if not days:
            self.stdout.write(self.style.WARNING(f"{year}年的节假日表尚未载入。"))
            self.stdout.write(how_to_load(year))
            return
        holidays = sum(1 for d in days if d.kind == DayKind.HOLIDAY)
        self.stdout.write(f"{year}年节假日表：法定节假日 {holidays} 天，调休上班 {len(days) - holidays} 天。")
        for day in days:
            self.stdout.write(
                f"  {day.date:%Y-%m-%d} {WEEKDAY_NAMES[day.date.weekday()]} "
                f"{KIND_LABELS[day.kind]:<6} {day.name}"
            )

    def report(self, change: services.TableChange, dry_run: bool) -> None:
        def line(mark: str, day: Any, kind: str, name: str) -> str:
            return f"  {mark} {day:%Y-%m-%d} {WEEKDAY_NAMES[day.weekday()]} {KIND_LABELS[kind]} {name}"

        for new in change.added:
            self.stdout.write(line("新增", new.date, new.kind, new.name))
        for old, new in change.changed:
            self.stdout.write(line("修改", new.date, new.kind, f"{new.name}(原为{old.name})"))
        for old in change.removed:
            self.stdout.write(line("删除", old.date, old.kind, old.name))
        counts = (
            f"新增 {len(change.added)} 天，修改 {len(change.changed)} 天，删除 {len(change.removed)} 天，"
            f"未变 {change.unchanged} 天"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"预览(未保存)：{change.year}年节假日表将{counts}。"))
        elif change.changes_anything:
            self.stdout.write(
                self.style.SUCCESS(f"{change.year}年节假日表已按通知载入：{counts}。改动已记入操作日志。")
            )
        else:
            self.stdout.write(f"{change.year}年节假日表与通知一致，没有改动。")
