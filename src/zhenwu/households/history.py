"""History of households from Excel: monitoring identifications (防返贫监测对象) and monthly benefit grants
(低保, 特困供养), with their real dates, for a township that starts in the middle of a year.

They follow the register and roll imports (`excel`): the same row and column messages, the same limits,
all or nothing, a dry run first, one `RegisterImport` row for the import and every record written through
the model so that the activity log holds it. A household is named by its 户编号 or by a person's
identity number; an identity number is used only to find the household, never shown back.

A re-import adds nothing: a row that matches a record already there (the same household, type and date)
is passed over; one that contradicts it is a fault.

Benefits are entitlements: a grant says from when to when a household receives how much a month, and
the 低保金 figure (`services.benefit_paid`) is computed from it. There are no payment records to import:
a second record of the money paid would be a second source for that figure, which could disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.core.periods import date_problem
from zhenwu.org import scope
from zhenwu.org.models import User

from . import crypto, services
from .excel import BATCH_SIZE, Report, _common_unit, _rows
from .models import (
    Benefit,
    BenefitKind,
    Household,
    Member,
    MonitoringCase,
    MonitoringCategory,
    MonitoringState,
    RegisterImport,
    Relation,
    RiskCause,
)

UPLOAD_KIND = "household_history"  # its limits: zhenwu.core.uploads.LIMITS
MONITORING_COLUMNS = ["户编号", "户主身份证号", "监测类型", "识别日期", "风险类型", "帮扶措施", "状态"]
MONITORING_COLUMNS += ["风险消除日期"]
BENEFIT_COLUMNS = ["户编号", "身份证号", "救助类型", "月救助金额", "起始日期", "终止日期"]
CATEGORIES = {label: value for value, label in MonitoringCategory.choices}
CAUSES = {label: value for value, label in RiskCause.choices}
CAUSES |= {f"因{label}": value for label, value in list(CAUSES.items()) if not label.startswith("因")}
MONITORED_WORDS = {"监测中", "未消除", ""}
ELIMINATED_WORDS = {"风险已消除", "已消除", "已消除风险"}
BENEFIT_KINDS = {"低保": BenefitKind.DIBAO, "特困": BenefitKind.TEKUN, "特困供养": BenefitKind.TEKUN}
MAX_MONTHLY = Decimal(10) ** 8  # Benefit.monthly_amount holds 10 digits, 2 of them decimals
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
SEPARATORS = re.compile(r"[、,，;；\s]+")
NOTES = {
    "户编号": "户编号或身份证号至少填一项；户须已在农户名册中(先导入户籍登记)",
    "户主身份证号": "可空；18位，须是该户户主",
    "身份证号": "可空；该户任一成员的身份证号(救助记在其所在户)",
    "监测类型": "脱贫不稳定户、边缘易致贫户、突发严重困难户 之一",
    "识别日期": "必填；如 2026-03-10，不能晚于今天",
    "风险类型": "因病、因残、因学、因灾、因意外事故、务工就业不稳、缺劳动力、其他；多个以顿号分隔",
    "帮扶措施": "可空",
    "状态": "监测中 或 风险已消除(可空，即监测中)",
    "风险消除日期": "状态为风险已消除时必填，不早于识别日期",
    "救助类型": "低保 或 特困供养(按月发放的救助；临时救助请逐笔登记)",
    "月救助金额": "大于0的金额(元)，最多两位小数",
    "起始日期": "必填；开始享受的月份的某日，如 2026-03-01",
    "终止日期": "可空(仍在享受)；不早于起始日期",
}


def _day(text: str) -> date | None:
    from datetime import datetime

    text = text.strip().split(" ")[0]  # a date cell comes as "2026-03-10 00:00:00"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    return None


def _date_cell(
    row: int, column: str, text: str, report: Report, *, required: bool, history: bool = True
) -> date | None:
    """A date in a cell, or None with the fault reported; history dates cannot be after today."""
    if not text:
        if required:
            report.fault(row, column, f"{column}不能为空。")
        return None
    day = _day(text)
    today = timezone.localdate()
    if day is None:
        report.fault(row, column, f"「{text[:20]}」不是日期，请写成 2026-03-10 的格式。")
    elif history and day > today:
        report.fault(row, column, f"{day:%Y-%m-%d}晚于今天。")
    elif problem := date_problem(day, today):
        report.fault(row, column, f"日期{problem}。")
    else:
        return day
    return None


@dataclass
class _Finder:
    """Households in the user's scope by number, and people by identity number (blind index)."""

    user: User

    def households(self, numbers: list[str]) -> dict[str, Household]:
        found: dict[str, Household] = {}
        households = scope.scoped(self.user, Household.objects.select_related("org_unit"))
        for start in range(0, len(numbers), BATCH_SIZE):
            for household in households.filter(number__in=numbers[start : start + BATCH_SIZE]):
                found[household.number] = household
        return found

    def members(self, indexes: list[str]) -> dict[str, Member]:
        found: dict[str, Member] = {}
        members = scope.scoped(self.user, Member.objects.select_related("household__org_unit"))
        for start in range(0, len(indexes), BATCH_SIZE):
            for member in members.filter(id_number_index__in=indexes[start : start + BATCH_SIZE]):
                found[member.id_number_index] = member
        return found


