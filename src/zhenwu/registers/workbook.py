"""A register's Excel 台账: the template a clerk fills, and the rows read back from it.

The template has one sheet: row 1 the register's title, row 2 the Chinese labels (a required column ends
in "*", a field's hint is the label's comment), row 3 hidden with the field names, which is how the
columns are found again whatever a clerk does to the labels. Column A is the unit (单位) the row is
entered for, a dropdown of the units the user may enter for. Choice fields are dropdowns of their
labels: inline when short, from a hidden sheet (选项) when long or when a label holds a comma. Notes,
calculations, images and read-only fields are not entered in Excel and have no column.

A repeat (产出, 实物) has a sheet of its own, named by its label, laid out the same way: one row per row
of the repeat, its column A (所属行号) the number of the 台账 sheet's row whose record it belongs to.

`read_rows` reads a filled template (or one whose hidden row was deleted: then the labels of row 2 name
the columns) within the upload limits of "register_records" (zhenwu.core.uploads), and turns each cell
into the type its field wants: int, Decimal, date, a choice's name, a tuple of names for select_multiple,
"lat lon [alt acc]" for a geopoint, str for text. Errors name the row and column in Chinese; nothing is
returned as rows when any error is found, so the caller saves all or nothing. A repeat sheet's rows go
into their record's values as a list under the repeat's name; its errors name the sheet
("「产出」表第5行「数量」列：…").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from zhenwu.core.numbers import NumberInputError, parse_entered_number
from zhenwu.web.downloads import enough_errors, sheet_rows

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from zhenwu.registers.definition import Definition, Field, Repeat

KIND = "register_records"
SHEET = "台账"
LIST_SHEET = "选项"
UNIT_LABEL = "单位"
UNIT_KEY = "_unit"  # the unit column's name in the hidden row
PARENT_LABEL = "所属行号"  # a repeat sheet's column A: the 台账 sheet's row the repeat row belongs to
PARENT_KEY = "_row"
# Characters Excel refuses in a sheet's name, and its longest name.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
TITLE_ROW, LABEL_ROW, NAME_ROW = 1, 2, 3
FIRST_DATA_ROW = 4
# Rows given dropdowns and date formats; a clerk who needs more copies a row down, which copies both.
PREPARED_ROWS = 1000
ENTERED_TYPES = frozenset({"text", "integer", "decimal", "select_one", "select_multiple", "date", "geopoint"})
DECIMAL_PLACES = 6
# Excel refuses an inline list formula longer than 255 characters.
INLINE_LIST_MAX = 255
# Columns read past the template's own, so that a column a clerk added is reported, not ignored.
EXTRA_COLUMNS = 20
MULTIPLE_SEPARATORS = re.compile(r"[、,，;；\n]+")
DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Excel's serial numbers of 1900-01-01 and 2099-12-31: a date cell that lost its format.
SERIAL_RANGE = (1, 73050)
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class ImportRow:
    """One filled row: its number in the sheet, the unit it is entered for ("" when blank) and the
    values of the filled cells, keyed by field name; blank cells are absent. A repeat's rows are a list
    of such dicts under the repeat's name, and `sources` holds, for each repeat, the number of each of
    those rows in the repeat's sheet."""

    row: int
    unit: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, list[int]] = field(default_factory=dict)


class CellError(ValueError):
    """A cell that cannot be read as its field wants; the message is for the clerk."""


def columns(definition: Definition | Repeat) -> list[Field]:
    """The fields a clerk fills in Excel (of the record, or of a repeat's row), in the definition's order."""
    return [f for f in definition.fields if f.type in ENTERED_TYPES and not f.read_only]


def repeat_sheets(definition: Definition) -> dict[str, Repeat]:
    """Each repeat's sheet name (its label, as Excel allows a sheet to be named) -> the repeat."""
    taken = {SHEET, LIST_SHEET}
    found: dict[str, Repeat] = {}
    for repeat in definition.repeats:
        name = SHEET_NAME_REFUSED.sub("", repeat.title).strip("' ")[:SHEET_NAME_MAX] or repeat.name[:31]
        if name in taken:
            name = f"{name[: SHEET_NAME_MAX - len(repeat.name) - 2]}({repeat.name})"[:SHEET_NAME_MAX]
        taken.add(name)
        found[name] = repeat
    return found


