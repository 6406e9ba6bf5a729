"""What every export and import shares: the xlsx content type, a download name in Chinese, a signed
dry-run payload so that a confirmation saves exactly what the user was shown, and the one way an uploaded
workbook is read: within its kind's limits (zhenwu.core.uploads, docs/uploads.md), as a stream."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from io import BytesIO
from typing import IO, Any
from urllib.parse import quote

from django.core import signing
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from zhenwu.core import uploads
from zhenwu.core.periods import Period, PeriodError, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PENDING_MAX_AGE = 60 * 60


def attachment(filename: str) -> str:
    """A Content-Disposition value that keeps a Chinese file name in every browser."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def sign_pending(payload: Any, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def unsign_pending(token: str, salt: str) -> Any:
    try:
        return signing.loads(token, salt=salt, max_age=PENDING_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError("导入已过期或被改动，请重新上传文件。") from error


def refused(error: uploads.UploadRefused) -> ValidationError:
    return ValidationError(str(error))


def read_upload(upload: IO[bytes] | bytes, name: str, kind: str) -> bytes:
    """The bytes of an uploaded file, never more than one byte past its kind's size limit."""
    try:
        return uploads.read_capped(upload, name, uploads.LIMITS[kind])
    except uploads.UploadRefused as error:
        raise refused(error) from None


def check_upload_size(upload: Any, kind: str) -> None:
    """A form's early refusal by size, before the file is read."""
    try:
        uploads.check_size(upload.size or 0, upload.name or "", uploads.LIMITS[kind])
    except uploads.UploadRefused as error:
        raise refused(error) from None


def enough_errors(errors: list[str]) -> bool:
    """True, with a last line saying so, once `errors` holds as many faults as a page lists: the
    caller stops checking there."""
    if len(errors) < uploads.MAX_LISTED_ERRORS:
        return False
    del errors[uploads.MAX_LISTED_ERRORS :]
    errors.append(STOPPED)
    return True


STOPPED = f"错误超过{uploads.MAX_LISTED_ERRORS}处，已停止检查：请先改正以上错误再上传。"


# --- naming a cell, the header row, and the order of the messages ------------------------------------


def cell_place(row: int, header: str, sheet: str = "") -> str:
    """Where a cell is, as every import names it: 第5行「本月数值」列, or 「目标」表第5行「1月」列 in a
    workbook of several sheets. The header, not the letter: the clerk sees the header."""
    return f"{f'「{sheet}」表' if sheet else ''}第{row}行「{header}」列"


def header_problems(
    found: Sequence[str],
    expected: Sequence[str],
    *,
    row: int,
    place: str = "",
    required: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    in_order: bool = False,
) -> list[str]:
    """What is wrong with a header row `found` (the cells of row `row`, as text) against the template's
    `expected` headers: every column missing, renamed, unknown or repeated is named, not the row as a
    whole. `place` names the sheet ("「目标」表"); `required` are the columns that must be there (all
    of `expected` by default); `aliases` maps other headings clerks use to the template's; `in_order`
    when the template is read by position, so that a column must also stand where the template has it.
    """
    if not any(found):
        return [f"{place}第{row}行应为表头：{'、'.join(expected)}。请使用下载的模板。"]
    aliases = aliases or {}
    names = [aliases.get(text, text) for text in found]
    needed = list(expected if required is None else required)
    problems: list[str] = []
    named: set[str] = set()
    seen: dict[str, int] = {}
    for index, (text, name) in enumerate(zip(found, names, strict=True)):
        if not text:
            continue
        letter = get_column_letter(index + 1)
        if name in expected:
            if name in seen:
                problems.append(
                    f"{place}第{row}行{letter}列：表头「{text}」与{get_column_letter(seen[name] + 1)}列重复。"
                )
            seen.setdefault(name, index)
            continue
        instead = expected[index] if in_order and index < len(expected) else ""
        if instead and instead not in names:
            named.add(instead)
            problems.append(
                f"{place}第{row}行{letter}列：表头「{text}」应为「{instead}」，请使用下载的模板。"
            )
        else:
            problems.append(
                f"{place}第{row}行{letter}列：表头「{text}」不是模板中的列，请使用下载的模板或删除该列。"
            )
    missing = [
        f"{place}缺少列「{name}」，请使用下载的模板。"
        for name in needed
        if name not in seen and name not in named
    ]
    problems = missing + problems  # as a file's messages are ordered: what names no row first
    if not problems and in_order:
        problems += _out_of_order(names, expected, row, place)
    return problems


def _out_of_order(names: list[str], expected: Sequence[str], row: int, place: str) -> list[str]:
    for index, name in enumerate(expected):
        there = names[index] if index < len(names) else ""
        if there != name:
            letter = get_column_letter(index + 1)
            return [
                f"{place}第{row}行{letter}列：应为「{name}」，现为「{there or '空'}」；"
                "各列的顺序须与模板相同，请使用下载的模板。"
            ]
    return []


# A message's place: an optional sheet (「目标」表, 目标表 or 工作表“目标”), then 第5行 and a column
# (H列, or 「本月数值」 with or without 列).
_PLACE = re.compile(
    r"(?:「(?P<quoted>[^」]+)」表|工作表“(?P<named>[^”]+)”|(?P<bare>[^\s第：“”「」()（）]{1,31}?)表)?"
    r"(?:第(?P<row>\d+)行(?:(?P<letter>[A-Z]{1,3})列|「(?P<header>[^」]+)」)?)?"
)


def in_sheet_order(
    messages: list[str], *, sheets: Sequence[str] = (), headers: Mapping[str, Sequence[str]] | None = None
) -> list[str]:
    """The messages of one file in the order a clerk corrects them: by sheet (in `sheets` order), row
    and column (by letter, or by the header's place in `headers`, keyed by sheet name, "" for a file of
    one sheet). A message that names no row comes first in its sheet; the line saying the check stopped
    stays last. Stable: the messages of one cell keep their order."""
    stopped = [m for m in messages if m == STOPPED]
    rest = [m for m in messages if m != STOPPED]
    return sorted(rest, key=lambda message: _place_key(message, sheets, headers or {})) + stopped


def _place_key(
    message: str, sheets: Sequence[str], headers: Mapping[str, Sequence[str]]
) -> tuple[int, int, int]:
    found = _PLACE.match(message)
    assert found is not None  # every part of the pattern is optional
    sheet = found["quoted"] or found["named"] or found["bare"] or ""
    position = sheets.index(sheet) + 1 if sheet in sheets else 0
    column = 0
    if found["letter"]:
        column = column_index_from_string(found["letter"])
    elif found["header"]:
        known = list(headers.get(sheet, headers.get("", ())))
        column = known.index(found["header"]) + 1 if found["header"] in known else len(known) + 1
    return position, int(found["row"] or 0), column


def sheet_rows(
    data: bytes, name: str, kind: str, *, width: int, head: int, sheet: str | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, the first `width` values) of every row with content in a sheet (the first when
    `sheet` is None) of the uploaded workbook `name`, checked against the limits of `kind`.

    The file is refused as a zip before openpyxl opens it (`uploads.check_archive`), then read as a
    stream: the sheet's claimed dimension is ignored, empty rows are passed over and do not count, and
    the rows after the first `head` count against the row limit. Every refusal is a ValidationError
    naming the file, raised before the first row or when the limit is reached; callers save nothing
    until the rows are all read.
    """
    limit = uploads.LIMITS[kind]
    try:
        uploads.check_size(len(data), name, limit)
        uploads.check_archive(data, name, limit, "xlsx")
    except uploads.UploadRefused as error:
        raise refused(error) from None
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many types (zip, XML, key errors) for a non-workbook
        raise ValidationError(f"无法打开该文件“{name}”：请上传用模板填写的 .xlsx 文件。") from error
    try:
        worksheet = _worksheet(book, sheet)
        worksheet.reset_dimensions()  # a dimension of A1:XFD1048576 would pad every row to 16,384 cells
        opened = getattr(worksheet, "_get_source", None)  # openpyxl 3.1 opens the sheet's part there
        if opened is not None:
            worksheet._get_source = lambda: uploads.WithoutEmptyRows(opened())
        yield from _content_rows(data, name, limit, worksheet, width, head)
    finally:
        book.close()


def _worksheet(book: Any, sheet: str | None) -> Any:
    if sheet is None:
        if not book.worksheets:
            raise ValidationError("工作簿中没有工作表，请使用下载的模板。")
        return book.worksheets[0]
    if sheet not in book.sheetnames:
        raise ValidationError(
            f"找不到工作表“{sheet}”(现有：{'、'.join(book.sheetnames)})，请使用下载的模板。"
        )
    found = book[sheet]
    if not hasattr(found, "iter_rows"):  # a chart sheet of that name
        raise ValidationError(f"“{sheet}”不是工作表，请使用下载的模板。")
    return found


def _content_rows(
    data: bytes, name: str, limit: uploads.Limit, worksheet: Any, width: int, head: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    rows = worksheet.iter_rows(max_col=width, values_only=True)
    number = counted = 0
    while True:
        try:
            values = next(rows, None)
        except Exception as error:  # a cell openpyxl cannot read: ValueError for "NaN", others too
            raise ValidationError(_unreadable(data, name, worksheet, number)) from error
        if values is None:
            return
        number += 1  # openpyxl yields the rows a sheet skips (r="9" after r="2") as empty ones
        if number > uploads.EXCEL_MAX_ROWS:
            raise ValidationError(
                f"文件“{name}”的行号超过 Excel 的上限({uploads.EXCEL_MAX_ROWS}行)，拒绝读取。"
            )
        # Most empty rows are the ones openpyxl makes up for rows the sheet skips: all None, counted in C.
        if values.count(None) == len(values) or all(_blank(value) for value in values):
            continue
        if number > head:
            counted += 1
            try:
                uploads.check_rows(counted, name, limit)
            except uploads.UploadRefused as error:
                raise refused(error) from None
        yield number, values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unreadable(data: bytes, name: str, worksheet: Any, before: int) -> str:
    part = getattr(worksheet, "_worksheet_path", "")  # where openpyxl read the sheet from
    found = uploads.unreadable_number(data, part) if part else None
    if found is None:
        return f"文件“{name}”第{before + 1}行或其后有无法读取的单元格，请检查后重新上传。"
    cell, text = found
    shown = text if len(text) <= 20 else text[:20] + "…"
    return f"文件“{name}”单元格{cell}：数值“{shown}”无法读取，请改为数字或文字后重新上传。"


TEMPLATE_HEAD = 3  # title, period, column headers
EXTRA_COLUMNS = 10


def read_template(
    data: bytes, sheet: str, headers: list[str], *, name: str, kind: str
) -> tuple[Period, list[tuple[int, tuple[Any, ...]]]]:
    """The period (row 2, column B) and the numbered rows with content under the headers (row 3) of a
    filled-in template sheet; a ValidationError says in Chinese what is wrong with the file as a whole.
    The head is checked as soon as it has been read, before the rest of the sheet."""
    top: dict[int, tuple[Any, ...]] = {}
    period: Period | None = None
    body: list[tuple[int, tuple[Any, ...]]] = []
    # A few columns past the template's, so that a column added at the end is seen and named.
    width = len(headers) + EXTRA_COLUMNS
    rows = sheet_rows(data, name, kind, sheet=sheet, width=width, head=TEMPLATE_HEAD)
    with closing(rows):
        for number, values in rows:
            if number <= TEMPLATE_HEAD:
                top[number] = values
                continue
            period = period or _template_head(top, headers)
            body.append((number, values))
    return period or _template_head(top, headers), body


def _template_head(top: dict[int, tuple[Any, ...]], headers: list[str]) -> Period:
    header = [str(c or "").strip() for c in top.get(TEMPLATE_HEAD, ())]
    if problems := header_problems(header, headers, row=TEMPLATE_HEAD, in_order=True):
        raise ValidationError(problems)
    second = top.get(2, ())
    try:
        return parse_period(str(second[1] if len(second) > 1 else ""))
    except PeriodError as error:
        raise ValidationError("第2行B列：期间应写作 2026-08 这样的年月，请使用下载的模板。") from error
