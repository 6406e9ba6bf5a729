"""The bulletin, the ranking and the rectification notice as .docx and .xlsx files."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from zhenwu.core.text import printable_cells
from zhenwu.documents.docx import (
    add_signature,
    add_table,
    add_text,
    add_title,
    official_document,
    to_bytes,
)
from zhenwu.documents.model import Style, date_text

from .models import RectificationNotice
from .services import Bulletin, Figures, Ranking

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Full-width spaces: room to sign by hand, and for the year, month and day.
RECEIPT_BLANK = "\u3000" * 8
RECEIPT_DATE_BLANK = "\u3000" * 3 + "年" + "\u3000" * 2 + "月" + "\u3000" * 2 + "日"
FIGURE_HEADERS = [
    "收件",
    "办结",
    "办结率(%)",
    "按期办结",
    "按期办结率(%)",
    "平均用时(小时)",
    "中位用时(小时)",
    "当前超期",
]


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


def figure_cells(f: Figures) -> list[object]:
    return [
        f.received,
        f.resolved,
        _pct(f.resolution_rate),
        f.on_time,
        _pct(f.on_time_rate),
        _pct(f.average_hours),
        _pct(f.median_hours),
        f.overdue,
    ]


# The bulletin, the ranking and the notice are official documents: they use the GB/T 9704 renderer of
# `documents` (page, fonts, page numbers), with tables for the figures.


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = official_document()
    add_title(document, f"{bulletin.unit.name}事件办理一周一通报")
    _centred(document, f"({bulletin.start:%Y年%m月%d日}—{bulletin.end:%Y年%m月%d日})")
    # The file's title names the week: a leader's inbox and folder hold one bulletin a week.
    week = f"{date_text(bulletin.start)}—{date_text(bulletin.end)}"
    document.core_properties.title = f"{bulletin.unit.name}事件办理一周一通报（{week}）"
    t = bulletin.report.total
    add_text(
        document,
        f"本周共收件{t.received}件，办结{t.resolved}件，办结率{_pct(t.resolution_rate)}%，"
        f"按期办结率{_pct(t.on_time_rate)}%；截至目前超期未办结{t.overdue}件。",
    )
    add_text(document, "一、各单元办理情况", Style.HEADING1)
    add_table(
        document, ["单元", *FIGURE_HEADERS], [[u.name, *figure_cells(f)] for u, f in bulletin.report.by_child]
    )
    add_text(document, "二、分类型情况", Style.HEADING1)
    add_table(
        document, ["类型", *FIGURE_HEADERS], [[n, *figure_cells(f)] for n, f in bulletin.report.by_type]
    )
    add_text(document, "三、超期未办结事件", Style.HEADING1)
    add_table(
        document,
        ["编号", "标题", "承办单元", "期限"],
        [
            [c.number, c.title, c.handling_unit.name, f"{timezone.localtime(c.deadline):%Y-%m-%d}"]
            for c in bulletin.overdue
        ],
    )
    add_text(document, "四、网格员走访情况", Style.HEADING1)
    add_table(document, ["网格", "走访次数"], [[v.label, v.count] for v in bulletin.visits_by_grid])
    return to_bytes(document)


def ranking_docx(ranking: Ranking) -> bytes:
    document = official_document()
    add_title(document, f"{ranking.unit.name}事件办理一月一排名")
    month = f"{ranking.start.year}年{ranking.start.month}月"
    document.core_properties.title = f"{ranking.unit.name}事件办理一月一排名（{month}）"
    add_text(
        document,
        f"({ranking.start:%Y年%m月})按按期办结率排名（并列同名次），收件不足{ranking.minimum}件的单元另列。",
    )
    headers = ["名次", "单元", *FIGURE_HEADERS]
    add_table(document, headers, [[r.rank, r.unit.name, *figure_cells(r.figures)] for r in ranking.ranked])
    add_text(document, f"收件不足{ranking.minimum}件、不参与排名的单元", Style.HEADING1)
    add_table(document, headers[1:], [[r.unit.name, *figure_cells(r.figures)] for r in ranking.too_few])
    return to_bytes(document)


def notice_docx(notice: RectificationNotice) -> bytes:
    case = notice.case
    document = official_document()
    add_title(document, "安全生产隐患整改通知书")
    _centred(document, notice.number)
    add_text(document, f"{notice.addressee}：").paragraph_format.first_line_indent = Pt(0)
    add_text(
        document,
        f"经检查，你单位（个人）在{case.place or case.org_unit.name}存在以下安全隐患："
        f"{case.description}（隐患类别：{case.category.name}，事件编号{case.number}）。",
    )
    add_text(document, f"整改要求：{notice.requirements}")
    add_text(
        document,
        f"请于{date_text(notice.deadline)}前整改完毕，并将整改情况书面报告。逾期未整改的，依法依规处理。",
    )
    issued = timezone.localtime(notice.issued_at).date()
    add_signature(document, f"{notice.township.name}人民政府", date_text(issued))  # signed and sealed
    # The officer leaves with the addressee's signature and date on the township's copy: proof of service,
    # from which the deadline is enforced.
    receipt = add_text(document, f"被通知单位（个人）签收：{RECEIPT_BLANK}签收日期：{RECEIPT_DATE_BLANK}")
    receipt.paragraph_format.first_line_indent = Pt(0)
    receipt.paragraph_format.space_before = Pt(32)
    return to_bytes(document)


def _centred(document: Any, text: str) -> None:
    add_text(document, text).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _sheet_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(sheet: object, headers: list[str], rows: list[list[object]]) -> None:
    sheet.append(headers)  # type: ignore[attr-defined]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for row in rows:
        cells = printable_cells(float(v) if isinstance(v, Decimal) else v for v in row)
        sheet.append(cells)  # type: ignore[attr-defined]


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    workbook = Workbook()
    units = workbook.active
    units.title = "各单元"
    _write(
        units, ["单元", *FIGURE_HEADERS], [[u.name, *figure_cells(f)] for u, f in bulletin.report.by_child]
    )
    _write(
        workbook.create_sheet("分类型"),
        ["类型", *FIGURE_HEADERS],
        [[n, *figure_cells(f)] for n, f in bulletin.report.by_type],
    )
    _write(
        workbook.create_sheet("超期事件"),
        ["编号", "标题", "承办单元", "期限"],
        [
            [c.number, c.title, c.handling_unit.name, f"{timezone.localtime(c.deadline):%Y-%m-%d}"]
            for c in bulletin.overdue
        ],
    )
    _write(
        workbook.create_sheet("走访"),
        ["网格", "走访次数"],
        [[v.label, v.count] for v in bulletin.visits_by_grid],
    )
    return _sheet_bytes(workbook)


def ranking_xlsx(ranking: Ranking) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "排名"
    headers = ["名次", "单元", *FIGURE_HEADERS]
    rows = [[r.rank, r.unit.name, *figure_cells(r.figures)] for r in ranking.ranked]
    rows += [["不参与排名", r.unit.name, *figure_cells(r.figures)] for r in ranking.too_few]
    _write(sheet, headers, rows)
    return _sheet_bytes(workbook)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, DOCX, filename)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, XLSX, filename)
