"""Excel registers (台账) in and out: a village's household register and a subsidy roll.

Imports are all or nothing: every row is read and checked first, every fault named by row and column,
and only a file without faults is written, in one transaction (a dry run stops before writing).
Exports write the register back in the import's own layout, masked unless the user may see it in full.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from zhenwu.core import idcard
from zhenwu.core.text import printable_cells, text_problem
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, User
from zhenwu.web import downloads

from . import crypto, services
from .models import Household, Member, RegisterImport, Relation, SubsidyBatch, SubsidyPayment

REGISTER_COLUMNS = [
    "村/社区",
    "网格",
    "户编号",
    "住址",
    "户标签",
    "姓名",
    "与户主关系",
    "身份证号",
    "电话",
    "残疾",
]
ROLL_COLUMNS = ["村/社区", "户主姓名", "身份证号", "面积(亩)"]
HOUSEHOLD_TAGS = {
    "脱贫户": "lifted_out",
    "留守老人": "left_behind_elderly",
    "留守儿童": "left_behind_children",
}
RELATIONS = {label: value for value, label in Relation.choices}
YES = {"是", "有", "Y", "y", "1", "√"}
NO = {"", "否", "无", "N", "n", "0"}
BATCH_SIZE = 2000
# What SubsidyPayment.area and .amount hold (10 and 12 digits, 2 of them decimals).
MAX_AREA = Decimal(10) ** 8
MAX_AMOUNT = Decimal(10) ** 10
# Columns read from each row: the template has ten, a village may add a few (序号, 备注) around them.
READ_COLUMNS = 64


@dataclass
class Report:
    """The outcome of reading a file: faults by row and column, and what would be (or was) written.
    `stopped` when the file was refused as a whole or had too many faults to list: nothing more is
    checked then."""

    errors: list[str] = field(default_factory=list)
    rows: int = 0
    households: int = 0
    written: bool = False
    stopped: bool = False

    def fault(self, row: int, column: str, message: str) -> None:
        self.add(f"第{row}行「{column}」：{message}")

    def add(self, message: str) -> None:
        if not self.stopped:
            self.errors.append(message)
            self.stopped = downloads.enough_errors(self.errors)

    def in_order(self, columns: list[str]) -> Report:
        """The faults in the order of the sheet (row, then `columns`), whichever check found them."""
        self.errors[:] = downloads.in_sheet_order(self.errors, headers={"": columns})
        return self

    def refuse(self, messages: list[str]) -> None:
        """The file as a whole is refused: its row faults are beside the point."""
        self.errors[:] = messages
        self.stopped = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a cell comes back as a float
    return str(value).strip()


def _rows(
    source: IO[bytes], name: str, kind: str, columns: list[str], report: Report
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of the file's first sheet under its header row, as text by column; the file is read
    within the limits of `kind` (docs/uploads.md), and a refusal stops the import."""
    try:
        data = downloads.read_upload(source, name, kind)
        rows = downloads.sheet_rows(data, name, kind, width=READ_COLUMNS, head=1)
        with closing(rows):
            positions: dict[str, int] | None = None
            for number, values in rows:
                if positions is None:
                    header = [_cell(v) for v in values]
                    if problems := downloads.header_problems(header, columns, row=number):
                        report.refuse(problems)
                        return
                    positions = {c: header.index(c) for c in columns}
                    continue
                cells = {c: _cell(values[i]) for c, i in positions.items()}
                for column, text in cells.items():
                    if problem := text_problem(text):
                        report.fault(number, column, f"{problem}。")
                if any(cells.values()):
                    yield number, cells
    except ValidationError as error:
        report.refuse(error.messages)


def _villages(user: User) -> dict[str, OrgUnit]:
    """The villages the user may import into, by name and by code."""
    found: dict[str, OrgUnit] = {}
    for unit in scope.visible_units(user).filter(kind=OrgKind.VILLAGE):
        found[unit.name] = found[unit.code] = unit
    return found


def _grids(user: User) -> dict[tuple[int, str], OrgUnit]:
    found: dict[tuple[int, str], OrgUnit] = {}
    for unit in scope.visible_units(user).filter(kind=OrgKind.GRID):
        assert unit.parent_id is not None
        found[(unit.parent_id, unit.name)] = found[(unit.parent_id, unit.code)] = unit
    return found


