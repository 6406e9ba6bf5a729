"""`zhenwu check FILE [--json]` and reading .txt and .docx files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhenwu.reader import read_file
from zhenwu.reader.cli import main

REPORT = "一季度完成固定资产投资4.9个亿，同比增长28%。\n全镇共有在建项目30个，其中工业项目38个。\n"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT.encode("utf-8"))
    return path


def test_a_bom_is_removed_so_offsets_refer_to_the_text_after_it(report: Path) -> None:
    assert read_file(report) == REPORT


def test_json_output_has_figures_and_findings_in_the_agreed_shape(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(report), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["figures"][0]
    assert first == {
        "id": 0,
        "text": "4.9个亿",
        "start": 11,
        "end": 16,
        "value": 490000000,
        "unit": "元",
        "kind": "amount",
        "subject": "固定资产投资",
        "approx": False,
        "placeholder": False,
    }
    assert REPORT[first["start"] : first["end"]] == first["text"]
    assert {"rule", "severity", "message", "figures"} <= set(data["findings"][0])


def test_text_output_shows_each_finding_with_its_sentence_and_a_summary(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(report)]) == 0
    out = capsys.readouterr().out
    assert "[错误] 部分大于总数" in out
    assert "原文：全镇共有在建项目30个，其中工业项目38个。" in out
    assert "共识别数字" in out


def test_a_missing_file_is_reported_in_chinese_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing.txt")]) == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_command(report: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-m", "zhenwu.reader", str(report), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src)},
    )
    assert json.loads(result.stdout)["figures"][0]["text"] == "4.9个亿"


def test_a_docx_report_is_read_paragraph_by_paragraph(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("一、工作成效")
    document.add_paragraph("完成固定资产投资4.9亿元。")
    path = tmp_path / "report.docx"
    document.save(str(path))
    assert read_file(path) == "一、工作成效\n完成固定资产投资4.9亿元。"
