"""The 指标台账 workbook: a township's indicator catalog, annual targets and past months' values in one
file, for a township that starts with a year's history in spreadsheets.

Three sheets, each optional: 指标 (the catalog), 目标 (one row per unit, one column per indicator) and
月度数据 (one row per unit and indicator, one column per month). Reading (`read_workbook`) only copies
the cells into a `Plan` of plain text; `run_plan` checks and writes it in one transaction, sheet after
sheet, so that targets and values may name an indicator the same file creates, and each month's values
are checked against the month before as the month import checks them. A dry run is the same run rolled
back: the preview shows exactly what the confirmation will write.

Public entry points: `import_workbook` (dry run, or apply) and `confirm_pending` (apply what a dry run
signed); `template_workbook` writes the file to fill in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from auditlog.context import auditlog_value, set_extra_data
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhenwu.core import uploads
from zhenwu.core.numbers import float_text, format_plain
from zhenwu.core.periods import Period
from zhenwu.core.text import printable_cells, text_problem
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, User, code_validator
from zhenwu.web import downloads

from . import services
from .excel import BOX, HEAD_FILL, _cell_number, _save
from .models import VALUE_PLACES, Direction, Indicator, IndicatorKind, Target, Value

UPLOAD_KIND = "indicator_values"  # the month import's limits: a catalog of 300 indicators fits in them
SIGNING_SALT = "zhenwu.indicators.workbook"
HEAD = 3  # title, a hint or the year, the column headers

INDICATOR_SHEET, TARGET_SHEET, VALUE_SHEET = "指标", "目标", "月度数据"
SHEETS = (INDICATOR_SHEET, TARGET_SHEET, VALUE_SHEET)
INDICATOR_HEADERS = ["编码", "名称", "计量单位", "类型", "方向", "责任站所", "小数位数", "按村填报"]
MONTHS = [f"{m}月" for m in range(1, 13)]
VALUE_HEADERS = ["单位", "指标", "计量单位", *MONTHS, "备注"]
USE_TEMPLATE = "请使用下载的模板。"
VALUE_HINT = "累计指标填年初至当月的累计数；数值低于上月时须在备注中说明原因。"
MAX_TARGET_COLUMNS = 400  # 单位 and up to 399 indicators

# The words a clerk writes for the model's choices; the model's own labels are accepted too.
KIND_WORDS = {
    "累计": IndicatorKind.CUMULATIVE,
    "累计值": IndicatorKind.CUMULATIVE,
    "时点": IndicatorKind.LEVEL,
    "时点值": IndicatorKind.LEVEL,
    "期末": IndicatorKind.LEVEL,
    "比率": IndicatorKind.RATE,
    **{str(k.label): k for k in IndicatorKind},
}
KIND_SHOWN = {IndicatorKind.CUMULATIVE: "累计", IndicatorKind.LEVEL: "时点", IndicatorKind.RATE: "比率"}
DIRECTION_WORDS = {str(d.label): d for d in Direction}
YES, NO = ("是", "y", "yes", "1", "√"), ("否", "n", "no", "0", "")


# --- the plan: the workbook's cells as text, with where each came from ------------------------------


@dataclass
class IndicatorLine:
    where: str  # "指标表第5行"
    cells: list[str]  # as INDICATOR_HEADERS


@dataclass
class TargetCell:
    where: str  # "目标表第5行C列"
    unit: str
    unit_where: str
    indicator: str
    text: str


@dataclass
class ValueLine:
    row: int
    unit: str
    indicator: str
    measure_unit: str
    months: list[str]  # twelve cells, "" when empty
    note: str


@dataclass
class Plan:
    """What the workbook holds, as plain text: signed into the confirmation as it is."""

    file_name: str = ""
    sheets: list[str] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    target_year: int | None = None
    targets: list[TargetCell] = field(default_factory=list)
    value_year: int | None = None
    values: list[ValueLine] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            file_name=data["file_name"],
            sheets=data["sheets"],
            indicators=[IndicatorLine(**x) for x in data["indicators"]],
            target_year=data["target_year"],
            targets=[TargetCell(**x) for x in data["targets"]],
            value_year=data["value_year"],
            values=[ValueLine(**x) for x in data["values"]],
        )


@dataclass
class Counts:
    indicators_added: int = 0
    indicators_updated: int = 0
    indicators_unchanged: int = 0
    targets_added: int = 0
    targets_changed: int = 0
    targets_unchanged: int = 0
    values_added: int = 0
    values_changed: int = 0
    values_unchanged: int = 0


@dataclass
class WorkbookResult:
    """What an import found and did. `saved` only when applied with no error and every doubt confirmed."""

    errors: list[str] = field(default_factory=list)
    # Values to confirm: far from the month before, last year or the target, or a cumulative value
    # lower than the month before (with its reason in 备注).
    doubts: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    changes: list[str] = field(default_factory=list)  # indicators added or renamed, for the preview
    modified: list[str] = field(default_factory=list)  # stored targets and values it changes
    saved: bool = False
    confirm_key: str = ""
    pending: str = ""  # the signed plan, after a dry run without errors
    sheets: list[str] = field(default_factory=list)
    target_year: int | None = None
    value_year: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading the file ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as the clerk sees it: a float through its plain text (4.9 stays 4.9), whole numbers
    without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return float_text(value)
    return str(value).strip()


def _sheet_names(data: bytes, name: str) -> list[str]:
    limit = uploads.LIMITS[UPLOAD_KIND]
    try:
        uploads.check_size(len(data), name, limit)
        uploads.check_archive(data, name, limit, "xlsx")
    except uploads.UploadRefused as error:
        raise downloads.refused(error) from None
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationError(f"无法打开该文件“{name}”：请上传用模板填写的 .xlsx 文件。") from error
    names = list(book.sheetnames)
    book.close()
    return names


def _rows(data: bytes, name: str, sheet: str, width: int) -> Iterator[tuple[int, list[str]]]:
    rows = downloads.sheet_rows(data, name, UPLOAD_KIND, width=width, head=HEAD, sheet=sheet)
    with closing(rows):
        for number, values in rows:
            yield number, [_text(v) for v in values] + [""] * (width - len(values))


def read_workbook(data: bytes, name: str) -> tuple[Plan, list[str]]:
    """The workbook's cells as a Plan, and the problems of its layout (missing sheets, wrong headers,
    no year). Nothing is checked against the database here."""
    plan, errors = Plan(file_name=name), []
    try:
        present = _sheet_names(data, name)
        plan.sheets = [s for s in SHEETS if s in present]
        if not plan.sheets:
            raise ValidationError(
                f"工作簿中没有“{'”“'.join(SHEETS)}”中的任何一张工作表(现有：{'、'.join(present)})，"
                "请使用下载的模板。"
            )
        if INDICATOR_SHEET in plan.sheets:
            errors += _read_indicators(plan, data, name)
        if TARGET_SHEET in plan.sheets:
            errors += _read_targets(plan, data, name)
        if VALUE_SHEET in plan.sheets:
            errors += _read_values(plan, data, name)
    except ValidationError as error:
        errors += error.messages
    return plan, errors


def _headers_errors(sheet: str, found: list[str], expected: list[str]) -> list[str]:
    """Each column of the header row that is missing, renamed, added or out of place."""
    return downloads.header_problems(found, expected, row=HEAD, place=f"{sheet}表", in_order=True)


def _read_indicators(plan: Plan, data: bytes, name: str) -> list[str]:
    width, headed = len(INDICATOR_HEADERS), False
    for number, cells in _rows(data, name, INDICATOR_SHEET, width + downloads.EXTRA_COLUMNS):
        if number == HEAD:
            if problems := _headers_errors(INDICATOR_SHEET, cells, INDICATOR_HEADERS):
                return problems
            headed = True
        elif number > HEAD and headed:
            plan.indicators.append(IndicatorLine(f"{INDICATOR_SHEET}表第{number}行", cells[:width]))
    if not headed:
        return _headers_errors(INDICATOR_SHEET, [], INDICATOR_HEADERS)
    return []


def _year(sheet: str, cells: list[str]) -> tuple[int | None, str]:
    text = cells[1].translate(str.maketrans("０１２３４５６７８９", "0123456789")).removesuffix("年")
    if cells[0] == "年度" and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text), ""
    return None, f"{sheet}表第2行B列：应填写年度，如 2026(A列为“年度”)。请使用下载的模板。"


def _read_targets(plan: Plan, data: bytes, name: str) -> list[str]:
    headers: list[str] = []
    for number, cells in _rows(data, name, TARGET_SHEET, MAX_TARGET_COLUMNS):
        if number == 2:
            plan.target_year, problem = _year(TARGET_SHEET, cells)
            if problem:
                return [problem]
        elif number == HEAD:
            if cells[0] != "单位":
                return [f"{TARGET_SHEET}表第3行A列应为“单位”，其后每列一个指标(名称或编码)。{USE_TEMPLATE}"]
            headers = cells
        elif number > HEAD:
            if not headers or plan.target_year is None:
                break
            for column, text in enumerate(cells[1:], start=2):
                if text and column <= len(headers):
                    plan.targets.append(
                        TargetCell(
                            where=f"{TARGET_SHEET}表第{number}行{get_column_letter(column)}列",
                            unit=cells[0],
                            unit_where=f"{TARGET_SHEET}表第{number}行A列",
                            indicator=headers[column - 1],
                            text=text,
                        )
                    )
    if plan.target_year is None or not headers:
        return [f"{TARGET_SHEET}表：第2行应为年度、第3行应为表头(单位和各指标)。请使用下载的模板。"]
    return []


def _read_values(plan: Plan, data: bytes, name: str) -> list[str]:
    width = len(VALUE_HEADERS)
    headed = False
    for number, cells in _rows(data, name, VALUE_SHEET, width + downloads.EXTRA_COLUMNS):
        if number == 2:
            plan.value_year, problem = _year(VALUE_SHEET, cells)
            if problem:
                return [problem]
        elif number == HEAD:
            if problems := _headers_errors(VALUE_SHEET, cells, VALUE_HEADERS):
                return problems
            headed = True
        elif number > HEAD and headed and plan.value_year is not None:
            plan.values.append(ValueLine(number, cells[0], cells[1], cells[2], cells[3:15], cells[15]))
    if plan.value_year is None or not headed:
        return [f"{VALUE_SHEET}表：第2行应为年度、第3行应为表头。请使用下载的模板。"]
    return []


# --- running the plan ----------------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised inside the transaction to undo a dry run or a refused apply."""


