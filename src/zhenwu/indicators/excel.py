"""Excel 台账 for indicators: the monthly entry template, reading it back, and the progress table.

The template is long-form, one row per indicator and unit, so that every error can name its row and
column and a duplicated row is visible as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhenwu.core.numbers import NumberInputError, float_text, parse_entered_number, round_half_up
from zhenwu.core.periods import Period, parse_period
from zhenwu.core.text import printable_cells, text_problem
from zhenwu.org.models import OrgUnit
from zhenwu.web import downloads

from . import services
from .models import VALUE_PLACES, Indicator
from .services import Entry, ProgressRow

SHEET = "填报"
HEADERS = [
    "指标编码",
    "指标名称",
    "计量单位",
    "单元编码",
    "单元名称",
    "上月数",
    "去年同期",
    "本月数值",
    "备注",
]
COL = {name: index for index, name in enumerate(HEADERS, start=1)}
FIRST_ROW = 4
PERIOD_CELL = "第2行B列"  # where downloads.read_template reads the period
NOTE_LENGTH = 200  # as services.check_entries allows
SIGNING_SALT = "zhenwu.indicators.import"
UPLOAD_KIND = "indicator_values"  # its limits: zhenwu.core.uploads.LIMITS
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F4")


def _plain(value: Decimal | None) -> Any:
    return float(value) if value is not None else None


def entry_template(indicators: list[Indicator], unit: OrgUnit, period: Period) -> bytes:
    """The month's template of `unit`, one row per indicator the entry form shows for it
    (`services.entry_rows`), with this month's values (if any) and last month's and last year's beside."""
    table = services.progress_table(indicators, [unit], period)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"{unit.name} {period.full_label}指标填报表"])
    sheet.append(["期间", period.key, "请只填写“本月数值”和“备注”两列；累计值低于上月时须在备注中说明原因。"])
    sheet.append(HEADERS)
    for indicator in indicators:
        row = table.get((indicator.pk, unit.pk))
        own = next((v for v in row.sources if v.org_unit_id == unit.pk), None) if row else None
        sheet.append(printable_cells([
            indicator.code, indicator.name, indicator.unit, unit.code, unit.name,
            _plain(row.previous_value) if row else None, _plain(row.progress.last_year) if row else None,
            _plain(own.value) if own else None, own.note if own else "",
        ]))  # fmt: skip
    _style_template(sheet)
    return _save(book)


def _style_template(sheet: Any) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[3]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
    for width, column in zip([12, 26, 10, 16, 14, 14, 14, 14, 30], range(1, 10), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class ParsedUpload:
    period: Period | None = None
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirm: str = ""  # the key of the warnings the dry run showed (EntryCheck.confirm_key)


def _cell_number(value: Any, where: str, indicator: Indicator | None) -> Decimal | None:
    """A number cell read as typed text is: a float through its plain text, so that 4.9 stays 4.9 and
    an infinite one is refused; text that reads as a number is accepted, other text is an error."""
    if value is None:
        return None
    label = indicator.name if indicator else "本月数值"
    if isinstance(value, bool):
        raise ValidationError(f"{where}：“{label}”应填数字。")
    text = float_text(value) if isinstance(value, float) else str(value)
    places, unit = (indicator.decimals, indicator.unit) if indicator else (VALUE_PLACES, "")
    try:
        return parse_entered_number(text, label, places=places, unit=unit)
    except NumberInputError as error:
        raise ValidationError(f"{where}：{error}") from None


def value_cell(entry: Entry) -> str:
    """Where an entry's value is in the sheet: 第5行「本月数值」列 (a row alone in a token signed before)."""
    return entry.where if entry.where.endswith("列") else downloads.cell_place(_row(entry.where), "本月数值")


def _row(where: str) -> int:
    return int(where.removeprefix("第").removesuffix("行") or 0)


def in_sheet_order(errors: list[str]) -> list[str]:
    """The messages of one upload, those found reading it and those found checking its entries, in
    the order of the sheet."""
    return downloads.in_sheet_order(errors, headers={"": HEADERS})


def read_upload(upload: IO[bytes] | bytes, township: OrgUnit, name: str = "上传的文件") -> ParsedUpload:
    """Read a filled template: every problem is named by row and column, nothing is saved here."""
    parsed = ParsedUpload()
    try:
        data = downloads.read_upload(upload, name, UPLOAD_KIND)
        period, rows = downloads.read_template(data, SHEET, HEADERS, name=name, kind=UPLOAD_KIND)
    except ValidationError as error:
        parsed.errors.extend(error.messages)
        return parsed
    indicators = {i.code: i for i in Indicator.objects.filter(township=township).select_related("department")}
    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=township.path)}
    for number, row in rows:
        _read_row(parsed, number, list(row) + [None] * len(HEADERS), indicators, units)
        if downloads.enough_errors(parsed.errors):
            break
    parsed.period = period
    return parsed


