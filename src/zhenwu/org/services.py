"""Every write to the org tree, the offices and the accounts goes through here.

Each function validates the whole record before saving, so bad input changes nothing, and saves through
the model so that the activity log records who changed what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Func, Value

from . import scope
from .models import PATH_SEPARATOR, Department, OrgUnit, Role, ScopeRule, User, county_code_of


def _require_admin_over(actor: User | None, unit: OrgUnit) -> None:
    """Only a township admin (or a system administrator) may change the tree under their unit."""
    if actor is None:
        return  # commands and data loaders run as the system
    if not scope.is_township_admin(actor) or not scope.unit_in_scope(actor, unit):
        raise PermissionDenied("无权修改该组织单元。")


def create_org_unit(
    *, kind: str, code: str, name: str, parent: OrgUnit | None, actor: User | None = None
) -> OrgUnit:
    if parent is not None:
        _require_admin_over(actor, parent)
    elif actor is not None and not scope.sees_everything(actor):
        raise PermissionDenied("只有系统管理员可以新建县级单元。")
    unit = OrgUnit(kind=kind, code=code, name=name, parent=parent)
    unit.path = unit.compute_path()
    unit.depth = 0 if parent is None else parent.depth + 1
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def update_org_unit(unit: OrgUnit, *, code: str, name: str, actor: User | None = None) -> OrgUnit:
    """Rename a unit or change its code; a new code rewrites the paths of its whole subtree."""
    _require_admin_over(actor, unit)
    old_path = unit.path
    unit.code = code
    unit.name = name
    unit.path = unit.compute_path()
    unit.full_clean()
    unit.save()
    if unit.path != old_path and unit.parent_id is None:
        _recode_county(county_code_of(old_path), unit.code)
    if unit.path != old_path:
        OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Func(
                F("path"),
                Value(old_path),
                Value(unit.path),
                function="REPLACE",
                output_field=OrgUnit._meta.get_field("path"),
            )
        )
    return unit


def _recode_county(old_code: str, new_code: str) -> None:
    """The records that keep their county's code (`ScopeRule.county_field`) follow its new code."""
    for model in apps.get_models():
        rule = getattr(model, "scope", None)
        if isinstance(rule, ScopeRule) and rule.county_field:
            model._default_manager.filter(**{rule.county_field: old_code}).update(
                **{rule.county_field: new_code}
            )


def create_department(*, township: OrgUnit, code: str, name: str, actor: User | None = None) -> Department:
    _require_admin_over(actor, township)
    department = Department(township=township, code=code, name=name)
    department.full_clean()
    department.save()
    return department


def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    org_unit: OrgUnit,
    department: Department | None = None,
    display_name: str = "",
    actor: User | None = None,
    **extra: Any,
) -> User:
    _require_admin_over(actor, org_unit)
    user = User(
        username=username,
        role=role,
        org_unit=org_unit,
        department=department,
        display_name=display_name,
        **extra,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = user.may_use_admin_site()
    user.full_clean()
    user.save()
    return user


@dataclass(frozen=True)
class SubtreeSummary:
    """What a user can reach: their unit and how many units of each kind lie under it."""

    root: OrgUnit | None
    counts: dict[str, int]
    departments: list[Department]

    def count_of(self, kind: str) -> int:
        return self.counts.get(kind, 0)


def subtree_summary(user: User) -> SubtreeSummary:
    units = scope.visible_units(user)
    counts = {row["kind"]: row["n"] for row in units.values("kind").annotate(n=Count("pk")).order_by()}
    departments = list(scope.scoped(user, Department.objects.select_related("township")))
    if user.role == Role.DEPARTMENT_STAFF and user.department is not None:
        departments = [user.department]
    return SubtreeSummary(root=scope.scope_root(user), counts=counts, departments=departments)


def children_of(user: User, unit: OrgUnit) -> list[OrgUnit]:
    return list(scope.visible_units(user).filter(parent=unit).order_by("code"))


def units_of_kind_under(user: User, unit: OrgUnit, kind: str) -> list[OrgUnit]:
    """The units of one kind in `unit`'s subtree that the user may see (a township's villages), by path."""
    return list(scope.visible_units(user).filter(path__startswith=unit.path, kind=kind).order_by("path"))


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """The chain from the root down to `unit`'s parent, in one query by the codes on its path."""
    codes = unit.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
    by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def validation_messages(error: ValidationError) -> list[str]:
    """A ValidationError as the sentences a form shows, field names dropped."""
    return [str(message) for message in error.messages]


def rename_department(department: Department, *, name: str, actor: User | None = None) -> Department:
    _require_admin_over(actor, department.township)
    department.name = name
    department.full_clean()
    department.save()
    return department


def record_account_action(user: User, what: str) -> None:
    """Log what a township admin did to an account that changes no logged field (a password reset, an
    unlock): the actor comes from `acting_as` or the request, as for every other entry."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, changes={"账号操作": ["", what]})
