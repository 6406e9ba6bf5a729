"""XLSForm workbooks written in the tests: each sheet a list of rows, the first row its header."""

from __future__ import annotations

from io import BytesIO

import openpyxl

Rows = list[list[object]]

STATUS_CHOICES: Rows = [
    ["list_name", "name", "label"],
    ["status", "ok", "正常"],
    ["status", "broken", "损坏"],
]


def workbook(sheets: dict[str, Rows]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def lamps() -> dict[str, Rows]:
    """A register of things: street lamps, numbered, with a status a patrol may change."""
    return {
        "survey": [
            ["type", "name", "label", "hint", "required", "save_to", "constraint", "constraint_message"],
            [
                "text",
                "lamp_no",
                "路灯编号",
                "如 0123",
                "yes",
                "lamp_no",
                "regex(., '^[0-9]{4}$')",
                "编号须是4位数字",
            ],
            ["text", "road", "所在道路", "", "yes", "road", "", ""],
            ["select_one status", "status", "状态", "", "yes", "status", "", ""],
            ["geopoint", "location", "位置", "", "", "location", "", ""],
            ["image", "photo", "照片", "", "", "", "", ""],
        ],
        "choices": [row[:] for row in STATUS_CHOICES],
        "settings": [["form_id", "form_title", "version"], ["street_lamps", "路灯台账", "2026111801"]],
        "entities": [["list_name", "label"], ["street_lamps", "concat(${lamp_no}, ' ', ${road})"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "thing"],
            ["writers", "township_admin, department_staff, grid_worker"],
            ["figure:lamps", "路灯 | count |  |  | 盏"],
            ["figure:broken", "损坏路灯 | count |  | ${status} = 'broken' | 盏"],
        ],
    }


def patrol() -> dict[str, Rows]:
    """An activity that updates a lamp: a patrol marks it broken or fixed."""
    return {
        "survey": [
            ["type", "name", "label", "required", "save_to", "relevant", "default"],
            ["date", "patrol_date", "巡查日期", "yes", "", "", "today()"],
            ["text", "lamp", "路灯编号", "yes", "", "", ""],
            ["select_one status", "status", "状态", "yes", "status", "", ""],
            ["text", "fault", "故障描述", "yes", "", "${status} = 'broken'", ""],
            ["image", "photo", "照片", "", "", "", ""],
        ],
        "choices": [row[:] for row in STATUS_CHOICES],
        "settings": [["form_id", "form_title", "version"], ["lamp_patrols", "路灯巡查", "1"]],
        "entities": [["list_name", "entity_id"], ["street_lamps", "${lamp}"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["figure:patrols", "巡查次数 | count |  |  | 次"],
            ["figure:lamps_patrolled", "巡查路灯 | distinct | lamp |  | 盏"],
        ],
    }


def numbered_lamps() -> dict[str, Rows]:
    """The lamp register with its own numbers declared: a patrol may name a lamp by its 编号."""
    sheets = lamps()
    sheets["zhenwu"].append(["identity", "lamp_no"])
    return sheets
