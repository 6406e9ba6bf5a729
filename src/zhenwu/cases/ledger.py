"""A township's case ledger (台账) brought in with its real dates: one sheet, one case type.

The township starts using zhenwu in the middle of a year; its hazards, petitions and grid events of the
months before are in spreadsheets. Each row becomes a case received, accepted, resolved and verified on
the ledger's dates, with one event per dated step (marked imported, by the importing user), so that the
figures count it in its real period.

An imported case is marked (`Case.imported_at`). Its deadlines are computed from its real dates, so that
on-time figures of the past are true; but it is overdue only from its import on (`CaseQuerySet.overdue`):
nothing before the import could have been done about it here. There is no escalation for the past: the
escalation is a transition a person makes, and the import makes none.

All or nothing: every row is checked first and every fault named by row and column; a dry run stops
there. The township's own number (编号) is kept: a number already imported for this type in this
township is passed over, so importing the same ledger again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.core.text import text_problem
from zhenwu.core.workdays import DayCount
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.web import downloads

from . import services
from .models import Case, CaseCategory, CaseEvent, CaseType, Channel
from .states import State

UPLOAD_KIND = "case_ledger"  # its limits: zhenwu.core.uploads.LIMITS
SIGNING_SALT = "zhenwu.cases.ledger"
COLUMNS = [
    "编号",
    "标题",
    "类别",
    "来源",
    "所在村/社区",
    "网格",
    "地点",
    "反映人",
    "联系电话",
    "受理单位",
    "收到日期",
    "受理日期",
    "办结日期",
    "核查日期",
    "状态",
    "办理情况",
]
REQUIRED = ["编号", "标题", "类别", "收到日期", "状态"]
# Other headings clerks give the same columns.
ALIASES = {
    "事项": "标题",
    "标题/事项": "标题",
    "村/社区": "所在村/社区",
    "所在村": "所在村/社区",
    "所在社区": "所在村/社区",
    "所在网格": "网格",
    "受理站所": "受理单位",
    "承办单位": "受理单位",
    "回访日期": "核查日期",
    "核查/回访日期": "核查日期",
    "销号日期": "核查日期",
    "备注": "办理情况",
    "办理情况/备注": "办理情况",
    "处理情况": "办理情况",
}
DATE_COLUMNS = ["收到日期", "受理日期", "办结日期", "核查日期"]
# The times of day a date alone stands for (Beijing time): steps of one day stay in their order.
STEP_TIMES = {"收到日期": time(9), "受理日期": time(10), "办结日期": time(17), "核查日期": time(18)}
EARLIEST = date(2000, 1, 1)
READ_COLUMNS = 40

# The state labels a clerk writes, and the state each stands for.
STATE_WORDS: dict[str, State] = {
    "待受理": State.REPORTED,
    "已上报": State.REPORTED,
    "未受理": State.REPORTED,
    "上报": State.REPORTED,
    "已受理": State.ACCEPTED,
    "受理": State.ACCEPTED,
    "办理中": State.IN_PROGRESS,
    "处置中": State.IN_PROGRESS,
    "整改中": State.IN_PROGRESS,
    "正在办理": State.IN_PROGRESS,
    "已办结": State.RESOLVED,
    "办结": State.RESOLVED,
    "已完成": State.RESOLVED,
    "已整改": State.RESOLVED,
    "已化解": State.RESOLVED,
    "已销号": State.VERIFIED,
    "核查销号": State.VERIFIED,
    "已核查": State.VERIFIED,
    "已回访": State.VERIFIED,
    "不予受理": State.REJECTED,
}
STATE_NAMES = {
    State.REPORTED: "待受理",
    State.ACCEPTED: "已受理",
    State.IN_PROGRESS: "办理中",
    State.RESOLVED: "已办结",
    State.VERIFIED: "已销号",
    State.REJECTED: "不予受理",
}
# What each state needs among the dates, and which dates it must not have.
NEEDS = {
    State.REPORTED: [],
    State.ACCEPTED: ["受理日期"],
    State.IN_PROGRESS: ["受理日期"],
    State.RESOLVED: ["办结日期"],
    State.VERIFIED: ["办结日期", "核查日期"],
    State.REJECTED: [],
}
FORBIDS = {
    State.REPORTED: ["受理日期", "办结日期", "核查日期"],
    State.ACCEPTED: ["办结日期", "核查日期"],
    State.IN_PROGRESS: ["办结日期", "核查日期"],
    State.RESOLVED: [],
    State.VERIFIED: [],
    State.REJECTED: ["办结日期", "核查日期"],
}
CHANNEL_WORDS = [("12345", Channel.HOTLINE), ("热线", Channel.HOTLINE), ("来信", Channel.VISIT)]
CHANNEL_WORDS += [("来访", Channel.VISIT), ("网格", Channel.GRID_APP)]


@dataclass
class LedgerReport:
    """The outcome of reading a ledger: faults by row and column, and what would be (or was) written.

    `cases`: rows that are (or would be) new cases; `skipped`: rows whose 编号 was imported before.
    `pending`: after a clean dry run, the signed rows a confirmation writes (`apply_pending`)."""

    errors: list[str] = field(default_factory=list)
    rows: int = 0
    cases: int = 0
    skipped: list[str] = field(default_factory=list)
    written: bool = False
    stopped: bool = False
    pending: str = ""
    by_state: dict[str, int] = field(default_factory=dict)
    case_type: str = ""  # the code of the type imported

    def fault(self, row: int, column: str, message: str) -> None:
        self.add(f"第{row}行「{column}」：{message}")

    def add(self, message: str) -> None:
        if not self.stopped:
            self.errors.append(message)
            self.stopped = downloads.enough_errors(self.errors)

    def refuse(self, messages: list[str]) -> None:
        self.errors[:] = messages
        self.stopped = True

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    row: int
    number: str
    title: str
    category: CaseCategory
    source: str
    place: OrgUnit
    spot: str
    reporter_name: str
    reporter_phone: str
    office: Department | None
    dates: dict[str, date]
    state: State
    note: str


# --- who may import --------------------------------------------------------------------------------


def importing_township(user: Any) -> OrgUnit | None:
    """The township a user imports ledgers into: a township admin's own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role != Role.TOWNSHIP_ADMIN or user.org_unit is None:
        return None
    return user.org_unit if user.org_unit.kind == OrgKind.TOWNSHIP else None