@dataclass
class _NewHousehold:
    unit: OrgUnit
    number: str
    address: str
    tags: dict[str, bool]
    members: list[Member] = field(default_factory=list)


def import_register(user: User, source: IO[bytes], file_name: str, *, dry_run: bool) -> Report:
    """Read a village register (one row per person) and, when every row is right, write it all."""
    report = Report()
    if not services.may_edit_register(user):
        report.errors.append("您的角色不能导入农户名册。")
        return report
    villages, grids = _villages(user), _grids(user)
    households: dict[str, _NewHousehold] = {}
    seen: dict[str, int] = {}
    for row, cells in _rows(source, file_name, "register", REGISTER_COLUMNS, report):
        if report.stopped:
            break
        report.rows += 1
        household = _register_household(row, cells, villages, grids, households, report)
        member = _register_member(row, cells, seen, report)
        if household is not None and member is not None:
            if member.relation == Relation.HEAD and any(
                m.relation == Relation.HEAD for m in household.members
            ):
                report.fault(row, "与户主关系", f"户{household.number}已有户主，一户只能有一名户主。")
            household.members.append(member)
    if report.stopped:
        return report.in_order(REGISTER_COLUMNS)
    _check_against_database(user, seen, households, report)
    for number, household in households.items():
        if household.members and not any(m.relation == Relation.HEAD for m in household.members):
            report.add(f"户编号{number}：没有户主，请在「与户主关系」中标明户主。")
    report.in_order(REGISTER_COLUMNS)
    report.households = len(households)
    if report.rows == 0 and report.ok:
        report.errors.append("文件中没有数据行。")
    if report.ok and not dry_run:
        _write_register(user, households, file_name, report)
    return report


def _register_household(
    row: int,
    cells: dict[str, str],
    villages: dict[str, OrgUnit],
    grids: dict[tuple[int, str], OrgUnit],
    households: dict[str, _NewHousehold],
    report: Report,
) -> _NewHousehold | None:
    village = villages.get(cells["村/社区"])
    if village is None:
        report.fault(row, "村/社区", f"未知的村/社区「{cells['村/社区']}」(或不在您的管辖范围内)。")
        return None
    unit = village
    if cells["网格"]:
        grid = grids.get((village.pk, cells["网格"]))
        if grid is None:
            report.fault(row, "网格", f"{village.name}没有名为「{cells['网格']}」的网格。")
            return None
        unit = grid
    number = cells["户编号"]
    if not number:
        report.fault(row, "户编号", "户编号不能为空。")
        return None
    if len(number) > 32:
        report.fault(row, "户编号", "户编号不能超过32个字符。")
        return None
    tags = [t for t in cells["户标签"].replace("，", ",").replace("、", ",").split(",") if t.strip()]
    unknown = [t for t in tags if t.strip() not in HOUSEHOLD_TAGS]
    if unknown:
        report.fault(row, "户标签", f"未知的标签「{'、'.join(unknown)}」，可用：脱贫户、留守老人、留守儿童。")
    existing = households.get(number)
    if existing is None:
        existing = households[number] = _NewHousehold(
            unit=unit,
            number=number,
            address=cells["住址"][:128],
            tags={field: label in [t.strip() for t in tags] for label, field in HOUSEHOLD_TAGS.items()},
        )
    elif existing.unit != unit:
        report.fault(row, "村/社区", f"户编号{number}在前面的行中属于{existing.unit.name}，两处不一致。")
    return existing