def _read_row(
    parsed: ParsedUpload,
    number: int,
    row: list[Any],
    indicators: dict[str, Indicator],
    units: dict[str, OrgUnit],
) -> None:
    code, unit_code = str(row[COL["指标编码"] - 1] or "").strip(), str(row[COL["单元编码"] - 1] or "").strip()
    raw_value, note = row[COL["本月数值"] - 1], str(row[COL["备注"] - 1] or "").strip()
    if not code and not unit_code and raw_value in (None, ""):
        return  # a blank line
    indicator, unit = indicators.get(code), units.get(unit_code)
    if indicator is None:
        parsed.errors.append(f"{downloads.cell_place(number, '指标编码')}：未知的指标编码“{code}”。")
    if unit is None:
        parsed.errors.append(f"{downloads.cell_place(number, '单元编码')}：未知的单元编码“{unit_code}”。")
    where = downloads.cell_place(number, "本月数值")
    try:
        value = _cell_number(raw_value, where, indicator)
    except ValidationError as error:
        parsed.errors.extend(error.messages)
        value = None
    note_problem = text_problem(note) or (f"不能超过{NOTE_LENGTH}字" if len(note) > NOTE_LENGTH else "")
    if note_problem:
        parsed.errors.append(f"{downloads.cell_place(number, '备注')}：“备注”{note_problem}。")
    if indicator is None or unit is None or value is None or note_problem:
        return
    # The entry is named by its value's cell: what checking it finds is about that number.
    parsed.entries.append(Entry(indicator, unit, value, note, where))


def sign_pending(parsed: ParsedUpload, confirm: str = "") -> str:
    """The checked upload, signed, so that the confirmation saves exactly what the user saw; `confirm`
    is the key of the warnings shown with it."""
    assert parsed.period is not None
    rows = [[e.indicator.pk, e.org_unit.pk, str(e.value), e.note, e.where] for e in parsed.entries]
    payload = {"period": parsed.period.key, "rows": rows, "confirm": confirm}
    return downloads.sign_pending(payload, SIGNING_SALT)


def unsign_pending(token: str) -> ParsedUpload:
    payload = downloads.unsign_pending(token, SIGNING_SALT)
    indicators = Indicator.objects.in_bulk({r[0] for r in payload["rows"]})
    units = OrgUnit.objects.in_bulk({r[1] for r in payload["rows"]})
    entries = [
        Entry(indicators[i], units[u], Decimal(v), note, where)
        for i, u, v, note, where in payload["rows"]
        if i in indicators and u in units
    ]
    return ParsedUpload(
        period=parse_period(payload["period"]), entries=entries, confirm=payload.get("confirm", "")
    )


PROGRESS_HEADERS = [
    ("指标", None), ("计量单位", None), ("全年目标", None), ("完成情况", ["本期累计", "占全年%"]),
    ("序时进度%", None), ("较序时(百分点)", None), ("状态", None), ("同比", ["去年同期", "增减%"]),
    ("预警", None),
]  # fmt: skip


def progress_workbook(rows: list[ProgressRow], unit: OrgUnit, period: Period) -> bytes:
    """The progress table as township staff lay out their 台账: title, units row, merged headers.

    Each number is the figure the page shows, rounded the same way, with a number format that shows it
    to the same decimals: the sheet and the page read alike, and the gap adds up in the sheet too.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "指标完成情况"
    width = sum(len(sub) if sub else 1 for _, sub in PROGRESS_HEADERS)
    sheet.append([f"{unit.name}{period.full_label}主要指标完成情况表"])
    sheet.append([f"统计期间：{period.full_label}    制表：镇务平台"])
    _merged_headers(sheet)
    for row in rows:
        p, places = row.progress, row.indicator.decimals
        line = [
            row.indicator.name, row.indicator.unit, _number(p.target, places),
            _number(p.shown_actual, places), _number(p.completion_percent, 1),
            _number(p.time_progress_percent, 1), _number(p.gap_points, 1), row.status_label,
            _number(p.shown_last_year, places), _number(p.yoy_percent, 1),
            "；".join(w.message for w in row.warnings),
        ]  # fmt: skip
        cells = _cells(line)
        sheet.append(printable_cells(value for value, _ in cells))
        for column, (_, number_format) in enumerate(cells, start=1):
            if number_format:
                sheet.cell(row=sheet.max_row, column=column).number_format = number_format
    for r in (1, 2):
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for column, size in enumerate([24, 10, 14, 14, 10, 10, 12, 10, 14, 10, 40], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in line:
            cell.border = BOX
    return _save(book)


_Cell = tuple[float | None, str]  # a value and its number format


def _number(value: Decimal | None, places: int) -> _Cell:
    """A figure rounded as pages round it, as a spreadsheet number shown to those decimals."""
    if value is None:
        return None, ""
    return float(round_half_up(value, places)), "#,##0" + ("." + "0" * places if places else "")


def _cells(line: list[Any]) -> list[tuple[Any, str]]:
    return [cell if isinstance(cell, tuple) else (cell, "") for cell in line]


def _merged_headers(sheet: Any) -> None:
    top, bottom = [], []
    for name, sub in PROGRESS_HEADERS:
        top += [name] + [None] * (len(sub) - 1 if sub else 0)
        bottom += sub if sub else [None]
    sheet.append(top)
    sheet.append(bottom)
    column = 1
    for _, sub in PROGRESS_HEADERS:
        span = len(sub) if sub else 1
        if sub:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + span - 1)
        else:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        column += span
    for line in sheet.iter_rows(min_row=3, max_row=4):
        for cell in line:
            cell.font, cell.fill = Font(bold=True), HEAD_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
