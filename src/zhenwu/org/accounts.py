"""Accounts: bulk import from Excel, the one-time first-login link, and what a township admin does to an
account (reset its password, unlock it, deactivate or reactivate it).

A new account has no usable password: nobody can sign in to it until its holder opens their first-login
link and sets one. The link is signed and expires; it also carries a digest of the account's password
hash, so it stops working the moment a password is set (or reset again). Links are never stored: they
are made again from the account when shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from openpyxl import Workbook

from zhenwu.activity.services import acting_as
from zhenwu.core.text import printable_cells
from zhenwu.web import downloads

from . import scope, services
from .models import ROLE_UNIT_KIND, Department, OrgKind, OrgUnit, Role, User
from .sheets import PlannedChanges, Row, SheetSpec, read_rows, save, style, template

UPLOAD_KIND = "accounts"  # its limits: zhenwu.core.uploads.LIMITS
SIGNING_SALT = "zhenwu.org.import-accounts"
LINK_SALT = "zhenwu.org.first-login"
LINK_MAX_AGE = timedelta(days=7)
FILE_NAME = "人员账号导入模板.xlsx"

ACCOUNT_SHEET = SheetSpec(
    "人员账号",
    ["姓名", "手机号", "单位", "站所", "角色", "用户名"],
    ["张三", "13800000000", "示例村", "", "村/社区工作人员", ""],
    "每行一个账号。单位填组织机构中的名称或编码；站所仅站所工作人员填写；角色：乡镇管理员、乡镇领导、"
    "站所工作人员、村/社区工作人员、网格员。用户名可留空，默认为手机号。第3行是示例，可删除。",
)
ROLE_BY_LABEL = {role.label: role for role in Role}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
NAME_LENGTH = 32

BAD_PENDING = "导入数据无效，请重新上传文件。"
ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


def accounts_template() -> bytes:
    return template([ACCOUNT_SHEET])


@dataclass(frozen=True)
class AccountChange:
    action: str
    where: str
    name: str
    username: str
    unit: str
    role: str  # its label
    changed: tuple[str, ...] = ()  # the columns an update changes


@dataclass
class AccountImportResult(PlannedChanges):
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[AccountChange] = field(default_factory=list)
    pending: str = ""
    saved: bool = False
    created: list[User] = field(default_factory=list)  # the new accounts, once saved


# --- import: public entry points ------------------------------------------------------------------------


def dry_run_accounts(actor: User, data: bytes, name: str) -> AccountImportResult:
    rows, errors = _read(data, name)
    if errors:
        return AccountImportResult(errors=errors)
    plan = _Plan(actor, rows)
    result = plan.result()
    if not result.errors:
        result.pending = downloads.sign_pending([[r.number, r.cells] for r in rows], SIGNING_SALT)
    return result


def apply_accounts(actor: User, data: bytes, name: str) -> AccountImportResult:
    rows, errors = _read(data, name)
    if errors:
        return AccountImportResult(errors=errors)
    return _apply(actor, rows)


def confirm_accounts(actor: User, pending: str) -> AccountImportResult:
    try:
        rows = [Row(n, dict(cells)) for n, cells in downloads.unsign_pending(pending, SIGNING_SALT)]
    except (ValidationError, TypeError, ValueError) as error:
        messages = (
            error.messages if isinstance(error, ValidationError) else ["导入数据无效，请重新上传文件。"]
        )
        return AccountImportResult(errors=list(messages))
    return _apply(actor, rows)


def _read(data: bytes, name: str) -> tuple[list[Row], list[str]]:
    errors: list[str] = []
    try:
        data = downloads.read_upload(data, name, UPLOAD_KIND)
    except ValidationError as error:
        return [], list(error.messages)
    rows = read_rows(data, name, UPLOAD_KIND, ACCOUNT_SHEET, errors)
    if not errors and not rows:
        errors.append("文件中没有要导入的行：请在模板第3行起填写。")
    return rows, errors


@transaction.atomic
def _apply(actor: User, rows: list[Row]) -> AccountImportResult:
    plan = _Plan(actor, rows)
    result = plan.result()
    if result.errors:
        return result
    with acting_as(actor):
        result.created = plan.save()
    result.saved = True
    return result


# --- import: planning ----------------------------------------------------------------------------------


@dataclass
class _Line:
    row: Row
    name: str
    phone: str
    unit: OrgUnit
    department: Department | None
    role: Role
    username: str
    existing: User | None = None


class _Plan:
    def __init__(self, actor: User, rows: list[Row]) -> None:
        self.actor = actor
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.units = _by_code_and_name(scope.visible_units(actor), rows, "单位")
        self.offices = list(scope.scoped(actor, Department.objects.select_related("township")))
        usernames = [r["用户名"] or r["手机号"] for r in rows]
        self.users = {
            u.username: u for u in User.objects.filter(username__in=usernames).select_related("org_unit")
        }
        self.lines: list[_Line] = []
        first: dict[str, int] = {}
        for row in rows:
            line = self._line(row)
            if line is None:
                continue
            if line.username in first:
                self._error(row, "用户名", f"“{line.username}”与第{first[line.username]}行重复。")
                continue
            first[line.username] = row.number
            self.lines.append(line)
            if downloads.enough_errors(self.errors):
                break

    def result(self) -> AccountImportResult:
        downloads.enough_errors(self.errors)
        if self.errors:
            return AccountImportResult(errors=self.errors, warnings=self.warnings)
        return AccountImportResult(
            warnings=self.warnings, changes=[self._change(line) for line in self.lines]
        )

    def _error(self, row: Row, header: str, message: str) -> None:
        self.errors.append(f"{row.where(header)}：{message}")

    def _line(self, row: Row) -> _Line | None:
        before = len(self.errors)
        name, phone = self._name(row), self._phone(row)
        unit, role = self._unit(row), self._role(row)
        if unit is not None and role is not None and not self._role_fits(row, unit, role):
            role = None
        department = self._department(row, unit, role) if unit is not None and role is not None else None
        username = self._username(row, phone)
        existing = self.users.get(username) if username else None
        if existing is not None and not self._may_update(existing):
            self._error(row, "用户名", f"“{username}”已被本单位以外的账号使用，请另填一个用户名。")
        if len(self.errors) > before or unit is None or role is None:
            return None
        return _Line(row, name, phone, unit, department, role, username, existing)

    def _name(self, row: Row) -> str:
        name = row["姓名"]
        if not name:
            self._error(row, "姓名", "不能为空。")
        elif len(name) > NAME_LENGTH:
            self._error(row, "姓名", f"不能超过{NAME_LENGTH}个字。")
        return name

    def _phone(self, row: Row) -> str:
        phone = row["手机号"].replace(" ", "").replace("-", "")
        if not phone:
            self._error(row, "手机号", "不能为空。")
        elif not MOBILE.match(phone):
            self._error(row, "手机号", f"应为11位手机号码，而不是“{row['手机号']}”。")
        return phone

    def _unit(self, row: Row) -> OrgUnit | None:
        ref = row["单位"]
        found = self.units.get(ref, [])
        if not ref:
            self._error(row, "单位", "不能为空。")
        elif not found:
            self._error(row, "单位", f"找不到“{ref}”：请填写本单位组织机构中的名称或编码。")
        elif len(found) > 1:
            self._error(row, "单位", f"名为“{ref}”的单元不止一个，请改填编码。")
        else:
            return found[0]
        return None

    def _role(self, row: Row) -> Role | None:
        role = ROLE_BY_LABEL.get(row["角色"])
        if role is None:
            wanted = "、".join(r.label for r in Role if r != Role.COUNTY_VIEWER)
            given = f"，而不是“{row['角色']}”" if row["角色"] else ""
            self._error(row, "角色", f"应为{wanted}之一{given}。")
        elif role == Role.COUNTY_VIEWER and not scope.sees_everything(self.actor):
            self._error(row, "角色", "只有系统管理员可以设置县级查看账号。")
            return None
        return role

    def _role_fits(self, row: Row, unit: OrgUnit, role: Role) -> bool:
        wanted = ROLE_UNIT_KIND[role]
        if unit.kind != wanted:
            self._error(
                row,
                "角色",
                f"{role.label}应设在{OrgKind(wanted).label}一级，而“{unit.name}”是{unit.get_kind_display()}。",
            )
            return False
        return True

    def _department(self, row: Row, unit: OrgUnit, role: Role) -> Department | None:
        ref = row["站所"]
        office = next((d for d in self.offices if d.township_id == unit.pk and ref in (d.name, d.code)), None)
        if role != Role.DEPARTMENT_STAFF:
            if ref:
                self.warnings.append(f"{row.where('站所')}：只有站所工作人员记录所属站所，“{ref}”将不记录。")
            return None
        if not ref:
            self._error(row, "站所", "站所工作人员须填写所属站所。")
        elif office is None:
            self._error(row, "站所", f"“{ref}”不是“{unit.name}”的站所。")
        return office

    def _username(self, row: Row, phone: str) -> str:
        username = row["用户名"] or phone
        if not username:
            return ""
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            self._error(row, "用户名", f"“{username}”只能包含字母、数字和 @ . + - _。")
            return ""
        if len(username) > 150:
            self._error(row, "用户名", "不能超过150个字符。")
            return ""
        return username

    def _may_update(self, user: User) -> bool:
        if user.is_superuser and not scope.sees_everything(self.actor):
            return False
        return user.org_unit is not None and scope.unit_in_scope(self.actor, user.org_unit)

    def _change(self, line: _Line) -> AccountChange:
        changed: tuple[str, ...] = ()
        action = ADDED
        if line.existing is not None:
            old = line.existing
            pairs = {
                "姓名": (old.display_name, line.name),
                "手机号": (old.phone, line.phone),
                "单位": (old.org_unit_id, line.unit.pk),
                "站所": (old.department_id, line.department.pk if line.department else None),
                "角色": (old.role, line.role.value),
                "状态": (old.is_active, True),
            }
            changed = tuple(k for k, (a, b) in pairs.items() if a != b)
            action = UPDATED if changed else UNCHANGED
        return AccountChange(
            action, line.row.line, line.name, line.username, line.unit.name, line.role.label, changed
        )

    def save(self) -> list[User]:
        created: list[User] = []
        for line in self.lines:
            if line.existing is None:
                created.append(_create(self.actor, line))
            elif self._change(line).action == UPDATED:
                _update(self.actor, line)
        return created


def _create(actor: User, line: _Line) -> User:
    """A new account without a usable password: its holder sets one through the first-login link."""
    return services.create_user(
        username=line.username,
        password=None,
        role=line.role,
        org_unit=line.unit,
        department=line.department,
        display_name=line.name,
        phone=line.phone,
        actor=actor,
    )


def _update(actor: User, line: _Line) -> None:
    """Name, phone, unit, office and role from the file; never the password."""
    user = line.existing
    assert user is not None
    services._require_admin_over(actor, line.unit)
    user.display_name, user.phone, user.org_unit = line.name, line.phone, line.unit
    user.department, user.role, user.is_active = line.department, line.role, True
    user.is_staff = user.may_use_admin_site()
    user.full_clean()
    user.save()


def _by_code_and_name(units: QuerySet[OrgUnit], rows: list[Row], header: str) -> dict[str, list[OrgUnit]]:
    refs = {r[header] for r in rows if r[header]}
    found: dict[str, list[OrgUnit]] = {}
    for unit in units.filter(Q(code__in=refs) | Q(name__in=refs)):
        if unit.code in refs:
            found[unit.code] = [unit]
        if unit.name in refs and unit.name != unit.code:
            found.setdefault(unit.name, []).append(unit)
    return found


# --- first-login links ---------------------------------------------------------------------------------


def _state(user: User) -> str:
    """Changes whenever the password does (set, or reset to a new unusable one) or the account is
    deactivated: a link made before no longer matches."""
    return salted_hmac(LINK_SALT, f"{user.pk}|{user.password}|{user.is_active}").hexdigest()[:24]


def first_login_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=LINK_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    """The account a link is for, while the link is valid: signed, not expired, not yet used."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        user = User.objects.filter(pk=int(payload["u"]), is_active=True).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.has_usable_password():
        return None
    return user if constant_time_compare(_state(user), str(payload.get("s", ""))) else None


