"""Excel for projects: the monthly investment template and its upload, and the weekly dispatch sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhenwu.core.periods import Period, parse_period
from zhenwu.core.text import printable_cells, text_problem
from zhenwu.web.downloads import XLSX, attachment, enough_errors, read_template, read_upload
from zhenwu.web.downloads import sign_pending as _sign
from zhenwu.web.downloads import unsign_pending as _unsign

from . import services
from .models import InvestmentValue, Project

__all__ = ["XLSX", "attachment"]

SHEET = "完成投资"
HEADERS = ["项目编号", "项目名称", "年度计划投资(万元)", "上月累计(万元)", "本月累计(万元)", "备注"]
FIRST_ROW = 4
WAN = Decimal(10000)
SALT = "zhenwu.projects.investment"
UPLOAD_KIND = "investment"  # its limits: zhenwu.core.uploads.LIMITS
# An amount in 万元 that fits InvestmentValue.amount (16 digits, 2 of them decimals, in 元).
MAX_WAN = Decimal(10) ** 10
NOTE_LENGTH = InvestmentValue._meta.get_field("note").max_length or 200
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="EEF1F4")


def _bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _wan(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount / WAN)


def investment_template(projects: list[Project], period: Period) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"重点项目{period.full_label}完成投资填报表"])
    sheet.append(["期间", period.key, "“本月累计”填本年1月至本月的累计完成投资，单位万元。"])
    sheet.append(HEADERS)
    previous = period.previous_month()
    for project in projects:
        before = services.investment_progress(project, previous).completed if previous else None
        now = services.investment_progress(project, period)
        current = now.completed if now.record and now.record.month == period.month else None
        sheet.append(
            printable_cells(
                [project.pk, project.name, _wan(project.planned_investment), _wan(before), _wan(current), ""]
            )
        )
    for cell in sheet[3]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
    for column, width in enumerate([10, 36, 18, 16, 16, 30], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return _bytes(book)


@dataclass
class ParsedInvestments:
    period: Period | None = None
    rows: list[tuple[Project, Decimal, str, str]] = field(default_factory=list)  # project, 元, note, where
    errors: list[str] = field(default_factory=list)


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise ValueError(f"{where}：请填写本月累计完成投资(万元)。")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        raise ValueError(f"{where}：本月累计应填数字(万元)，而不是“{value}”。") from None
    if not amount.is_finite():  # Decimal reads "NaN" and "Infinity" too
        raise ValueError(f"{where}：本月累计应填数字(万元)，而不是“{value}”。")
    if abs(amount) >= MAX_WAN:
        raise ValueError(f"{where}：本月累计{value}万元超出范围，请检查单位(万元)。")
    return amount * WAN


def _project_number(key: Any) -> int | None:
    if isinstance(key, bool):  # TRUE is not project 1
        return None
    if isinstance(key, int):
        return key
    text = str(key or "").strip()
    # ASCII digits only: "²".isdigit() is true and int() refuses it, and int() refuses 5,000 digits too.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def read_investments(
    upload: IO[bytes] | bytes, projects: QuerySet[Project], name: str = "上传的文件"
) -> ParsedInvestments:
    """Every problem named by row and column; unknown projects and projects out of scope look alike."""
    parsed = ParsedInvestments()
    try:
        data = read_upload(upload, name, UPLOAD_KIND)
        parsed.period, rows = read_template(data, SHEET, HEADERS, name=name, kind=UPLOAD_KIND)
    except ValidationError as error:
        parsed.errors.extend(error.messages)
        return parsed
    by_pk = {p.pk: p for p in projects}
    seen: dict[int, int] = {}
    for number, row in rows:
        _read_row(parsed, number, list(row) + [None] * len(HEADERS), by_pk, seen)
        if enough_errors(parsed.errors):
            break
    return parsed


def _read_row(
    parsed: ParsedInvestments, number: int, cells: list[Any], by_pk: dict[int, Project], seen: dict[int, int]
) -> None:
    where = f"第{number}行"
    key = cells[0]
    project = by_pk.get(_project_number(key))
    if project is None:
        shown = str(key) if len(str(key)) <= 20 else f"{str(key)[:20]}…"
        parsed.errors.append(f"{where}A列：找不到项目编号“{shown}”。")
        return
    if project.pk in seen:
        parsed.errors.append(f"{where}：与第{seen[project.pk]}行是同一个项目。")
        return
    seen[project.pk] = number
    try:
        amount = _amount(cells[4], f"{where}E列")
    except ValueError as error:
        parsed.errors.append(str(error))
        return
    note = str(cells[5] or "").strip()
    if problem := text_problem(note):
        parsed.errors.append(f"{where}F列：“备注”{problem}。")
        return
    if len(note) > NOTE_LENGTH:
        parsed.errors.append(f"{where}F列：备注不能超过{NOTE_LENGTH}字。")
        return
    parsed.rows.append((project, amount, note, where))


def sign_pending(parsed: ParsedInvestments) -> str:
    assert parsed.period is not None
    rows = [[p.pk, str(amount), note, where] for p, amount, note, where in parsed.rows]
    return _sign({"period": parsed.period.key, "rows": rows}, SALT)


def unsign_pending(token: str) -> ParsedInvestments:
    payload = _unsign(token, SALT)
    projects = Project.objects.in_bulk({r[0] for r in payload["rows"]})
    rows = [
        (projects[pk], Decimal(a), note, where) for pk, a, note, where in payload["rows"] if pk in projects
    ]
    return ParsedInvestments(period=parse_period(payload["period"]), rows=rows)


DISPATCH_HEADERS = ["序号", "项目名称", "责任站所", "责任领导", "阶段", "年度计划(万元)", "累计完成(万元)",
                    "本周进展", "下周计划", "存在问题", "逾期节点"]  # fmt: skip


def _dispatch_cells(line: services.DispatchLine) -> list[Any]:
    project, note = line.project, line.note
    overdue = "；".join(f"{m.name}(计划{m.planned_date:%m-%d})" for m in line.overdue)
    problems = "；".join(
        [*([note.problems] if note and note.problems else []), *(c.title for c in line.problems)]
    )
    progress = [note.this_week if note else "未填报", note.next_week if note else "", problems]
    money = [_wan(line.investment.planned), _wan(line.investment.completed)]
    return [
        project.name,
        project.department.name,
        project.leader,
        project.get_stage_display(),
        *money,
        *progress,
        overdue,
    ]


def dispatch_workbook(lines: list[services.DispatchLine], week: date) -> bytes:
    """周调度表 as offices print it: title, the week, one row per active project."""
    book = Workbook()
    sheet = book.active
    sheet.title = "周调度"
    sunday = week + timedelta(days=6)
    sheet.append([f"重点项目周调度表（{week:%Y年%m月%d日}—{sunday:%m月%d日}）"])
    sheet.append(DISPATCH_HEADERS)
    for n, line in enumerate(lines, start=1):
        sheet.append(printable_cells([n, *_dispatch_cells(line)]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DISPATCH_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), HEAD
    for column, width in enumerate([6, 30, 12, 10, 8, 14, 14, 36, 30, 26, 30], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _bytes(book)