def may_import(user: Any) -> bool:
    return importing_township(user) is not None


# --- public entry points ----------------------------------------------------------------------------


def import_ledger(
    user: User, case_type: CaseType, source: IO[bytes] | bytes, file_name: str, *, dry_run: bool
) -> LedgerReport:
    """Check a ledger of `case_type` and, unless `dry_run`, write its new cases (all or none).

    A clean dry run carries `pending`, the checked rows signed, for `apply_pending`."""
    report = LedgerReport()
    township = importing_township(user)
    if township is None:
        report.errors.append("只有乡镇管理员可以导入事件台账。")
        return report
    raw = list(_read(source, file_name, report))
    if report.stopped:
        return report
    return _check_and_write(user, township, case_type, raw, file_name, report, dry_run=dry_run)


def apply_pending(user: User, token: str) -> LedgerReport:
    """Write what a dry run showed (its signed rows), checked again against the database as it is now."""
    report = LedgerReport()
    township = importing_township(user)
    if township is None:
        report.errors.append("只有乡镇管理员可以导入事件台账。")
        return report
    try:
        payload = downloads.unsign_pending(token, SIGNING_SALT)
    except ValidationError as error:
        report.refuse(error.messages)
        return report
    case_type = services.case_type_by_code(str(payload.get("type", "")))
    if case_type is None or payload.get("user") != user.pk:
        report.refuse(["导入已过期或被改动，请重新上传文件。"])
        return report
    raw = [(int(row), dict(cells)) for row, cells in payload["rows"]]
    return _check_and_write(user, township, case_type, raw, str(payload["file"]), report, dry_run=False)


