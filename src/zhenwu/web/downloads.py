"""What every export and import shares: the xlsx content type, a download name in Chinese, and a
signed dry-run payload so that a confirmation saves exactly what the user was shown."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.core import signing
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

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


def read_template(data: bytes, sheet: str, headers: list[str]) -> tuple[Period, list[tuple[Any, ...]]]:
    """The period (row 2, column B) and every row of a filled-in template sheet whose third row is
    `headers`; a ValidationError says in Chinese what is wrong with the file as a whole."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types (zip, XML, key errors) for a non-workbook
        raise ValidationError("无法打开该文件：请上传用模板填写的 .xlsx 文件。") from error
    if sheet not in book.sheetnames:
        raise ValidationError(
            f"找不到工作表“{sheet}”(现有：{'、'.join(book.sheetnames)})，请使用下载的模板。"
        )
    rows = list(book[sheet].iter_rows(values_only=True))
    if len(rows) < 3 or [str(c or "").strip() for c in rows[2][: len(headers)]] != headers:
        raise ValidationError(f"第3行应为表头：{'、'.join(headers)}。请使用下载的模板。")
    try:
        period = parse_period(str(rows[1][1] if len(rows[1]) > 1 else ""))
    except PeriodError as error:
        raise ValidationError("第2行B列：期间应写作 2026-08 这样的年月，请使用下载的模板。") from error
    return period, rows