def _register_member(row: int, cells: dict[str, str], seen: dict[str, int], report: Report) -> Member | None:
    name = cells["姓名"]
    if not name:
        report.fault(row, "姓名", "姓名不能为空。")
    elif len(name) > 32:
        report.fault(row, "姓名", "姓名不能超过32个字符。")
    relation = RELATIONS.get(cells["与户主关系"])
    if relation is None:
        report.fault(
            row, "与户主关系", f"未知的关系「{cells['与户主关系']}」，可用：{'、'.join(RELATIONS)}。"
        )
    disabled = cells["残疾"]
    if disabled not in YES | NO:
        report.fault(row, "残疾", "请填“是”或“否”。")
    try:
        parsed = idcard.parse(cells["身份证号"])
    except idcard.IdNumberError as error:
        report.fault(row, "身份证号", str(error))
        return None
    try:
        phone = idcard.validate_phone(cells["电话"])
    except ValueError as error:
        report.fault(row, "电话", str(error))
        return None
    index = crypto.blind_index(parsed.number)
    if index in seen:
        report.fault(row, "身份证号", f"与第{seen[index]}行是同一人：同一人不能登记两次。")
        return None
    seen[index] = row
    if not name or relation is None:
        return None
    return Member(
        name=name,
        relation=relation,
        disabled=disabled in YES,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        id_number_cipher=crypto.encrypt(parsed.number),
        id_number_index=index,
        id_number_masked=idcard.mask_id_number(parsed.number),
        phone_cipher=crypto.encrypt(phone),
        phone_masked=idcard.mask_phone(phone),
    )


def _check_against_database(
    user: User, seen: dict[str, int], households: dict[str, _NewHousehold], report: Report
) -> None:
    """People already in some household (anywhere), and household numbers already taken. A household
    outside the user's scope is not named: an identity number typed into an import must not tell where
    that person lives."""
    indexes = list(seen)
    root = scope.scope_root(user)
    for start in range(0, len(indexes), BATCH_SIZE):
        chunk = indexes[start : start + BATCH_SIZE]
        for index, number, path in Member.objects.filter(id_number_index__in=chunk).values_list(
            "id_number_index", "household__number", "household__org_unit__path"
        ):
            visible = scope.sees_everything(user) or (root is not None and path.startswith(root.path))
            where = f"已登记在户{number}中" if visible else "已在其他户登记，请联系镇民政办核实"
            report.fault(seen[index], "身份证号", f"此人{where}：同一人不能属于两户。")
    numbers = list(households)
    for start in range(0, len(numbers), BATCH_SIZE):
        chunk = numbers[start : start + BATCH_SIZE]
        for number in Household.objects.filter(number__in=chunk).values_list("number", flat=True):
            report.add(f"户编号{number}已存在：导入只新增农户，不覆盖已有的户。")


@transaction.atomic
def _write_register(user: User, households: dict[str, _NewHousehold], file_name: str, report: Report) -> None:
    created = Household.objects.bulk_create(
        [
            Household(org_unit=h.unit, number=h.number, address=h.address, **h.tags)
            for h in households.values()
        ],
        batch_size=BATCH_SIZE,
    )
    members: list[Member] = []
    for household, new in zip(created, households.values(), strict=True):
        for member in new.members:
            member.household = household
            members.append(member)
    Member.objects.bulk_create(members, batch_size=BATCH_SIZE)
    # One logged record stands for the bulk write: who imported how much, where, from which file.
    RegisterImport.objects.create(
        actor=user,
        org_unit=_common_unit(user, [h.unit for h in households.values()]),
        kind=RegisterImport.Kind.REGISTER,
        file_name=file_name[:255],
        rows=report.rows,
        households=len(created),
    )
    report.written = True


def _common_unit(user: User, units: list[OrgUnit]) -> OrgUnit:
    villages = {u.parent if u.kind == OrgKind.GRID else u for u in units}
    if len(villages) == 1:
        village = villages.pop()
        assert village is not None
        return village
    root = scope.scope_root(user)
    assert root is not None
    return root


