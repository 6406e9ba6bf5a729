"""Reading a register's definition from its XLSForm workbook: what is kept, and what is refused and how."""

from __future__ import annotations

import pytest

from tests.registers.workbooks import lamps, patrol, workbook
from zhenwu.registers.definition import Choice, DefinitionError, read_definition


def read(sheets: dict[str, list[list[object]]]):  # type: ignore[no-untyped-def]
    return read_definition(workbook(sheets), "台账.xlsx")


def refusal(sheets: dict[str, list[list[object]]]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read(sheets)
    return caught.value.messages


def test_a_lamp_register_is_a_register_of_things_with_its_fields_in_survey_order() -> None:
    definition = read(lamps())
    assert (definition.form_id, definition.title, definition.version) == (
        "street_lamps",
        "路灯台账",
        "2026111801",
    )
    assert definition.kind == "thing"
    assert definition.entity_list == "street_lamps"
    assert definition.entity_label == "concat(${lamp_no}, ' ', ${road})"
    assert [f.name for f in definition.fields] == ["lamp_no", "road", "status", "location", "photo"]
    status = definition.field("status")
    assert status.type == "select_one"
    assert status.choices == (Choice("ok", "正常"), Choice("broken", "损坏"))
    assert status.save_to == "status" and status.required and status.row == 4
    assert definition.field("lamp_no").constraint_message == "编号须是4位数字"
    assert definition.writers == ("township_admin", "department_staff", "grid_worker")
    assert definition.readers == ()
    assert [(f.name, f.aggregate, f.filter, f.unit) for f in definition.figures] == [
        ("lamps", "count", "", "盏"),
        ("broken", "count", "${status} = 'broken'", "盏"),
    ]
    assert "<h:html" in definition.xform and 'entities:saveto="status"' in definition.xform


def test_a_patrol_is_an_activity_updating_the_lamp_its_entity_id_names() -> None:
    definition = read(patrol())
    assert definition.kind == "activity"
    assert definition.entity_list == "street_lamps"
    assert definition.entity_id_field == "lamp"
    assert definition.figures[1].aggregate == "distinct" and definition.figures[1].field == "lamp"


def test_the_hash_is_the_md5_of_the_xform_and_the_same_for_the_same_workbook() -> None:
    first, second = read(lamps()), read(lamps())
    assert first.definition_hash == second.definition_hash
    assert first.definition_hash.startswith("md5:") and len(first.definition_hash) == 36


def test_a_duplicate_name_is_refused_with_its_row_and_column() -> None:
    sheets = lamps()
    sheets["survey"].append(["text", "road", "道路", "", "", "", "", ""])
    assert refusal(sheets) == ["survey表第7行「name」列：字段名重复：同一分组内的字段名不能相同。"]
