"""Every URL the project registers, for every demo role: a record inside the role's scope is reachable,
a record outside it answers 404 (or is absent from the list), exactly like a record that does not exist.

The test enumerates the URL conf: a URL that is added without an entry in SCOPE_CASES (or in the short
list of pages that show no record) fails `test_every_registered_url_is_covered`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories
from tests.conftest import Cast
from tests.households import factories as hh
from tests.registers import books as reg_books
from tests.registers import helpers as reg
from zhenwu.activity.services import acting_as
from zhenwu.cases import catalog as case_catalog
from zhenwu.cases import services as case_services
from zhenwu.cases.models import Case, CasePhoto, Open311Key, Visit
from zhenwu.core.periods import Period
from zhenwu.households import services as households
from zhenwu.indicators import services as indicator_services
from zhenwu.indicators.models import ConsistencyRule, Indicator, IndicatorSettings, RuleViolation, Target
from zhenwu.notifications import services as notifications
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind, Notification
from zhenwu.org import admin as org_admin
from zhenwu.org import services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.projects.models import InvestmentLead, Milestone, Project
from zhenwu.registers import services as reg_services
from zhenwu.registers.models import Register, Thing
from zhenwu.reports.models import NarrativeEntry

ROLES = ["xian", "admin", "leader", "jingfa", "cun01", "cun02", "wangge01"]

# Pages that show no record, so there is nothing to be in or out of scope.
NO_RECORD = {
    "web:home", "web:number-check", "web:healthz", "login", "logout", "api:me", "api-schema",
    "projects:project-create", "projects:lead-create", "projects:investment-upload",
}  # fmt: skip
NO_RECORD |= {"cases:case-create", "cases:report"}
# The ledger import shows only the rows of the uploaded file; the places it may name are the importing
# township's (tests/cases/test_ledger_import.py), and its template is blank.
NO_RECORD |= {"cases:ledger-import", "cases:ledger-template"}
# The first-run page answers only while no account exists, and only to the key `zhenwu serve` printed
# (tests/onboarding/test_setup_page.py): with any account, as here, it is 404 for everyone.
NO_RECORD |= {"web:setup"}
# Open311 GeoReport v2 is public by the standard (reading needs no login; posting needs an API key): it
# shows no scoped record but only public cases (reported through Open311 or marked public by staff), with
# personal data redacted; tests/cases/test_open311_privacy.py proves it.
NO_RECORD |= {
    "open311:discovery",
    "open311:service-list",
    "open311:service-definition",
    "open311:request-list",
    "open311:request-detail",
    "open311:token",
    "open311:not-found",
}
# Upload forms and blank templates show no record; the households overview shows only counts, whose
# scope tests/households/test_figures.py proves.
NO_RECORD |= {
    "households:overview",
    "households:import-register",
    "households:import-roll",
    "households:import-monitoring",
    "households:import-benefits",
    "households:import-template",
    "households:household-add",
}
# The org and accounts imports (forms and blank templates, township admins only, else 404); the link
# list takes a signed list of the accounts just created and keeps those in scope
# (tests/org/test_import_accounts.py); a first-login link is for whoever holds it.
NO_RECORD |= {
    "org:import-org",
    "org:import-org-template",
    "org:import-accounts",
    "org:import-accounts-template",
    "org:account-links",
    "org:first-login",
}
# The definition upload is a form (township admins only, else 404) that shows no record.
NO_RECORD |= {"registers:load"}
# A user's own device key for ODK Collect: nobody else's key is ever named or shown.
NO_RECORD |= {"registers:device", "registers:device-revoke"}
# OpenRosa authenticates by HTTP Basic, not by the session this matrix logs in with: the form list and
# submissions are proven in tests/registers/test_collect.py, and the form download by
# test_openrosa_form_of_another_township_answers_404 below.
NO_RECORD |= {"openrosa:form-list", "openrosa:submission", "openrosa:form-xml"}
# The installable app: its manifest, service worker and offline page are the same for everyone, and the
# 待上传 page is an empty shell filled on the phone from the phone's own storage (tests/web/test_pwa.py).
NO_RECORD |= {"web:manifest", "web:service-worker", "web:offline", "web:outbox"}
# The pages a phone keeps at login are the user's own forms, registers and to-do list, each scoped where it
# is made (test_the_pages_kept_at_login_are_the_users_forms_registers_and_to_do in tests/web/test_pwa.py).
NO_RECORD |= {"web:offline-pages"}
# A user's own inbox and choice of channels: nobody else's notification is ever listed or changed
# (tests/notifications/test_inbox.py, test_api.py, test_choices.py); one notification by its id is in
# SCOPE_CASES below, refused to everyone but its recipient.
NO_RECORD |= {
    "notifications:inbox",
    "notifications:read-all",
    "notifications:settings",
    "api:notification-list",
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
    """How to make a record at a unit and reach it: a `list` finds it in a page filtered by
    `list_query` (at the URL `list_kwargs` name, for a list of one register), a `detail` names it in the
    URL, a `unit` page takes the unit as ?org=, a `unit-post` API write names it as "org" in its JSON
    body."""

    mode: str
    make: Callable[[Cast, OrgUnit], Any]
    list_query: Callable[[Any], str] = lambda record: ""
    list_kwargs: Callable[[Any], dict[str, Any] | None] = lambda record: None
    appears: Callable[[str, Any], bool] = lambda body, record: True
    detail_kwargs: Callable[[Any], dict[str, Any]] = lambda record: {}
    usable_by: Callable[[User], bool] = lambda user: True
    # A township's catalog is shared with everyone under it: what lies outside is another township's.
    shared_downward: bool = False
    read: Callable[[bytes], str] = lambda content: content.decode()
    # A list closed to users outside `usable_by` (a log) answers them 404 rather than an empty page.
    closed: bool = False
    # What a page answers a user outside `usable_by` who may see the record: 404, or 403 where the page
    # says in Chinese that only another role may act (the report outline: only the compiler arranges).
    refused: int = 404
    # A page refused by the role alone (web/permissions.py `requires`) answers 403 whatever unit or
    # record it is asked for: the answer tells nothing about the record.
    refused_by_role: bool = False


def unit_case(mode: str, marker: Callable[[OrgUnit], str]) -> ScopeCase:
    return ScopeCase(
        mode=mode,
        make=lambda cast, unit: unit,
        list_query=lambda unit: f"q={unit.code}",
        appears=lambda body, unit: marker(unit) in body,
        detail_kwargs=lambda unit: {"code": unit.code},
    )


def unit_page(usable_by: Callable[[User], bool] = lambda user: True, **extra: Any) -> ScopeCase:
    return ScopeCase(mode="unit", make=lambda cast, unit: unit, usable_by=usable_by, **extra)


def entry_page() -> ScopeCase:
    """A page for entering indicator values: refused (403) to the roles that only read them."""
    return unit_page(usable_by=indicator_services.may_enter_values, refused=403, refused_by_role=True)


def post_for_unit(client: Client, name: str, code: str) -> Any:
    """An API write that names its unit in the body ("org"), with nothing to write."""
    period = Period.latest_complete(timezone.localdate()).key
    body = json.dumps({"org": code, "period": period, "values": []})
    return client.post(reverse(name), body, content_type="application/json")


def log_entry_at(cast: Cast, unit: OrgUnit) -> LogEntry:
    """A logged change made by an account of `unit`'s township: in scope for that township's admin."""
    township = unit.township()
    author = cast.user("cun01") if township == cast.township else cast.other_admin
    with acting_as(author):
        services.update_org_unit(unit, code=unit.code, name=unit.name + "(改)")
    return LogEntry.objects.filter(object_pk=str(unit.pk)).latest("timestamp")


LOG_CASE = dict(
    make=log_entry_at,
    list_query=lambda entry: f"actor={entry.actor.username}",
    appears=lambda body, entry: f"/activity/{entry.pk}/" in body,
    detail_kwargs=lambda entry: {"pk": entry.pk},
    usable_by=lambda user: user.role == "township_admin",
    closed=True,
)


ROLE_AT_KIND = {
    OrgKind.COUNTY: Role.COUNTY_VIEWER,
    OrgKind.TOWNSHIP: Role.TOWNSHIP_LEADER,
    OrgKind.VILLAGE: Role.VILLAGE_STAFF,
    OrgKind.GRID: Role.GRID_WORKER,
}


def account_at(cast: Cast, unit: OrgUnit) -> User:
    return services.create_user(
        username=f"acct-{unit.code}", password=None, role=ROLE_AT_KIND[OrgKind(unit.kind)], org_unit=unit
    )


ACCOUNT_CASE = dict(
    make=account_at,
    list_query=lambda account: f"q={account.username}",
    appears=lambda body, account: f"/org/accounts/{account.pk}/" in body,
    detail_kwargs=lambda account: {"pk": account.pk},
    usable_by=lambda user: user.role == "township_admin",
    closed=True,
)


def indicator_at(cast: Cast, unit: OrgUnit) -> Indicator:
    """An 经发办 indicator of `unit`'s township (office staff of 经发办 see it; of other offices, not)."""
    township = unit.township() or cast.township
    office, _ = Department.objects.get_or_create(township=township, code="jfb", defaults={"name": "经发办"})
    return Indicator.objects.create(
        township=township,
        department=office,
        code=f"i{unit.code}",
        name="测试指标",
        unit="万元",
        by_village=True,
    )