def template(case_type: CaseType) -> bytes:
    """An empty ledger of a type: the header row, and a sheet saying what each column takes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{case_type.name}台账"[:31]
    sheet.append(COLUMNS)
    notes = book.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for column in COLUMNS:
        notes.append([column, NOTES[column]])
    notes.append(["类别可填", "、".join(case_type.categories.values_list("name", flat=True))])
    notes.column_dimensions["B"].width = 80
    from io import BytesIO

    out = BytesIO()
    book.save(out)
    return out.getvalue()


NOTES = {
    "编号": "必填；乡镇台账自己的编号，同一类型内唯一。再次导入时，已导入过的编号跳过",
    "标题": "必填；事项的简要说明(表头也可写“事项”)",
    "类别": "必填；该事件类型的类别名称，见本表末行",
    "来源": "可空；如 12345热线、群众来访、网格员巡查",
    "所在村/社区": "村或社区的名称或编码；与“网格”至少填一项，须在本乡镇内",
    "网格": "可空；网格名称或编码(如 李家村第1网格)",
    "地点": "可空；具体位置",
    "反映人": "可空；个人信息按事件的个人信息规则保存和展示",
    "联系电话": "可空；7到20位数字",
    "受理单位": "可空；本乡镇站所的名称或编码(如 应急管理办)；空则按事件类型的默认受理站所",
    "收到日期": "必填；如 2026-03-10，不能晚于今天，不能早于2000年",
    "受理日期": "已受理、办理中须填；不早于收到日期",
    "办结日期": "已办结、已销号须填；不早于受理日期",
    "核查日期": "可空(表头也可写“回访日期”)；已销号须填；不早于办结日期",
    "状态": "待受理、已受理、办理中、已办结、已销号、不予受理 之一",
    "办理情况": "可空；已办结的作为办理结果，其余记入导入记录",
}


# --- reading ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(source: IO[bytes] | bytes, name: str, report: LedgerReport) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows under the header row, as text by column (dates as YYYY-MM-DD); a refusal stops."""
    try:
        data = source if isinstance(source, bytes) else downloads.read_upload(source, name, UPLOAD_KIND)
        rows = downloads.sheet_rows(data, name, UPLOAD_KIND, width=READ_COLUMNS, head=1)
        with closing(rows):
            positions: dict[str, int] | None = None
            for number, values in rows:
                if positions is None:
                    positions = _positions(number, [_text(v) for v in values], report)
                    if positions is None:
                        return
                    continue
                cells = {c: _text(values[i]) if i < len(values) else "" for c, i in positions.items()}
                if any(cells.values()):
                    yield number, cells
    except ValidationError as error:
        report.refuse(error.messages)


def _positions(number: int, header: list[str], report: LedgerReport) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        column = ALIASES.get(heading, heading)
        if column in COLUMNS and column not in positions:
            positions[column] = index
    problems = downloads.header_problems(header, COLUMNS, row=number, required=REQUIRED, aliases=ALIASES)
    if "所在村/社区" not in positions and "网格" not in positions:
        problems.append("缺少列「所在村/社区」(或「网格」)，请使用下载的模板。")
    if problems:
        report.refuse(problems)
        return None
    return positions


# --- checking --------------------------------------------------------------------------------------


@dataclass
class _Lookups:
    categories: dict[str, CaseCategory]
    villages: dict[str, OrgUnit]
    grids: dict[str, OrgUnit]  # by name or code, within the township
    grids_of: dict[tuple[int, str], OrgUnit]
    offices: dict[str, Department]
    imported: set[str]
    today: date