@dataclass
class _Context:
    user: User
    township: OrgUnit
    result: WorkbookResult
    indicators: dict[str, Indicator] = field(default_factory=dict)  # by code, then by name
    departments: dict[str, Department] = field(default_factory=dict)  # by code and by name
    units: dict[str, OrgUnit] = field(default_factory=dict)  # township and villages, by code and name

    def error(self, message: str) -> None:
        self.result.errors.append(message)

    @property
    def full(self) -> bool:
        return downloads.enough_errors(self.result.errors)

    def load(self) -> None:
        self.indicators = {}
        for indicator in Indicator.objects.filter(township=self.township).select_related("department"):
            self.indicators[indicator.code] = indicator
        for indicator in list(self.indicators.values()):
            self.indicators.setdefault(indicator.name, indicator)
        for d in Department.objects.filter(township=self.township):
            self.departments[d.code] = self.departments[d.name] = d
        villages = OrgUnit.objects.filter(parent=self.township, kind=OrgKind.VILLAGE)
        for unit in [self.township, *villages]:
            self.units[unit.code] = unit
            self.units.setdefault(unit.name, unit)

    def unit(self, text: str) -> tuple[OrgUnit | None, Department | None]:
        """A 单位 cell: the township or a village (name or code), or an office, standing for the
        township's figures of the indicators that office owns."""
        if text in self.units:
            return self.units[text], None
        if text in self.departments:
            return self.township, self.departments[text]
        return None, None