def repeat_error(definition: Definition, row: ImportRow, key: str, message: str) -> str | None:
    """A refusal of a repeat's row (keyed as `definition.repeat_key`) named by its sheet, row and column
    ("「产出」表第5行「数量」列：数量须大于0"); a refusal of a whole repeat by its record's row; None for
    any other key."""
    from zhenwu.registers.definition import row_words

    sheets = {repeat.name: name for name, repeat in repeat_sheets(definition).items()}
    if key in sheets:
        return f"第{row.row}行：{message}"
    place = definition.repeat_place(key)
    if place is None:
        return None
    repeat, index, item = place
    numbers = row.sources.get(repeat.name, [])
    if index >= len(numbers):
        return f"第{row.row}行：{message}"
    said = message.removeprefix(f"{row_words(repeat, index, item)}：")
    return f"「{sheets[repeat.name]}」表第{numbers[index]}行「{item.label or item.name}」列：{said}"


def header_label(item: Field) -> str:
    return f"{item.label or item.name}{'*' if item.required else ''}"


# ---- the template ----


def template(definition: Definition, *, units: list[str]) -> bytes:
    """The .xlsx template of `definition` for a user who may enter for `units`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has its first sheet
    sheet.title = SHEET
    fields = columns(definition)
    lists = _Lists(book)
    _title(sheet, definition, len(fields) + 1)
    _head(sheet, 1, UNIT_LABEL, UNIT_KEY, "填写本行记录所属的单位，从下拉列表中选择。")
    if units:
        _dropdown(sheet, 1, lists.formula(units), strict=True, prompt="从下拉列表中选择单位")
    for column, item in enumerate(fields, start=2):
        _head(sheet, column, header_label(item), item.name, item.hint)
        _prepare_column(sheet, column, item, lists)
    sheet.row_dimensions[NAME_ROW].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)
    for name, repeat in repeat_sheets(definition).items():
        _repeat_sheet(book.create_sheet(name), definition, repeat, lists)
    if lists.sheet is not None:
        book.move_sheet(lists.sheet, len(book.sheetnames) - 1 - book.sheetnames.index(LIST_SHEET))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _repeat_sheet(sheet: Worksheet, definition: Definition, repeat: Repeat, lists: _Lists) -> None:
    """A repeat's sheet: one row per row of the repeat, column A the 台账 row it belongs to."""
    fields = columns(repeat)
    cell = sheet.cell(TITLE_ROW, 1)
    _text(
        cell,
        f"{definition.title} · {repeat.title}"
        f"（每行一项，「{PARENT_LABEL}」填该项所属记录在「{SHEET}」表中的行号）",
    )
    cell.font = Font(bold=True, size=12)
    hint = f"填写该项所属记录在「{SHEET}」表中的行号（从第{FIRST_DATA_ROW}行起），一条记录可有多项。"
    _head(sheet, 1, f"{PARENT_LABEL}*", PARENT_KEY, repeat.hint or hint)
    number = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1=str(FIRST_DATA_ROW), allow_blank=True,
        showErrorMessage=True, errorTitle="不是行号", error=f"请填写「{SHEET}」表中记录所在的行号。",
    )  # fmt: skip
    number.add(f"A{FIRST_DATA_ROW}:A{FIRST_DATA_ROW + PREPARED_ROWS - 1}")
    sheet.add_data_validation(number)
    for column, item in enumerate(fields, start=2):
        _head(sheet, column, header_label(item), item.name, item.hint)
        _prepare_column(sheet, column, item, lists)
    sheet.row_dimensions[NAME_ROW].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)


def _text(cell: Cell, value: str) -> None:
    """A text cell that stays text: a label starting with "=" is not written as a formula."""
    cell.value = value
    if value.startswith("="):
        cell.data_type = "s"


def _title(sheet: Worksheet, definition: Definition, width: int) -> None:
    cell = sheet.cell(TITLE_ROW, 1)
    version = f"(版本 {definition.version})" if definition.version else ""
    _text(cell, f"{definition.title}{version}")
    cell.font = Font(bold=True, size=14)
    if width > 1:
        sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)


def _head(sheet: Worksheet, column: int, label: str, key: str, hint: str) -> None:
    cell = sheet.cell(LABEL_ROW, column)
    _text(cell, label)
    cell.font = Font(bold=True, color="C00000" if label.endswith("*") else None)
    cell.fill = HEAD_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if hint:
        cell.comment = Comment(hint, "镇务")
    _text(sheet.cell(NAME_ROW, column), key)
    sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(label) * 2 + 4))