def _lookups(user: User, township: OrgUnit, case_type: CaseType) -> _Lookups:
    units = scope.visible_units(user).filter(path__startswith=township.path)
    villages: dict[str, OrgUnit] = {}
    grids: dict[str, OrgUnit] = {}
    grids_of: dict[tuple[int, str], OrgUnit] = {}
    for unit in units.filter(kind__in=[OrgKind.VILLAGE, OrgKind.GRID]):
        if unit.kind == OrgKind.VILLAGE:
            villages[unit.name] = villages[unit.code] = unit
        else:
            grids[unit.name] = grids[unit.code] = unit
            assert unit.parent_id is not None
            grids_of[(unit.parent_id, unit.name)] = grids_of[(unit.parent_id, unit.code)] = unit
    offices: dict[str, Department] = {}
    for office in Department.objects.filter(township=township):
        offices[office.name] = offices[office.code] = office
    imported = set(
        Case.objects.filter(case_type=case_type, org_unit__path__startswith=township.path)
        .exclude(ledger_number="")
        .values_list("ledger_number", flat=True)
    )
    return _Lookups(
        categories={c.name: c for c in case_type.categories.all()},
        villages=villages,
        grids=grids,
        grids_of=grids_of,
        offices=offices,
        imported=imported,
        today=timezone.localdate(),
    )


def _check_and_write(
    user: User,
    township: OrgUnit,
    case_type: CaseType,
    raw: list[tuple[int, dict[str, str]]],
    file_name: str,
    report: LedgerReport,
    *,
    dry_run: bool,
) -> LedgerReport:
    report.case_type = case_type.code
    found = _lookups(user, township, case_type)
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    for row, cells in raw:
        if report.stopped:
            break
        report.rows += 1
        checked = _check_row(row, cells, case_type, found, seen, report)
        if checked is not None:
            rows.append(checked)
    if report.rows == 0 and report.ok:
        report.errors.append("文件中没有数据行。")
    if not report.ok:
        report.errors[:] = downloads.in_sheet_order(report.errors, headers={"": COLUMNS})
        return report
    report.cases = len(rows)
    for checked in rows:
        label = _state_label(checked.state)
        report.by_state[label] = report.by_state.get(label, 0) + 1
    if dry_run:
        payload = {"type": case_type.code, "user": user.pk, "file": file_name, "rows": raw}
        report.pending = downloads.sign_pending(payload, SIGNING_SALT)
        return report
    _write(user, case_type, rows, file_name)
    report.written = True
    return report


def _state_label(state: State) -> str:
    return STATE_NAMES[state]


def _check_row(
    row: int,
    cells: dict[str, str],
    case_type: CaseType,
    found: _Lookups,
    seen: dict[str, int],
    report: LedgerReport,
) -> _Row | None:
    faults = len(report.errors)
    for column, text in cells.items():
        if problem := text_problem(text, multiline=column == "办理情况"):
            report.fault(row, column, f"{problem}。")
    number = _number(row, cells, found, seen, report)
    if number is None:
        return None  # passed over (imported before) or faulty
    title = cells.get("标题", "")
    if not title:
        report.fault(row, "标题", "标题不能为空。")
    elif len(title) > 80:
        report.fault(row, "标题", "标题不能超过80个字符。")
    category = found.categories.get(cells.get("类别", ""))
    if category is None:
        names = "、".join(found.categories)
        report.fault(row, "类别", f"{case_type.name}没有类别「{cells.get('类别', '')}」，可用：{names}。")
    place = _place(row, cells, found, report)
    office = None
    if cells.get("受理单位"):
        office = found.offices.get(cells["受理单位"])
        if office is None:
            report.fault(row, "受理单位", f"本乡镇没有站所「{cells['受理单位']}」。")
    phone = _phone(row, cells, report)
    for column, limit in (("来源", 40), ("地点", 120), ("反映人", 32)):
        if len(cells.get(column, "")) > limit:
            report.fault(row, column, f"不能超过{limit}个字符。")
    dates = _dates(row, cells, found.today, report)
    state = _state(row, cells, dates, report)
    if len(report.errors) > faults or category is None or place is None or state is None or dates is None:
        return None
    return _Row(
        row=row,
        number=number,
        title=title,
        category=category,
        source=cells.get("来源", ""),
        place=place,
        spot=cells.get("地点", ""),
        reporter_name=cells.get("反映人", ""),
        reporter_phone=phone,
        office=office,
        dates=dates,
        state=state,
        note=cells.get("办理情况", ""),
    )


