"""The template library: every shipped workbook is a valid XLSForm that zhenwu can read as a register.

The workbooks are read as a township would get them (the committed .xlsx files), not from make.py's data,
except where the test proves that make.py still writes exactly those files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from zhenwu.registers.definition import read_definition
from zhenwu.registers.library import make

LIBRARY_DIR = Path(make.__file__).resolve().parent
WORKBOOKS = sorted(LIBRARY_DIR.glob("*.xlsx"))
ROLES = {
    "county_viewer",
    "township_admin",
    "township_leader",
    "department_staff",
    "village_staff",
    "grid_worker",
}
OFFICES = {"dzb", "jfb", "czs", "yjb", "shb", "zzzx", "nyb"}
ZHENWU_KEYS = {"kind", "readers", "writers", "offices", "personal", "points_at", "points_at_field"}
AGGREGATES = {"count", "sum", "avg", "distinct", "ratio"}
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
VALUE_TYPES = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "geopoint",
    "image",
    "calculate",
)
NUMBER_FIGURES = {"sum", "avg"}


def sheet_rows(path: Path, name: str) -> list[dict[str, str]]:
    """A sheet's rows as header → cell text, blank cells left out."""
    sheet = load_workbook(path, read_only=True)[name]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    return [
        {column: str(cell) for column, cell in zip(header, row, strict=False) if cell not in (None, "")}
        for row in rows[1:]
        if any(cell not in (None, "") for cell in row)
    ]


def survey_fields(path: Path) -> dict[str, dict[str, str]]:
    return {
        row["name"]: row for row in sheet_rows(path, "survey") if row["type"].split(" ")[0] in VALUE_TYPES
    }


def zhenwu_settings(path: Path) -> dict[str, str]:
    return {row["key"]: row.get("value", "") for row in sheet_rows(path, "zhenwu")}


def figures(path: Path) -> dict[str, list[str]]:
    return {
        key.removeprefix("figure:"): [part.strip() for part in value.split("|")]
        for key, value in zhenwu_settings(path).items()
        if key.startswith("figure:")
    }


def things() -> dict[str, Path]:
    return {path.stem: path for path in WORKBOOKS if zhenwu_settings(path)["kind"] == "thing"}


THING_WORKBOOKS = sorted(things().values())
UPDATING_WORKBOOKS = [
    path for path in WORKBOOKS if path not in THING_WORKBOOKS and "entities" in load_workbook(path).sheetnames
]


def test_the_library_ships_at_least_ten_registers_and_every_one_make_py_defines() -> None:
    assert len(WORKBOOKS) >= 10
    assert {path.stem for path in WORKBOOKS} == {register.form_id for register in make.LIBRARY}


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_pyxform_converts_the_workbook_without_error_or_warning(path: Path) -> None:
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert "<h:title>" in result.xform
    assert warnings == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_settings_name_the_form_in_chinese_by_its_file_name_with_a_version(path: Path) -> None:
    (settings,) = sheet_rows(path, "settings")
    assert settings["form_id"] == path.stem
    assert re.search(r"[\u4e00-\u9fff]", settings["form_title"])
    assert re.fullmatch(r"\d{10}", settings["version"])


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_every_choice_list_a_question_names_exists_with_chinese_labels(path: Path) -> None:
    choices = sheet_rows(path, "choices")
    lists = {row["list_name"] for row in choices}
    for row in sheet_rows(path, "survey"):
        kind, _, list_name = row["type"].partition(" ")
        if kind in ("select_one", "select_multiple"):
            assert list_name in lists, row["name"]
    for row in choices:
        assert re.search(r"[\u4e00-\u9fff]", row["label"]), row


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_the_zhenwu_sheet_has_every_key_with_known_roles_offices_and_fields(path: Path) -> None:
    settings = zhenwu_settings(path)
    fields = survey_fields(path)
    assert set(settings) >= ZHENWU_KEYS
    assert settings["kind"] in ("thing", "activity")
    for key, known in (("readers", ROLES), ("writers", ROLES), ("offices", OFFICES)):
        named = {code for code in settings[key].split(",") if code}
        assert named <= known, (key, named - known)
    if settings["readers"]:
        assert set(settings["writers"].split(",")) <= set(settings["readers"].split(",")), "a writer reads"
    for name in filter(None, settings["personal"].split(",")):
        assert fields[name]["type"] == "text", name
    if settings["points_at"]:
        assert settings["points_at"] in ("household", "member", "project", "case")
        assert settings["points_at_field"] in fields
    else:
        assert not settings["points_at_field"]


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_every_figure_names_an_existing_field_and_filters_on_existing_fields(path: Path) -> None:
    fields = survey_fields(path)
    declared = figures(path)
    assert declared, "a register offers the report at least one figure"
    for name, (label, aggregate, field, filter_, unit, *_flag) in declared.items():
        assert label and unit, name
        assert aggregate in AGGREGATES, name
        if aggregate == "ratio":  # of figures declared above it, which the load checks
            assert set(re.findall(r"\w+", f"{field} {filter_}")) <= set(declared), name
            continue
        if aggregate == "count":
            assert field == "", name
        else:
            assert field in fields, (name, field)
        if aggregate in NUMBER_FIGURES:
            assert fields[field]["type"] in ("integer", "decimal"), (name, field)
        for reference in REFERENCE.findall(filter_):
            assert reference in fields, (name, reference)


