"""The org tree and the township offices from one workbook (sheets 组织 and 站所), all or nothing.

A dry run reads the file and plans every row (added, renamed or unchanged) or says what is wrong with it,
by row and column; the confirmation plans the same rows again against the database as it is then, and
saves only when nothing is wrong. A re-import renames units and adds new ones; it never deletes a unit
and never moves one to another parent, since every record under it would move too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from zhenwu.activity.services import acting_as
from zhenwu.web import downloads

from . import scope, services
from .models import PARENT_KIND, PATH_SEPARATOR, Department, OrgKind, OrgUnit, User
from .sheets import PlannedChanges, Row, SheetSpec, read_rows, template

UPLOAD_KIND = "org_tree"  # its limits: zhenwu.core.uploads.LIMITS
SIGNING_SALT = "zhenwu.org.import-tree"
FILE_NAME = "组织机构导入模板.xlsx"

UNIT_SHEET = SheetSpec(
    "组织",
    ["层级", "名称", "统计用区划代码", "编码", "上级"],
    ["村/社区", "示例村", "990102101201", "", "示例镇"],
    "每行一个单元。层级：县/区、乡镇/街道、村/社区(也可写村或社区)、网格。有统计用区划代码(12位)的单元"
    "以它为编码；网格等没有代码的单元请填写“编码”(字母、数字、连字符)。上级填上级单元的名称或编码。"
    "第3行是示例，可删除。",
    prefix="组织表",
)
OFFICE_SHEET = SheetSpec(
    "站所",
    ["名称", "编码", "所属乡镇"],
    ["示例办", "slb", "示例镇"],
    "每行一个站所/办。编码用字母、数字或连字符；所属乡镇填乡镇/街道的名称或编码。第3行是示例，可删除。",
    prefix="站所表",
)

KIND_BY_LABEL = {kind.label: kind for kind in OrgKind} | {"村": OrgKind.VILLAGE, "社区": OrgKind.VILLAGE}
KIND_ORDER = list(PARENT_KIND)  # county first: a parent is always planned before its children
OFFICIAL_CODE = re.compile(r"^\d{12}$")
UNIT_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# How many leading digits of its parent's official code a unit's official code repeats.
OFFICIAL_PREFIX = {OrgKind.TOWNSHIP: 6, OrgKind.VILLAGE: 9}
NAME_LENGTH = 64

BAD_PENDING = "导入数据无效，请重新上传文件。"
ADDED, RENAMED, UNCHANGED = "added", "renamed", "unchanged"


def org_template() -> bytes:
    return template([UNIT_SHEET, OFFICE_SHEET])


@dataclass(frozen=True)
class Change:
    """What the import does with one row."""

    action: str
    where: str
    label: str  # 村/社区, 站所…
    name: str
    code: str
    old_name: str = ""
    parent: str = ""


@dataclass
class OrgImportResult(PlannedChanges):
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    pending: str = ""  # the checked rows, signed, for the confirmation
    saved: bool = False
    updated_action = RENAMED


# --- public entry points -------------------------------------------------------------------------------


def dry_run_org(actor: User, data: bytes, name: str) -> OrgImportResult:
    """Check the workbook and say what importing it would do; nothing is saved."""
    unit_rows, office_rows, errors = _read(data, name)
    if errors:
        return OrgImportResult(errors=errors)
    result = _Plan(actor, unit_rows, office_rows).result()
    if not result.errors:
        result.pending = _sign(unit_rows, office_rows)
    return result


def apply_org(actor: User, data: bytes, name: str) -> OrgImportResult:
    """Check and import the workbook at once (what the confirmation does with the dry run's rows)."""
    unit_rows, office_rows, errors = _read(data, name)
    if errors:
        return OrgImportResult(errors=errors)
    return _apply(actor, unit_rows, office_rows)


def confirm_org(actor: User, pending: str) -> OrgImportResult:
    """Import the rows a dry run showed, planned again against the database as it is now."""
    try:
        payload = downloads.unsign_pending(pending, SIGNING_SALT)
        unit_rows = [Row(n, dict(cells), UNIT_SHEET.prefix) for n, cells in payload["units"]]
        office_rows = [Row(n, dict(cells), OFFICE_SHEET.prefix) for n, cells in payload["offices"]]
    except (ValidationError, KeyError, TypeError, ValueError) as error:
        messages = (
            error.messages if isinstance(error, ValidationError) else ["导入数据无效，请重新上传文件。"]
        )
        return OrgImportResult(errors=list(messages))
    return _apply(actor, unit_rows, office_rows)


# --- reading -------------------------------------------------------------------------------------------


def _read(data: bytes, name: str) -> tuple[list[Row], list[Row], list[str]]:
    errors: list[str] = []
    try:
        data = downloads.read_upload(data, name, UPLOAD_KIND)
    except ValidationError as error:
        return [], [], list(error.messages)
    unit_rows = read_rows(data, name, UPLOAD_KIND, UNIT_SHEET, errors)
    office_rows = read_rows(data, name, UPLOAD_KIND, OFFICE_SHEET, errors) if not errors else []
    if not errors and not unit_rows and not office_rows:
        errors.append("文件中没有要导入的行：请在模板第3行起填写。")
    return unit_rows, office_rows, errors


def _sign(unit_rows: list[Row], office_rows: list[Row]) -> str:
    payload = {
        "units": [[r.number, r.cells] for r in unit_rows],
        "offices": [[r.number, r.cells] for r in office_rows],
    }
    return downloads.sign_pending(payload, SIGNING_SALT)


@transaction.atomic
def _apply(actor: User, unit_rows: list[Row], office_rows: list[Row]) -> OrgImportResult:
    plan = _Plan(actor, unit_rows, office_rows)
    result = plan.result()
    if result.errors:
        return result
    with acting_as(actor):
        plan.save()
    result.saved = True
    return result


# --- planning ------------------------------------------------------------------------------------------


@dataclass
class _UnitLine:
    """A row of 组织 read into a unit: where it would hang, and what it is now (if it exists)."""

    row: Row
    kind: OrgKind
    name: str
    code: str
    official: bool
    parent_ref: str
    existing: OrgUnit | None = None
    parent_code: str = ""
    path: str = ""  # where the unit is or would be; "" while its row or its parent's has an error


@dataclass
class _OfficeLine:
    row: Row
    name: str
    code: str
    township_code: str
    township_path: str


class _Plan:
    """Every row checked against the file and the database; `save` carries out a plan without errors."""

    def __init__(self, actor: User, unit_rows: list[Row], office_rows: list[Row]) -> None:
        self.actor = actor
        self.errors: list[tuple[int, int, str]] = []  # (sheet, row, message), sorted for the page
        self.changes: list[Change] = []
        self.root = None if scope.sees_everything(actor) else scope.scope_root(actor)
        self.taken: set[str] = set()  # codes of units the actor may not see
        self.siblings: dict[tuple[str, str, str], int] = {}  # (parent code, kind, name) → row
        self.lines = [line for row in unit_rows if (line := self._unit_line(row)) is not None]
        self._no_duplicate_codes()
        self.by_code = {line.code: line for line in self.lines}
        self.by_name: dict[str, list[_UnitLine]] = {}
        for line in self.lines:
            self.by_name.setdefault(line.name, []).append(line)
        self.known = self._known_units(unit_rows, office_rows)
        for kind in KIND_ORDER:
            for line in self.lines:
                if line.kind == kind and line.path == "" and not self._has_error(line.row):
                    self._place(line)
        self.offices = [line for row in office_rows if (line := self._office_line(row)) is not None]
        self._plan_offices()

    def result(self) -> OrgImportResult:
        errors = [message for _, _, message in sorted(self.errors, key=lambda e: (e[0], e[1]))]
        downloads.enough_errors(errors)
        changes = self.changes if not errors else []  # counties first, then townships …, then offices
        return OrgImportResult(errors=errors, changes=changes)

    def _error(self, row: Row, header: str, message: str) -> None:
        sheet = 0 if row.prefix == UNIT_SHEET.prefix else 1
        self.errors.append((sheet, row.number, f"{row.where(header)}：{message}"))

    def _has_error(self, row: Row) -> bool:
        return any(sheet == 0 and number == row.number for sheet, number, _ in self.errors)

    # the rows, each on its own

    def _unit_line(self, row: Row) -> _UnitLine | None:
        kind = KIND_BY_LABEL.get(row["层级"])
        if kind is None:
            wanted = "、".join(k.label for k in OrgKind)
            given = f"，而不是“{row['层级']}”" if row["层级"] else ""
            self._error(row, "层级", f"应为{wanted}之一(村、社区也可){given}。")
        name = row["名称"]
        if not name:
            self._error(row, "名称", "不能为空。")
        elif len(name) > NAME_LENGTH:
            self._error(row, "名称", f"不能超过{NAME_LENGTH}个字。")
        code = self._unit_code(row)
        parent_ref = row["上级"]
        if kind == OrgKind.COUNTY and parent_ref:
            self._error(row, "上级", "县/区是组织树的顶端，不填上级。")
        elif kind is not None and kind != OrgKind.COUNTY and not parent_ref:
            self._error(row, "上级", "不能为空：请填写上级单元的名称或编码。")
        if kind is None or not name or not code:
            return None
        return _UnitLine(row, kind, name, code, bool(row["统计用区划代码"]), parent_ref)

    def _unit_code(self, row: Row) -> str:
        official, own = row["统计用区划代码"], row["编码"]
        if official and not OFFICIAL_CODE.match(official):
            self._error(row, "统计用区划代码", f"应为12位数字，而不是“{official}”。")
            return ""
        if official and own and own != official:
            self._error(row, "编码", "与统计用区划代码不同：有代码的单元以代码为编码，此列请留空。")
            return ""
        code = official or own
        if not code:
            self._error(row, "编码", "没有统计用区划代码的单元(如网格)须填写编码。")
        elif not UNIT_CODE.match(code):
            self._error(row, "编码", f"“{code}”只能包含字母、数字、下划线和连字符，最长32位。")
            return ""
        return code

    def _no_duplicate_codes(self) -> None:
        first: dict[str, _UnitLine] = {}
        for line in list(self.lines):
            if line.code in first:
                column = "统计用区划代码" if line.official else "编码"
                self._error(line.row, column, f"编码“{line.code}”与第{first[line.code].row.number}行重复。")
                self.lines.remove(line)
            else:
                first[line.code] = line

    def _known_units(self, unit_rows: list[Row], office_rows: list[Row]) -> dict[str, list[OrgUnit]]:
        """The units of the database the file may name, by code and by name, in one query."""
        refs = {line.code for line in self.lines} | {line.name for line in self.lines}
        refs |= {r["上级"] for r in unit_rows if r["上级"]}
        refs |= {r["所属乡镇"] for r in office_rows if r["所属乡镇"]}
        known: dict[str, list[OrgUnit]] = {}
        named = OrgUnit.objects.filter(Q(code__in=refs) | Q(name__in=refs)).select_related("parent")
        if self.root is not None:  # an admin's file may name their township, what is under and above it
            visible = Q(path__startswith=self.root.path) | Q(path__in=scope.ancestor_paths(self.root))
            codes = [line.code for line in self.lines]
            self.taken = set(named.exclude(visible).filter(code__in=codes).values_list("code", flat=True))
            named = named.filter(visible)
        for unit in named:
            known.setdefault(f"code:{unit.code}", []).append(unit)
            known.setdefault(f"name:{unit.name}", []).append(unit)
        return known

    # where each unit hangs

    def _place(self, line: _UnitLine) -> None:
        existing = self.known.get(f"code:{line.code}", [None])[0]
        line.existing = existing
        if line.code in self.taken:
            column = "统计用区划代码" if line.official else "编码"
            self._error(line.row, column, f"编码“{line.code}”已被本单位以外的单元使用，请核对。")
            return
        parent = self._parent(line) if line.kind != OrgKind.COUNTY else None
        if line.kind != OrgKind.COUNTY and parent is None:
            return
        if not self._parent_fits(line, parent):
            return
        parent_path = _path_of(parent)
        if existing is not None and not self._same_place(line, existing, parent):
            return
        line.parent_code = _code_of(parent)
        line.path = existing.path if existing else f"{parent_path}{line.code}{PATH_SEPARATOR}"
        self._plan_unit(line, parent)

    def _parent(self, line: _UnitLine) -> _UnitLine | OrgUnit | None:
        ref = line.parent_ref
        if ref in self.by_code:
            return self._placed(line, self.by_code[ref])
        if f"code:{ref}" in self.known:
            return self.known[f"code:{ref}"][0]
        in_file = self.by_name.get(ref, [])
        if len(in_file) == 1:
            return self._placed(line, in_file[0])
        in_database = self.known.get(f"name:{ref}", [])
        if len(in_file) > 1 or len(in_database) > 1:
            self._error(line.row, "上级", f"名为“{ref}”的单元不止一个，请改填上级的编码。")
        elif len(in_database) == 1:
            return in_database[0]
        else:
            self._error(line.row, "上级", f"找不到“{ref}”：它既不在本表中，也不在系统中。")
        return None

    def _placed(self, line: _UnitLine, parent: _UnitLine) -> _UnitLine | None:
        """A parent from the file, once it could be placed (its own errors are reported on its row)."""
        if parent.path:
            return parent
        if KIND_ORDER.index(parent.kind) >= KIND_ORDER.index(line.kind):
            self._wrong_parent(line, parent.kind, parent.name)
        else:
            self._error(line.row, "上级", f"上级“{parent.name}”(第{parent.row.number}行)有错误，请先改正。")
        return None

    def _parent_fits(self, line: _UnitLine, parent: _UnitLine | OrgUnit | None) -> bool:
        expected = PARENT_KIND[line.kind]
        kind = _kind_of(parent)
        if kind != expected:
            assert parent is not None
            self._wrong_parent(line, OrgKind(kind), parent.name)
            return False
        if line.official and line.kind in OFFICIAL_PREFIX and parent is not None:
            digits = OFFICIAL_PREFIX[line.kind]
            parent_code = _code_of(parent)
            if OFFICIAL_CODE.match(parent_code) and line.code[:digits] != parent_code[:digits]:
                self._error(
                    line.row,
                    "统计用区划代码",
                    f"{line.kind.label}的代码应以{OrgKind(kind).label}“{parent.name}”代码的前{digits}位"
                    f"“{parent_code[:digits]}”开头。",
                )
                return False
        return True

    def _wrong_parent(self, line: _UnitLine, parent_kind: OrgKind, parent_name: str) -> None:
        if parent_kind == line.kind:
            message = f"{line.kind.label}不能设在{line.kind.label}“{parent_name}”之下。"
        else:
            wanted = PARENT_KIND[line.kind]
            message = (
                f"{line.kind.label}的上级应为{OrgKind(wanted).label if wanted else '空'}，"
                f"而“{parent_name}”是{parent_kind.label}。"
            )
        self._error(line.row, "上级", message)

    def _same_place(self, line: _UnitLine, existing: OrgUnit, parent: _UnitLine | OrgUnit | None) -> bool:
        if existing.kind != line.kind:
            self._error(
                line.row,
                "层级",
                f"编码“{line.code}”的单元“{existing.name}”已是{existing.get_kind_display()}，导入不改变层级。",
            )
            return False
        if (existing.parent.code if existing.parent else "") != _code_of(parent):
            old_parent = existing.parent.name if existing.parent else "(无)"
            self._error(
                line.row,
                "上级",
                f"“{existing.name}”已在“{old_parent}”之下，导入不移动单元(其下的记录会随之移动)；"
                "如确需调整，请联系系统管理员。",
            )
            return False
        return True

    def _plan_unit(self, line: _UnitLine, parent: _UnitLine | OrgUnit | None) -> None:
        existing = line.existing
        parent_name = parent.name if parent else ""
        where = line.row.line
        if self._sibling_clash(line, parent):
            line.path = ""
            return
        if existing is not None and existing.name == line.name:
            if self._may_see(existing.path, changed=False):
                self.changes.append(
                    Change(UNCHANGED, where, line.kind.label, line.name, line.code, "", parent_name)
                )
            else:
                self._out_of_scope(line)
            return
        if not self._may_see(line.path, changed=True):
            self._out_of_scope(line)
            return
        if existing is None and line.kind in (OrgKind.COUNTY, OrgKind.TOWNSHIP) and self.root is not None:
            self._error(line.row, "层级", f"只有系统管理员可以新建{line.kind.label}。")
            line.path = ""
            return
        action, old = (RENAMED, existing.name) if existing else (ADDED, "")
        self.changes.append(Change(action, where, line.kind.label, line.name, line.code, old, parent_name))

    def _sibling_clash(self, line: _UnitLine, parent: _UnitLine | OrgUnit | None) -> bool:
        """Two units of one kind and name under one parent are one unit typed twice, or given a second
        code: refused, so that a re-import with a changed code does not make a twin."""
        key = (_code_of(parent), line.kind, line.name)
        if key in self.siblings:
            self._error(
                line.row, "名称", f"与第{self.siblings[key]}行同名：同一上级下不能有两个“{line.name}”。"
            )
            return True
        self.siblings[key] = line.row.number
        parent_unit = parent.existing if isinstance(parent, _UnitLine) else parent
        parent_pk = parent_unit.pk if parent_unit is not None else None
        for unit in self.known.get(f"name:{line.name}", []):
            if unit.kind == line.kind and unit.parent_id == parent_pk and unit.code != line.code:
                self._error(
                    line.row,
                    "名称",
                    f"“{parent_name_of(parent)}”下已有{line.kind.label}“{line.name}”(编码{unit.code})："
                    f"同一单元请沿用编码{unit.code}，导入不更改已有单元的编码。",
                )
                return True
        return False

    def _may_see(self, path: str, *, changed: bool) -> bool:
        """Inside the admin's township; a unit above it (their county) may be listed, unchanged."""
        if self.root is None:
            return True
        if path.startswith(self.root.path):
            return True
        return not changed and self.root.path.startswith(path)

    def _out_of_scope(self, line: _UnitLine) -> None:
        assert self.root is not None
        self._error(line.row, "上级", f"只能导入本单位“{self.root.name}”之内的单元。")
        line.path = ""

    # offices

    def _office_line(self, row: Row) -> _OfficeLine | None:
        name, code, ref = row["名称"], row["编码"], row["所属乡镇"]
        if not name:
            self._error(row, "名称", "不能为空。")
        elif len(name) > NAME_LENGTH:
            self._error(row, "名称", f"不能超过{NAME_LENGTH}个字。")
        if not code:
            self._error(row, "编码", "不能为空。")
        elif not UNIT_CODE.match(code):
            self._error(row, "编码", f"“{code}”只能包含字母、数字、下划线和连字符，最长32位。")
            code = ""
        township = self._township(row, ref)
        if not name or not code or township is None:
            return None
        code_of_township, path = township
        if self.root is not None and not path.startswith(self.root.path):
            self._error(row, "所属乡镇", f"只能导入本单位“{self.root.name}”的站所。")
            return None
        return _OfficeLine(row, name, code, code_of_township, path)

    def _township(self, row: Row, ref: str) -> tuple[str, str] | None:
        """The code and path of the township an office row names (from the file or the database)."""
        if not ref:
            self._error(row, "所属乡镇", "不能为空。")
            return None
        in_file = [self.by_code[ref]] if ref in self.by_code else self.by_name.get(ref, [])
        in_database = self.known.get(f"code:{ref}") or self.known.get(f"name:{ref}", [])
        found: list[Any] = in_file or in_database
        if len(found) != 1:
            message = f"找不到乡镇/街道“{ref}”。" if not found else f"名为“{ref}”的单元不止一个，请改填编码。"
            self._error(row, "所属乡镇", message)
            return None
        township = found[0]
        if _kind_of(township) != OrgKind.TOWNSHIP:
            self._error(row, "所属乡镇", f"“{ref}”不是乡镇/街道。")
            return None
        if isinstance(township, _UnitLine) and not township.path:
            self._error(row, "所属乡镇", f"“{ref}”(组织表第{township.row.number}行)有错误，请先改正。")
            return None
        return township.code, township.path

    def _plan_offices(self) -> None:
        codes = {line.township_code for line in self.offices}
        existing = list(Department.objects.filter(township__code__in=codes).select_related("township"))
        seen: dict[tuple[str, str], int] = {}
        for line in self.offices:
            if self._office_duplicate(line, seen):
                continue
            same_code = _office(existing, line.township_code, code=line.code)
            same_name = _office(existing, line.township_code, name=line.name)
            where = line.row.line
            if same_code is not None and same_code.name != line.name:
                if same_name is not None:
                    self._error(
                        line.row, "名称", f"本乡镇已有名为“{line.name}”的站所(编码{same_name.code})。"
                    )
                    continue
                self.changes.append(Change(RENAMED, where, "站所", line.name, line.code, same_code.name))
            elif same_code is not None or same_name is not None:
                found = same_code or same_name
                assert found is not None
                self.changes.append(Change(UNCHANGED, where, "站所", found.name, found.code))
            else:
                self.changes.append(Change(ADDED, where, "站所", line.name, line.code))

    def _office_duplicate(self, line: _OfficeLine, seen: dict[tuple[str, str], int]) -> bool:
        for header, value in (("编码", line.code), ("名称", line.name)):
            key = (line.township_code, f"{header}:{value}")
            if key in seen:
                self._error(line.row, header, f"“{value}”与第{seen[key]}行重复。")
                return True
            seen[key] = line.row.number
        return False

    # saving

    def save(self) -> None:
        """Carry out the plan: parents before children, every write through the org services."""
        planned = {(c.where, c.code): c for c in self.changes}
        for kind in KIND_ORDER:
            for line in self.lines:
                change = planned.get((line.row.line, line.code))
                if line.kind == kind and change is not None:
                    self._save_unit(line, change)
        for office in self.offices:
            change = planned.get((office.row.line, office.code))
            if change is not None:
                self._save_office(office, change)

    def _save_unit(self, line: _UnitLine, change: Change) -> None:
        if change.action == ADDED:
            parent = OrgUnit.objects.get(code=line.parent_code) if line.parent_code else None
            services.create_org_unit(
                kind=line.kind, code=line.code, name=line.name, parent=parent, actor=self.actor
            )
        elif change.action == RENAMED:
            unit = OrgUnit.objects.get(code=line.code)
            services.update_org_unit(unit, code=unit.code, name=line.name, actor=self.actor)

    def _save_office(self, line: _OfficeLine, change: Change) -> None:
        township = OrgUnit.objects.get(code=line.township_code)
        if change.action == ADDED:
            services.create_department(township=township, code=line.code, name=line.name, actor=self.actor)
        elif change.action == RENAMED:
            department = Department.objects.get(township=township, code=line.code)
            services.rename_department(department, name=line.name, actor=self.actor)


def parent_name_of(parent: _UnitLine | OrgUnit | None) -> str:
    return parent.name if parent is not None else "顶层"


def _kind_of(unit: _UnitLine | OrgUnit | None) -> str | None:
    return None if unit is None else unit.kind


def _code_of(unit: _UnitLine | OrgUnit | None) -> str:
    return "" if unit is None else unit.code


def _path_of(unit: _UnitLine | OrgUnit | None) -> str:
    return "" if unit is None else unit.path


def _office(offices: list[Department], township_code: str, **match: str) -> Department | None:
    return next(
        (
            d
            for d in offices
            if d.township.code == township_code and all(getattr(d, k) == v for k, v in match.items())
        ),
        None,
    )