def _index(text: str) -> str | None:
    """The blind index of an identity number, or None when empty; a bad number is reported in its row's
    turn (`_id_fault`)."""
    if not text:
        return None
    try:
        return crypto.blind_index(idcard.parse(text).number)
    except idcard.IdNumberError:
        return None


def _id_fault(row: int, column: str, text: str, report: Report) -> bool:
    if not text:
        return False
    try:
        idcard.parse(text)
    except idcard.IdNumberError as error:
        report.fault(row, column, str(error))
        return True
    return False


def _household(
    row: int,
    number: str,
    index: str | None,
    id_column: str,
    households: dict[str, Household],
    members: dict[str, Member],
    report: Report,
    *,
    head_only: bool,
) -> Household | None:
    """The household a row names by number or by a person's identity number (both must agree)."""
    by_number = households.get(number) if number else None
    if number and by_number is None:
        report.fault(row, "户编号", f"农户名册中没有户编号{number}(或不在您的管辖范围内)，请先导入名册。")
        return None
    member = members.get(index) if index else None
    if index and member is None:
        report.fault(row, id_column, "农户名册中没有此人(或不在您的管辖范围内)，请先导入名册。")
        return None
    if member is not None:
        if head_only and member.relation != Relation.HEAD:
            report.fault(row, id_column, f"此人不是户{member.household.number}的户主。")
            return None
        if by_number is not None and member.household_id != by_number.pk:
            report.fault(row, id_column, f"此人不在户{number}中，与「户编号」不一致。")
            return None
        return member.household
    if by_number is None:
        report.fault(row, "户编号", f"请填写户编号或{id_column}。")
    return by_number


Parsed = list[tuple[int, dict[str, str], str | None]]  # (row, cells, the identity number's index)


def _lookups(user: User, parsed: Parsed) -> tuple[dict[str, Household], dict[str, Member]]:
    finder = _Finder(user)
    numbers = sorted({cells["户编号"] for _, cells, _ in parsed if cells["户编号"]})
    indexes = sorted({index for _, _, index in parsed if index})
    return finder.households(numbers), finder.members(indexes)


def _log_import(user: User, kind: str, households: list[Household], file_name: str, report: Report) -> None:
    RegisterImport.objects.create(
        actor=user,
        org_unit=_common_unit(user, [h.org_unit for h in households]),
        kind=kind,
        file_name=file_name[:255],
        rows=report.rows,
        households=len({h.pk for h in households}),
    )
    report.written = True


# --- monitoring --------------------------------------------------------------------------------------


@dataclass
class _Identification:
    row: int
    household: Household
    category: str
    identified_on: date
    causes: list[str]
    measures: str
    eliminated_on: date | None