def _prepare_column(sheet: Worksheet, column: int, item: Field, lists: _Lists) -> None:
    labels = [choice.label or choice.name for choice in item.choices]
    if item.type == "select_one" and labels:
        _dropdown(sheet, column, lists.formula(labels), strict=True, prompt="从下拉列表中选择")
    elif item.type == "select_multiple" and labels:
        # A list validation holds one value: the clerk may type several, so the check only suggests.
        _dropdown(sheet, column, lists.formula(labels), strict=False, prompt="可填多项，用“、”分隔")
    elif item.type == "date":
        for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + PREPARED_ROWS):
            sheet.cell(row, column).number_format = "yyyy-mm-dd"
    elif item.type == "geopoint":
        sheet.cell(LABEL_ROW, column).comment = Comment(
            item.hint or "填写“纬度 经度”，如 30.5123 114.3011", "镇务"
        )


def _dropdown(sheet: Worksheet, column: int, formula: str, *, strict: bool, prompt: str) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=strict,
        showInputMessage=True, promptTitle="填写说明", prompt=prompt,
        errorTitle="不是可选项", error="请从下拉列表中选择。",
    )  # fmt: skip
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + PREPARED_ROWS - 1}")
    sheet.add_data_validation(validation)


class _Lists:
    """Where a dropdown's values come from: the formula itself when short, else a column of the hidden
    sheet, made when first needed."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.sheet: Worksheet | None = None
        self.used = 0

    def formula(self, values: list[str]) -> str:
        joined = ",".join(values)
        if len(joined) + 2 <= INLINE_LIST_MAX and not any("," in v or '"' in v for v in values):
            return f'"{joined}"'
        if self.sheet is None:
            self.sheet = self.book.create_sheet(LIST_SHEET)
            self.sheet.sheet_state = "hidden"
        self.used += 1
        for row, value in enumerate(values, start=1):
            _text(self.sheet.cell(row, self.used), value)
        letter = get_column_letter(self.used)
        return f"{quote_sheetname(LIST_SHEET)}!${letter}$1:${letter}${len(values)}"


# ---- reading a filled template ----


def read_rows(
    definition: Definition, data: bytes, file_name: str, *, units: Collection[str] | None = None
) -> tuple[list[ImportRow], list[str]]:
    """The rows of a filled template and the errors found; the rows are empty when there is any error.
    `units`, when given, are the units the user may enter for: another unit is an error."""
    fields = columns(definition)
    found, errors = _sheet(data, file_name, len(fields))
    if errors:
        return [], errors
    head = {number: values for number, values in found if number <= NAME_ROW}
    named = _is_name_row(head.get(NAME_ROW, ()), UNIT_KEY)
    layout, errors = _layout(head, named, fields)
    if errors:
        return [], errors
    body = [(number, values) for number, values in found if number > (NAME_ROW if named else LABEL_ROW)]
    if not body:
        return [], [f"文件“{file_name}”中没有填写任何记录：请从第{FIRST_DATA_ROW}行起填写。"]
    rows, errors = _read_body(body, layout, units)
    for name, repeat in repeat_sheets(definition).items():
        if enough_errors(errors):
            break
        errors += _read_repeat(data, file_name, name, repeat, rows)
    return ([] if errors else rows), errors


def _sheet(
    data: bytes, file_name: str, width: int, sheet: str | None = None
) -> tuple[list[tuple[int, tuple[Any, ...]]], list[str]]:
    try:
        numbered = sheet_rows(
            data, file_name, KIND, width=width + 1 + EXTRA_COLUMNS, head=NAME_ROW, sheet=sheet
        )
        with closing(numbered):
            return list(numbered), []
    except ValidationError as error:
        return [], list(error.messages)


def _is_name_row(values: tuple[Any, ...], key: str) -> bool:
    return bool(values) and _cell_text(values[0]) == key


# The layout: each read column's index and its field (None for column A: the unit, or the 台账 row).
Layout = list[tuple[int, "Field | None"]]


def _layout(
    head: dict[int, tuple[Any, ...]],
    named: bool,
    fields: list[Field],
    lead: tuple[str, str] = (UNIT_KEY, UNIT_LABEL),
    place: str = "",
) -> tuple[Layout, list[str]]:
    labels = head.get(LABEL_ROW, ())
    keys = head.get(NAME_ROW, ()) if named else labels
    by_name = {f.name: f for f in fields}
    # Without the hidden row a column is found by its label, or by its field name typed as a label.
    by_label = by_name if named else by_name | {_normal(f.label): f for f in fields if f.label}
    layout: Layout = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    if not labels:
        return [], [f"{place}第2行应为表头(各列名称)，请使用下载的模板。"]
    for index, raw in enumerate(keys):
        key = _cell_text(raw) if named else _normal(_cell_text(raw)).removesuffix("*").strip()
        if not key:
            continue
        shown = _cell_text(labels[index]) if index < len(labels) else key
        letter = get_column_letter(index + 1)
        if key in lead:
            target: Field | None = None
            identity = lead[0]
        elif key in by_label:
            target = by_label[key]
            identity = target.name
        else:
            errors.append(
                f"{place}第2行{letter}列：表头「{shown}」不是本台账的字段，请使用下载的模板或删除该列。"
            )
            continue
        if identity in seen:
            errors.append(
                f"{place}第2行{letter}列：表头「{shown}」与{get_column_letter(seen[identity] + 1)}列重复。"
            )
            continue
        seen[identity] = index
        layout.append((index, target))
    errors += [
        f"{place}缺少必填列「{f.label or f.name}」，请使用下载的模板。"
        for f in fields
        if f.required and f.name not in seen
    ]
    return layout, errors


def _read_body(
    body: list[tuple[int, tuple[Any, ...]]], layout: Layout, units: Collection[str] | None
) -> tuple[list[ImportRow], list[str]]:
    rows: list[ImportRow] = []
    errors: list[str] = []

    def check(number: int, unit: str) -> None:
        if unit and units is not None and unit not in units:
            errors.append(f"第{number}行「{UNIT_LABEL}」列：“{unit}”不是您可以填报的单位。")

    for number, values in body:
        unit, read = _read_cells(number, values, layout, errors, check=check)
        rows.append(ImportRow(number, unit, read))
        if enough_errors(errors):
            break
    return rows, errors


def _read_cells(
    number: int,
    values: tuple[Any, ...],
    layout: Layout,
    errors: list[str],
    place: str = "",
    check: Callable[[int, str], None] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Column A's text (checked by `check` where it lies) and the values of one row's filled cells;
    each bad cell's error added to `errors`, in the order of the columns."""
    lead, read = "", {}
    for index, item in layout:
        raw = values[index] if index < len(values) else None
        if item is None:
            lead = _cell_text(raw)
            if check is not None:
                check(number, lead)
            continue
        if _blank(raw):
            # A field asked only on a condition is required only where the row meets it: the record's
            # checks, which evaluate the condition, say so for that row.
            if item.required and not item.relevant:
                errors.append(
                    f"{place}第{number}行「{item.label}」列：{item.required_message or '必填，不能为空'}。"
                )
            continue
        try:
            read[item.name] = convert(item, raw)
        except CellError as error:
            errors.append(f"{place}第{number}行「{item.label}」列：{error}")
    return lead, read


