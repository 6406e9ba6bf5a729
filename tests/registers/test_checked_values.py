"""The server's check of a record made in one evaluation gives what check_record and relevant_values give
one after the other: the same problems, and the same values kept when there are none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zhenwu.org import demo as org_demo
from zhenwu.registers.definition import read_definition
from zhenwu.registers.expressions import check_record, checked_values, relevant_values
from zhenwu.registers.library import make
from zhenwu.registers.library.demo_records import demo_records

LIBRARY = Path(make.__file__).resolve().parent
TODAY = date(2026, 9, 15)
VILLAGES = [(org_demo.village_code(n), name) for n, name in enumerate(org_demo.VILLAGES[:3], start=1)]
HOUSEHOLDS = {code: [f"{code}1"] for code, _ in VILLAGES}


@pytest.mark.parametrize("register", make.LIBRARY, ids=lambda register: register.form_id)
def test_one_evaluation_checks_and_keeps_as_the_two_do(register: make.Register) -> None:
    path = LIBRARY / f"{register.form_id}.xlsx"
    definition = read_definition(path.read_bytes(), path.name)
    made = demo_records(org_demo.TOWNSHIP[0], VILLAGES, TODAY, households=HOUSEHOLDS, projects=["1"])
    records = [record.data for record in made.get(register.form_id, [])[::7][:30]]
    assert records
    required = [f.name for f in definition.fields if f.required and not (f.relevant or f.default)]
    # Each record as entered, and broken: a required value left out, every number made negative.
    broken = [{k: v for k, v in data.items() if k != required[0]} for data in records]
    negative = [{k: _negated(v) for k, v in d.items()} for d in records]
    broken += negative
    assert all(check_record(definition, values, TODAY) for values in broken[: len(records)])
    for values in records + broken:
        problems = check_record(definition, values, TODAY)
        kept = {} if problems else relevant_values(definition, values, TODAY)
        assert checked_values(definition, values, TODAY) == (problems, kept), values


def _negated(value: object) -> object:
    """A number made negative; a repeat's rows each so."""
    if isinstance(value, list):
        return [{k: _negated(v) for k, v in row.items()} for row in value]
    text = str(value)
    return f"-{text}" if text.replace(".", "").isdigit() else value