def township_for(user: User, township: OrgUnit | None = None) -> OrgUnit:
    """The township an import writes to: the given one, or the importing user's own."""
    root = scope.scope_root(user)
    if township is None and root is not None and root.kind != OrgKind.COUNTY:
        township = root.township()
    if township is None or township.kind != OrgKind.TOWNSHIP:
        raise PermissionDenied("请选择要导入的乡镇/街道。")
    # A village's staff import their own village's values into their township's catalog.
    within = root is not None and root.is_within(township)
    if not (scope.unit_in_scope(user, township) or within):
        raise PermissionDenied("请选择要导入的乡镇/街道。")
    return township


def run_plan(
    user: User, township: OrgUnit, plan: Plan, *, dry_run: bool, confirm: bool | str = False
) -> WorkbookResult:
    """Check and write the plan in one transaction; rolled back when a dry run, on any error, or when
    doubts were not confirmed (`confirm` True, or the `confirm_key` of the doubts the user saw)."""
    result = WorkbookResult(sheets=plan.sheets, target_year=plan.target_year, value_year=plan.value_year)
    context = _Context(user, township, result)
    try:
        with transaction.atomic(), _imported(user, plan.file_name):
            context.load()
            _run_indicators(context, plan)
            if result.errors:
                raise _RolledBack
            _run_targets(context, plan)
            if not context.full:
                _run_values(context, plan)
            result.confirm_key = _confirm_key(result.doubts)
            confirmed = not result.doubts or confirm is True or confirm == result.confirm_key
            if dry_run or result.errors or not confirmed:
                raise _RolledBack
            result.saved = True
    except _RolledBack:
        pass
    return result