@pytest.mark.parametrize("path", THING_WORKBOOKS, ids=lambda path: path.stem)
def test_a_thing_register_is_its_own_entity_list_with_a_label_and_saved_properties(path: Path) -> None:
    (entity,) = sheet_rows(path, "entities")
    assert entity["list_name"] == path.stem
    assert "entity_id" not in entity
    fields = survey_fields(path)
    assert set(REFERENCE.findall(entity["label"])) <= set(fields)
    assert any("save_to" in row for row in fields.values())


@pytest.mark.parametrize("path", UPDATING_WORKBOOKS, ids=lambda path: path.stem)
def test_an_activity_that_updates_a_thing_names_the_thing_and_saves_only_its_properties(path: Path) -> None:
    assert zhenwu_settings(path)["kind"] == "activity"
    (entity,) = sheet_rows(path, "entities")
    thing_path = things()[entity["list_name"]]
    fields = survey_fields(path)
    (id_field,) = REFERENCE.findall(entity["entity_id"])
    assert fields[id_field]["type"] == "text"
    thing_properties = {row["save_to"] for row in survey_fields(thing_path).values() if "save_to" in row}
    saved = {row["save_to"] for row in fields.values() if "save_to" in row}
    assert saved, "an update saves at least one property"
    assert saved <= thing_properties, saved - thing_properties


def test_the_pairs_of_things_and_what_is_done_to_them_are_all_there() -> None:
    updates = {
        path.stem: sheet_rows(path, "entities")[0]["list_name"]
        for path in WORKBOOKS
        if zhenwu_settings(path)["kind"] == "activity" and "entities" in load_workbook(path).sheetnames
    }
    assert updates == {
        "lamp_patrol": "street_lamp",
        "drowning_patrol": "water",
        "plot_recultivation": "farmland_plot",
        "debt_resolution": "village_debt",
        "enterprise_visit": "enterprise",
    }


def test_a_debt_resolution_reduces_the_balance_through_a_saved_calculation() -> None:
    fields = survey_fields(LIBRARY_DIR / "debt_resolution.xlsx")
    assert fields["balance"]["type"] == "decimal"
    assert fields["balance"]["read_only"] == "yes"
    assert fields["balance"]["save_to"] == "balance"
    assert fields["balance"]["calculation"] == "${balance_before} - ${amount}"


def test_an_inspection_that_finds_a_hazard_says_so_in_its_field_names() -> None:
    fields = survey_fields(LIBRARY_DIR / "place_inspection.xlsx")
    hazard_fields = {name for name in fields if name.startswith("hazard_case_")}
    assert {"hazard_case_level", "hazard_case_description", "hazard_case_deadline"} <= hazard_fields
    groups = [
        row
        for row in sheet_rows(LIBRARY_DIR / "place_inspection.xlsx", "survey")
        if row["type"] == "begin_group"
    ]
    assert any(row["name"] == "hazard_case" and row["relevant"] == "${result} = 'hazard'" for row in groups)


def test_records_pointing_at_zhenwu_records_name_their_kind() -> None:
    assert zhenwu_settings(LIBRARY_DIR / "household_aid.xlsx")["points_at"] == "household"
    assert zhenwu_settings(LIBRARY_DIR / "poverty_profile.xlsx")["points_at"] == "household"
    assert zhenwu_settings(LIBRARY_DIR / "project_quantity.xlsx")["points_at"] == "project"


def test_dates_of_what_was_done_may_not_lie_in_the_future() -> None:
    for path in WORKBOOKS:
        if zhenwu_settings(path)["kind"] != "activity":
            continue
        dates = [row for row in survey_fields(path).values() if row["type"] == "date"]
        assert any("today()" in row.get("constraint", "") for row in dates), path.stem


def test_make_py_writes_the_committed_workbooks_cell_for_cell(tmp_path: Path) -> None:
    written = make.write_library(tmp_path)
    assert sorted(path.name for path in written) == [path.name for path in WORKBOOKS]
    for fresh in written:
        committed = load_workbook(LIBRARY_DIR / fresh.name, read_only=True)
        rewritten = load_workbook(fresh, read_only=True)
        assert committed.sheetnames == rewritten.sheetnames, fresh.name
        for name in committed.sheetnames:
            assert list(committed[name].iter_rows(values_only=True)) == list(
                rewritten[name].iter_rows(values_only=True)
            ), (fresh.name, name)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.stem)
def test_zhenwu_reads_every_library_workbook_as_a_definition_without_warnings(path: Path) -> None:
    definition = read_definition(path.read_bytes(), path.name)
    register = next(register for register in make.LIBRARY if register.form_id == path.stem)
    assert definition.form_id == register.form_id
    assert definition.kind == register.kind
    assert definition.warnings == ()
    assert [figure.name for figure in definition.figures] == [figure.name for figure in register.figures]
    assert {f.name for f in definition.fields if f.personal} == set(register.personal)
    assert definition.points_at == register.points_at
    if register.updates:
        assert definition.entity_list == register.updates
        assert f"${{{definition.entity_id_field}}}" == register.entity_id