def violation_at(cast: Cast, unit: OrgUnit) -> RuleViolation:
    indicator = indicator_at(cast, unit)
    rule = ConsistencyRule.objects.create(
        township=indicator.township, name="测试规则", left=indicator, operator="<=", right=indicator
    )
    return RuleViolation.objects.create(rule=rule, org_unit=unit, year=2026, month=8)


def detail_of(make: Callable[[Cast, OrgUnit], Any], shared_downward: bool = False, **extra: Any) -> ScopeCase:
    return ScopeCase(
        mode=extra.pop("mode", "detail"),
        make=make,
        detail_kwargs=lambda record: {"pk": record.pk},
        shared_downward=shared_downward,
        **extra,
    )


def office_of(cast: Cast, unit: OrgUnit) -> Department:
    township = unit.township() or cast.township
    office, _ = Department.objects.get_or_create(township=township, code="jfb", defaults={"name": "经发办"})
    return office


def project_at(cast: Cast, unit: OrgUnit) -> Project:
    """An 经发办 project under construction at `unit`, with an overdue milestone."""
    project = Project.objects.create(
        name=f"项目{unit.code}", category="industry", stage="under_construction", total_investment=1,
        plan_year=2026, planned_investment=100, leader="钱镇长", department=office_of(cast, unit),
        org_unit=unit,
    )  # fmt: skip
    Milestone.objects.create(project=project, name="开工", position=1, planned_date=date(2020, 1, 1))
    return project