def import_roll(
    user: User, batch: SubsidyBatch, source: IO[bytes], file_name: str, *, dry_run: bool
) -> Report:
    """Read a subsidy roll (one row per household head, by identity number) into `batch`."""
    report = Report()
    if not services.may_manage_subsidies(user):
        report.errors.append("您的角色不能导入补贴清册。")
        return report
    villages = _villages(user)
    lines: dict[int, tuple[Household, Decimal]] = {}
    seen: dict[str, int] = {}
    parsed_rows: list[tuple[int, dict[str, str], str, Decimal | None]] = []
    for row, cells in _rows(source, file_name, "roll", ROLL_COLUMNS, report):
        if report.stopped:
            break
        report.rows += 1
        if cells["村/社区"] not in villages:
            report.fault(row, "村/社区", f"未知的村/社区「{cells['村/社区']}」(或不在您的管辖范围内)。")
        area = _area(row, cells["面积(亩)"], report)
        try:
            number = idcard.parse(cells["身份证号"]).number
        except idcard.IdNumberError as error:
            report.fault(row, "身份证号", str(error))
            continue
        index = crypto.blind_index(number)
        if index in seen:
            report.fault(row, "身份证号", f"与第{seen[index]}行是同一人：一人只能领取一次。")
            continue
        seen[index] = row
        parsed_rows.append((row, cells, index, area))
    if report.stopped:
        return report.in_order(ROLL_COLUMNS)
    members = _members_by_index(user, [index for _, _, index, _ in parsed_rows])
    already = set(batch.payments.values_list("household_id", flat=True))
    for row, cells, index, area in parsed_rows:
        member = members.get(index)
        if member is None:
            report.fault(row, "身份证号", "农户名册中没有此人(或不在您的管辖范围内)，请先导入名册。")
            continue
        village = villages.get(cells["村/社区"])
        unit = member.household.org_unit
        if village is not None and not unit.is_within(village):
            report.fault(row, "村/社区", f"此人登记在{unit.name}，不在{village.name}。")
        if cells["户主姓名"] and cells["户主姓名"] != member.name:
            report.fault(row, "户主姓名", f"姓名与名册不符(名册中为{member.name})。")
        if member.household_id in already or member.household_id in lines:
            report.fault(row, "身份证号", f"户{member.household.number}在本批次中已有发放记录。")
            continue
        if area is not None and services.subsidy_amount(area, batch.rate) >= MAX_AMOUNT:
            report.fault(row, "面积(亩)", f"按补贴标准计算的金额超过{MAX_AMOUNT}元，请核对面积。")
        elif area is not None:
            lines[member.household_id] = (member.household, area)
    report.in_order(ROLL_COLUMNS)
    report.households = len(lines)
    if report.rows == 0 and report.ok:
        report.errors.append("文件中没有数据行。")
    if report.ok and not dry_run:
        _write_roll(user, batch, list(lines.values()), file_name, report)
    return report


def _area(row: int, text: str, report: Report) -> Decimal | None:
    try:
        area = Decimal(text)
    except InvalidOperation:
        area = Decimal("NaN")
    if not area.is_finite():  # Decimal reads "NaN" and "Infinity", and a cell of 1E999 reads as inf
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        report.fault(row, "面积(亩)", f"「{shown}」不是数字。")
        return None
    if area >= MAX_AREA:
        report.fault(row, "面积(亩)", f"面积应小于{MAX_AREA}亩。")
        return None
    if area <= 0:
        report.fault(row, "面积(亩)", "面积应大于0。")
        return None
    if area != area.quantize(Decimal("0.01")):
        report.fault(row, "面积(亩)", "面积最多保留两位小数。")
        return None
    return area


