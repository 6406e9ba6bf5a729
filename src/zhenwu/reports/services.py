"""Every figure a work report states, gathered from the other apps' services, and the writes of
narrative entries and drafts.

`gather` reads only through `indicators.services`, `projects.services`, `cases.services`,
`households.services` and `registers.figures`; `compose.compose` turns the result into a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhenwu.cases import services as cases
from zhenwu.core.text import text_problem
from zhenwu.documents.model import Document
from zhenwu.households import services as households
from zhenwu.households.models import BenefitKind
from zhenwu.indicators import services as indicators
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.projects import services as projects
from zhenwu.registers import figures as register_figures

from . import catalogue
from . import outline as outlines
from .catalogue import CatalogueEntry, Gathered
from .compose import Coming, Entry, ReportFigures, compose
from .kinds import KINDS, ReportSpec
from .methods import LateMilestone, Overdue
from .models import EntryRequest, NarrativeEntry, ReportDraft, ReportOutline

IN_FORCE = [BenefitKind.DIBAO, BenefitKind.TEKUN]  # monthly benefits: households and people at the end
BENEFITS = [
    (BenefitKind.DIBAO, "低保金"),
    (BenefitKind.TEKUN, "特困供养金"),
    (BenefitKind.TEMPORARY, "临时救助金"),
]


def find_unit(user: Any, text: str) -> OrgUnit:
    """A township or village in the user's scope by its code or its exact name."""
    units = scope.scoped(user, OrgUnit.objects.filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.VILLAGE]))
    found = list(units.filter(code=text.strip())) or list(units.filter(name=text.strip()))
    if len(found) != 1:
        why = "有多个同名单位，请用编码" if found else "找不到该单位或无权查看"
        raise LookupError(f"“{text}”：{why}。")
    return found[0]


def gather(user: Any, unit: OrgUnit, spec: ReportSpec, entries: list[Entry] | None = None) -> ReportFigures:
    """Every figure the report of `unit` for `spec` states, as `user` may see them.

    Monthly figures are year to date to `spec.period`; dated records count to `spec.until`, and each
    is as it stood at the end of that day, read from its history (a case resolved later was open then, a
    project's stage is the one it had); money paid counts to the day the report is made. Whatever is
    late (a milestone, a value not entered by its deadline) is late on the day the report is generated.
    """
    period, today = spec.period, spec.generated_on
    then = as_of(spec)
    counts = projects.project_counts(user, unit, period)
    review = [line for line in projects.monthly_review(user, period, today=today)
              if line.project.org_unit.path.startswith(unit.path)]  # fmt: skip
    # the unit's projects with their milestones, read once for what is coming and what is late
    found = projects.with_details(projects.projects_for(user).filter(org_unit__path__startswith=unit.path))
    return ReportFigures(
        spec=spec,
        unit_name=unit.name,
        unit_code=unit.code,
        indicators=indicators.progress_for_unit(user, unit, period, today=today),
        projects=counts,
        review=review,
        coming=coming_milestones(found, spec),
        cases=cases.case_figures(user, unit, spec.start, spec.until, now=then),
        new_monitored=households.new_monitored(user, spec.start, spec.until, unit),
        eliminated=households.closed_monitored(user, spec.start, spec.until, unit),
        monitored=households.monitored_on(user, spec.until, unit),
        benefits=[
            (kind, label, households.benefit_paid(user, kind, spec.start, spec.until, unit, paid_by=today))
            for kind, label in BENEFITS
        ],
        subsidies=[
            (b.pk, b.name, households.subsidy_figure(user, b, unit))
            for b in households.batches_for(user)
            if b.year == spec.year
        ],
        entries=entries or [],
        registers=register_figures.report_lines(user, unit, register_figures.Span(spec.start, spec.until)),
        more=gather_more(user, unit, spec),
        overdue=overdue_work(user, unit, spec, found),
    )


def gather_more(user: Any, unit: OrgUnit, spec: ReportSpec) -> Gathered:
    """The catalogue's figures beyond the report's first ones, each from its owning app's service: counts
    of what stood at the span's end are counted as they stood then (a case resolved later is open)."""
    start, until = spec.start, spec.until
    types, categories = cases.codes_by_name()
    investments = projects.project_investments(user, unit, spec.period)
    return Gathered(
        cases=cases.case_figures(user, unit, start, until, now=as_of(spec)),
        case_types=types,
        case_categories=categories,
        visits=cases.visit_counts(user, unit, start, until),
        investments=investments,
        by_category=projects.investment_by_category(investments),
        leads=projects.leads_on(user, unit, until),
        problems=projects.problem_figures(user, unit, start, until),
        monitored=households.monitored_by_category_on(user, until, unit),
        monitoring_visits=households.monitoring_visits(user, start, until, unit).count(),
        tags=households.tag_counts(user, until, unit),
        in_force=[(kind, households.benefits_in_force(user, kind, until, unit)) for kind in IN_FORCE],
    )


