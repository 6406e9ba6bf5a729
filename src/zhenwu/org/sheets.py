"""The layout the org and accounts workbooks share: an instruction line, the headers, an example row.

Reading goes through `zhenwu.web.downloads.sheet_rows` (upload limits, zip-bomb checks, streaming); this
module only turns its rows into text cells keyed by header, and writes the blank templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from io import BytesIO
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhenwu.core.text import printable_cells, text_problem
from zhenwu.web import downloads

HEAD = 2  # the instruction line, then the headers
HEAD_FILL = PatternFill("solid", fgColor="EEF1F4")
EXAMPLE_FONT = Font(italic=True, color="888888")


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of a template: its name, headers, an example row (skipped when left as it is) and the
    instruction line above the headers."""

    name: str
    headers: Sequence[str]
    example: Sequence[str]
    note: str
    prefix: str = ""  # how messages name the sheet when a workbook has several: "站所表"

    def column(self, header: str) -> str:
        return get_column_letter(list(self.headers).index(header) + 1)


@dataclass
class Row:
    """A row with content: its number in the sheet and its cells as trimmed text, by header."""

    number: int
    cells: dict[str, str]
    prefix: str = ""

    def __getitem__(self, header: str) -> str:
        return self.cells.get(header, "")

    @property
    def line(self) -> str:
        """The row, as a preview names it: 站所表第3行."""
        return f"{self.prefix}第{self.number}行"

    def where(self, header: str) -> str:
        """Where a fault is, as every message names it: 第5行「手机号」."""
        return f"{self.prefix}第{self.number}行「{header}」"


def cell_text(value: Any) -> str:
    """A cell as the text the person typed: Excel keeps a typed phone number or code as a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, name: str, kind: str, spec: SheetSpec, errors: list[str]) -> list[Row]:
    """The rows under the headers of one sheet; a file-wide fault (not a workbook, no such sheet, wrong
    headers) is added to `errors` and no rows are returned. Cells with control characters are errors."""
    width = len(spec.headers)
    rows: list[Row] = []
    saw_header = False
    try:
        # A few columns past the template's, so that a column added at the end is named.
        wide = width + downloads.EXTRA_COLUMNS
        found = downloads.sheet_rows(data, name, kind, width=wide, head=HEAD, sheet=spec.name)
        with closing(found):
            for number, values in found:
                texts = [cell_text(v) for v in list(values)[:wide] + [None] * (width - len(values))]
                if number < HEAD:
                    continue
                if number == HEAD:
                    if problems := _header_problems(spec, texts):
                        errors.extend(problems)
                        return []
                    saw_header = True
                    continue
                texts = texts[:width]
                if texts == list(spec.example):
                    continue  # the template's example, left in place
                rows.append(Row(number, dict(zip(spec.headers, texts, strict=True)), spec.prefix))
    except ValidationError as error:
        errors.extend(error.messages)
        return []
    if not saw_header:
        errors.extend(_header_problems(spec, []))
    for row in rows:
        for header, text in row.cells.items():
            if problem := text_problem(text):
                errors.append(f"{row.where(header)}：{problem}。")
    return rows


def _header_problems(spec: SheetSpec, found: list[str]) -> list[str]:
    """Each header column missing, renamed, added or out of place; the sheet named as its rows are."""
    place = f"工作表“{spec.name}”"
    return downloads.header_problems(found, list(spec.headers), row=HEAD, place=place, in_order=True)


def template(specs: Sequence[SheetSpec]) -> bytes:
    """A blank workbook: per sheet the instruction line, the headers and one example row."""
    book = Workbook()
    book.remove(book.active)
    for spec in specs:
        sheet = book.create_sheet(spec.name)
        sheet.append([spec.note])
        sheet.append(list(spec.headers))
        sheet.append(printable_cells(spec.example))
        style(sheet, spec, example=True)
    return save(book)


def style(sheet: Any, spec: SheetSpec, *, example: bool = False) -> None:
    width = len(spec.headers)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 48
    for cell in sheet[HEAD]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    if example:
        for cell in sheet[HEAD + 1]:
            cell.font = EXAMPLE_FONT
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 20
        # Codes and phone numbers are text: typed into a number cell, Excel would show 9.90102E+11.
        for cell in sheet[get_column_letter(column)]:
            cell.number_format = "@"
    sheet.freeze_panes = f"A{HEAD + 1}"


def save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class PlannedChanges:
    """The counts an import's result gives of its planned changes (one per row), by their action:
    added, updated (for units: renamed), unchanged."""

    changes: list[Any]
    updated_action: ClassVar[str] = "updated"

    def of(self, action: str) -> list[Any]:
        return [c for c in self.changes if c.action == action]

    @property
    def added(self) -> int:
        return len(self.of("added"))

    @property
    def updated(self) -> int:
        return len(self.of(self.updated_action))

    @property
    def unchanged(self) -> int:
        return len(self.of("unchanged"))