@contextmanager
def _imported(user: User, file_name: str) -> Iterator[None]:
    """Every write inside is logged as the user's, marked as imported from the file."""
    outer = auditlog_value.get(None)
    extra = {"actor": user, "additional_data": {"imported_from": file_name[:200]}}
    if outer:
        extra |= {"remote_addr": outer.get("remote_addr"), "remote_port": outer.get("remote_port")}
    with set_extra_data(extra):
        yield
    if outer is not None:
        auditlog_value.set(outer)


def _confirm_key(doubts: list[str]) -> str:
    if not doubts:
        return ""
    return hashlib.sha256(json.dumps(sorted(doubts), ensure_ascii=False).encode()).hexdigest()[:24]


# --- the 指标 sheet --------------------------------------------------------------------------------


def _run_indicators(context: _Context, plan: Plan) -> None:
    if not plan.indicators:
        return
    if not services.may_set_targets(context.user, context.township):
        context.error(f"{INDICATOR_SHEET}表：只有乡镇管理员可以导入指标目录。")
        return
    seen: dict[str, str] = {}
    position = max([i.position for i in context.indicators.values()], default=0)
    for line in plan.indicators:
        if not any(line.cells):
            continue
        code = line.cells[0]
        if code in seen:
            context.error(f"{line.where}A列：编码“{code}”与{seen[code]}重复。")
            continue
        seen[code] = line.where
        position += 1
        _run_indicator(context, line, position)
        if context.full:
            return