def _number(
    row: int, cells: dict[str, str], found: _Lookups, seen: dict[str, int], report: LedgerReport
) -> str | None:
    number = cells.get("编号", "")
    if not number:
        report.fault(row, "编号", "编号不能为空。")
        return None
    if len(number) > 40:
        report.fault(row, "编号", "编号不能超过40个字符。")
        return None
    if number in seen:
        report.fault(row, "编号", f"与第{seen[number]}行编号相同：同一编号只能出现一次。")
        return None
    seen[number] = row
    if number in found.imported:
        report.skipped.append(number)
        return None
    return number


def _place(row: int, cells: dict[str, str], found: _Lookups, report: LedgerReport) -> OrgUnit | None:
    village_text, grid_text = cells.get("所在村/社区", ""), cells.get("网格", "")
    village = None
    if village_text:
        village = found.villages.get(village_text)
        if village is None:
            report.fault(row, "所在村/社区", f"本乡镇没有村/社区「{village_text}」(或不在您的管辖范围内)。")
            return None
    if grid_text:
        grid = found.grids_of.get((village.pk, grid_text)) if village else found.grids.get(grid_text)
        if grid is None:
            where = village.name if village else "本乡镇"
            report.fault(row, "网格", f"{where}没有网格「{grid_text}」。")
            return None
        return grid
    if village is None:
        report.fault(row, "所在村/社区", "请填写所在村/社区或网格。")
    return village


def _phone(row: int, cells: dict[str, str], report: LedgerReport) -> str:
    try:
        return idcard.validate_phone(cells.get("联系电话", ""))
    except ValueError as error:
        report.fault(row, "联系电话", str(error))
        return ""


DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]


def parse_day(text: str) -> date | None:
    """A date as clerks write it: 2026-03-10, 2026/3/10, 2026.3.10, 2026年3月10日, 20260310."""
    text = text.strip().split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    return None


def _dates(row: int, cells: dict[str, str], today: date, report: LedgerReport) -> dict[str, date] | None:
    dates: dict[str, date] = {}
    faulty = False
    for column in DATE_COLUMNS:
        text = cells.get(column, "")
        if not text:
            continue
        day = parse_day(text)
        if day is None:
            report.fault(row, column, f"「{text[:20]}」不是日期，请写成 2026-03-10 的格式。")
        elif day > today:
            report.fault(row, column, f"{day:%Y-%m-%d}晚于今天：台账只记已发生的事。")
        elif day < EARLIEST:
            report.fault(row, column, f"{day:%Y-%m-%d}早于2000年，请核对。")
        else:
            dates[column] = day
            continue
        faulty = True
    if "收到日期" not in dates:
        if not cells.get("收到日期"):
            report.fault(row, "收到日期", "收到日期不能为空。")
        return None
    previous = None
    for column in DATE_COLUMNS:
        if column not in dates:
            continue
        if previous is not None and dates[column] < dates[previous]:
            report.fault(row, column, f"{dates[column]:%Y-%m-%d}早于{previous}({dates[previous]:%Y-%m-%d})。")
            faulty = True
        previous = column
    return None if faulty else dates


def _state(
    row: int, cells: dict[str, str], dates: dict[str, date] | None, report: LedgerReport
) -> State | None:
    word = cells.get("状态", "")
    state = STATE_WORDS.get(word)
    if state is None:
        report.fault(
            row, "状态", f"未知的状态「{word}」，可用：待受理、已受理、办理中、已办结、已销号、不予受理。"
        )
        return None
    if dates is None:
        return state
    if state == State.RESOLVED and "核查日期" in dates:
        state = State.VERIFIED  # resolved, then checked: the ledger's 回访 is the 核查销号
    for column in NEEDS[state]:
        if column not in dates:
            report.fault(row, column, f"状态为「{word}」，须填写{column}。")
    for column in FORBIDS[state]:
        if column in dates:
            report.fault(row, column, f"状态为「{word}」，不应有{column}：请核对状态。")
    return state


