"""A register's messages are listed in the order of the sheet, whichever check found them, and a header
row with a renamed or added column names it."""

from __future__ import annotations

from tests.conftest import Cast
from tests.households import factories
from tests.households.test_import import good_rows, register_row, workbook
from zhenwu.households import excel


def test_faults_found_against_the_database_are_listed_in_row_order(cast: Cast) -> None:
    existing = factories.household(cast.grid0101)
    taken = existing.members.first().full_id_number()  # type: ignore[union-attr]
    rows = [
        *good_rows(),
        register_row("B001", "孙八", "户主", taken),  # row 5: found once all rows are read
        register_row("B002", "周九", "表亲", factories.id_number()),  # row 6: found reading the row
    ]
    report = excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, rows), "r.xlsx", dry_run=True
    )
    assert [e.split("：")[0] for e in report.errors] == ["第5行「身份证号」", "第6行「与户主关系」"]


def test_a_renamed_and_an_added_column_are_named(cast: Cast) -> None:
    columns = [{"电话": "手机"}.get(c, c) for c in excel.REGISTER_COLUMNS] + ["备注"]
    rows = [[*row, ""] for row in good_rows()]
    report = excel.import_register(cast.user("cun01"), workbook(columns, rows), "r.xlsx", dry_run=True)
    assert report.errors == [
        "缺少列「电话」，请使用下载的模板。",
        "第1行I列：表头「手机」不是模板中的列，请使用下载的模板或删除该列。",
        "第1行K列：表头「备注」不是模板中的列，请使用下载的模板或删除该列。",
    ]
