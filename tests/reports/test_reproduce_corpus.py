"""A real report reproduced: 丁集镇's first quarter of 2022, built from its files through zhenwu's own imports
(tests/reports/corpus/build.py), gives a generated Q1 report that states the real report's figures.

The real report's figures are annotated in tests/reports/corpus/002_figures.json. A figure counts as
stated when the generated report holds a figure of the same unit and value, as the real report wrote
it (28% is stated by 28.0%; 9000多亩 by anything from 9000 to 10000亩), in a sentence that names what
it is (its `near` word). No narrative entry is written, so every number of the generated report comes
from records. The real figures the generated report does not state are listed in the JSON with the
reason; one missing and not listed, or listed and stated, fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import time_machine
from django.db import transaction

from tests.reports.corpus.build import Quarter, build
from zhenwu.documents.model import Document
from zhenwu.reader.audit import analyse
from zhenwu.reports import services as reports
from zhenwu.reports.kinds import spec_for
from zhenwu.workcalendar.services import year_table

ANNOTATIONS = Path(__file__).resolve().parent / "corpus" / "002_figures.json"
FIGURES: list[dict[str, Any]] = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["figures"]
DATA = [f for f in FIGURES if not f.get("context")]
GENERATED_ON = date(2022, 4, 6)
pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Reproduced:
    quarter: Quarter
    document: Document
    entries: int  # narrative entries of the report: none, so every figure is from records
    holiday_days: int


@pytest.fixture(scope="module")
def reproduced(django_db_setup: None, django_db_blocker: Any) -> Iterator[Reproduced]:
    """The quarter built once for this module, beside the townships already there, and rolled back."""
    with (
        ExitStack() as clock,
        TemporaryDirectory() as folder,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):

        def move_to(moment: datetime) -> None:
            clock.enter_context(time_machine.travel(moment, tick=True))

        quarter = build(Path(folder), move_to)
        document = reports.compiled_report(
            quarter.admin, quarter.township, spec_for("q1", 2022, GENERATED_ON)
        )
        entries = reports.entries_for(quarter.admin, quarter.township, spec_for("q1", 2022, GENERATED_ON))
        yield Reproduced(quarter, document, entries.count(), len(year_table(2022)))
        transaction.set_rollback(True)


# --- matching a real figure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    value: Decimal
    unit: str
    clause: str  # what the sentence says before it, from the last "；" or "："


def said_in(document: Document) -> list[Said]:
    """Every figure the reader finds in the generated report, with the words that lead to it: an
    indicator's part of its sentence, a register's line up to the figure."""
    text = document.text
    audit = analyse(text)
    found = []
    for figure in audit.figures:
        if figure.value is not None:
            start, _end = audit.sentences[figure.sentence]
            clause = re.split("[；：]", text[start : figure.start])[-1]
            found.append(Said(figure.value, figure.unit or "", clause))
    return found


def agrees(real: dict[str, Any], value: Decimal) -> bool:
    """Whether `value` is what the real figure says, to the precision it was written with: 4.9个亿 is
    4.85亿 to 4.95亿; 9000多亩 (多, 余: at least) is 9000亩 up to, not including, 10000亩."""
    wanted = Decimal(str(real["value"]))
    number = NUMBER.search(real["text"])
    if number is None:  # 零赴省
        return value == wanted
    written = Decimal(number.group())
    scale = wanted / written if written else Decimal(1)
    if real["text"][number.end() : number.end() + 1] in ("多", "余"):
        digits = number.group().split(".")[0]
        step = Decimal(10) ** (len(digits) - len(digits.rstrip("0"))) * scale
        return wanted <= value < wanted + step
    step = Decimal(10) ** written.as_tuple().exponent * scale
    return abs(value - wanted) * 2 <= step


def stated(document: Document) -> dict[int, Said]:
    """Each real data figure (by its start) the generated report states, each generated figure used once."""
    left = said_in(document)
    found: dict[int, Said] = {}
    for real in DATA:
        for said in left:
            if said.unit == real["unit"] and agrees(real, said.value) and real["near"] in said.clause:
                found[real["start"]] = said
                left.remove(said)
                break
    return found


def coverage(document: Document) -> Decimal:
    return Decimal(len(stated(document)) * 100) / len(DATA)


# --- the tests --------------------------------------------------------------------------------------------


def test_the_township_was_built_from_its_files(reproduced: Reproduced) -> None:
    assert reproduced.document.title == "丁集镇2022年一季度工作总结和二季度工作计划"
    assert any("2022年的节假日表还没有" in line for line in reproduced.quarter.warnings)
    assert reproduced.holiday_days == 38  # 31 holidays and 7 make-up working days, from the notice
    assert reproduced.entries == 0
    assert reproduced.document.measure_conflicts() == []


def test_every_real_figure_not_stated_is_listed_with_its_reason(reproduced: Reproduced) -> None:
    found = stated(reproduced.document)
    missing = {f["start"]: f["quote"] for f in DATA if f["start"] not in found}
    listed = {f["start"]: f["quote"] for f in DATA if f.get("missing_reason")}
    assert missing == listed, reproduced.document.text


def test_the_generated_report_states_nine_in_ten_of_the_real_figures(reproduced: Reproduced) -> None:
    assert coverage(reproduced.document) >= 90


def test_the_figures_found_agree_to_the_precision_the_report_wrote() -> None:
    figure = {"text": "4.9个亿", "value": 490000000}
    assert agrees(figure, Decimal("490000000")) and agrees(figure, Decimal("494000000"))
    assert not agrees(figure, Decimal("496000000"))
    about = {"text": "9000多亩", "value": 9000}
    assert agrees(about, Decimal("9263.5")) and not agrees(about, Decimal("10000"))
    assert not agrees(about, Decimal("8999"))
    tons = {"text": "150余吨", "value": 150000}
    assert agrees(tons, Decimal("152000")) and not agrees(tons, Decimal("160000"))
    assert agrees({"text": "28%", "value": 28}, Decimal("28.0"))
    assert not agrees({"text": "96.77%", "value": 96.77}, Decimal("96.8"))