def import_monitoring(user: User, source: IO[bytes] | bytes, file_name: str, *, dry_run: bool) -> Report:
    """Read a monitoring list (one row per identification) and, when every row is right, write it all.

    `report.households`: identifications that are (or would be) new; rows already imported are passed over.
    """
    report = Report()
    read = _read(
        user, source, file_name, MONITORING_COLUMNS, "户主身份证号", "您的角色不能导入监测对象。", report
    )
    if read is None:
        return report
    parsed, households, members = read
    new: list[_Identification] = []
    seen: dict[int, int] = {}
    for row, cells, index in parsed:
        if report.stopped:
            return report
        found = _identification(row, cells, index, households, members, report)
        if found is None:
            continue
        if found.household.pk in seen:
            report.fault(row, "户编号", f"与第{seen[found.household.pk]}行是同一户：一户只导入一条监测记录。")
            continue
        seen[found.household.pk] = row
        if not _already_monitored(found, report):
            new.append(found)
    if _ready_to_write(report, len(new), dry_run, MONITORING_COLUMNS):
        _write_monitoring(user, new, file_name, report)
    return report


def _read(
    user: User, source: IO[bytes] | bytes, file_name: str, columns: list[str], id_column: str, refusal: str,
    report: Report,
) -> tuple[Parsed, dict[str, Household], dict[str, Member]] | None:  # fmt: skip
    """The rows of a list, each with its identity number's index, and the households and members they
    name; None when the user may not import or the file cannot be read (the report says why)."""
    if not services.may_edit_register(user):
        report.errors.append(refusal)
        return None
    parsed: Parsed = []
    for row, cells in _rows(_stream(source), file_name, UPLOAD_KIND, columns, report):
        if report.stopped:
            break
        report.rows += 1
        parsed.append((row, cells, _index(cells[id_column])))
    if report.stopped:
        return None
    households, members = _lookups(user, parsed)
    return parsed, households, members


def _ready_to_write(report: Report, new: int, dry_run: bool, columns: list[str]) -> bool:
    """Count what is new, refuse an empty file, list the faults in the order of the sheet; True when
    the import is clean and not a dry run."""
    report.in_order(columns)
    report.households = new
    if report.rows == 0 and report.ok:
        report.errors.append("文件中没有数据行。")
    return report.ok and not dry_run


def _row_household(
    row: int,
    cells: dict[str, str],
    index: str | None,
    column: str,
    households: dict[str, Household],
    members: dict[str, Member],
    report: Report,
) -> Household | None:
    """The household a row names by 户编号 and the identity number in `column` (the head's, for a
    monitoring identification; any member's, for a grant); None after reporting why."""
    if _id_fault(row, column, cells[column], report):
        return None
    return _household(
        row, cells["户编号"], index, column, households, members, report, head_only=column == "户主身份证号"
    )


