"""A register with a repeat in Excel: the template has a sheet per repeat (its column A the 台账 row each
item belongs to, its choices as dropdowns), and an import reads both sheets into records with their rows,
naming a bad item by its sheet, row and column."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.registers.workbooks import workbook as workbook_file
from zhenwu.registers import workbook
from zhenwu.registers.definition import read_definition
from zhenwu.registers.models import RegisterRecord

from .helpers import load
from .repeats import campaign
from .test_import import url
from .test_workbook import validations

UNITS = ["东岗村", "西河村"]


def form() -> Any:
    return read_definition(workbook_file(campaign()), "活动.xlsx")  # type: ignore[arg-type]


def filled(main: list[list[Any]], items: list[list[Any]], template: bytes | None = None) -> bytes:
    book = load_workbook(BytesIO(template or workbook.template(form(), units=UNITS)))
    for sheet, rows in ((book["台账"], main), (book["产出"], items)):
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                sheet.cell(workbook.FIRST_DATA_ROW + offset, column).value = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


MAIN = [["东岗村", date(2026, 11, 1), "集中清洁日", 40], ["西河村", date(2026, 11, 2), "防溺水宣传", 12]]
ITEMS = [[4, "垃圾", 3.5, "吨", "中转站"], [4, "宣传单", 200, "份"], [5, "标语", 12, "条"]]


def test_the_template_has_a_sheet_for_the_repeat_with_the_row_it_belongs_to_and_dropdowns() -> None:
    book = load_workbook(BytesIO(workbook.template(form(), units=UNITS)))
    assert book.sheetnames[:2] == ["台账", "产出"]
    sheet = book["产出"]
    assert "每行一项" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == ["所属行号*", "名称*", "数量*", "单位*", "清运去向"]
    assert [cell.value for cell in sheet[3]] == ["_row", "what", "qty", "unit", "remark"]
    assert sheet.row_dimensions[3].hidden
    found = validations(sheet)
    assert (
        found["D4"].type == "list" and found["D4"].formula1 == '"吨,份,条"' and found["D4"].showErrorMessage
    )
    assert found["A4"].type == "whole" and found["A4"].formula1 == "4"
    # The record's own sheet keeps only the record's fields.
    assert [cell.value for cell in book["台账"][3]] == ["_unit", "day", "title", "people"]


def test_the_items_go_into_the_records_they_name_by_row() -> None:
    rows, errors = workbook.read_rows(form(), filled(MAIN, ITEMS), "活动.xlsx", units=UNITS)
    assert errors == []
    first, second = rows
    assert first.values["outputs"] == [
        {"what": "垃圾", "qty": 3.5, "unit": "ton", "remark": "中转站"},
        {"what": "宣传单", "qty": 200, "unit": "copy"},
    ]
    assert first.sources == {"outputs": [4, 5]} and second.sources == {"outputs": [6]}
    assert second.values["outputs"] == [{"what": "标语", "qty": 12, "unit": "piece"}]


def test_a_bad_item_cell_is_named_by_its_sheet_row_and_column() -> None:
    items = [[4, "垃圾", "很多", "吨"], [9, "宣传单", 200, "份"], ["", "标语", 12, "箱"]]
    rows, errors = workbook.read_rows(form(), filled(MAIN, items), "活动.xlsx", units=UNITS)
    assert rows == []
    assert errors == [
        "「产出」表第4行「数量」列：“数量”应填数字，而不是“很多”。",
        "「产出」表第5行「所属行号」列：“9”不是「台账」表中填写了记录的行号。",
        "「产出」表第6行「所属行号」列：必填，不能为空。",
        "「产出」表第6行「单位」列：“箱”不是可选项(可选：吨、份、条)。",
    ]


def test_an_import_saves_each_record_with_its_items(cast: Cast, client: Client) -> None:
    load(cast, campaign())
    client.force_login(cast.user("admin"))
    template = client.get(url("record-template", "activities")).content
    main = [[cast.village01.name, *MAIN[0][1:]], [cast.village02.name, *MAIN[1][1:]]]
    upload = {"file": _file(filled(main, ITEMS, template))}
    checked = client.post(url("record-import", "activities"), upload)
    assert checked.context["errors"] == [], checked.context["errors"]
    assert not RegisterRecord.objects.exists()  # a dry run first
    saved = client.post(url("record-import", "activities"), {"pending": checked.context["pending"]})
    assert saved.status_code == 302
    records = {r.data["title"]: r for r in RegisterRecord.objects.all()}
    assert [row["what"] for row in records["集中清洁日"].data["outputs"]] == ["垃圾", "宣传单"]
    assert records["集中清洁日"].data["total_tons"] == "3.5"
    assert records["防溺水宣传"].data["outputs"] == [
        {"what": "标语", "qty": "12", "unit": "piece", "tons": "0"}
    ]


def test_an_item_the_server_refuses_is_named_by_its_sheet_row_and_column(cast: Cast, client: Client) -> None:
    load(cast, campaign())
    client.force_login(cast.user("admin"))
    template = client.get(url("record-template", "activities")).content
    main = [[cast.village01.name, *MAIN[0][1:]], [cast.village02.name, *MAIN[1][1:]]]
    items = [[4, "垃圾", 3.5, "吨"], [5, "标语", 12, "条"], [4, "宣传单", 0, "份"]]
    checked = client.post(url("record-import", "activities"), {"file": _file(filled(main, items, template))})
    assert checked.context["errors"] == ["「产出」表第6行「数量」列：数量须大于0"]
    assert "pending" not in checked.context and not RegisterRecord.objects.exists()


def _file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("活动.xlsx", data)