def overdue_work(user: Any, unit: OrgUnit, spec: ReportSpec, found: list[Any]) -> Overdue:
    """What is late on the day the report is generated, for 存在问题 and 下步计划: every overdue milestone
    of the unit's projects, the case types (hazards are told by their code), and the households under
    monitoring with no visit since the first day of the span's last month. `found`: the unit's projects
    with their milestones."""
    today = spec.generated_on
    late = [
        LateMilestone(p.pk, p.name, m.name, m.planned_date)
        for p in found
        for m in projects.overdue_milestones([p], today)
    ]
    since = spec.until.replace(day=1)
    return Overdue(
        milestones=sorted(late, key=lambda m: (m.planned, m.project)),
        case_types={t.name: (t.pk, t.code) for t in cases.case_catalog.get()[0].values()},
        since=since,
        unvisited=households.unvisited_monitored(user, since, unit).count(),
    )


def as_of(spec: ReportSpec) -> datetime | None:
    """The moment the report's figures stand at: the end of `spec.until` in Beijing; None (now) when
    that moment has not come, as for a report made on the span's last day or before it."""
    moment = cases.end_of_day(spec.until)  # as the case engine ends a day: deadlines end then
    return moment if moment < timezone.now() else None


def coming_milestones(found: list[Any], spec: ReportSpec) -> list[Coming]:
    """Open milestones from the day the report is generated to the end of the span its plans are for:
    one planned before that day is overdue, and one between that day and the plans' span (December's,
    in an annual report written in December) is still to be done. `found`: the unit's projects with
    their milestones."""
    start, end = spec.generated_on, spec.next_span[1]
    coming = [
        Coming(p.pk, p.name, m.name, m.planned_date)
        for p in found
        for m in p.milestones.all()
        if m.actual_date is None and start <= m.planned_date <= end
    ]
    return sorted(coming, key=lambda c: (c.planned, c.project))


def catalogue_entries(user: Any, unit: OrgUnit, spec: ReportSpec) -> list[CatalogueEntry]:
    """Every catalogue entry with a value for `unit` over `spec`'s span, with its key, sub-section and
    figures: what an outline chooses from."""
    return catalogue.entries(gather(user, unit, spec))


def report(
    user: Any,
    unit: OrgUnit,
    spec: ReportSpec,
    entries: list[Entry] | None = None,
    arrangement: outlines.Arrangement | None = None,
) -> Document:
    figures = gather(user, unit, spec, entries)
    if arrangement is None:
        return compose(figures)
    return compose(figures, arrangement.outline(), arrangement.leads)


# --- narrative entries and drafts ---------------------------------------------------------------------


def may_write_entries(user: Any, unit: OrgUnit) -> bool:
    """Office staff write their office's entries; the township admin writes for any office."""
    if not scope.unit_in_scope(user, unit) or unit.township() is None:
        return False
    return scope.sees_everything(user) or user.role in (Role.TOWNSHIP_ADMIN, Role.DEPARTMENT_STAFF)


def may_compile(user: Any, unit: OrgUnit) -> bool:
    """Whoever compiles the report (the township admin, in 党政办) picks and orders the entries."""
    return scope.unit_in_scope(user, unit) and (
        scope.sees_everything(user) or user.role == Role.TOWNSHIP_ADMIN
    )


def entries_for(user: Any, unit: OrgUnit, spec: ReportSpec) -> QuerySet[NarrativeEntry]:
    entries = NarrativeEntry.objects.filter(org_unit=unit, year=spec.year, kind=spec.entry_kind)
    return scope.scoped(user, entries.select_related("department"))


def save_entry(user: User, entry: NarrativeEntry) -> NarrativeEntry:
    if not may_write_entries(user, entry.org_unit):
        raise PermissionDenied("无权填写该单位的报告素材。")
    if user.role == Role.DEPARTMENT_STAFF and entry.department_id != user.department_id:
        raise PermissionDenied("只能填写本站所的报告素材。")
    entry.author = user
    entry.full_clean()
    entry.save()
    return entry


def draft_of(unit: OrgUnit, spec: ReportSpec) -> ReportDraft | None:
    return ReportDraft.objects.filter(org_unit=unit, year=spec.year, kind=spec.kind.code).first()