def _identification(
    row: int,
    cells: dict[str, str],
    index: str | None,
    households: dict[str, Household],
    members: dict[str, Member],
    report: Report,
) -> _Identification | None:
    faults = len(report.errors)
    household = _row_household(row, cells, index, "户主身份证号", households, members, report)
    category = CATEGORIES.get(cells["监测类型"])
    if category is None:
        report.fault(
            row, "监测类型", f"未知的监测类型「{cells['监测类型']}」，可用：{'、'.join(CATEGORIES)}。"
        )
    causes = [c for c in SEPARATORS.split(cells["风险类型"]) if c]
    unknown = [c for c in causes if c not in CAUSES]
    if unknown:
        names = "、".join(RiskCause.labels)
        report.fault(row, "风险类型", f"未知的风险类型「{'、'.join(unknown)}」，可用：{names}。")
    elif not causes:
        report.fault(row, "风险类型", "请至少填写一种风险类型。")
    identified = _date_cell(row, "识别日期", cells["识别日期"], report, required=True)
    eliminated = _date_cell(row, "风险消除日期", cells["风险消除日期"], report, required=False)
    state = cells["状态"]
    if state not in MONITORED_WORDS | ELIMINATED_WORDS:
        report.fault(row, "状态", f"未知的状态「{state}」，可用：监测中、风险已消除。")
    elif state in ELIMINATED_WORDS and eliminated is None and not cells["风险消除日期"]:
        report.fault(row, "风险消除日期", "状态为风险已消除，须填写风险消除日期。")
    elif state in MONITORED_WORDS and cells["风险消除日期"]:
        report.fault(row, "风险消除日期", f"状态为「{state or '监测中'}」，不应有风险消除日期：请核对状态。")
    if identified and eliminated and eliminated < identified:
        report.fault(row, "风险消除日期", f"{eliminated:%Y-%m-%d}早于识别日期({identified:%Y-%m-%d})。")
    if len(report.errors) > faults or household is None or category is None or identified is None:
        return None
    return _Identification(
        row=row,
        household=household,
        category=category,
        identified_on=identified,
        causes=[CAUSES[c] for c in causes],
        measures=cells["帮扶措施"],
        eliminated_on=eliminated if state in ELIMINATED_WORDS else None,
    )


def _already_monitored(found: _Identification, report: Report) -> bool:
    """True when the same identification was imported (or entered) before; a fault when another one of the
    household is still open."""
    cases = found.household.monitoring_cases.all()
    if any(c.identified_on == found.identified_on and c.category == found.category for c in cases):
        return True
    if found.eliminated_on is None and any(c.state != MonitoringState.ELIMINATED for c in cases):
        report.fault(
            found.row, "户编号", f"户{found.household.number}已是监测对象(另一识别日期)，请在现有记录中更新。"
        )
    return False


@transaction.atomic
def _write_monitoring(user: User, new: list[_Identification], file_name: str, report: Report) -> None:
    with acting_as(user):
        for found in new:
            case = MonitoringCase(
                household=found.household,
                category=found.category,
                identified_on=found.identified_on,
                risk_causes=",".join(found.causes),
                measures=found.measures,
            )
            if found.eliminated_on is not None:
                case.state = MonitoringState.ELIMINATED
                case.eliminated_on = found.eliminated_on
                case.elimination_reason = f"历史台账导入({file_name[:60]})：原台账记载风险已消除"
            case.full_clean()
            case.save()
        _log_import(user, RegisterImport.Kind.MONITORING, [f.household for f in new], file_name, report)


# --- benefits ----------------------------------------------------------------------------------------


@dataclass
class _Grant:
    row: int
    household: Household
    kind: str
    monthly_amount: Decimal
    starts_on: date
    ends_on: date | None


def import_benefits(user: User, source: IO[bytes] | bytes, file_name: str, *, dry_run: bool) -> Report:
    """Read monthly benefit grants (低保, 特困供养: one row per grant) and, when every row is right, write
    them all. `report.households`: grants that are (or would be) new; rows already imported are passed over.
    """
    report = Report()
    read = _read(user, source, file_name, BENEFIT_COLUMNS, "身份证号", "您的角色不能导入救助记录。", report)
    if read is None:
        return report
    parsed, households, members = read
    new: list[_Grant] = []
    in_file: dict[tuple[int, str], list[_Grant]] = {}
    for row, cells, index in parsed:
        if report.stopped:
            return report
        grant = _grant(row, cells, index, households, members, report)
        if grant is None:
            continue
        others = in_file.setdefault((grant.household.pk, grant.kind), [])
        clash = next(
            (g for g in others if _overlap(g.starts_on, g.ends_on, grant.starts_on, grant.ends_on)), None
        )
        if clash is not None:
            report.fault(row, "起始日期", f"与第{clash.row}行同一户的同类救助时间重叠。")
            continue
        others.append(grant)
        if not _already_granted(grant, report):
            new.append(grant)
    if _ready_to_write(report, len(new), dry_run, BENEFIT_COLUMNS):
        _write_benefits(user, new, file_name, report)
    return report