def _indicator_fields(context: _Context, line: IndicatorLine) -> dict[str, Any] | None:
    """The model's fields from one row, or None after naming each bad cell."""
    code, name, unit, kind, direction, office, decimals, by_village = line.cells
    fields: dict[str, Any] = {}
    problems = []

    def bad(column: int, message: str) -> None:
        problems.append(f"{line.where}{get_column_letter(column)}列：{message}")

    try:
        code_validator(code)
    except ValidationError:
        bad(1, f"“编码”应为字母、数字、下划线或连字符，现为“{code}”。" if code else "请填写“编码”。")
    for column, label, text, limit in ((2, "名称", name, 64), (3, "计量单位", unit, 16)):
        if not text:
            bad(column, f"请填写“{label}”。")
        elif problem := text_problem(text):
            bad(column, f"“{label}”{problem}。")
        elif len(text) > limit:
            bad(column, f"“{label}”不能超过{limit}个字。")
    fields["kind"] = KIND_WORDS.get(kind)
    if fields["kind"] is None:
        bad(4, f"“类型”应为累计、时点或比率，现为“{kind}”。")
    fields["direction"] = DIRECTION_WORDS.get(direction or "越高越好")
    if fields["direction"] is None:
        bad(5, f"“方向”应为越高越好或越低越好，现为“{direction}”。")
    fields["department"] = context.departments.get(office)
    if fields["department"] is None:
        known = "、".join(sorted({d.name for d in context.departments.values()}))
        bad(6, f"未知的责任站所“{office}”(本镇有：{known})。" if office else "请填写“责任站所”。")
    places = decimals or "2"
    if not (places.isdigit() and int(places) <= VALUE_PLACES):
        bad(7, f"“小数位数”应为 0 到 {VALUE_PLACES} 的整数，现为“{decimals}”。")
    if by_village.lower() not in YES + NO:
        bad(8, f"“按村填报”应为是或否，现为“{by_village}”。")
    context.result.errors.extend(problems)
    if problems:
        return None
    fields.update(code=code, name=name, unit=unit, decimals=int(places), by_village=by_village.lower() in YES)
    return fields


def _run_indicator(context: _Context, line: IndicatorLine, position: int) -> None:
    fields = _indicator_fields(context, line)
    if fields is None:
        return
    existing = context.indicators.get(fields["code"])
    if existing is not None and existing.code != fields["code"]:
        existing = None  # a name that happens to equal the code: a new indicator
    if existing is None:
        indicator = Indicator(township=context.township, position=position, **fields)
        if _saved(context, line, indicator):
            context.result.counts.indicators_added += 1
            context.result.changes.append(f"新增指标“{indicator.name}”({indicator.code})")
        return
    changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changed:
        context.result.counts.indicators_unchanged += 1
        return
    moved = [label for key, label in (("unit", "计量单位"), ("kind", "类型")) if key in changed]
    if moved and Value.objects.filter(indicator=existing).exists():
        old = [existing.unit if key == "unit" else KIND_SHOWN[existing.kind] for key in ("unit", "kind")]
        context.error(
            f"{line.where}：指标“{existing.name}”已有填报数值，不能更改{'和'.join(moved)}"
            f"(现为{'、'.join(old)})。如确需更改，请新建一个指标。"
        )
        return
    before = existing.name
    for key, value in changed.items():
        setattr(existing, key, value)
    if _saved(context, line, existing):
        context.result.counts.indicators_updated += 1
        renamed = f"“{before}”改名为“{existing.name}”" if "name" in changed else f"“{existing.name}”"
        context.result.changes.append(f"修改指标{renamed}({existing.code})")


def _saved(context: _Context, line: IndicatorLine, indicator: Indicator) -> bool:
    try:
        indicator.full_clean(validate_unique=False)
    except ValidationError as error:
        context.error(f"{line.where}：{'；'.join(error.messages)}")
        return False
    indicator.save()
    context.indicators[indicator.code] = indicator
    context.indicators.setdefault(indicator.name, indicator)
    return True


# --- the 目标 sheet --------------------------------------------------------------------------------


def _run_targets(context: _Context, plan: Plan) -> None:
    if plan.target_year is None:
        return
    year = plan.target_year
    existing = {
        (t.indicator_id, t.org_unit_id): t
        for t in Target.objects.filter(indicator__township=context.township, year=year)
    }
    seen: dict[tuple[int, int], str] = {}
    refused_rows: set[str] = set()
    for cell in plan.targets:
        if cell.unit_where in refused_rows:
            continue
        found = _target_cell(context, cell, refused_rows)
        if found is None:
            continue
        indicator, unit, value = found
        key = (indicator.pk, unit.pk)
        if key in seen:
            context.error(f"{cell.where}：与{seen[key]}重复，同一单位的同一指标只能有一个目标。")
            continue
        seen[key] = cell.where
        _write_target(context, cell, existing.get(key), indicator, unit, value, year)
        if context.full:
            return


