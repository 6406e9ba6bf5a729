"""Data scope: the one way lists, detail pages, APIs and exports get their records.

A user sees the records hanging in the subtree of their role's unit; office staff see, of the records an
office owns, only their own office's. A record out of scope answers 404, exactly as one that does not
exist, so that nobody learns what lies outside their scope by probing ids.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from .models import OrgUnit, Role, ScopeRule, User

M = TypeVar("M", bound=models.Model)

NOTHING = Q(pk__in=[])


def scope_root(user: Any) -> OrgUnit | None:
    """The unit at the top of what `user` may see, or None when they may see nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not user.role or user.org_unit_id is None:
        return None
    return user.org_unit  # type: ignore[no-any-return]


def sees_everything(user: Any) -> bool:
    """System administrators (Django superusers) run the whole installation, across counties."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


class _WholeUnit:
    """Stands for no one: the viewer of a figure computed for a unit as a whole (an indicator bound to
    records), which must not change with who looks at it. It sees every record; the caller narrows to
    the unit. Never an actor of a write."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = ""
    org_unit_id = None
    department_id = None


WHOLE_UNIT: Any = _WholeUnit()


def scope_key(user: Any) -> str:
    """Equal for two users who see exactly the same records (what a shared cache may be keyed by)."""
    return f"{int(sees_everything(user))}:{user.role}:{user.org_unit_id}:{user.department_id}"


def rule_for(model: type[models.Model]) -> ScopeRule:
    rule = getattr(model, "scope", None)
    if not isinstance(rule, ScopeRule):
        raise TypeError(f"{model.__name__} declares no ScopeRule: it cannot be listed through the scope.")
    return rule


def _path_field(rule: ScopeRule) -> str:
    """The lookup of a record's place's path."""
    return f"{rule.org_field}__path" if rule.org_field else "path"


def scope_q(user: Any, model: type[models.Model]) -> Q:
    """The filter that keeps the records of `model` that `user` may see."""
    if sees_everything(user):
        return Q()
    root = scope_root(user)
    if root is None:
        return NOTHING
    rule = rule_for(model)
    path_field = _path_field(rule)
    condition = Q(**{f"{path_field}__startswith": root.path})
    if rule.shared_downward:
        condition |= Q(**{f"{path_field}__in": ancestor_paths(root)})
    if rule.county_field:  # always true of the subtree's records; it lets the query read one county only
        condition &= Q(**{rule.county_field: root.county_code})
    if user.role == Role.DEPARTMENT_STAFF and rule.department_field:
        condition &= Q(**{f"{rule.department_field}_id": user.department_id})
    return condition


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """The paths of every unit above `unit`, read from its own path."""
    codes = unit.path.split("/")[:-2]
    return ["".join(f"{code}/" for code in codes[: n + 1]) for n in range(len(codes))]


def scoped(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """`queryset` narrowed to what `user` may see."""
    return queryset.filter(scope_q(user, queryset.model))


def narrowed_to(user: Any, queryset: models.QuerySet[M], unit: OrgUnit) -> models.QuerySet[M]:
    """`queryset`, already scoped for `user`, narrowed to the subtree of `unit`. The subtree is not said
    again when the scope says it already: PostgreSQL takes the two conditions for independent ones and
    squares the subtree's share, so with five counties in a table it plans a county's figures for a
    fifth of the places and rows they read (docs/scale.md)."""
    rule = rule_for(queryset.model)
    root = None if sees_everything(user) else scope_root(user)
    if root is not None and root.path == unit.path and not rule.shared_downward:
        return queryset
    return queryset.filter(**{f"{_path_field(rule)}__startswith": unit.path})


def get_in_scope_or_404(user: Any, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One record by `lookup`, or 404 when it does not exist or lies outside the user's scope."""
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise Http404("记录不存在或无权查看。")  # no record holds a NUL, and PostgreSQL refuses to look
    try:
        return scoped(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("记录不存在或无权查看。") from exc


def requested_unit_or_404(user: Any, code: str | None) -> OrgUnit:
    """The unit a page was asked for by its code, or the user's own unit; 404 outside the scope."""
    if code:
        return get_in_scope_or_404(user, OrgUnit.objects.all(), code=code)
    root = scope_root(user)
    if root is None:
        raise Http404("记录不存在或无权查看。")
    return root


def visible_units(user: Any) -> models.QuerySet[OrgUnit]:
    return scoped(user, OrgUnit.objects.all())


def unit_in_scope(user: Any, unit: OrgUnit) -> bool:
    """Whether `unit` lies in the user's subtree, decided from the paths alone (no query)."""
    if sees_everything(user):
        return True
    root = scope_root(user)
    return root is not None and unit.is_within(root)


def is_township_admin(user: User) -> bool:
    return sees_everything(user) or (user.is_active and user.role == Role.TOWNSHIP_ADMIN)
