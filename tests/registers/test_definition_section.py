"""A register's `section` setting: the work report sub-section its figures go to."""

from __future__ import annotations

import pytest

from tests.registers.workbooks import patrol, workbook
from zhenwu.registers.definition import DefinitionError, read_definition


def with_section(value: str) -> bytes:
    sheets = patrol()
    sheets["zhenwu"] = [*sheets["zhenwu"], ["section", value]]
    return workbook(sheets)


def test_a_register_names_its_section_by_code_or_by_its_chinese_title() -> None:
    assert read_definition(with_section("safety"), "台账.xlsx").section == "safety"
    assert read_definition(with_section("党的建设"), "台账.xlsx").section == "party"
    assert read_definition(workbook(patrol()), "台账.xlsx").section == ""


def test_an_unknown_section_is_refused_naming_the_row_and_the_choices() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_definition(with_section("sports"), "台账.xlsx")
    message = "".join(caught.value.messages)
    assert "zhenwu" in message and "section“sports”无效" in message and "party（党的建设）" in message