# --- writing ---------------------------------------------------------------------------------------


def _moment(day: date, column: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, STEP_TIMES[column]))


def _channel(source: str) -> str:
    return next((channel for word, channel in CHANNEL_WORDS if word in source), Channel.WEB)


@transaction.atomic
def _write(user: User, case_type: CaseType, rows: list[_Row], file_name: str) -> None:
    now = timezone.now()
    marker = {"imported": True, "file": file_name[:120]}
    events: list[CaseEvent] = []
    # Each case saved on its own, so that the activity log records it with the importing user.
    with acting_as(user):
        for row in rows:
            case = _new_case(user, case_type, row, now)
            case.save()
            events.extend(_events(user, case, row, marker))
    CaseEvent.objects.bulk_create(events)


def _new_case(user: User, case_type: CaseType, row: _Row, now: datetime) -> Case:
    received = _moment(row.dates["收到日期"], "收到日期")
    level, unit, department = services._routing(case_type, row.place, None)
    if row.office is not None:
        unit, department = row.place.township() or unit, row.office
        level = 3
    days = case_type.deadline_days
    resolved = row.dates.get("办结日期")
    verified = row.dates.get("核查日期")
    accepted = row.dates.get("受理日期")
    case = Case(
        case_type=case_type,
        category=row.category,
        title=row.title,
        description=row.title,
        org_unit=row.place,
        place=row.spot,
        level=level,
        handling_unit=unit,
        handling_department=department,
        state=row.state,
        channel=_channel(row.source),
        reporter_name=row.reporter_name,
        reporter_phone=row.reporter_phone,
        source=row.source,
        received_at=received,
        deadline=services.due_after(received, days, case_type.deadline_count) if days else None,
        acceptance_deadline=(
            services.due_after(received, case_type.acceptance_days, DayCount.CALENDAR)
            if case_type.acceptance_days
            else None
        ),
        # A refusal is dated by the 受理日期 column (the day it was decided), but the case was never accepted.
        accepted_at=_moment(accepted, "受理日期") if accepted and row.state != State.REJECTED else None,
        resolved_at=_moment(resolved, "办结日期") if resolved else None,
        verified_at=_moment(verified, "核查日期") if verified else None,
        resolution=row.note if row.state in (State.RESOLVED, State.VERIFIED, State.REJECTED) else "",
        imported_at=now,
        ledger_number=row.number,
    )
    return case


def _events(user: User, case: Case, row: _Row, marker: dict[str, Any]) -> list[CaseEvent]:
    """One event per dated step, at its real date, by the importing user, marked imported."""
    steps: list[tuple[str, str, State, datetime, str]] = [
        ("report", "", State.REPORTED, case.received_at, f"台账导入(原编号{row.number})")
    ]
    if row.state == State.REJECTED:
        decided = row.dates.get("受理日期")
        at = _moment(decided, "受理日期") if decided else case.received_at
        steps.append(("reject", State.REPORTED, State.REJECTED, at, row.note))
    if case.accepted_at is not None and row.state != State.REJECTED:
        steps.append(("accept", State.REPORTED, State.ACCEPTED, case.accepted_at, ""))
        if row.state == State.IN_PROGRESS:
            steps.append(("start", State.ACCEPTED, State.IN_PROGRESS, case.accepted_at, row.note))
    if case.resolved_at is not None:
        before = steps[-1][2]
        steps.append(("resolve", before, State.RESOLVED, case.resolved_at, row.note))
    if case.verified_at is not None:
        steps.append(("verify", State.RESOLVED, State.VERIFIED, case.verified_at, ""))
    if row.state == State.ACCEPTED and row.note:
        steps[-1] = (*steps[-1][:4], row.note)
    return [
        CaseEvent(
            case=case,
            action=action,
            from_state=before,
            to_state=after,
            actor=user,
            actor_name=str(user),
            at=at,
            note=note,
            details={**marker, "ledger_number": row.number},
        )
        for action, before, after, at, note in steps
    ]
