"""The library's demo records are records a township could have entered through the library's own forms.

Each record is checked against the committed workbook of its register: its fields exist, its choices are
in the lists, a required field is there exactly when it is relevant (and an irrelevant one is absent),
numeric constraints hold — relevance and constraints evaluated by elementpath over the record as an
XForm instance — and what was done points at things that exist.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import elementpath
import pytest
from openpyxl import load_workbook

from zhenwu.org import demo as org_demo
from zhenwu.registers.definition import Definition, read_definition
from zhenwu.registers.expressions import check_record, computed_values, relevant_values
from zhenwu.registers.library import make
from zhenwu.registers.library.demo_records import (
    ENTITY_FIELDS,
    LAMPS,
    LOCKED_DEBT,
    THING_CODE_FIELDS,
    WATERS,
    DemoRecord,
    demo_records,
)

LIBRARY_DIR = Path(make.__file__).resolve().parent
TODAY = date(2026, 9, 15)
TOWNSHIP = org_demo.TOWNSHIP[0]
VILLAGES = [(org_demo.village_code(n), name) for n, name in enumerate(org_demo.VILLAGES, start=1)]
HOUSEHOLDS = {code: [f"{code}-H{n:03d}" for n in range(1, 6)] for code, _name in VILLAGES}
PROJECTS = [f"XM-{n:02d}" for n in range(1, 9)]
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
# XLSForm functions XPath 1.0 lacks: constraints using them are checked another way (dates) or not here.
NOT_XPATH1 = ("today()", "regex(", "if(")


class Form:
    """A committed workbook read as a tree of fields: each field's path, row and enclosing groups. A
    repeat's fields are a Form of their own (`repeats`), checked row by row as their own instance."""

    def __init__(self, path: Path, rows: list[dict[str, str]] | None = None) -> None:
        book = load_workbook(path, read_only=True)
        if rows is None:
            table = list(book["survey"].iter_rows(values_only=True))
            header = [str(cell) for cell in table[0]]
            rows = [
                {column: str(cell) for column, cell in zip(header, values, strict=False) if cell is not None}
                for values in table[1:]
            ]
        self.fields: dict[str, dict[str, str]] = {}
        self.paths: dict[str, str] = {}
        self.groups: dict[str, list[dict[str, str]]] = {}
        self.repeats: dict[str, Form] = {}
        stack: list[dict[str, str]] = []
        inside: list[dict[str, str]] | None = None
        for row in rows:
            if inside is not None:
                if row["type"] == "end_repeat":
                    self.repeats[inside[0]["name"]] = Form(path, inside[1:])
                    inside = None
                else:
                    inside.append(row)
            elif row["type"] == "begin_repeat":
                inside = [row]
            elif row["type"] == "begin_group":
                stack.append(row)
            elif row["type"] == "end_group":
                stack.pop()
            elif row["type"] != "note":
                self.fields[row["name"]] = row
                self.paths[row["name"]] = "/data/" + "/".join([*(g["name"] for g in stack), row["name"]])
                self.groups[row["name"]] = list(stack)
        self.choices: dict[str, set[str]] = defaultdict(set)
        for list_name, name, _label in list(book["choices"].iter_rows(values_only=True))[1:]:
            self.choices[str(list_name)].add(str(name))
        self.entity = (
            dict(zip(*book["entities"].iter_rows(values_only=True), strict=True))
            if "entities" in book.sheetnames
            else None
        )

    def instance(self, data: dict[str, str]) -> ET.Element:
        root = ET.Element("data")
        for name, path in self.paths.items():
            parent = root
            for part in path.split("/")[2:]:
                found = parent.find(part)
                parent = found if found is not None else ET.SubElement(parent, part)
            parent.text = data.get(name, "")
        return root

    def xpath(self, expression: str) -> str:
        return REFERENCE.sub(lambda match: self.paths[match.group(1)], expression)

    def holds(self, root: ET.Element, expression: str, name: str) -> bool:
        node = root.find(self.paths[name].removeprefix("/data/"))
        return bool(
            elementpath.select(root, self.xpath(expression), item=node, parser=elementpath.XPath1Parser)
        )

    def relevant(self, root: ET.Element, name: str) -> bool:
        conditions = [g["relevant"] for g in self.groups[name] if "relevant" in g]
        if "relevant" in self.fields[name]:
            conditions.append(self.fields[name]["relevant"])
        return all(self.holds(root, condition, name) for condition in conditions)


@cache
def form(form_id: str) -> Form:
    return Form(LIBRARY_DIR / f"{form_id}.xlsx")


@cache
def records() -> dict[str, list[DemoRecord]]:
    return demo_records(TOWNSHIP, VILLAGES, TODAY, HOUSEHOLDS, PROJECTS)


def test_every_library_register_gets_records() -> None:
    assert set(records()) == {register.form_id for register in make.LIBRARY}
    assert all(records()[form_id] for form_id in records())


def test_the_same_inputs_give_the_same_records() -> None:
    again = demo_records(TOWNSHIP, VILLAGES, TODAY, HOUSEHOLDS, PROJECTS)
    assert again == records()


@pytest.mark.parametrize("register", make.LIBRARY, ids=lambda register: register.form_id)
def test_every_record_fills_its_form_as_the_form_allows(register: make.Register) -> None:
    definition = form(register.form_id)
    units = {TOWNSHIP, *(code for code, _name in VILLAGES)}
    for record in records()[register.form_id]:
        assert record.unit in units
        assert record.made_on <= TODAY
        fills(definition, record.data)
        for name, repeat in definition.repeats.items():
            for row in record.data.get(name, []):
                fills(repeat, row)


