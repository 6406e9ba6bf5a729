"""A street-lamp patrol register for the workbook and OpenRosa tests, built from the agreed Definition
dataclasses (zhenwu.registers.definition, issue 16)."""

from __future__ import annotations

from typing import Any

from zhenwu.registers.definition import Choice, Definition, Field


def field(name: str, type: str, label: str, **given: Any) -> Field:
    values: dict[str, Any] = {
        "hint": "", "required": False, "required_message": "", "constraint": "", "constraint_message": "",
        "relevant": "", "default": "", "read_only": False, "calculation": "", "choices": (), "group": "",
        "save_to": "", "personal": False, "row": 0,
    }  # fmt: skip
    values.update(given)
    return Field(name=name, type=type, label=label, **values)


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(name, label) for name, label in pairs)


STATUS = choices(("normal", "正常"), ("damaged", "损坏"), ("repairing", "维修中"))
FAULTS = choices(("bulb", "灯泡"), ("wire", "线路"), ("pole", "灯杆"), ("other", "其他"))
# More labels than an inline dropdown formula holds (255 characters): they go to the hidden sheet.
ROADS = choices(*((f"road{n}", f"第{n}号道路(东西向主干道)") for n in range(1, 40)))


def patrol(*fields: Field) -> Definition:
    chosen = fields or (
        field("intro", "note", "请逐盏巡查"),
        field("lamp_no", "text", "路灯编号", required=True, hint="灯杆上喷涂的编号", row=3),
        field("status", "select_one", "状态", required=True, choices=STATUS, required_message="请选择状态"),
        field("faults", "select_multiple", "故障", choices=FAULTS),
        field("road", "select_one", "所在道路", choices=ROADS),
        field("patrolled", "date", "巡查日期", required=True),
        field("watts", "integer", "功率(瓦)", group="lamp"),
        field("cost", "decimal", "维修费用(元)", group="lamp"),
        field("point", "geopoint", "位置", group="place"),
        field("photo", "image", "照片"),
        field("total", "calculate", "合计", calculation="${cost} * 2"),
        field("checker", "text", "巡查人", read_only=True),
    )
    return Definition(
        form_id="lamp_patrol", title="路灯巡查台账", version="2026111801", fields=chosen,
        kind="activity", entity_list="", entity_label="", entity_id_field="",
        points_at="", points_at_field="", readers=(), writers=(), offices=(), figures=(), xform="",
    )  # fmt: skip