def lead_at(cast: Cast, unit: OrgUnit) -> InvestmentLead:
    return InvestmentLead.objects.create(
        investor=f"投资方{unit.code}", sector="制造", intended_investment=1, stage="signed", leader="钱镇长",
        department=office_of(cast, unit), org_unit=unit,
    )  # fmt: skip


def entry_at(cast: Cast, unit: OrgUnit) -> NarrativeEntry:
    """An 经发办 narrative entry for `unit`'s half-year report."""
    author = cast.user("admin") if unit.township() == cast.township else cast.other_admin
    return NarrativeEntry.objects.create(
        department=office_of(cast, unit), org_unit=unit, year=2026, kind="half-year", section="methods",
        title=f"素材{unit.code}", text="坚持项目为王。", author=author,
    )  # fmt: skip


def xlsx_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content), read_only=True)
    return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)


def may_edit_projects(user: User) -> bool:
    return user.role in ("township_admin", "department_staff")


def project_list(**extra: Any) -> ScopeCase:
    return ScopeCase(mode="list", make=project_at, appears=lambda body, p: p.name in body, **extra)


def household_case(mode: str, page: str, usable_by: Callable[[User], bool] = lambda user: True) -> ScopeCase:
    return ScopeCase(
        refused=403,
        mode=mode,
        make=lambda cast, unit: hh.household(unit),
        list_query=lambda h: f"q={h.number}",
        appears=lambda body, h: page.format(h=h) in body,
        detail_kwargs=lambda h: {"pk": h.pk},
        usable_by=usable_by,
    )


def member_change(usable_by: Callable[[User], bool]) -> ScopeCase:
    """A member's edit, move or close form: 403 in Chinese to a role that may see but not change it."""
    return ScopeCase(
        mode="detail",
        make=lambda cast, unit: hh.member(unit),
        detail_kwargs=lambda m: {"pk": m.pk},
        usable_by=usable_by,
        refused=403,
    )


def batch_case(mode: str, page: str) -> ScopeCase:
    return ScopeCase(
        mode=mode,
        make=lambda cast, unit: hh.batch_paying(unit),
        list_query=lambda b: f"q={b.name}",
        appears=lambda body, b: page.format(b=b) in body,
        detail_kwargs=lambda b: {"pk": b.pk},
    )


def monitoring_case(mode: str, page: str, list_query: Callable[[Any], str] | None = None) -> ScopeCase:
    return ScopeCase(
        mode=mode,
        make=lambda cast, unit: hh.monitoring_case(unit),
        list_query=list_query or (lambda c: f"household={c.household.number}"),
        appears=lambda body, c: page.format(c=c) in body,
        detail_kwargs=lambda c: {"pk": c.pk},
    )


ACCESS_CASE = ScopeCase(
    mode="list",
    make=lambda cast, unit: hh.access_at(
        unit, cast.user("cun01") if unit.township() == cast.township else cast.other_admin
    ),
    list_query=lambda entry: f"actor={entry.actor.username}",
    appears=lambda body, entry: f"/households/{entry.member.household_id}/" in body,
    detail_kwargs=lambda entry: {"pk": entry.pk},
    usable_by=households.may_read_access_log,
    closed=True,
)


def case_at(cast: Cast, unit: OrgUnit) -> Case:
    """A grid event happening at `unit`, reported by the system intake (as Open311 does)."""
    types = {t.code: t for t in case_catalog.install()}
    category = types["grid_event"].categories.get(name="环境卫生")
    return case_services.create_case(
        None,
        case_type=types["grid_event"],
        category=category,
        title=f"事件{unit.code}",
        description="路口垃圾堆放",
        org_unit=unit,
    )