def fills(definition: Form, data: dict[str, str]) -> None:
    """The values of a record (or of one row of a repeat) as its form allows them."""
    root = definition.instance(data)
    known = {*definition.fields, *definition.repeats}
    assert set(data) <= known, set(data) - known
    for name, row in definition.fields.items():
        value = data.get(name)
        relevant = definition.relevant(root, name)
        if not relevant:
            assert value is None, (name, data)
            continue
        if row.get("required") == "yes" and row["type"] != "calculate":
            assert value, (name, data)
        if value is None:
            continue
        kind, _, list_name = row["type"].partition(" ")
        if kind == "select_one":
            assert value in definition.choices[list_name], (name, value)
        elif kind == "select_multiple":
            assert set(value.split()) <= definition.choices[list_name], (name, value)
        elif kind == "date":
            assert date.fromisoformat(value) <= TODAY or "today()" not in row.get("constraint", "")
        constraint = row.get("constraint", "")
        if constraint and kind != "date" and not any(word in constraint for word in NOT_XPATH1):
            assert definition.holds(root, constraint, name), (name, constraint, data)


@pytest.mark.parametrize(
    "activity", [register for register in make.LIBRARY if register.updates], ids=lambda r: r.form_id
)
def test_what_was_done_points_at_a_thing_the_township_keeps(activity: make.Register) -> None:
    thing = next(register for register in make.LIBRARY if register.form_id == activity.updates)
    id_field = REFERENCE.findall(activity.entity_id)[0]
    # A thing's id is the value of its first saved field (its code), which the activity names.
    code_field = next(name for name, row in thing.fields().items() if row.get("save_to"))
    codes = {record.data[code_field] for record in records()[thing.form_id]}
    assert {record.data[id_field] for record in records()[activity.form_id]} <= codes


def test_records_pointing_at_households_and_projects_use_the_ids_given() -> None:
    households = {household for ids in HOUSEHOLDS.values() for household in ids}
    assert {record.data["household"] for record in records()["household_aid"]} <= households
    assert {record.data["household"] for record in records()["poverty_profile"]} == households
    assert {record.data["project"] for record in records()["project_quantity"]} == set(PROJECTS)


def test_the_corpus_figures_come_out_of_the_demo_records() -> None:
    assert len(records()["street_lamp"]) == LAMPS
    assert len(records()["water"]) == WATERS
    locked = sum(Decimal(record.data["locked_amount"]) for record in records()["village_debt"])
    assert abs(locked - LOCKED_DEBT) < 100
    resolved = sum(Decimal(record.data["amount"]) for record in records()["debt_resolution"])
    assert Decimal("0.30") <= resolved / locked <= Decimal("0.32")


def test_each_debt_resolution_starts_from_the_balance_the_last_one_left() -> None:
    balances = {
        record.data["debt_code"]: Decimal(record.data["balance"]) for record in records()["village_debt"]
    }
    for record in records()["debt_resolution"]:
        before, amount = Decimal(record.data["balance_before"]), Decimal(record.data["amount"])
        assert before == balances[record.data["debt"]]
        assert Decimal(record.data["balance"]) == before - amount >= 0
        balances[record.data["debt"]] = before - amount


def test_a_lamp_found_broken_is_repaired_later_and_normal_again() -> None:
    last: dict[str, tuple[str, str]] = {}
    for record in records()["lamp_patrol"]:
        if record.data["visit_type"] == "repair":
            assert last[record.data["lamp"]][1] == "broken"
            assert record.data["status"] == "normal"
        last[record.data["lamp"]] = (record.data["visit_date"], record.data["status"])


@cache
def definition(form_id: str) -> Definition:
    path = LIBRARY_DIR / f"{form_id}.xlsx"
    return read_definition(path.read_bytes(), path.name)


def same_value(given: str, computed: object) -> bool:
    try:
        return Decimal(given) == Decimal(str(computed))
    except ArithmeticError:
        return given == str(computed)


@pytest.mark.parametrize("register", make.LIBRARY, ids=lambda register: register.form_id)
def test_zhenwu_accepts_every_demo_record_and_computes_the_same_calculations(register: make.Register) -> None:
    read = definition(register.form_id)
    calculated = [f.name for f in read.fields if f.calculation]
    for record in records()[register.form_id]:
        assert check_record(read, record.data, today=TODAY) == {}, record.data
        computed = computed_values(read, record.data, today=TODAY)
        kept = dict(relevant_values(read, record.data, TODAY))
        for name in calculated:
            # A calculation inside a group that is not relevant (no hazard found) is not kept.
            assert (name in record.data) == (name in kept), name
            if name not in kept:
                continue
            assert same_value(record.data[name], computed[name]), (name, record.data[name], computed[name])


def test_each_record_names_its_thing_by_the_code_a_loader_maps_to_the_stored_thing() -> None:
    for form_id, field in THING_CODE_FIELDS.items():
        codes = [record.thing for record in records()[form_id]]
        assert codes == [record.data[field] for record in records()[form_id]]
        assert len(set(codes)) == len(codes), f"{form_id}: a code names one thing"
    for form_id, field in ENTITY_FIELDS.items():
        register = next(register for register in make.LIBRARY if register.form_id == form_id)
        assert register.entity_id == f"${{{field}}}"
        assert all(record.thing == record.data[field] for record in records()[form_id])
    assert set(THING_CODE_FIELDS) == {
        register.form_id for register in make.LIBRARY if register.kind == "thing"
    }