@transaction.atomic
def choose_entries(user: User, unit: OrgUnit, spec: ReportSpec, entry_ids: list[int]) -> ReportDraft:
    """Keep the compiler's choice and order; ids of entries the user cannot see are refused."""
    if not may_compile(user, unit):
        raise PermissionDenied("只有党政办(乡镇管理员)可以编排报告。")
    known = set(entries_for(user, unit, spec).values_list("pk", flat=True))
    unknown = [i for i in entry_ids if i not in known]
    if unknown:
        raise ValidationError(f"素材 {unknown} 不属于本报告。")
    draft, _ = ReportDraft.objects.update_or_create(
        org_unit=unit, year=spec.year, kind=spec.kind.code,
        defaults={"entry_ids": list(dict.fromkeys(entry_ids)), "updated_by": user},
    )  # fmt: skip
    return draft


def chosen_entries(user: Any, unit: OrgUnit, spec: ReportSpec) -> list[Entry]:
    """The entries the compiler chose, in their order; all entries, in order, until a choice is saved."""
    entries = {e.pk: e for e in entries_for(user, unit, spec)}
    draft = draft_of(unit, spec)
    ids = [i for i in draft.entry_ids if i in entries] if draft else list(entries)
    chosen = [Entry(e.pk, e.section, e.title, e.text, e.department.name) for e in (entries[i] for i in ids)]
    saved = outline_for(unit, spec)
    return outlines.place(chosen, arrangement_of(saved).placement) if saved else chosen


# --- asking the offices for their entries (素材征集) ------------------------------------------------------


@transaction.atomic
def request_entries(
    user: User,
    unit: OrgUnit,
    *,
    year: int,
    kind: str,
    due_on: date,
    departments: Iterable[Department] = (),
    note: str = "",
) -> EntryRequest:
    """Ask offices (none named: every office of the township) for their entries for the report of
    `unit` of `kind` and `year`, by `due_on`. Asking again for the same report changes the request."""
    if not may_compile(user, unit):
        raise PermissionDenied("只有党政办(乡镇管理员)可以征集素材。")
    if kind not in KINDS:
        raise ValidationError({"kind": f"未知的报告类型“{kind}”。"})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "截止日期不能早于今天。"})
    offices = list(departments)
    township = unit.township()
    if any(office.township_id != getattr(township, "pk", None) for office in offices):
        raise ValidationError({"departments": "只能向本乡镇的站所征集素材。"})
    request, _ = EntryRequest.objects.update_or_create(
        org_unit=unit, year=year, kind=kind,
        defaults={"due_on": due_on, "note": note.strip(), "requested_by": user},
    )  # fmt: skip
    request.departments.set(offices)
    return request


@dataclass(frozen=True)
class RequestStatus:
    """A request and, of the offices it asks, those that have written an entry and those that have not."""

    request: EntryRequest
    answered: list[Department]
    waiting: list[Department]


def requests_for(user: Any, unit: OrgUnit) -> list[RequestStatus]:
    """The requests for `unit`'s reports the user may see, newest first, with who has answered."""
    requests = scope.scoped(user, EntryRequest.objects.filter(org_unit=unit).prefetch_related("departments"))
    township = unit.township()
    offices = list(Department.objects.filter(township=township).order_by("code")) if township else []
    written = set(
        NarrativeEntry.objects.filter(org_unit=unit).values_list("year", "kind", "department_id").distinct()
    )
    found = []
    for request in requests.order_by("-year", "-due_on", "pk"):
        asked = list(request.departments.all()) or offices
        answered = [d for d in asked if (request.year, request.kind, d.pk) in written]
        found.append(RequestStatus(request, answered, [d for d in asked if d not in answered]))
    return found


def requests_waiting_for(user: Any) -> QuerySet[EntryRequest]:
    """The requests asking the user's office that it has not answered with an entry yet."""
    if user.role != Role.DEPARTMENT_STAFF or user.department_id is None:
        return EntryRequest.objects.none()
    answered = NarrativeEntry.objects.filter(
        department_id=user.department_id,
        org_unit=OuterRef("org_unit"),
        year=OuterRef("year"),
        kind=OuterRef("kind"),
    )
    asked = Q(departments__isnull=True) | Q(departments=user.department_id)
    # Office staff see their own township only: the scope keeps the requests of its units.
    return (
        scope.scoped(user, EntryRequest.objects.filter(asked))
        .exclude(Exists(answered))
        .distinct()
        .select_related("org_unit")
    )


def compiled_report(user: Any, unit: OrgUnit, spec: ReportSpec) -> Document:
    """The report with the chosen narrative entries, arranged by the township's saved outline for the
    report's kind: what the web page, the download and the command give."""
    saved = outline_for(unit, spec)
    return report(
        user, unit, spec, chosen_entries(user, unit, spec), arrangement_of(saved) if saved else None
    )


