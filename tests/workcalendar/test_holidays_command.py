"""`zhenwu holidays`: shows a year's table, loads a year from the notice (logged), previews without
saving, and refuses a notice it cannot read with the line named, changing nothing."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from zhenwu.workcalendar.models import CalendarDay, DayKind

NOTICE_2026 = Path(__file__).parent / "notices" / "2026.txt"


def holidays(*args: str) -> str:
    out = StringIO()
    call_command("holidays", *args, stdout=out)
    return out.getvalue()


def test_a_year_without_a_table_says_how_to_load_it(db: None) -> None:
    out = holidays("2027")
    assert "2027年的节假日表尚未载入" in out
    assert "zhenwu holidays 2027 --notice 通知.txt" in out


def test_loading_the_notice_fills_the_year_and_logs_every_date(db: None) -> None:
    logged = LogEntry.objects.count()
    out = holidays("2026", "--notice", str(NOTICE_2026))
    assert "新增 39 天" in out and "已按通知载入" in out
    assert CalendarDay.objects.filter(date__year=2026, kind=DayKind.HOLIDAY).count() == 33
    assert CalendarDay.objects.filter(date__year=2026, kind=DayKind.MAKEUP_WORKDAY).count() == 6
    assert LogEntry.objects.count() == logged + 39
    assert "没有改动" in holidays("2026", "--notice", str(NOTICE_2026))
    shown = holidays("2026")
    assert "法定节假日 33 天，调休上班 6 天" in shown and "2026-02-14 周六 调休上班" in shown


def test_a_dry_run_shows_the_changes_and_saves_nothing(db: None, tmp_path: Path) -> None:
    CalendarDay.objects.create(date=date(2026, 3, 2), kind=DayKind.HOLIDAY, name="错录")
    CalendarDay.objects.create(date=date(2026, 1, 1), kind=DayKind.HOLIDAY, name="新年")
    out = holidays("2026", "--notice", str(NOTICE_2026), "--dry-run")
    assert "删除 2026-03-02 周一 法定节假日 错录" in out
    assert "修改 2026-01-01 周四 法定节假日 元旦(原为新年)" in out
    assert "预览(未保存)" in out
    assert CalendarDay.objects.count() == 2
    holidays("2026", "--notice", str(NOTICE_2026))
    assert not CalendarDay.objects.filter(date="2026-03-02").exists()
    assert CalendarDay.objects.get(date="2026-01-01").name == "元旦"


def test_a_notice_saved_by_windows_notepad_in_gb18030_reads_the_same(db: None, tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_bytes(NOTICE_2026.read_text(encoding="utf-8").encode("gb18030"))
    holidays("2026", "--notice", str(notice))
    assert CalendarDay.objects.filter(date__year=2026).count() == 39


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "关于2026年部分节假日安排\n\n一、元旦：1月1日（周五）放假。",
            "第3行「一、元旦：1月1日（周五）放假。」：2026年1月1日是周四",
        ),
        (NOTICE_2026.read_text(encoding="utf-8"), "这份通知是2026年的节假日安排，与要载入的2027年不符"),
    ],
)
def test_a_notice_it_cannot_read_changes_nothing(db: None, tmp_path: Path, text: str, message: str) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(text, encoding="utf-8")
    year = "2027" if "2026年部分节假日安排的通知" in text else "2026"
    with pytest.raises(CommandError, match=message):
        holidays(year, "--notice", str(notice))
    assert not CalendarDay.objects.exists()


def test_a_missing_file_is_named(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件"):
        holidays("2027", "--notice", str(tmp_path / "none.txt"))
