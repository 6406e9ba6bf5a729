"""A 指标台账 whose header row was edited names each column taken out, renamed or added, with its sheet."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.indicators.workbook_helpers import CATALOG_ROWS, Hekou, book, build_hekou, months
from zhenwu.indicators import workbook


@pytest.fixture
def hekou(db: None) -> Hekou:
    return build_hekou()


def errors(hekou: Hekou, data: bytes) -> list[str]:
    result = workbook.import_workbook(hekou.admin, data, "台账.xlsx", dry_run=True)
    return result.errors


def edited(data: bytes, sheet: str, edit: object) -> bytes:
    loaded = load_workbook(BytesIO(data))
    edit(loaded[sheet])  # type: ignore[operator]
    buffer = BytesIO()
    loaded.save(buffer)
    return buffer.getvalue()


def test_a_deleted_month_column_is_named(hekou: Hekou) -> None:
    data = book(values=[["河口镇", "固定资产投资", "万元", *months(1, 2, 3)]])
    data = edited(data, "月度数据", lambda s: s.delete_cols(6))  # 3月
    assert errors(hekou, data) == ["月度数据表缺少列「3月」，请使用下载的模板。"]


def test_a_renamed_and_an_added_catalog_column_are_named(hekou: Hekou) -> None:
    def edit(sheet: object) -> None:
        sheet["F3"] = "负责站所"  # type: ignore[index]
        sheet["I3"] = "备注"  # type: ignore[index]

    assert errors(hekou, edited(book(CATALOG_ROWS), "指标", edit)) == [
        "指标表第3行F列：表头「负责站所」应为「责任站所」，请使用下载的模板。",
        "指标表第3行I列：表头「备注」不是模板中的列，请使用下载的模板或删除该列。",
    ]


def test_two_columns_swapped_are_named(hekou: Hekou) -> None:
    def edit(sheet: object) -> None:
        sheet["B3"], sheet["C3"] = "计量单位", "名称"  # type: ignore[index]

    assert errors(hekou, edited(book(CATALOG_ROWS), "指标", edit)) == [
        "指标表第3行B列：应为「名称」，现为「计量单位」；各列的顺序须与模板相同，请使用下载的模板。"
    ]
