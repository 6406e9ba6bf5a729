"""XLSForm workbooks for the register tests, written with openpyxl as a township would fill them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook

Sheets = dict[str, list[list[Any]]]


def xlsx(sheets: Sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


SURVEY_HEADER = ["type", "name", "label", "required", "constraint", "constraint_message", "save_to"]


def lamps(version: str = "1", *, extra_field: bool = False) -> Sheets:
    """A register of things: street lamps, each with its number, status and keeper's phone (personal)."""
    survey = [
        SURVEY_HEADER,
        ["text", "lamp_no", "路灯编号", "yes", "string-length(.) = 4", "编号应为4位数字", ""],
        ["select_one status", "status", "状态", "yes", "", "", "status"],
        ["text", "keeper_phone", "管护人电话", "", "", "", ""],
    ]
    if extra_field:
        survey.append(["text", "pole", "灯杆材质", "", "", "", "pole"])
    return {
        "survey": survey,
        "choices": [
            ["list_name", "name", "label"],
            ["status", "normal", "正常"],
            ["status", "broken", "损坏"],
        ],
        "settings": [["form_id", "form_title", "version"], ["lamps", "路灯", version]],
        "entities": [["list_name", "label"], ["lamps", "concat('路灯', ${lamp_no})"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "thing"],
            ["identity", "lamp_no"],
            ["personal", "keeper_phone"],
        ],
    }


def patrols() -> Sheets:
    """A register of what was done: a patrol names a lamp and marks its status."""
    return {
        "survey": [
            SURVEY_HEADER,
            ["text", "lamp", "路灯", "yes", "", "", ""],
            ["select_one status", "status", "状态", "yes", "", "", "status"],
            ["integer", "minutes", "用时(分钟)", "", ". >= 0", "用时不能为负数", ""],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["status", "normal", "正常"],
            ["status", "broken", "损坏"],
        ],
        "settings": [["form_id", "form_title", "version"], ["lamp_patrols", "路灯巡查", "1"]],
        "entities": [["list_name", "entity_id"], ["lamps", "${lamp}"]],
        "zhenwu": [["key", "value"], ["kind", "activity"]],
    }


def visits(form_id: str = "visits", title: str = "走访记录") -> Sheets:
    """The plainest register of what was done: a visit with a note of what was raised."""
    return {
        "survey": [["type", "name", "label", "required"], ["text", "problem", "反映问题", "yes"]],
        "settings": [["form_id", "form_title", "version"], [form_id, title, "1"]],
        "zhenwu": [["key", "value"], ["kind", "activity"]],
    }


def key_persons() -> Sheets:
    """Kept by 综治中心: office staff of other offices and village staff may not read it."""
    return {
        "survey": [
            ["type", "name", "label", "required"],
            ["text", "name", "姓名", "yes"],
            ["text", "id_number", "身份证号", ""],
        ],
        "settings": [["form_id", "form_title", "version"], ["key_persons", "重点人员", "1"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["readers", "township_admin, township_leader, department_staff"],
            ["writers", "township_admin, department_staff"],
            ["offices", "zzzx"],
            ["personal", "id_number"],
        ],
    }


def aid() -> Sheets:
    """Aid in kind to a household: the record points at one of zhenwu's households."""
    return {
        "survey": [
            ["type", "name", "label", "required"],
            ["integer", "household", "农户", "yes"],
            ["text", "goods", "物资", "yes"],
        ],
        "settings": [["form_id", "form_title", "version"], ["aid", "实物帮扶", "1"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["points_at", "household"],
            ["points_at_field", "household"],
        ],
    }