def _grant(
    row: int,
    cells: dict[str, str],
    index: str | None,
    households: dict[str, Household],
    members: dict[str, Member],
    report: Report,
) -> _Grant | None:
    faults = len(report.errors)
    household = _row_household(row, cells, index, "身份证号", households, members, report)
    kind = BENEFIT_KINDS.get(cells["救助类型"])
    if kind is None:
        report.fault(
            row, "救助类型", f"未知的救助类型「{cells['救助类型']}」，本表只导入低保、特困供养(按月发放)。"
        )
    amount = _amount(row, cells["月救助金额"], report)
    starts = _date_cell(row, "起始日期", cells["起始日期"], report, required=True, history=False)
    ends = _date_cell(row, "终止日期", cells["终止日期"], report, required=False, history=False)
    if starts and ends and ends < starts:
        report.fault(row, "终止日期", f"{ends:%Y-%m-%d}早于起始日期({starts:%Y-%m-%d})。")
    if len(report.errors) > faults or household is None or kind is None or amount is None or starts is None:
        return None
    return _Grant(row, household, kind, amount, starts, ends)


def _amount(row: int, text: str, report: Report) -> Decimal | None:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not text:
        report.fault(row, "月救助金额", "月救助金额不能为空。")
    elif not amount.is_finite():
        report.fault(row, "月救助金额", f"「{text[:20]}」不是金额。")
    elif amount <= 0:
        report.fault(row, "月救助金额", "金额应大于0。")
    elif amount >= MAX_MONTHLY:
        report.fault(row, "月救助金额", f"金额应小于{MAX_MONTHLY}元。")
    elif amount != amount.quantize(Decimal("0.01")):
        report.fault(row, "月救助金额", "金额最多保留两位小数。")
    else:
        return amount
    return None


def _overlap(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _already_granted(grant: _Grant, report: Report) -> bool:
    """True when the same grant is there already; a fault when another grant of the kind overlaps it."""
    existing = grant.household.benefits.filter(kind=grant.kind).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=grant.starts_on)
    )
    for benefit in existing:
        if not _overlap(benefit.starts_on, benefit.ends_on, grant.starts_on, grant.ends_on):
            continue
        same = (benefit.starts_on, benefit.ends_on, benefit.monthly_amount) == (
            grant.starts_on,
            grant.ends_on,
            grant.monthly_amount,
        )
        if same:
            return True
        label = BenefitKind(grant.kind).label
        report.fault(
            grant.row,
            "起始日期",
            f"户{grant.household.number}已有{benefit.starts_on:%Y-%m-%d}起的{label}，与本行时间重叠或金额不同："
            "请在农户页面修改。",
        )
        return False
    return False


@transaction.atomic
def _write_benefits(user: User, new: list[_Grant], file_name: str, report: Report) -> None:
    with acting_as(user):
        for grant in new:
            benefit = Benefit(
                household=grant.household,
                kind=grant.kind,
                monthly_amount=grant.monthly_amount,
                starts_on=grant.starts_on,
                ends_on=grant.ends_on,
                reason=f"历史台账导入({file_name[:60]})",
            )
            benefit.full_clean()
            benefit.save()
        _log_import(user, RegisterImport.Kind.BENEFITS, [g.household for g in new], file_name, report)


# --- shared ------------------------------------------------------------------------------------------


def _stream(source: IO[bytes] | bytes) -> IO[bytes]:
    from io import BytesIO

    return BytesIO(source) if isinstance(source, bytes) else source


def template(kind: str) -> bytes:
    """An empty monitoring list or benefit sheet, with a sheet saying what each column takes."""
    from .excel import _bytes, _workbook

    columns = MONITORING_COLUMNS if kind == "monitoring" else BENEFIT_COLUMNS
    workbook, _ = _workbook(columns, "监测对象" if kind == "monitoring" else "低保特困")
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for column in columns:
        notes.append([column, NOTES[column]])
    notes.column_dimensions["B"].width = 80
    return _bytes(workbook)