def _target_cell(
    context: _Context, cell: TargetCell, refused_rows: set[str]
) -> tuple[Indicator, OrgUnit, Decimal] | None:
    unit, office = context.unit(cell.unit)
    if unit is None:
        refused_rows.add(cell.unit_where)
        context.error(f"{cell.unit_where}：未知的单位“{cell.unit}”(应为本镇、村/社区或站所的名称或编码)。")
        return None
    if not services.may_set_targets(context.user, unit):
        refused_rows.add(cell.unit_where)
        context.error(f"{cell.unit_where}：无权为{unit.name}下达目标任务(只有乡镇管理员可以下达)。")
        return None
    indicator = context.indicators.get(cell.indicator)
    if indicator is None:
        context.error(f"{cell.where}：表头的指标“{cell.indicator}”不在本镇指标目录中。")
        return None
    if office is not None and indicator.department_id != office.pk:
        context.error(
            f"{cell.where}：“{indicator.name}”由{indicator.department.name}负责，不属于{office.name}。"
        )
        return None
    try:
        value = _cell_number(cell.text, cell.where, indicator)
    except ValidationError as error:
        context.result.errors.extend(error.messages)
        return None
    assert value is not None  # the cell was not empty
    return indicator, unit, value


def _write_target(
    context: _Context,
    cell: TargetCell,
    target: Target | None,
    indicator: Indicator,
    unit: OrgUnit,
    value: Decimal,
    year: int,
) -> None:
    counts = context.result.counts
    if target is not None and target.value == value:
        counts.targets_unchanged += 1
        return
    phasing = [Decimal(p) for p in target.phasing] if target and target.phasing else None
    try:
        services.set_target(context.user, indicator, unit, year, value, phasing)  # keeps the phasing
    except (ValidationError, PermissionDenied) as error:
        message = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        context.error(f"{cell.where}：{message}")
        return
    if target is None:
        counts.targets_added += 1
    else:
        counts.targets_changed += 1
        entry = services.Entry(indicator, unit, value, where=cell.where)
        context.result.modified.append(_modified(entry, unit, target.value, value, "全年目标"))


def _modified(entry: services.Entry, unit: OrgUnit, before: Decimal, after: Decimal, what: str = "") -> str:
    """A stored figure the import changes, as the preview lists it."""
    return (
        f"{entry.where}：{unit.name}“{entry.indicator.name}”{what}"
        f"{format_plain(before)} → {format_plain(after)}{entry.indicator.unit}"
    )


# --- the 月度数据 sheet ------------------------------------------------------------------------------


def _value_where(row: int, month: int) -> str:
    return f"{VALUE_SHEET}表第{row}行{get_column_letter(month + 3)}列「{month}月」"


def _run_values(context: _Context, plan: Plan) -> None:
    if plan.value_year is None:
        return
    start = len(context.result.errors)
    _check_values(context, plan, plan.value_year)
    # A row's problems are found when it is read and its months' when each month is checked: listed
    # in the order of the sheet, as the clerk corrects them.
    context.result.errors[start:] = downloads.in_sheet_order(context.result.errors[start:], sheets=SHEETS)


def _check_values(context: _Context, plan: Plan, year: int) -> None:
    by_month: dict[int, list[services.Entry]] = {m: [] for m in range(1, 13)}
    for line in plan.values:
        _value_line(context, year, line, by_month)
        if context.full:
            return
    counts, result = context.result.counts, context.result
    for month, entries in by_month.items():
        if not entries:
            continue
        # Saved month by month, each checked against the month before as the file gives it. Checked
        # first apart from saving, which overwrites the stored values the preview shows as "before".
        period = Period(year, month)
        check = services.check_entries(context.user, period, entries)
        result.errors += [f"{e.where}：{m}" if e else m for e, m in check.errors]
        if not check.ok:
            continue
        result.modified += [_modified(e, e.org_unit, old.value, e.value) for e, old in check.changed]
        check = services.save_entries(context.user, period, entries, confirmed=True)
        result.doubts += [f"{e.where}：{m}" for e, m in check.warnings + check.implausible]
        counts.values_added += len(check.new)
        counts.values_changed += len(check.changed)
        counts.values_unchanged += len(check.unchanged)
        if context.full:
            return


