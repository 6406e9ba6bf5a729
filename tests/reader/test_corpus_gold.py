"""The reader against the gold set of real township reports in shared/corpus."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhenwu.reader import analyse, read_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "gold.json").is_file(), reason=f"corpus not found at {CORPUS}")

BASE = {"元": ("money", 1), "kg": ("mass", 1), "斤": ("mass", 0.5), "吨": ("mass", 1000), "亩": ("area", 1)}


def _gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))
    return data


def _matches(figure: Any, expected: dict[str, Any]) -> bool:
    overlap = figure.start < expected["end"] and expected["start"] < figure.end
    if not overlap or figure.value is None:
        return False
    want = Decimal(str(expected["value"])) * Decimal(str(BASE.get(expected["unit"], ("", 1))[1]))
    close: bool = abs(figure.value - want) <= abs(want) * Decimal("0.005")
    return close


def test_figure_recall_and_subjects_reach_the_acceptance_bar() -> None:
    gold = _gold()
    hits = subjects = with_subject = 0
    for expected in gold["figures"]:
        audit = analyse(read_file(CORPUS / expected["doc"]))
        found = next((f for f in audit.figures if _matches(f, expected)), None)
        hits += found is not None
        if expected.get("subject") and found is not None:
            with_subject += 1
            got = found.subject or ""
            subjects += bool(got) and (expected["subject"] in got or got in expected["subject"])
    assert hits / len(gold["figures"]) >= 0.95
    assert subjects / max(with_subject, 1) >= 0.85


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
