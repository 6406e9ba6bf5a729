"""`zhenwu report` writes the demo township's reports by name or code, in docx, Markdown or HTML, dated
the day it runs."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.enum.text import WD_ALIGN_PARAGRAPH
from time_machine import TimeMachineFixture

pytestmark = pytest.mark.usefixtures("full_demo")

DECEMBER_2 = datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_half_year_report_is_written_as_docx_by_the_townships_name(db: None, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    call_command(
        "report", "half-year", "--org", "示范镇", "--year", "2026", "--out", str(out), stdout=StringIO()
    )
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == "示范镇2026年上半年工作总结\n及下半年工作计划"  # two lines, broken before 及
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
    assert "<h1>示范镇2026年度工作总结及2027年工作计划</h1>" in page  # 19 characters: one line
    assert 'class="figure" title="' in page


def test_the_docx_written_on_2_december_is_signed_by_the_issuer_and_that_day_right_aligned(
    db: None, tmp_path: Path, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(DECEMBER_2, tick=False)
    out = tmp_path / "report.docx"
    call_command(
        "report", "annual", "--org", "示范镇", "--year", "2026", "--out", str(out), stdout=StringIO()
    )
    paragraphs = docx.Document(str(out)).paragraphs
    attachment = [p.text for p in paragraphs].index("附件")  # the attachment's page follows the signature
    signature, day = paragraphs[attachment - 2 : attachment]
    assert (signature.text, day.text) == ("示范镇", "2026年12月2日")
    assert signature.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_the_markdown_and_html_sign_with_the_issuer_and_the_day_right_aligned_before_the_attachment(
    db: None, tmp_path: Path, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(DECEMBER_2, tick=False)
    stdout = StringIO()
    call_command("report", "annual", "--org", "示范镇", "--year", "2026", "--format", "md", stdout=stdout)
    signed = '<p align="right">示范镇</p>\n\n<p align="right">2026年12月2日</p>\n\n---\n\n**附件**\n'
    assert signed in stdout.getvalue()
    assert "（数据截至2026年12月2日，其中主要指标为1—10月数据。）" in stdout.getvalue()
    out = tmp_path / "report.html"
    call_command(
        "report", "annual", "--org", "示范镇", "--year", "2026", "--out", str(out), stdout=StringIO()
    )
    page = out.read_text(encoding="utf-8")
    assert (
        '<div class="signature"><p>示范镇</p><p>2026年12月2日</p></div>\n<section class="attachment">' in page
    )
    assert "div.signature { width: fit-content; margin: 3.8em 4em 0 auto; text-align: center; }" in page


def test_an_unknown_unit_is_refused_with_a_clear_message(db: None) -> None:
    with pytest.raises(CommandError, match="找不到该单位"):
        call_command("report", "annual", "--org", "无此镇", "--year", "2026", stdout=StringIO())


def test_a_report_of_a_span_not_yet_begun_is_refused_with_a_clear_message(db: None) -> None:
    with pytest.raises(CommandError, match="2027年上半年尚未开始"):
        call_command("report", "half-year", "--org", "示范镇", "--year", "2027", stdout=StringIO())