def first_login_link(user: User, request_or_base_url: HttpRequest | str) -> str:
    """The absolute first-login link of an account that has not set its password yet."""
    path = reverse("org:first-login", kwargs={"token": first_login_token(user)})
    if isinstance(request_or_base_url, str):
        return request_or_base_url.rstrip("/") + path
    return request_or_base_url.build_absolute_uri(path)


def first_login_links(users: list[User], request_or_base_url: HttpRequest | str) -> list[tuple[User, str]]:
    """(account, link) for the accounts an import created, in the order they were created."""
    return [(user, first_login_link(user, request_or_base_url)) for user in users]


def links_workbook(links: list[tuple[User, str]]) -> bytes:
    """The list an admin hands out: whose link is which, and until when it works."""
    spec = SheetSpec(
        "首次登录链接",
        ["姓名", "用户名", "单位", "角色", "首次登录链接"],
        [],
        f"每人一个链接，{LINK_MAX_AGE.days}天内有效、只能使用一次：打开后自行设置密码。请单独发给本人，不要转发到群里。",
    )
    book = Workbook()
    sheet = book.active
    sheet.title = spec.name
    sheet.append([spec.note])
    sheet.append(list(spec.headers))
    for user, link in links:
        unit = user.org_unit.name if user.org_unit else ""
        sheet.append(printable_cells([user.display_name, user.username, unit, user.get_role_display(), link]))
    style(sheet, spec)
    sheet.column_dimensions["E"].width = 90
    return save(book)