# --- the compiler's outline ---------------------------------------------------------------------------


def outline_kind(spec: ReportSpec) -> str:
    """The key a report's outline is kept under: its kind, or for a custom span the kind of its months."""
    months = {code: (kind.first_month, kind.last_month) for code, kind in KINDS.items()}
    return outlines.outline_kind(spec.kind.code, spec.start, spec.end, months)


def outline_for(unit: OrgUnit, spec: ReportSpec) -> ReportOutline | None:
    """The outline saved for the township of `unit` and the report's kind (a village's report is
    arranged as its township's)."""
    township = unit.township()
    if township is None:
        return None
    return ReportOutline.objects.filter(org_unit=township, kind=outline_kind(spec)).first()


def arrangement_of(saved: ReportOutline) -> outlines.Arrangement:
    return outlines.Arrangement(
        sections={str(k): [str(key) for key in v] for k, v in saved.sections.items()},
        dismissed=[str(key) for key in saved.dismissed],
        leads={str(k): str(v) for k, v in saved.leads.items()},
        placement=outlines.placement_from_json(saved.placement),
        labels={str(k): str(v) for k, v in saved.labels.items()},
    )


def arrangement_for(
    user: Any, unit: OrgUnit, spec: ReportSpec, found: list[CatalogueEntry]
) -> tuple[outlines.Arrangement, ReportOutline | None]:
    """The saved arrangement, or the default one (every figure with a value) until one is saved."""
    saved = outline_for(unit, spec)
    if saved is not None:
        return arrangement_of(saved), saved
    return outlines.default(found, chosen_entries(user, unit, spec)), None


@transaction.atomic
def save_outline(
    user: User, unit: OrgUnit, spec: ReportSpec, arrangement: outlines.Arrangement
) -> ReportOutline:
    """Keep the compiler's arrangement for the township and the report's kind. Refused, changing nothing:
    a user who does not compile, a figure the catalogue does not know, a lead sentence that is not plain
    text, an entry not of this report."""
    township = unit.township()
    if township is None or not may_compile(user, unit):
        raise PermissionDenied("只有党政办(乡镇管理员)可以编排报告提纲。")
    found = catalogue_entries(user, unit, spec)
    saved = outline_for(unit, spec)
    known = {item.key for item in found}
    if saved is not None:
        known |= arrangement_of(saved).keys | {str(key) for key in saved.dismissed}
    _check_outline(arrangement, known, set(entries_for(user, unit, spec).values_list("pk", flat=True)))
    labels = {key: label for key, label in arrangement.labels.items() if key in known}
    labels |= {item.key: item.label for item in found}
    sections = {
        section: list(dict.fromkeys(arrangement.sections.get(section, [])))
        for section in outlines.SECTION_TITLES
    }
    printed = {key for keys in sections.values() for key in keys}
    outline, _ = ReportOutline.objects.update_or_create(
        org_unit=township,
        kind=outline_kind(spec),
        defaults={
            "sections": sections,
            "dismissed": list(dict.fromkeys(k for k in arrangement.dismissed if k not in printed)),
            "leads": {s: t.strip() for s, t in arrangement.leads.items() if t.strip()},
            "placement": outlines.placement_json(arrangement.placement),
            "labels": {key: labels[key] for key in sorted(labels)},
            "updated_by": user,
        },
    )
    return outline


def _check_outline(arrangement: outlines.Arrangement, known: set[str], entry_ids: set[int]) -> None:
    problems = []
    strange = [s for s in [*arrangement.sections, *arrangement.leads] if s not in outlines.SECTION_TITLES]
    if strange:
        problems.append(f"未知的部分：{'、'.join(dict.fromkeys(strange))}")
    unknown = outlines.unknown_keys(arrangement, known)
    if unknown:
        problems.append(f"指标库中没有这些指标：{'、'.join(dict.fromkeys(unknown))}")
    for section, text in arrangement.leads.items():
        title = outlines.SECTION_TITLES.get(section, section)
        if problem := text_problem(text):
            problems.append(f"“{title}”的引导语{problem}")
        elif len(text.strip()) > outlines.LEAD_LIMIT:
            problems.append(f"“{title}”的引导语超过{outlines.LEAD_LIMIT}字，请精简")
    strays = [p.entry for p in arrangement.placement if p.entry not in entry_ids]
    if strays:
        problems.append(f"素材 {strays} 不属于本报告")
    if problems:
        raise ValidationError("；".join(problems) + "。")
