"""The reader against the gold set of real township reports in shared/corpus: what it must flag there.

Recall, subjects and findings against the bar: tests/reader/test_devset.py, on this set and the devset."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhenwu.reader import analyse, read_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "gold.json").is_file(), reason=f"corpus not found at {CORPUS}")


def test_the_second_report_has_no_error_anywhere() -> None:
    audit = analyse(read_file(CORPUS / "002_8a07943ded75fe7b.txt"))
    assert [f.message for f in audit.findings if f.severity == "error"] == []


def test_the_template_report_has_its_placeholders_flagged() -> None:
    text = read_file(CORPUS / "000_4a452ec5ab3518cd.txt")
    audit = analyse(text)
    flagged = {
        audit.figures[i].text for f in audit.findings if f.severity in ("error", "warning") for i in f.figures
    }
    assert {"xx.xxxx亿元", "xx.x%", "xxxxx.x万元"} <= flagged