def _members_by_index(user: User, indexes: list[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    members = scope.scoped(user, Member.objects.select_related("household__org_unit"))
    for start in range(0, len(indexes), BATCH_SIZE):
        for member in members.filter(id_number_index__in=indexes[start : start + BATCH_SIZE]):
            found[member.id_number_index] = member
    return found


@transaction.atomic
def _write_roll(
    user: User, batch: SubsidyBatch, lines: list[tuple[Household, Decimal]], file_name: str, report: Report
) -> None:
    SubsidyPayment.objects.bulk_create(
        [
            SubsidyPayment(
                batch=batch, household=h, area=area, amount=services.subsidy_amount(area, batch.rate)
            )
            for h, area in lines
        ],
        batch_size=BATCH_SIZE,
    )
    RegisterImport.objects.create(
        actor=user,
        org_unit=batch.org_unit,
        kind=RegisterImport.Kind.SUBSIDY_ROLL,
        file_name=file_name[:255],
        rows=report.rows,
        households=len(lines),
        batch=batch,
    )
    report.written = True


# --- workbooks out ---------------------------------------------------------------------------------


def _workbook(columns: list[str], title: str) -> tuple[Workbook, Any]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(columns)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(column) * 2 + 4)
    return workbook, sheet


def _bytes(workbook: Workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def template(kind: str) -> bytes:
    """An empty register or roll with the header row and a sheet saying what each column takes."""
    columns = REGISTER_COLUMNS if kind == "register" else ROLL_COLUMNS
    workbook, _ = _workbook(columns, "名册" if kind == "register" else "补贴清册")
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for column, note in NOTES.items():
        if column in columns:
            notes.append([column, note])
    notes.column_dimensions["B"].width = 80
    return _bytes(workbook)


NOTES = {
    "村/社区": "村或社区的名称(如 东岗村)或编码，须在您的管辖范围内",
    "网格": "可空；填写时须是该村下的网格名称或编码",
    "户编号": "每户唯一；同一户的成员填同一户编号，每人一行",
    "住址": "以户主所在行为准",
    "户标签": "可空；脱贫户、留守老人、留守儿童，多个以逗号分隔",
    "姓名": "必填",
    "与户主关系": "户主、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、儿媳/女婿、其他；每户须有且只有一名户主",
    "身份证号": "18位，校验位正确；同一人只能登记在一户",
    "电话": "可空；7到20位数字",
    "残疾": "是 或 否(可空)",
    "户主姓名": "可空；填写时须与名册一致",
    "面积(亩)": "大于0，最多两位小数；金额按批次的补贴标准自动计算",
}


def export_register(user: User, unit: OrgUnit, full: bool = False) -> tuple[bytes, int]:
    """The register of `unit`'s subtree in the import layout; with full numbers when asked (the view
    asks only after a confirmed, logged request from a user allowed to see them)."""
    members: QuerySet[Member] = (
        scope.scoped(user, Member.objects.present())  # who died or left is on the household's page only
        .filter(household__org_unit__path__startswith=unit.path)
        .select_related("household__org_unit__parent")
        .order_by("household__number", "pk")
    )
    workbook, sheet = _workbook(REGISTER_COLUMNS, "名册")
    labels = dict(Relation.choices)
    rows = 0
    for member in members.iterator(chunk_size=2000):
        household = member.household
        place = household.org_unit
        village, grid = (place.parent, place.name) if place.kind == OrgKind.GRID else (place, "")
        tags = "、".join(label for label, f in HOUSEHOLD_TAGS.items() if getattr(household, f))
        sheet.append(
            printable_cells(
                [
                    village.name if village else "",
                    grid,
                    household.number,
                    household.address,
                    tags,
                    member.name,
                    labels.get(member.relation, member.relation),
                    member.full_id_number() if full else member.id_number_masked,
                    member.full_phone() if full else member.phone_masked,
                    "是" if member.disabled else "否",
                ]
            )
        )
        rows += 1
    return _bytes(workbook), rows


PAYMENT_COLUMNS = [
    "村/社区",
    "户编号",
    "户主姓名",
    "户主身份证号",
    "面积(亩)",
    "补贴标准(元/亩)",
    "金额(元)",
    "发放日期",
]


def export_batch(user: User, batch: SubsidyBatch, full: bool = False) -> tuple[bytes, int]:
    """The lines of a batch the user may see, with the head of each household; masked unless asked."""
    payments = (
        scope.scoped(user, batch.payments.all())
        .select_related("household__org_unit__parent")
        .order_by("household__number")
    )
    heads = {
        m.household_id: m
        for m in Member.objects.filter(household__in=payments.values("household"), relation=Relation.HEAD)
    }
    workbook, sheet = _workbook(PAYMENT_COLUMNS, "补贴发放")
    rows = 0
    for payment in payments.iterator(chunk_size=2000):
        place = payment.household.org_unit
        village = place.parent if place.kind == OrgKind.GRID and place.parent else place
        head = heads.get(payment.household_id)
        number = "" if head is None else head.full_id_number() if full else head.id_number_masked
        paid = payment.paid_on.isoformat() if payment.paid_on else "未发放"
        sheet.append(printable_cells(
            [village.name, payment.household.number, head.name if head else "", number,
             payment.area, batch.rate, payment.amount, paid]
        ))  # fmt: skip
        rows += 1
    return _bytes(workbook), rows