def case_photo_at(cast: Cast, unit: OrgUnit) -> CasePhoto:
    from tests.cases.conftest import image_upload

    return case_at(cast, unit).photos.create(image=image_upload(), content_type="image/png", size=1)


def notice_case_at(cast: Cast, unit: OrgUnit) -> Case:
    """A hazard in `unit`'s township, accepted and given a rectification notice by that township's admin."""
    from datetime import timedelta

    from django.utils import timezone

    types = {t.code: t for t in case_catalog.install()}
    township = unit.township()
    admin_user = cast.user("admin") if township == cast.township else cast.other_admin
    case = case_services.create_case(
        admin_user,
        case_type=types["hazard"],
        category=types["hazard"].categories.get(name="消防"),
        title=f"隐患{unit.code}",
        description="消防通道被占用",
        org_unit=unit,
    )
    case = case_services.transition(admin_user, case.pk, "accept", case.version)
    case_services.issue_rectification_notice(
        admin_user,
        case,
        addressee="某商户",
        requirements="清理通道",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    return case


def visit_at(cast: Cast, unit: OrgUnit) -> Visit:
    grid = (
        unit if unit.kind == OrgKind.GRID else OrgUnit.objects.subtree(unit).filter(kind=OrgKind.GRID).first()
    )
    assert grid is not None
    worker = factories.user(Role.GRID_WORKER, grid)
    return case_services.log_visit(worker, target_kind="household", target=f"户{unit.code}")


def case_case(mode: str, api: bool = False) -> ScopeCase:
    return ScopeCase(
        mode=mode,
        make=case_at,
        list_query=(lambda case: f"unit={case.org_unit.code}") if api else (lambda case: f"q={case.title}"),
        appears=(lambda body, case: f'"id":{case.pk},' in body)
        if api
        else (lambda body, c: f"/cases/{c.pk}/" in body),
        detail_kwargs=lambda case: {"pk": case.pk},
    )


CASE_CASES: dict[str, ScopeCase] = {
    "cases:case-list": case_case("list"),
    "cases:case-detail": case_case("detail"),
    "cases:notice-docx": detail_of(notice_case_at),
    "cases:photo": detail_of(case_photo_at),
    "cases:visit-list": ScopeCase(
        mode="list",
        make=visit_at,
        list_query=lambda visit: f"q={visit.target}",
        appears=lambda body, visit: f"· {visit.target}</td>" in body,
    ),
    "cases:bulletin": unit_case("detail", lambda unit: unit.name),
    "cases:ranking": unit_case("detail", lambda unit: unit.name),
    "api:case-list": case_case("list", api=True),
    "api:case-detail": case_case("detail", api=True),
    "api:case-transition": case_case("detail", api=True),
}

HOUSEHOLD_CASES: dict[str, ScopeCase] = {
    "households:household-list": household_case("list", "/households/{h.pk}/"),
    "households:household-detail": household_case("detail", ""),
    "households:monitoring-identify": household_case("detail", "", usable_by=households.may_edit_register),
    "households:benefit-grant": household_case("detail", "", usable_by=households.may_edit_register),
    "households:member-add": household_case("detail", "", usable_by=households.may_edit_register),
    # Editing, moving and closing: a role that sees the household but may not change the register is told
    # so in Chinese (403); out of scope stays 404.
    **{
        f"households:household-{change}": household_case("detail", "", usable_by=households.may_edit_register)
        for change in ("edit", "move", "close")
    },
    **{
        f"households:member-{change}": member_change(households.may_edit_register)
        for change in ("edit", "move", "close")
    },
    "households:member-reveal": ScopeCase(
        mode="detail",
        make=lambda cast, unit: hh.member(unit),
        detail_kwargs=lambda m: {"pk": m.pk},
        usable_by=households.may_see_full,
        refused=403,
    ),
    "households:export-register": ScopeCase(
        mode="detail",
        make=lambda cast, unit: hh.household(unit).org_unit,
        detail_kwargs=lambda unit: {"code": unit.code},
    ),
    "households:monitoring-list": monitoring_case("list", "/households/monitoring/{c.pk}/", lambda c: ""),
    "households:monitoring-detail": monitoring_case("detail", ""),
    "households:batch-list": batch_case("list", "/households/subsidies/{b.pk}/"),
    "households:batch-detail": batch_case("detail", ""),
    "households:batch-export": batch_case("detail", ""),
    "households:access-list": ACCESS_CASE,
    "api:household-list": household_case("list", '"number":"{h.number}"'),
    "api:household-detail": household_case("detail", ""),
    "api:monitoring-case-list": monitoring_case("list", '"household":"{c.household.number}"'),
    "api:monitoring-case-detail": monitoring_case("detail", ""),
}


def register_at(cast: Cast, unit: OrgUnit) -> Register:
    """A register of `unit`'s township (its catalog, shared with everyone under it), named for `unit`."""
    township = unit.township() or cast.township
    return reg.register_in(cast, township, reg_books.visits(f"visits_{unit.pk}", f"走访{unit.code}"))


def thing_at(cast: Cast, unit: OrgUnit) -> Thing:
    # Each unit's lamp has its own number: one number is one lamp, wherever it is entered again.
    thing = reg.lamp_at(cast, unit, f"{unit.pk % 10000:04d}").thing
    assert thing is not None
    return thing


def nameable_thing_at(cast: Cast, unit: OrgUnit) -> Thing:
    """A lamp at `unit` that its township's patrols may name (the patrol form's search box)."""
    thing = thing_at(cast, unit)
    reg.register_in(cast, thing.register.township, reg_books.patrols())
    return thing


def spot_at(cast: Cast, unit: OrgUnit) -> Any:
    """A record with a place, for the register's map."""
    township = unit.township() or cast.township
    sheets = reg_books.visits("spots", "巡查点位")
    sheets["survey"] = [*sheets["survey"], ["geopoint", "spot", "位置", ""]]
    register = reg.register_in(cast, township, sheets)
    values = {"problem": "路灯不亮", "spot": "31.7 111.85 0 5"}
    return reg_services.create_record(reg.admin_of(cast, township), register, values, unit=unit)


def photo_record_at(cast: Cast, unit: OrgUnit) -> Any:
    """A record with a photo kept as the web form keeps it, in the register's own folder."""
    import uuid

    from django.core.files.storage import default_storage

    from tests.cases.conftest import image_upload

    township = unit.township() or cast.township
    sheets = reg_books.visits("photos", "现场照片")
    sheets["survey"] = [*sheets["survey"], ["image", "photo", "照片", ""]]
    register = reg.register_in(cast, township, sheets)
    path = default_storage.save(f"registers/photos/{uuid.uuid4().hex}.png", image_upload())
    values = {"problem": "路灯不亮", "photo": path}
    return reg_services.create_record(reg.admin_of(cast, township), register, values, unit=unit)


def _register_page() -> ScopeCase:
    """A page of a register of the user's township (its form, template, import); a county viewer reads
    registers and fills none."""
    return ScopeCase(
        mode="detail",
        make=register_at,
        detail_kwargs=lambda register: {"form_id": register.form_id},
        usable_by=lambda user: user.role != Role.COUNTY_VIEWER,
        shared_downward=True,
        refused=403,
    )


REGISTER_CASES = {
    "registers:register-list": ScopeCase(
        mode="list", make=register_at, appears=lambda body, r: r.title in body, shared_downward=True
    ),
    # One register ("visits") in each township: the outside record is missing from the user's own list.
    "registers:record-list": ScopeCase(
        mode="list",
        make=reg.visit_at,
        list_kwargs=lambda record: {"form_id": record.register.form_id},
        appears=lambda body, record: f"/registers/records/{record.pk}/" in body,
    ),
    "registers:record-detail": detail_of(reg.visit_at),
    "registers:thing-detail": detail_of(thing_at),
    "registers:record-reveal": detail_of(reg.visit_at, usable_by=households.may_see_full),
    "registers:record-photo": ScopeCase(
        mode="detail",
        make=photo_record_at,
        detail_kwargs=lambda record: {"pk": record.pk, "field": "photo"},
    ),
    "api:register-list": ScopeCase(
        mode="list",
        make=register_at,
        appears=lambda body, r: f'"form_id":"{r.form_id}"' in body,
        shared_downward=True,
    ),
    "api:register-record-list": ScopeCase(
        mode="list",
        make=reg.visit_at,
        list_kwargs=lambda record: {"form_id": record.register.form_id},
        appears=lambda body, record: f'"id":{record.pk},' in body,
    ),
    "api:register-record-detail": ScopeCase(
        mode="detail",
        make=reg.visit_at,
        detail_kwargs=lambda record: {"form_id": record.register.form_id, "pk": record.pk},
    ),
    "registers:record-create": _register_page(),
    "registers:record-template": _register_page(),
    # The list's export: the record's row starts with its number and unit.
    "registers:record-export": ScopeCase(
        mode="list",
        make=reg.visit_at,
        list_kwargs=lambda record: {"form_id": record.register.form_id},
        appears=lambda body, record: f"{record.pk} {record.unit.name}" in body,
        read=xlsx_text,
    ),
    "registers:record-import": _register_page(),
    # The patrol form's search box: the lamp found by its number, or not at all.
    "registers:thing-search": ScopeCase(
        mode="list",
        make=nameable_thing_at,
        list_kwargs=lambda thing: {"form_id": "lamp_patrols"},
        list_query=lambda thing: f"q={thing.identity}",
        appears=lambda body, thing: str(thing.key) in body,
    ),
    "registers:record-map": ScopeCase(
        mode="list",
        make=spot_at,
        list_kwargs=lambda record: {"form_id": record.register.form_id},
        appears=lambda body, record: f"/registers/records/{record.pk}/" in body,
    ),
}


def notification_at(cast: Cast, unit: OrgUnit) -> Notification:
    """A notification, with an attachment, to an account at `unit`: in the scope of users above the
    unit, and still nobody's but its recipient's."""
    recipient = account_at(cast, unit)
    notifications.notify(
        [recipient],
        notifications.Message(
            kind=Kind.BULLETIN,
            key=f"matrix:{unit.code}",
            title=f"通报{unit.code}",
            attachment=("通报.docx", b"PK"),
        ),
    )
    return recipient.notifications.get()


def failed_delivery_at(cast: Cast, unit: OrgUnit) -> Delivery:
    """A failed e-mail to an account at `unit`, for its township admin's page."""
    notification = notification_at(cast, unit)
    return Delivery.objects.create(
        notification=notification, channel=Channel.EMAIL, state=DeliveryState.FAILED, last_error="无邮箱"
    )


def _nobody_but_the_recipient(user: User) -> bool:
    return False  # the matrix logs in as others: even a township admin is refused another's notification


NOTIFICATION_CASES: dict[str, ScopeCase] = {
    "notifications:open": detail_of(notification_at, usable_by=_nobody_but_the_recipient),
    "notifications:attachment": detail_of(notification_at, usable_by=_nobody_but_the_recipient),
    "api:notification-read": detail_of(notification_at, mode="post", usable_by=_nobody_but_the_recipient),
    "notifications:delivery-list": ScopeCase(
        mode="list",
        make=failed_delivery_at,
        appears=lambda body, delivery: f'id="delivery-{delivery.pk}"' in body,
        usable_by=lambda user: user.role == "township_admin",
        closed=True,
    ),
    "notifications:delivery-resend": detail_of(
        failed_delivery_at, mode="post", usable_by=lambda user: user.role == "township_admin"
    ),
}


def visit_due(page: str) -> ScopeCase:
    """A household under monitoring at the unit, not visited this month: on the to-do lists of the grid
    workers and village staff above it, and nobody's outside their scope."""
    return ScopeCase(
        mode="list",
        make=lambda cast, unit: hh.monitoring_case(unit),
        appears=lambda body, c: page.format(c=c) in body,
        usable_by=lambda user: user.role in (Role.GRID_WORKER, Role.VILLAGE_STAFF),
    )


TODO_CASES = {
    "todo:list": visit_due('href="/households/monitoring/{c.pk}/"'),
    "api:todo": visit_due('"url":"/households/monitoring/{c.pk}/"'),
}

SCOPE_CASES: dict[str, ScopeCase] = {
    **REGISTER_CASES,
    **NOTIFICATION_CASES,
    **TODO_CASES,
    **CASE_CASES,
    **HOUSEHOLD_CASES,
    "org:unit-list": unit_case("list", lambda unit: f"/org/units/{unit.code}/"),
    "org:unit-detail": unit_case("detail", lambda unit: f"/org/units/{unit.code}/"),
    "api:org-unit-list": unit_case("list", lambda unit: f'"code":"{unit.code}"'),
    "api:org-unit-detail": unit_case("detail", lambda unit: f'"code":"{unit.code}"'),
    "activity:entry-list": ScopeCase(mode="list", **LOG_CASE),  # type: ignore[arg-type]
    "org:account-list": ScopeCase(mode="list", **ACCOUNT_CASE),  # type: ignore[arg-type]
    "org:account-detail": ScopeCase(mode="detail", **ACCOUNT_CASE),  # type: ignore[arg-type]
    "activity:entry-detail": ScopeCase(mode="detail", **LOG_CASE),  # type: ignore[arg-type]
    "web:dashboard": unit_page(),
    "indicators:dashboard": unit_page(),
    "indicators:entry": entry_page(),
    "indicators:targets": unit_page(usable_by=lambda user: user.role == "township_admin", refused=403),
    "indicators:library": unit_page(usable_by=lambda user: user.role == "township_admin", refused=403),
    "indicators:template": entry_page(),
    "indicators:upload": entry_page(),
    "indicators:export": unit_page(),
    "indicators:workbook-import": entry_page(),
    "indicators:workbook-template": entry_page(),
    "api:indicator-progress": unit_page(),
    "api:indicator-values": ScopeCase(mode="unit-post", make=lambda cast, unit: unit),
    "api:dashboard": unit_page(),
    "indicators:indicator-detail": detail_of(indicator_at, shared_downward=True),
    "indicators:violation-detail": detail_of(violation_at),
    "projects:dashboard": project_list(),
    "projects:dispatch": project_list(),
    "projects:review": project_list(),
    "projects:investment-template": project_list(
        read=xlsx_text, usable_by=may_edit_projects, closed=True, refused=403
    ),
    "api:project-list": project_list(),
    "projects:project-detail": detail_of(project_at),
    "projects:project-edit": detail_of(project_at, usable_by=may_edit_projects, refused=403),
    "projects:project-stage": detail_of(project_at, mode="post"),
    "projects:project-investment": detail_of(project_at, mode="post"),
    "projects:project-schedule": detail_of(project_at, mode="post"),
    "projects:project-progress": detail_of(project_at, mode="post"),
    "projects:project-problem": detail_of(project_at, mode="post"),
    "projects:milestone-done": detail_of(
        lambda cast, unit: project_at(cast, unit).milestones.get(), mode="post"
    ),
    "projects:lead-list": ScopeCase(
        mode="list", make=lead_at, appears=lambda body, lead: lead.investor in body
    ),
    "projects:lead-detail": detail_of(lead_at),
    "projects:lead-land": detail_of(lead_at, usable_by=may_edit_projects, refused=403),
    # a report is written for a unit (?org=): any unit in scope answers, others 404
    "reports:report": unit_page(),
    "reports:download": unit_page(),
    "reports:check": unit_page(),
    "reports:entry-list": ScopeCase(mode="list", make=entry_at, appears=lambda body, e: e.title in body),
    "reports:entry-edit": detail_of(entry_at),
    "reports:choose": detail_of(lambda cast, unit: unit, mode="post"),
    "reports:entry-request": detail_of(lambda cast, unit: unit, mode="post"),
    "reports:outline": detail_of(
        lambda cast, unit: unit, usable_by=lambda user: user.role == "township_admin", refused=403
    ),
}

# For each model a township admin manages in the admin site: a record inside their township and one
# outside it.
ADMIN_CASES: dict[type, Callable[[Cast], tuple[Any, Any]]] = {
    OrgUnit: lambda cast: (cast.village03, cast.other_village),
    User: lambda cast: (cast.user("cun01"), cast.other_admin),
    Department: lambda cast: (cast.jingfa_department, factories.department(cast.other_township)),
    Indicator: lambda cast: (indicator_at(cast, cast.township), indicator_at(cast, cast.other_township)),
    Project: lambda cast: (project_at(cast, cast.village01), project_at(cast, cast.other_village)),
    InvestmentLead: lambda cast: (lead_at(cast, cast.township), lead_at(cast, cast.other_township)),
    Register: lambda cast: (register_at(cast, cast.village01), register_at(cast, cast.other_village)),
    Open311Key: lambda cast: (
        Open311Key.objects.create(township=cast.township, name="内"),
        Open311Key.objects.create(township=cast.other_township, name="外"),
    ),
    Target: lambda cast: tuple(  # type: ignore[return-value]
        Target.objects.create(indicator=indicator_at(cast, unit), org_unit=unit, year=2026, value=1)
        for unit in (cast.township, cast.other_township)
    ),
    IndicatorSettings: lambda cast: tuple(  # type: ignore[return-value]
        IndicatorSettings.objects.create(township=unit) for unit in (cast.township, cast.other_township)
    ),
    ConsistencyRule: lambda cast: tuple(  # type: ignore[return-value]
        violation_at(cast, unit).rule for unit in (cast.township, cast.other_township)
    ),
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
    names = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    response = client.get(reverse(f"{names}_changelist"))
    if isinstance(admin.site._registry[model], org_admin.SharedTableAdmin):
        assert response.status_code == 200  # a reference table every township keeps up
        return
    if not isinstance(admin.site._registry[model], org_admin.ScopedAdmin):
        assert response.status_code == 403
        return
    assert model in ADMIN_CASES, f"add {model.__name__} to ADMIN_CASES in {__file__}"
    inside, outside = ADMIN_CASES[model](cast)
    page = client.get(reverse(f"{names}_changelist")).content.decode()
    assert f"/{inside.pk}/change/" in page
    assert f"/{outside.pk}/change/" not in page
    change = client.get(reverse(f"{names}_change", args=[outside.pk]))
    missing = client.get(reverse(f"{names}_change", args=[999_999]))
    assert change.status_code == missing.status_code == 302


def _without_csrf_token(page: bytes) -> bytes:
    """The error page's layout has the logout form, whose token is masked anew at every render: it tells
    nothing about the record asked for."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken"', page)


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
    outside_unit = cast.other_grid if case.shared_downward else place.outside
    inside, outside = case.make(cast, place.inside), case.make(cast, outside_unit)
    client.force_login(user)
    if case.mode == "list":
        inside_page = _get(client, name, case.list_kwargs(inside), case.list_query(inside))
        outside_page = _get(client, name, case.list_kwargs(outside), case.list_query(outside))
        if case.closed and not case.usable_by(user):
            assert inside_page.status_code == outside_page.status_code == case.refused
            return
        assert inside_page.status_code == 200
        seen_inside = case.appears(case.read(inside_page.content), inside)
        assert seen_inside == case.usable_by(user), f"{role} in-scope record shown={seen_inside} in {name}"
        assert outside_page.status_code == 200
        assert not case.appears(case.read(outside_page.content), outside), (
            f"{role} sees an out-of-scope record"
        )
        return
    if case.mode == "post":
        inside_page = client.post(reverse(name, kwargs=case.detail_kwargs(inside)))
        outside_page = client.post(reverse(name, kwargs=case.detail_kwargs(outside)))
        assert inside_page.status_code == (302 if case.usable_by(user) else case.refused), f"{role} on {name}"
        assert outside_page.status_code == 404, f"{role} reaches an out-of-scope record on {name}"
        return
    if case.mode == "unit":
        inside_page = _get(client, name, query=f"org={inside.code}")
        outside_page = _get(client, name, query=f"org={outside.code}")
    elif case.mode == "unit-post":
        inside_page = post_for_unit(client, name, inside.code)
        outside_page = post_for_unit(client, name, outside.code)
    else:
        inside_page = _get(client, name, kwargs=case.detail_kwargs(inside))
        outside_page = _get(client, name, kwargs=case.detail_kwargs(outside))
    assert inside_page.status_code == (200 if case.usable_by(user) else case.refused), f"{role} on {name}"
    if case.refused_by_role and not case.usable_by(user):
        assert outside_page.status_code == 403, f"{role} on {name}"
        return
    assert outside_page.status_code == 404, f"{role} reaches an out-of-scope record on {name}"


@pytest.mark.parametrize("name", sorted(n for n, c in SCOPE_CASES.items() if c.mode != "list"))
def test_out_of_scope_and_missing_records_answer_alike(cast: Cast, client: Client, name: str) -> None:
    """Nobody can tell an out-of-scope record from a missing one: same status, same body."""
    case = SCOPE_CASES[name]
    outside = case.make(cast, cast.other_grid)
    client.force_login(cast.user("admin"))
    if case.mode == "post":
        out_page = client.post(reverse(name, kwargs=case.detail_kwargs(outside)))
        missing_page = client.post(reverse(name, kwargs={"pk": 999_999_999}))
    elif case.mode == "unit":
        out_page = _get(client, name, query=f"org={outside.code}")
        missing_page = _get(client, name, query="org=999999999")
    elif case.mode == "unit-post":
        out_page = post_for_unit(client, name, outside.code)
        missing_page = post_for_unit(client, name, "999999999")
    else:
        kwargs = case.detail_kwargs(outside)
        missing = {
            key: ("999999999" if isinstance(value, str) else 999_999_999) for key, value in kwargs.items()
        }
        out_page, missing_page = _get(client, name, kwargs=kwargs), _get(client, name, kwargs=missing)
    assert out_page.status_code == missing_page.status_code == 404
    assert _without_csrf_token(out_page.content) == _without_csrf_token(missing_page.content)


@pytest.mark.parametrize("name", sorted(SCOPE_CASES))
def test_anonymous_visitor_is_sent_to_login(cast: Cast, client: Client, name: str) -> None:
    case = SCOPE_CASES[name]
    record = case.make(cast, cast.village01)
    kwargs = case.detail_kwargs(record) if case.mode in ("detail", "post") else case.list_kwargs(record)
    if case.mode == "unit-post":
        response = post_for_unit(client, name, record.code)
    elif case.mode == "post":
        response = client.post(reverse(name, kwargs=kwargs))
    else:
        response = _get(client, name, kwargs=kwargs)
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_openrosa_form_of_another_township_answers_404(cast: Cast, role: str) -> None:
    """ODK Collect downloads a register's XForm with the user's own credentials (HTTP Basic): a register
    the user may fill answers, another township's answers 404 like one that does not exist."""
    from tests.registers.collect import PASSWORD, basic, with_password
    from zhenwu.registers import services as register_services

    user = with_password(cast.user(role))
    inside, outside = register_at(cast, cast.village01), register_at(cast, cast.other_village)
    auth = basic(user.username, PASSWORD)
    client = Client()
    inside_page = client.get(reverse("openrosa:form-xml", args=[inside.pk]), **auth)
    outside_page = client.get(reverse("openrosa:form-xml", args=[outside.pk]), **auth)
    missing_page = client.get(reverse("openrosa:form-xml", args=[999_999_999]), **auth)
    expected = 200 if register_services.may_write(user, inside) else 404
    assert inside_page.status_code == expected, f"{role} on its own township's form"
    assert outside_page.status_code == missing_page.status_code == 404
    assert outside_page.content == missing_page.content
