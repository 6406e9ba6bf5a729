"""Workbooks in the layout of the org and accounts templates, built in a test from plain rows."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from zhenwu.org.accounts import ACCOUNT_SHEET
from zhenwu.org.imports import OFFICE_SHEET, UNIT_SHEET


def _book(sheets: dict[str, tuple[list[str], list[list[object]]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(["说明"])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def org_book(units: list[list[object]], offices: list[list[object]] | None = None) -> bytes:
    return _book(
        {
            UNIT_SHEET.name: (list(UNIT_SHEET.headers), units),
            OFFICE_SHEET.name: (list(OFFICE_SHEET.headers), offices or []),
        }
    )


def accounts_book(rows: list[list[object]]) -> bytes:
    return _book({ACCOUNT_SHEET.name: (list(ACCOUNT_SHEET.headers), rows)})
