"""A register's Excel 台账: the template from its definition, and a filled one read back
(zhenwu.registers.workbook)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.registers.lamps import STATUS, Choice, field, patrol
from tests.registers.workbooks import lamps as xlsform_lamps
from tests.registers.workbooks import workbook as workbook_file
from zhenwu.registers import workbook
from zhenwu.registers.definition import read_definition

UNITS = ["东湾村", "西岭村", "镇区社区"]


def opened(data: bytes) -> Any:
    return load_workbook(BytesIO(data))


def filled(rows: list[list[Any]], *, definition: Any = None, drop_names: bool = False) -> bytes:
    """The template with `rows` typed from row 4 on (row 3 when the hidden row is deleted)."""
    book = opened(workbook.template(definition or patrol(), units=UNITS))
    sheet = book["台账"]
    if drop_names:
        sheet.delete_rows(3)
    first = 3 if drop_names else 4
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(first + offset, column).value = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    "东湾村",
    "0123",
    "损坏",
    "灯泡、线路",
    "第7号道路(东西向主干道)",
    date(2026, 3, 10),
    150,
    12.5,
    "30.5123 114.3011",
]


def read(data: bytes, **given: Any) -> tuple[list[workbook.ImportRow], list[str]]:
    return workbook.read_rows(patrol(), data, "路灯巡查.xlsx", **given)


# ---- the template ----


def test_the_template_has_a_title_labels_and_the_hidden_field_names():
    sheet = opened(workbook.template(patrol(), units=UNITS))["台账"]

    assert sheet["A1"].value == "路灯巡查台账(版本 2026111801)"
    labels = [cell.value for cell in sheet[2]]
    assert labels == [
        "单位",
        "路灯编号*",
        "状态*",
        "故障",
        "所在道路",
        "巡查日期*",
        "功率(瓦)",
        "维修费用(元)",
        "位置",
    ]
    names = [cell.value for cell in sheet[3]]
    assert names == ["_unit", "lamp_no", "status", "faults", "road", "patrolled", "watts", "cost", "point"]
    assert sheet.row_dimensions[3].hidden


def test_notes_calculations_images_and_read_only_fields_have_no_column():
    sheet = opened(workbook.template(patrol(), units=UNITS))["台账"]

    names = {cell.value for cell in sheet[3]}
    assert not names & {"intro", "photo", "total", "checker"}


def test_a_hint_is_the_label_comment():
    sheet = opened(workbook.template(patrol(), units=UNITS))["台账"]

    assert sheet["B2"].comment.text == "灯杆上喷涂的编号"


def validations(sheet: Any) -> dict[str, Any]:
    return {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}


def test_units_and_choices_are_dropdowns_that_openpyxl_reads_back():
    book = opened(workbook.template(patrol(), units=UNITS))
    found = validations(book["台账"])

    assert found["A4"].type == "list"
    assert found["A4"].formula1 == '"东湾村,西岭村,镇区社区"'
    assert found["C4"].formula1 == '"正常,损坏,维修中"'
    assert found["C4"].showErrorMessage
    assert str(found["C4"].sqref) == "C4:C1003"
    # Several choices may be typed into a select_multiple cell: the dropdown only suggests.
    assert found["D4"].formula1 == '"灯泡,线路,灯杆,其他"'
    assert not found["D4"].showErrorMessage


def test_a_long_choice_list_comes_from_a_hidden_sheet():
    book = opened(workbook.template(patrol(), units=UNITS))
    found = validations(book["台账"])

    assert found["E4"].formula1 == "'选项'!$A$1:$A$39"
    options = book["选项"]
    assert options.sheet_state == "hidden"
    assert options["A1"].value == "第1号道路(东西向主干道)"
    assert options["A39"].value == "第39号道路(东西向主干道)"


def test_a_label_with_a_comma_is_listed_from_the_hidden_sheet():
    definition = patrol(
        field(
            "kind",
            "select_one",
            "类型",
            choices=(workbook_choice("a", "钠灯,高压"), workbook_choice("b", "LED")),
        )
    )
    book = opened(workbook.template(definition, units=UNITS))

    assert validations(book["台账"])["B4"].formula1 == "'选项'!$A$1:$A$2"
    assert book["选项"]["A1"].value == "钠灯,高压"


def workbook_choice(name: str, label: str) -> Any:
    return Choice(name, label)


def test_date_cells_are_formatted_as_dates():
    sheet = opened(workbook.template(patrol(), units=UNITS))["台账"]

    assert sheet["F4"].number_format == "yyyy-mm-dd"
    assert sheet["F1003"].number_format == "yyyy-mm-dd"


def test_a_label_that_looks_like_a_formula_is_written_as_text():
    definition = patrol(field("x", "text", "=1+1"))

    sheet = opened(workbook.template(definition, units=[]))["台账"]

    assert sheet["B2"].value == "=1+1"
    assert sheet["B2"].data_type == "s"


# ---- reading it back ----


def test_a_filled_template_reads_back_as_typed_values():
    rows, errors = read(filled([GOOD]))

    assert errors == []
    (row,) = rows
    assert row.row == 4
    assert row.unit == "东湾村"
    assert row.values == {
        "lamp_no": "0123",
        "status": "damaged",
        "faults": ("bulb", "wire"),
        "road": "road7",
        "patrolled": date(2026, 3, 10),
        "watts": 150,
        "cost": Decimal("12.5"),
        "point": "30.5123 114.3011",
    }


def test_blank_cells_are_left_out():
    rows, errors = read(filled([["西岭村", "0456", "正常", None, "", date(2026, 11, 1)]]))

    assert errors == []
    assert rows[0].values == {"lamp_no": "0456", "status": "normal", "patrolled": date(2026, 11, 1)}


@pytest.mark.parametrize(
    "typed",
    ["2026-03-10", "2026/3/10", "2026.3.10", "2026年3月10日", "２０２６年３月１０日", "20260310", 46091],
)
def test_dates_are_read_as_clerks_type_them(typed):
    rows, errors = read(filled([["东湾村", "1", "正常", None, None, typed]]))

    assert errors == []
    assert rows[0].values["patrolled"] == date(2026, 3, 10)


@pytest.mark.filterwarnings("ignore:Cell F4 is marked as a date:UserWarning")
def test_a_number_typed_into_a_date_cell_is_explained():
    rows, errors = read(filled([["东湾村", "1", "正常", None, None, 20260310]]))

    assert rows == []
    assert errors == ["第4行「巡查日期」列：单元格是 Excel 的错误值“#VALUE!”，日期请写作 2026-03-10。"]


def test_numbers_are_read_as_clerks_type_them():
    rows, errors = read(filled([["东湾村", "1", "正常", None, None, "2026-03-10", "１５０", "1,250.50"]]))

    assert errors == []
    assert rows[0].values["watts"] == 150
    assert rows[0].values["cost"] == Decimal("1250.5")


def test_a_float_from_excel_reads_as_the_digits_excel_shows():
    rows, errors = read(filled([["东湾村", "1", "正常", None, None, "2026-03-10", None, 0.1 + 0.2]]))

    assert errors == []
    assert rows[0].values["cost"] == Decimal("0.3")


def test_choice_names_and_other_separators_are_accepted_too():
    rows, errors = read(filled([["东湾村", "1", "damaged", "灯泡,其他，线路、灯泡", None, "2026-03-10"]]))

    assert errors == []
    assert rows[0].values["status"] == "damaged"
    assert rows[0].values["faults"] == ("bulb", "other", "wire")


def test_a_number_in_a_text_column_is_read_without_a_decimal_point():
    rows, _ = read(filled([["东湾村", 123.0, "正常", None, None, "2026-03-10"]]))

    assert rows[0].values["lamp_no"] == "123"


def test_without_the_hidden_row_the_labels_name_the_columns():
    rows, errors = read(filled([GOOD], drop_names=True))

    assert errors == []
    assert rows[0].row == 3
    assert rows[0].values["status"] == "damaged"


@pytest.mark.parametrize(
    ("column", "typed", "said"),
    [
        (3, "坏了", "第4行「状态」列：“坏了”不是可选项(可选：正常、损坏、维修中)。"),
        (3, None, "第4行「状态」列：请选择状态。"),
        (2, None, "第4行「路灯编号」列：必填，不能为空。"),
        (
            4,
            "灯泡、烧了",
            "第4行「故障」列：“烧了”不是可选项(可选：灯泡、线路、灯杆、其他，多项用“、”分隔)。",
        ),
        (6, "昨天", "第4行「巡查日期」列：应填日期，如 2026-03-10 或 2026年3月10日，而不是“昨天”。"),
        (6, "2026-02-30", "第4行「巡查日期」列：“2026-02-30”不是有效的日期。"),
        (7, "一百五十瓦", "第4行「功率(瓦)」列：“功率(瓦)”应填数字，而不是“一百五十瓦”。"),
        (7, "1.5", "第4行「功率(瓦)」列："),
        (8, "1e5", "第4行「维修费用(元)」列：“维修费用(元)”不能用科学计数法"),
        (9, "东湾村口", "第4行「位置」列：应填“纬度 经度”，如 30.5123 114.3011，而不是“东湾村口”。"),
        (9, "114.3 30.5", "第4行「位置」列：纬度应在-90到90之间"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(column, typed, said):
    row = list(GOOD)
    row[column - 1] = typed

    rows, errors = read(filled([GOOD, row]))

    assert rows == []
    assert len(errors) == 1
    assert errors[0].replace("第5行", "第4行").startswith(said)
    assert errors[0].startswith("第5行")


def test_a_unit_the_user_may_not_enter_for_is_refused():
    row = ["北山村", *GOOD[1:]]

    rows, errors = read(filled([row]), units=UNITS)

    assert rows == []
    assert errors == ["第4行「单位」列：“北山村”不是您可以填报的单位。"]


def test_a_blank_unit_is_left_to_the_caller():
    rows, errors = read(filled([[None, *GOOD[1:]]]), units=UNITS)

    assert errors == []
    assert rows[0].unit == ""


def rewritten(cells: dict[str, Any], rows: list[list[Any]] | None = None) -> bytes:
    book = opened(filled(rows or [GOOD]))
    for address, value in cells.items():
        book["台账"][address].value = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_unknown_column_is_refused():
    _, errors = read(rewritten({"J2": "备注", "J3": "remark"}))

    assert errors == ["第2行J列：表头「备注」不是本台账的字段，请使用下载的模板或删除该列。"]


def test_an_unknown_label_is_refused_when_the_hidden_row_is_gone():
    book = opened(filled([GOOD], drop_names=True))
    book["台账"]["J2"].value = "备注"
    out = BytesIO()
    book.save(out)

    _, errors = read(out.getvalue())

    assert errors == ["第2行J列：表头「备注」不是本台账的字段，请使用下载的模板或删除该列。"]


def test_a_column_given_twice_is_refused():
    _, errors = read(rewritten({"J2": "状态", "J3": "status"}))

    assert errors == ["第2行J列：表头「状态」与C列重复。"]


def test_a_missing_required_column_is_refused():
    _, errors = read(rewritten({"C2": None, "C3": None}))

    assert errors == ["缺少必填列「状态」，请使用下载的模板。"]


def test_a_template_without_records_is_refused():
    _, errors = read(workbook.template(patrol(), units=UNITS))

    assert errors == ["文件“路灯巡查.xlsx”中没有填写任何记录：请从第4行起填写。"]


def test_an_empty_workbook_is_refused():
    out = BytesIO()
    Workbook().save(out)

    _, errors = read(out.getvalue())

    assert errors == ["第2行应为表头(各列名称)，请使用下载的模板。"]


def test_a_file_that_is_not_a_workbook_is_refused():
    _, errors = read(b"PK\x03\x04 not really a zip")

    assert len(errors) == 1
    assert "路灯巡查.xlsx" in errors[0]


def test_errors_stop_at_the_listed_limit(monkeypatch):
    monkeypatch.setattr("zhenwu.core.uploads.MAX_LISTED_ERRORS", 5)
    bad = ["东湾村", "1", "坏了", None, None, "2026-03-10"]

    rows, errors = read(filled([bad] * 20))

    assert rows == []
    assert len(errors) == 6
    assert errors[-1].startswith("错误超过")


def test_every_error_of_a_row_is_listed():
    rows, errors = read(filled([["东湾村", None, "坏了", None, None, "昨天"]]))

    assert rows == []
    assert [e.split("：")[0] for e in errors] == [
        "第4行「路灯编号」列",
        "第4行「状态」列",
        "第4行「巡查日期」列",
    ]


# ---- with a definition read from an XLSForm ----


def test_a_template_of_a_loaded_definition_round_trips():
    definition = read_definition(workbook_file(xlsform_lamps()), "路灯台账.xlsx")
    book = opened(workbook.template(definition, units=UNITS))
    sheet = book["台账"]
    assert [cell.value for cell in sheet[2]] == ["单位", "路灯编号*", "所在道路*", "状态*", "位置"]
    for column, value in enumerate(["西岭村", "0456", "滨江路", "损坏", "30.51, 114.30"], start=1):
        sheet.cell(4, column).value = value
    out = BytesIO()
    book.save(out)

    rows, errors = workbook.read_rows(definition, out.getvalue(), "路灯.xlsx", units=UNITS)

    assert errors == []
    assert rows == [
        workbook.ImportRow(
            4, "西岭村", {"lamp_no": "0456", "road": "滨江路", "status": "broken", "location": "30.51 114.30"}
        )
    ]


def test_a_required_column_a_row_makes_irrelevant_may_be_left_blank():
    # 维修内容 is asked only of a damaged lamp: a normal lamp's row leaves it blank, and the record's own
    # checks (create_record) still demand it where the row makes it relevant.
    definition = patrol(
        field("lamp_no", "text", "路灯编号", required=True),
        field("status", "select_one", "状态", required=True, choices=STATUS),
        field("repair", "text", "维修内容", required=True, relevant="${status} = 'damaged'"),
    )
    data = filled([["东湾村", "0123", "正常", None], ["东湾村", "0124", "损坏", None]], definition=definition)

    rows, errors = workbook.read_rows(definition, data, "路灯巡查.xlsx", units=UNITS)

    assert errors == []
    assert [row.values for row in rows] == [
        {"lamp_no": "0123", "status": "normal"},
        {"lamp_no": "0124", "status": "damaged"},
    ]
