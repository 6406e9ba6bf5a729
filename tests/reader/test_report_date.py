"""The report's date reaches the checks: from `analyse(dated=...)`, `zhenwu check --date`, or the text."""

import json
from datetime import date
from pathlib import Path

import pytest

from zhenwu.reader.checks.dates import document_date
from zhenwu.reader.cli import main

OVERDUE = "污水管网项目计划12月28日完成，已逾期3天。\n"


def test_the_cli_date_option_is_the_reports_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_text(OVERDUE, encoding="utf-8")
    assert main([str(path), "--json"]) == 0
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == []
    assert main([str(path), "--json", "--date", "2026-12-02"]) == 0
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules == ["dates"]


def test_a_malformed_cli_date_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(OVERDUE, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main([str(path), "--date", "2026年12月2日"])
    assert stop.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_signature_date_may_be_written_in_chinese_numerals() -> None:
    assert document_date("总结正文。\n\n东风镇人民政府\n二〇二六年十二月二日\n") == date(2026, 12, 2)


def test_a_date_inside_running_text_is_not_the_reports_date() -> None:
    assert document_date("2026年12月2日召开了推进会，会议要求加快进度。\n") is None