def sign_created(users: list[User]) -> str:
    """The accounts just created, signed, so that the page can offer their links as a file once more
    without the links being kept anywhere."""
    return downloads.sign_pending([u.pk for u in users], LINK_SALT + ".created")


def created_from(actor: User, token: str) -> list[User]:
    """The accounts of `sign_created` that still wait for their first login and lie in scope."""
    ids = downloads.unsign_pending(token, LINK_SALT + ".created")
    users = accounts_in_scope(actor).filter(pk__in=[int(i) for i in ids])
    return [u for u in users.order_by("pk") if not u.has_usable_password()]


@transaction.atomic
def set_own_password(user: User, password: str) -> None:
    """The holder of a first-login (or reset) link sets their password; the link dies with it."""
    with acting_as(user):
        user.set_password(password)
        user.save(update_fields=["password"])
        services.record_account_action(user, "本人设置密码")
    axes_reset(username=user.username)


# --- the township admin's accounts page ------------------------------------------------------------------


def accounts_in_scope(actor: Any) -> QuerySet[User]:
    """The accounts a township admin manages: every account of their subtree (not system administrators)."""
    if not scope.is_township_admin(actor):
        return User.objects.none()
    users = scope.scoped(actor, User.objects.select_related("org_unit", "department"))
    if not scope.sees_everything(actor):
        users = users.filter(is_superuser=False)
    return users.order_by("org_unit__path", "role", "username")


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes holds locked out now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return set(attempts.values_list("username", flat=True))


def _require_manages(actor: User, user: User) -> None:
    if not accounts_in_scope(actor).filter(pk=user.pk).exists():
        raise PermissionDenied("无权管理该账号。")


@transaction.atomic
def reset_password(actor: User, user: User) -> None:
    """The old password stops working at once (and every session with it); the holder sets a new one
    through a new first-login link, which also ends any earlier link."""
    _require_manages(actor, user)
    with acting_as(actor):
        user.set_unusable_password()
        user.save(update_fields=["password"])
        services.record_account_action(user, "重置密码")
    axes_reset(username=user.username)


def unlock(actor: User, user: User) -> int:
    """Clear django-axes' failed attempts for the account; the count cleared."""
    _require_manages(actor, user)
    with acting_as(actor):
        services.record_account_action(user, "解除锁定")
    return int(axes_reset(username=user.username))


@transaction.atomic
def set_active(actor: User, user: User, active: bool) -> None:
    _require_manages(actor, user)
    if user.pk == actor.pk and not active:
        raise PermissionDenied("不能停用自己的账号。")
    with acting_as(actor):
        user.is_active = active
        user.save(update_fields=["is_active"])
