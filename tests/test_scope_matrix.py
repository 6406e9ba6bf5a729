"""Every URL the project registers, for every demo role: a record inside the role's scope is reachable,
a record outside it answers 404 (or is absent from the list), exactly like a record that does not exist.

The test enumerates the URL conf: a URL that is added without an entry in SCOPE_CASES (or in the short
list of pages that show no record) fails `test_every_registered_url_is_covered`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Cast
from tests.households import factories as hh
from zhenwu.activity.services import acting_as
from zhenwu.households import services as households
from zhenwu.org import admin as org_admin
from zhenwu.org import services
from zhenwu.org.models import OrgUnit, User

ROLES = ["xian", "admin", "leader", "jingfa", "cun01", "cun02", "wangge01"]

# Pages that show no record, so there is nothing to be in or out of scope.
NO_RECORD = {"web:home", "login", "logout", "api:me", "api-schema"}
# Forms (their unit choices come from the scope) and blank templates show no record; the households
# overview shows only counts, whose scope tests/households/test_figures.py proves.
NO_RECORD |= {
    "households:overview",
    "households:import-register",
    "households:import-roll",
    "households:import-template",
    "households:household-add",
}


def registered_url_names() -> Iterator[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}"

    return walk(get_resolver().url_patterns, "")


@dataclass(frozen=True)
class Placement:
    """Where a role's inside and outside records hang."""

    inside: OrgUnit
    outside: OrgUnit


def placements(cast: Cast) -> dict[str, Placement]:
    return {
        "xian": Placement(cast.grid0102, cast.other_grid),
        "admin": Placement(cast.village03, cast.other_grid),
        "leader": Placement(cast.village03, cast.other_village),
        "jingfa": Placement(cast.grid0102, cast.other_township),
        "cun01": Placement(cast.grid0102, cast.village02),
        "cun02": Placement(cast.village02, cast.grid0101),
        "wangge01": Placement(cast.grid0101, cast.grid0102),
    }


@dataclass(frozen=True)
class ScopeCase:
    """How to make a record at a unit, find it in a list, and name it in a detail URL."""

    make: Callable[[Cast, OrgUnit], Any]
    list_query: Callable[[Any], str]
    appears: Callable[[str, Any], bool]
    detail_kwargs: Callable[[Any], dict[str, Any]]
    usable_by: Callable[[User], bool] = lambda user: True


def unit_case(marker: Callable[[OrgUnit], str]) -> ScopeCase:
    return ScopeCase(
        make=lambda cast, unit: unit,
        list_query=lambda unit: f"q={unit.code}",
        appears=lambda body, unit: marker(unit) in body,
        detail_kwargs=lambda unit: {"code": unit.code},
    )


def log_entry_at(cast: Cast, unit: OrgUnit) -> LogEntry:
    """A logged change made by an account of `unit`'s township: in scope for that township's admin."""
    township = unit.township()
    author = cast.user("cun01") if township == cast.township else cast.other_admin
    with acting_as(author):
        services.update_org_unit(unit, code=unit.code, name=unit.name + "(改)")
    return LogEntry.objects.filter(object_pk=str(unit.pk)).latest("timestamp")


LOG_CASE = ScopeCase(
    make=log_entry_at,
    list_query=lambda entry: f"actor={entry.actor.username}",
    appears=lambda body, entry: f"/activity/{entry.pk}/" in body,
    detail_kwargs=lambda entry: {"pk": entry.pk},
    usable_by=lambda user: user.role == "township_admin",
)


def household_case(page: str, usable_by: Callable[[User], bool] = lambda user: True) -> ScopeCase:
    return ScopeCase(
        make=lambda cast, unit: hh.household(unit),
        list_query=lambda h: f"q={h.number}",
        appears=lambda body, h: page.format(h=h) in body,
        detail_kwargs=lambda h: {"pk": h.pk},
        usable_by=usable_by,
    )


def batch_case(page: str) -> ScopeCase:
    return ScopeCase(
        make=lambda cast, unit: hh.batch_paying(unit),
        list_query=lambda b: f"q={b.name}",
        appears=lambda body, b: page.format(b=b) in body,
        detail_kwargs=lambda b: {"pk": b.pk},
    )


def monitoring_case(page: str) -> ScopeCase:
    return ScopeCase(
        make=lambda cast, unit: hh.monitoring_case(unit),
        list_query=lambda c: f"household={c.household.number}",
        appears=lambda body, c: page.format(c=c) in body,
        detail_kwargs=lambda c: {"pk": c.pk},
    )


ACCESS_CASE = ScopeCase(
    make=lambda cast, unit: hh.access_at(
        unit, cast.user("cun01") if unit.township() == cast.township else cast.other_admin
    ),
    list_query=lambda entry: f"actor={entry.actor.username}",
    appears=lambda body, entry: f"/households/{entry.member.household_id}/" in body,
    detail_kwargs=lambda entry: {"pk": entry.pk},
    usable_by=households.may_read_access_log,
)