def _read_repeat(data: bytes, file_name: str, sheet: str, repeat: Repeat, rows: list[ImportRow]) -> list[str]:
    """A repeat sheet's rows put into the records they name by their 台账 row: the list under the
    repeat's name, and the sheet's row numbers in `sources`. A sheet left empty gives no rows."""
    fields = columns(repeat)
    place = f"「{sheet}」表"
    found, errors = _sheet(data, file_name, len(fields), sheet)
    if errors:
        return errors
    head = {number: values for number, values in found if number <= NAME_ROW}
    named = _is_name_row(head.get(NAME_ROW, ()), PARENT_KEY)
    layout, errors = _layout(head, named, fields, (PARENT_KEY, PARENT_LABEL), place)
    if not errors and not any(item is None for _, item in layout):
        errors.append(f"{place}缺少「{PARENT_LABEL}」列，请使用下载的模板。")
    if errors:
        return errors
    records = {row.row: row for row in rows}

    def check(number: int, parent: str) -> None:
        if not (parent.isdigit() and int(parent) in records):
            said = f"“{_short(parent)}”不是「{SHEET}」表中填写了记录的行号" if parent else "必填，不能为空"
            errors.append(f"{place}第{number}行「{PARENT_LABEL}」列：{said}。")

    for number, values in found:
        if number <= (NAME_ROW if named else LABEL_ROW):
            continue
        parent, read = _read_cells(number, values, layout, errors, place, check)
        record = records.get(int(parent)) if parent.isdigit() else None
        if record is not None and read:
            record.values.setdefault(repeat.name, []).append(read)
            record.sources.setdefault(repeat.name, []).append(number)
        if enough_errors(errors):
            break
    return errors


# ---- one cell ----


