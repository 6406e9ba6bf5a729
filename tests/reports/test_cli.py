"""`zhenwu report` writes the demo township's reports by name or code, in docx, Markdown or HTML."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("full_demo")


def test_the_half_year_report_is_written_as_docx_by_the_townships_name(db: None, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    call_command(
        "report", "half-year", "--org", "示范镇", "--year", "2026", "--out", str(out), stdout=StringIO()
    )
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == "示范镇2026年上半年工作总结及下半年工作计划"
    assert "一、工作成效" in paragraphs and "四、下半年工作计划" in paragraphs


def test_a_quarterly_report_prints_as_markdown_by_the_townships_code(db: None) -> None:
    stdout = StringIO()
    call_command("report", "q3", "--org", "990101001", "--year", "2026", "--format", "md", stdout=stdout)
    assert stdout.getvalue().startswith("# 示范镇2026年三季度工作总结和四季度工作计划")


def test_the_annual_report_as_html_links_nothing_but_names_each_figures_computation(
    db: None, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    call_command(
        "report", "annual", "--org", "示范镇", "--year", "2026", "--out", str(out), stdout=StringIO()
    )
    page = out.read_text(encoding="utf-8")
    assert "<h1>示范镇2026年度工作总结及2027年工作计划</h1>" in page
    assert 'class="figure" title="' in page


def test_an_unknown_unit_is_refused_with_a_clear_message(db: None) -> None:
    with pytest.raises(CommandError, match="找不到该单位"):
        call_command("report", "annual", "--org", "无此镇", "--year", "2026", stdout=StringIO())


def test_a_report_of_a_span_not_yet_begun_is_refused_with_a_clear_message(db: None) -> None:
    with pytest.raises(CommandError, match="2027年上半年尚未开始"):
        call_command("report", "half-year", "--org", "示范镇", "--year", "2027", stdout=StringIO())