def _value_line(
    context: _Context, year: int, line: ValueLine, by_month: dict[int, list[services.Entry]]
) -> None:
    where = f"{VALUE_SHEET}表第{line.row}行"
    unit, office = context.unit(line.unit)
    indicator = context.indicators.get(line.indicator)
    if unit is None:
        context.error(f"{where}A列：未知的单位“{line.unit}”(应为本镇、村/社区或站所的名称或编码)。")
    elif not scope.unit_in_scope(context.user, unit):
        context.error(f"{where}A列：无权导入{unit.name}的数值。")
        return
    if indicator is None:
        context.error(f"{where}B列：指标“{line.indicator}”不在本镇指标目录中。")
    if unit is None or indicator is None:
        return
    if office is not None and indicator.department_id != office.pk:
        context.error(
            f"{where}A列：“{indicator.name}”由{indicator.department.name}负责，不属于{office.name}。"
        )
        return
    if indicator.is_computed:
        how = "由平台的记录自动计算(绑定指标)" if indicator.source else "由分子、分母指标计算"
        context.error(f"{where}B列：“{indicator.name}”{how}，不能导入数值。")
        return
    if line.measure_unit and line.measure_unit != indicator.unit:
        context.error(
            f"{where}C列：计量单位“{line.measure_unit}”与指标“{indicator.name}”的“{indicator.unit}”不符，"
            "请把数值换算为指标的计量单位。"
        )
        return
    if problem := text_problem(line.note):
        context.error(f"{where}P列：“备注”{problem}。")
        return
    for month, text in enumerate(line.months, start=1):
        if not text:
            continue
        cell = _value_where(line.row, month)
        if refused := services.period_error(Period(year, month)):
            context.error(f"{cell}：{refused}")
            continue
        try:
            value = _cell_number(text, cell, indicator)
        except ValidationError as error:
            context.result.errors.extend(error.messages)
            continue
        assert value is not None
        by_month[month].append(services.Entry(indicator, unit, value, line.note, cell))


# --- the public entry points ---------------------------------------------------------------------


def import_workbook(
    user: User,
    data: bytes,
    name: str,
    *,
    township: OrgUnit | None = None,
    dry_run: bool = True,
    confirm: bool | str = False,
) -> WorkbookResult:
    """Import a 指标台账 workbook for `township` (the user's own by default).

    A dry run writes nothing and, when there is no error, returns `pending` (the signed plan for
    `confirm_pending`) and `confirm_key` (the doubts it showed). Applied (`dry_run=False`), everything is
    saved or nothing: on any error, or when there are doubts and `confirm` is neither True nor the
    dry run's `confirm_key`.
    """
    township = township_for(user, township)
    plan, errors = read_workbook(data, name)
    if errors:
        return WorkbookResult(errors=errors, sheets=plan.sheets)
    result = run_plan(user, township, plan, dry_run=dry_run, confirm=confirm)
    if dry_run and result.ok:
        payload = {"township": township.pk, "plan": asdict(plan), "confirm": result.confirm_key}
        result.pending = downloads.sign_pending(payload, SIGNING_SALT)
    return result


def confirm_pending(user: User, token: str) -> WorkbookResult:
    """Apply what a dry run showed: the signed plan, with the doubts the user confirmed. When the
    stored data changed since and with it the doubts, nothing is saved and the result shows them anew
    (with a new `pending`)."""
    try:
        payload = downloads.unsign_pending(token, SIGNING_SALT)
    except ValidationError as error:
        return WorkbookResult(errors=error.messages)
    township = OrgUnit.objects.filter(pk=payload["township"]).first()
    if township is None:
        return WorkbookResult(errors=["导入已过期，请重新上传文件。"])
    township = township_for(user, township)
    plan = Plan.from_dict(payload["plan"])
    result = run_plan(user, township, plan, dry_run=False, confirm=payload["confirm"])
    if result.ok and not result.saved:
        again = {"township": township.pk, "plan": asdict(plan), "confirm": result.confirm_key}
        result.pending = downloads.sign_pending(again, SIGNING_SALT)
    return result