def convert(item: Field, raw: Any) -> Any:
    """The value of a non-blank cell as `item` wants it; CellError says why not."""
    kind = item.type
    if isinstance(raw, str) and raw in EXCEL_ERRORS:
        # openpyxl gives "#VALUE!" for a number too large for a date cell: 20260310 typed into one.
        hint = "日期请写作 2026-03-10" if kind == "date" else "请改为要填写的内容"
        raise CellError(f"单元格是 Excel 的错误值“{raw}”，{hint}。")
    if kind == "integer":
        return int(_number(raw, item, 0))
    if kind == "decimal":
        return _number(raw, item, DECIMAL_PLACES)
    if kind == "date":
        return _date(raw)
    if kind == "select_one":
        return _choice(_cell_text(raw), item)
    if kind == "select_multiple":
        return _choices(_cell_text(raw), item)
    if kind == "geopoint":
        return _geopoint(_cell_text(raw))
    return _cell_text(raw)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _cell_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a number typed in a text cell: 123, not 123.0
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    return str(raw).strip()


def _normal(text: str) -> str:
    """Text as a clerk may type it: full-width letters and digits read as their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


def _number(raw: Any, item: Field, places: int) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"应填数字，而不是“{raw}”。")
    if isinstance(raw, int):
        return Decimal(raw)
    # A float from Excel is written with the digits it shows (0.1+0.2 reads as 0.3, not 0.30000000000000004).
    text = format(raw, ".15g") if isinstance(raw, float) else _cell_text(raw)
    try:
        number = parse_entered_number(text, item.label or item.name, places=places)
    except NumberInputError as error:
        raise CellError(str(error)) from None
    if number is None:
        raise CellError("应填数字。")
    return number


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw == int(raw) and DATE_DIGITS.fullmatch(str(int(raw))):
            return _date_from_text(str(int(raw)))
        if SERIAL_RANGE[0] <= raw <= SERIAL_RANGE[1]:
            found = from_excel(raw)
            if isinstance(found, datetime):
                return found.date()
        _refuse_date(raw)
    return _date_from_text(_normal(_cell_text(raw)))


def _date_from_text(text: str) -> date:
    match = DATE_TEXT.fullmatch(text) or DATE_DIGITS.fullmatch(text)
    if match is None:
        _refuse_date(text)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"“{text}”不是有效的日期。") from None


def _refuse_date(raw: Any) -> NoReturn:
    shown = _cell_text(raw)
    shown = shown if len(shown) <= 24 else shown[:24] + "…"
    raise CellError(f"应填日期，如 2026-03-10 或 2026年3月10日，而不是“{shown}”。")


@lru_cache(maxsize=256)  # once per field of an import, not once per cell
def _choice_map(item: Field) -> dict[str, str]:
    found: dict[str, str] = {}
    for choice in item.choices:
        found.setdefault(_normal(choice.name), choice.name)
    for choice in item.choices:  # a label wins over a name that happens to read the same
        found[_normal(choice.label or choice.name)] = choice.name
    return found


def _choice(text: str, item: Field) -> str:
    name = _choice_map(item).get(_normal(text))
    if name is None:
        raise CellError(f"“{_short(text)}”不是可选项(可选：{_options(item)})。")
    return name


def _choices(text: str, item: Field) -> tuple[str, ...]:
    known = _choice_map(item)
    names: list[str] = []
    for part in MULTIPLE_SEPARATORS.split(text):
        if not part.strip():
            continue
        name = known.get(_normal(part))
        if name is None:
            raise CellError(f"“{_short(part)}”不是可选项(可选：{_options(item)}，多项用“、”分隔)。")
        if name not in names:
            names.append(name)
    return tuple(names)


def _options(item: Field, most: int = 10) -> str:
    labels = [choice.label or choice.name for choice in item.choices]
    return "、".join(labels[:most]) + ("等" if len(labels) > most else "")


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:24] + "…"


def _geopoint(text: str) -> str:
    parts = [p for p in re.split(r"[\s,，]+", _normal(text)) if p]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 4 or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise CellError(f"应填“纬度 经度”，如 30.5123 114.3011，而不是“{_short(text)}”。")
    if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
        raise CellError(f"纬度应在-90到90之间、经度应在-180到180之间(“{_short(text)}”)。")
    return " ".join(parts)


def labels_of(item: Field, names: Iterable[str]) -> str:
    """The labels of choice names, "、"-separated, as a clerk would type them back (for exports)."""
    by_name = {choice.name: choice.label or choice.name for choice in item.choices}
    return "、".join(by_name.get(name, name) for name in names)