SCOPE_CASES: dict[str, ScopeCase] = {
    "org:unit-list": unit_case(lambda unit: f"/org/units/{unit.code}/"),
    "org:unit-detail": unit_case(lambda unit: f"/org/units/{unit.code}/"),
    "api:org-unit-list": unit_case(lambda unit: f'"code":"{unit.code}"'),
    "api:org-unit-detail": unit_case(lambda unit: f'"code":"{unit.code}"'),
    "activity:entry-list": LOG_CASE,
    "activity:entry-detail": LOG_CASE,
    "households:household-list": household_case("/households/{h.pk}/"),
    "households:household-detail": household_case(""),
    "households:monitoring-identify": household_case("", usable_by=households.may_edit_register),
    "households:benefit-grant": household_case("", usable_by=households.may_edit_register),
    "households:member-add": household_case("", usable_by=households.may_edit_register),
    "households:member-reveal": ScopeCase(
        make=lambda cast, unit: hh.member(unit),
        list_query=lambda m: "",
        appears=lambda body, m: True,
        detail_kwargs=lambda m: {"pk": m.pk},
        usable_by=households.may_see_full,
    ),
    "households:export-register": ScopeCase(
        make=lambda cast, unit: hh.household(unit).org_unit,
        list_query=lambda unit: "",
        appears=lambda body, unit: True,
        detail_kwargs=lambda unit: {"code": unit.code},
    ),
    "households:monitoring-list": ScopeCase(
        make=lambda cast, unit: hh.monitoring_case(unit),
        list_query=lambda c: "",
        appears=lambda body, c: f"/households/monitoring/{c.pk}/" in body,
        detail_kwargs=lambda c: {"pk": c.pk},
    ),
    "households:monitoring-detail": monitoring_case(""),
    "households:batch-list": batch_case("/households/subsidies/{b.pk}/"),
    "households:batch-detail": batch_case(""),
    "households:batch-export": batch_case(""),
    "households:access-list": ACCESS_CASE,
    "api:household-list": household_case('"number":"{h.number}"'),
    "api:household-detail": household_case(""),
    "api:monitoring-case-list": monitoring_case('"household":"{c.household.number}"'),
    "api:monitoring-case-detail": monitoring_case(""),
}


def test_every_registered_url_is_covered() -> None:
    """A new URL must join the matrix (or be listed as showing no record) before the suite passes."""
    uncovered = sorted(
        name
        for name in registered_url_names()
        if not name.startswith("admin:") and name not in SCOPE_CASES and name not in NO_RECORD
    )
    assert uncovered == [], f"add these URLs to SCOPE_CASES in {__file__}: {uncovered}"


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_site_shows_a_township_admin_only_their_subtree(cast: Cast, client: Client, model: Any) -> None:
    """Township admins use the admin site: a model there is either scoped or closed to them (403)."""
    client.force_login(cast.user("admin"))
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(changelist)
    if not isinstance(admin.site._registry[model], org_admin.ScopedAdmin):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    scoped = {OrgUnit: (cast.village03, cast.other_village), User: (cast.user("cun01"), cast.other_admin)}
    inside, outside = scoped.get(model, (cast.jingfa_department, None))
    assert f"/{inside.pk}/change/" in response.content.decode()
    if outside is not None:
        assert f"/{outside.pk}/change/" not in response.content.decode()
        change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[outside.pk])
        missing = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[999_999])
        assert client.get(change).status_code == client.get(missing).status_code == 302


def _get(client: Client, name: str, kwargs: dict[str, Any] | None = None, query: str = "") -> Any:
    url = reverse(name, kwargs=kwargs)
    return client.get(f"{url}?{query}" if query else url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SCOPE_CASES))
def test_record_inside_scope_is_reachable_and_outside_answers_404(
    cast: Cast, client: Client, name: str, role: str
) -> None:
    case = SCOPE_CASES[name]
    user = cast.user(role)
    place = placements(cast)[role]
    inside, outside = case.make(cast, place.inside), case.make(cast, place.outside)
    client.force_login(user)
    if name.endswith("-list"):
        inside_page = _get(client, name, query=case.list_query(inside))
        outside_page = _get(client, name, query=case.list_query(outside))
        if not case.usable_by(user):
            assert inside_page.status_code == 404 and outside_page.status_code == 404
            return
        assert inside_page.status_code == 200
        assert case.appears(inside_page.content.decode(), inside), (
            f"{role} does not see an in-scope record in {name}"
        )
        assert outside_page.status_code == 200
        assert not case.appears(outside_page.content.decode(), outside), f"{role} sees an out-of-scope record"
    else:
        inside_page = _get(client, name, kwargs=case.detail_kwargs(inside))
        outside_page = _get(client, name, kwargs=case.detail_kwargs(outside))
        assert inside_page.status_code == (200 if case.usable_by(user) else 404)
        assert outside_page.status_code == 404


@pytest.mark.parametrize("name", sorted(n for n in SCOPE_CASES if n.endswith("-detail")))
def test_out_of_scope_and_missing_records_answer_alike(cast: Cast, client: Client, name: str) -> None:
    """Nobody can tell an out-of-scope record from a missing one: same status, same body."""
    case = SCOPE_CASES[name]
    outside = case.make(cast, cast.other_grid)
    client.force_login(cast.user("admin"))
    kwargs = case.detail_kwargs(outside)
    missing = {key: ("999999999" if isinstance(value, str) else 999_999_999) for key, value in kwargs.items()}
    out_page, missing_page = _get(client, name, kwargs=kwargs), _get(client, name, kwargs=missing)
    assert out_page.status_code == missing_page.status_code == 404
    assert out_page.content == missing_page.content


@pytest.mark.parametrize("name", sorted(SCOPE_CASES))
def test_anonymous_visitor_is_sent_to_login(cast: Cast, client: Client, name: str) -> None:
    case = SCOPE_CASES[name]
    record = case.make(cast, cast.village01)
    kwargs = None if name.endswith("-list") else case.detail_kwargs(record)
    response = _get(client, name, kwargs=kwargs)
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