# --- the template --------------------------------------------------------------------------------


def template_workbook(user: User, township: OrgUnit, year: int) -> bytes:
    """The workbook to fill in: the township's catalog, and the 目标 and 月度数据 sheets laid out for
    its units and indicators with what is stored already, so that re-importing it changes nothing."""
    indicators = list(
        scope.scoped(user, Indicator.objects.filter(township=township, active=True))
        .select_related("department")
        .order_by("position", "code")
    )
    villages = list(scope.visible_units(user).filter(parent=township, kind=OrgKind.VILLAGE).order_by("code"))
    units = [township, *villages] if scope.unit_in_scope(user, township) else villages
    book = Workbook()
    _indicator_sheet(book.active, indicators)
    _target_sheet(book.create_sheet(TARGET_SHEET), indicators, units, year)
    _value_sheet(book.create_sheet(VALUE_SHEET), user, indicators, units, year)
    return _save(book)


def _head(sheet: Any, title: str, second: list[Any], headers: list[str], widths: list[int]) -> None:
    sheet.append([title])
    sheet.append(second)
    sheet.append(headers)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[HEAD]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B4" if sheet.title != INDICATOR_SHEET else "A4"


def _indicator_sheet(sheet: Any, indicators: list[Indicator]) -> None:
    sheet.title = INDICATOR_SHEET
    hint = "类型：累计 / 时点 / 比率；方向：越高越好 / 越低越好；按村填报：是 / 否。按编码更新，不删除指标。"
    _head(sheet, "指标目录", [hint], INDICATOR_HEADERS, [14, 26, 10, 8, 10, 14, 10, 10])
    for i in indicators:
        sheet.append(printable_cells([
            i.code, i.name, i.unit, KIND_SHOWN[IndicatorKind(i.kind)], Direction(i.direction).label,
            i.department.name, i.decimals, "是" if i.by_village else "否",
        ]))  # fmt: skip


def _number(value: Decimal | None) -> Any:
    return float(value) if value is not None else None


def _target_sheet(sheet: Any, indicators: list[Indicator], units: list[OrgUnit], year: int) -> None:
    _head(sheet, f"{year}年目标任务", ["年度", year], ["单位", *[i.name for i in indicators]], [16])
    stored = {
        (t.indicator_id, t.org_unit_id): t.value
        for t in Target.objects.filter(indicator__in=indicators, org_unit__in=units, year=year)
    }
    for unit in units:
        cells = [
            _number(stored.get((i.pk, unit.pk))) if services.applies_to(i, unit) else None for i in indicators
        ]
        sheet.append(printable_cells([unit.name, *cells]))


def _value_sheet(
    sheet: Any, user: User, indicators: list[Indicator], units: list[OrgUnit], year: int
) -> None:
    widths = [14, 24, 10, *[10] * 12, 24]
    _head(sheet, f"{year}年各月指标数值", ["年度", year, VALUE_HINT], VALUE_HEADERS, widths)
    stored = {
        (v.indicator_id, v.org_unit_id, v.month): v
        for v in Value.objects.filter(indicator__in=indicators, org_unit__in=units, year=year)
    }
    for unit in units:
        for i in indicators:
            if i.is_computed or not services.applies_to(i, unit) or not services.may_enter(user, i, unit):
                continue
            months = [stored.get((i.pk, unit.pk, m)) for m in range(1, 13)]
            note = next((v.note for v in reversed(months) if v and v.note), "")
            numbers = [_number(v.value if v else None) for v in months]
            sheet.append(printable_cells([unit.name, i.name, i.unit, *numbers, note]))
