"""Choose a report, preview it with every figure linked to its records, download it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhenwu.documents.docx import render as render_docx
from zhenwu.documents.html import html, html_body
from zhenwu.documents.markdown import markdown
from zhenwu.documents.model import Source
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.web.downloads import DOCX, attachment

from . import outline as outlines
from . import services
from .checkback import check_back
from .forms import CheckBackForm, EntryForm, EntryRequestForm, ReportChoiceForm, ReportUnitForm
from .kinds import CUSTOM, KINDS, ReportSpec
from .models import NarrativeEntry

FORMATS = {"docx": DOCX, "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def _unit(request: HttpRequest) -> OrgUnit:
    """The unit named by ?org=, or the user's own; 404 outside the user's scope."""
    return scope.requested_unit_or_404(request.user, request.GET.get("org") or request.POST.get("org"))


def reportable(unit: OrgUnit) -> bool:
    """A township or anything under it (a county has no single indicator catalog)."""
    return unit.kind != OrgKind.COUNTY and unit.township() is not None


def _choice(request: HttpRequest) -> ReportChoiceForm:
    """The kind and year, or the span (from, to), asked for; the half-year report of this year when none
    is given."""
    data = {name: request.GET.get(name, "") for name in ("kind", "year", "from", "to")}
    data["kind"] = data["kind"] or "half-year"
    if data["kind"] != CUSTOM:
        data["year"] = data["year"] or str(timezone.localdate().year)
    return ReportChoiceForm(data)


def spec_query(spec: ReportSpec) -> str:
    """The report's span as URL parameters: kind=q3&year=2026, or kind=span&from=…&to=…."""
    return urlencode(spec.query())


def link(source: Source) -> str:
    url = reverse(source.route, args=source.args)
    return f"{url}?{urlencode(source.query)}" if source.query else url


@login_required
def report(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = _choice(request) if "kind" in request.GET else ReportChoiceForm()
    picker = ReportUnitForm(request.user, initial={"org": unit})
    context: dict[str, object] = {
        "unit": unit,
        "form": form,
        "picker": picker,
        "reportable": reportable(unit),
    }
    if reportable(unit) and form.is_valid():
        spec = form.spec
        document = services.compiled_report(request.user, unit, spec)
        entries = list(services.entries_for(request.user, unit, spec))
        draft = services.draft_of(unit, spec)
        chosen = [e.id for e in services.chosen_entries(request.user, unit, spec)]
        context |= {
            "spec": spec, "spec_query": spec_query(spec), "document": document,
            "preview": html_body(document, link),
            "entries": [(e, chosen.index(e.pk) + 1 if e.pk in chosen else "") for e in entries],
            "draft": draft, "may_compile": services.may_compile(request.user, unit),
        }  # fmt: skip
    return render(request, "reports/report.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = _choice(request)
    kind = request.GET.get("format", "docx")
    if not reportable(unit) or not form.is_valid() or kind not in FORMATS:
        raise Http404("请选择乡镇或村、报告类型和年度(或时段)。")
    document = services.compiled_report(request.user, unit, form.spec)
    if kind == "docx":
        content: bytes = render_docx(document)
    else:
        content = (markdown(document) if kind == "md" else html(document)).encode()
    response = HttpResponse(content, content_type=FORMATS[kind])
    response["Content-Disposition"] = attachment(f"{document.title}.{kind}")
    return response


# --- narrative entries and the compiler's choice ------------------------------------------------------


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """The entries in scope, and a form to write one for the unit named by ?org=."""
    unit = _unit(request)
    township = unit.township()
    may_write = services.may_write_entries(request.user, unit)
    form = EntryForm(request.POST or None, township=township, initial=_entry_initial(request))
    if request.method == "POST" and may_write and form.is_valid():
        entry = form.save(commit=False)
        entry.org_unit = unit
        try:
            services.save_entry(request.user, entry)  # type: ignore[arg-type]
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"已保存素材“{entry.title}”。")
            return redirect(f"{reverse('reports:entry-list')}?org={unit.code}")
    entries = scope.scoped(request.user, NarrativeEntry.objects.select_related("department", "org_unit"))
    entries = entries.filter(org_unit__path__startswith=unit.path).order_by("-year", "kind", "section", "pk")
    context = {
        "unit": unit,
        "form": form,
        "may_write": may_write,
        "entries": entries[:200],
        "requests": services.requests_for(request.user, unit),
        "request_form": (
            EntryRequestForm(township=township) if services.may_compile(request.user, unit) else None
        ),
    }
    return render(request, "reports/entry_list.html", context)


def _entry_initial(request: HttpRequest) -> dict[str, Any]:
    """The report a to-do item links to (?year=&kind=), and the office of office staff."""
    initial: dict[str, Any] = {}
    if request.GET.get("kind") in KINDS:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("year", "").isdigit():
        initial["year"] = int(request.GET["year"])
    department = getattr(request.user, "department_id", None)
    if department is not None:
        initial["department"] = department
    return initial


@login_required
@require_POST
def entry_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The compiler asks offices for their entries for one of unit `pk`'s reports (素材征集)."""
    unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), pk=pk)
    form = EntryRequestForm(request.POST, township=unit.township())
    back = f"{reverse('reports:entry-list')}?org={unit.code}"
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}：{error}" for name, errors in form.errors.items() for error in errors
        ]
        messages.error(request, "；".join(problems))
        return redirect(back)
    try:
        asked = services.request_entries(request.user, unit, **form.cleaned_data)  # type: ignore[arg-type]
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"已征集{asked.year}年{asked.get_kind_display()}素材，截止{asked.due_on:%Y-%m-%d}。"
        )
    return redirect(back)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scope.get_in_scope_or_404(request.user, NarrativeEntry.objects.select_related("org_unit"), pk=pk)
    may_write = services.may_write_entries(request.user, entry.org_unit)
    form = EntryForm(request.POST or None, instance=entry, township=entry.org_unit.township())
    if request.method == "POST" and may_write and form.is_valid():
        try:
            services.save_entry(request.user, form.save(commit=False))  # type: ignore[arg-type]
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"已更新素材“{entry.title}”。")
            return redirect(f"{reverse('reports:entry-list')}?org={entry.org_unit.code}")
    return render(request, "reports/entry_edit.html", {"entry": entry, "form": form, "may_write": may_write})


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Save which entries the report of unit `pk` uses, in the order given by each entry's number."""
    unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), pk=pk)
    form = ReportChoiceForm(request.POST)
    back = reverse("reports:report")
    if not form.is_valid():
        messages.error(request, "请选择报告类型和年度(或时段)。")
        return redirect(f"{back}?org={unit.code}")
    spec = form.spec
    chosen = []
    for raw in request.POST.getlist("entry"):
        order = request.POST.get(f"order_{raw}", "")
        if raw.isdigit():
            chosen.append((int(order) if order.isdigit() else 999, int(raw)))
    try:
        services.choose_entries(request.user, unit, spec, [pk for _, pk in sorted(chosen)])  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(
            request,
            f"已保存《{spec.title(unit.name)}》选用的{len(chosen)}条素材及其顺序；重新生成时保留。",
        )
    return redirect(f"{back}?org={unit.code}&{spec_query(spec)}")


# --- the compiler's outline ---------------------------------------------------------------------------


@login_required
def outline(request: HttpRequest, pk: int) -> HttpResponse:
    """Arrange 工作成效 for the township's reports of one kind: each button saves at once, so the page
    works without JavaScript; the figures' values are this year's (?kind=&year=)."""
    unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), pk=pk)
    if not reportable(unit):
        raise Http404("工作报告按乡镇或村编写。")
    if not services.may_compile(request.user, unit):
        raise PermissionDenied("只有党政办(乡镇管理员)可以编排报告提纲。")
    form = _choice(request)
    context: dict[str, object] = {"unit": unit, "form": form}
    if not form.is_valid():
        return render(request, "reports/outline.html", context)
    spec = form.spec
    found = services.catalogue_entries(request.user, unit, spec)
    by_key = {item.key: item for item in found}
    arrangement, saved = services.arrangement_for(request.user, unit, spec, found)
    if request.method == "POST":
        posted, problems = _posted_arrangement(request, arrangement)
        posted = outlines.apply(posted, request.POST.get("action", ""), by_key)
        try:
            if problems:
                raise ValidationError("；".join(problems) + "。")
            services.save_outline(request.user, unit, spec, posted)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, error.messages[0])
            arrangement = posted
        else:
            messages.success(request, f"已保存《{spec.title(unit.name)}》的提纲；重新生成报告时按此编排。")
            url = f"{reverse('reports:outline', args=[unit.pk])}?{spec_query(spec)}"
            return redirect(f"{url}#{_anchor(request.POST.get('action', ''))}")
    entries = services.chosen_entries(request.user, unit, spec)
    context |= _outline_context(arrangement, found, entries) | {
        "spec": spec, "spec_query": spec_query(spec), "saved": saved,
    }  # fmt: skip
    return render(request, "reports/outline.html", context)


def _anchor(action: str) -> str:
    """Where the page opens again after a button: the sub-section, the offered figures or the entries."""
    verb, _, rest = action.partition("|")
    if verb in ("up", "down", "remove"):
        return f"section-{rest.partition('|')[0]}"
    if verb in ("add", "dismiss", "restore"):
        return "offered" if verb != "restore" else "dismissed"
    return "entries" if verb in ("eup", "edown") else "outline"


def _posted_arrangement(
    request: HttpRequest, shown: outlines.Arrangement
) -> tuple[outlines.Arrangement, list[str]]:
    """The page's state as posted: each sub-section's keys in order, its lead sentence, the keys set aside
    and each entry's place; problems with a place are said, not guessed."""
    post = request.POST
    placement, problems = [], []
    for raw in post.getlist("entry"):
        place = outlines.parse_placement(int(raw), post.get(f"place_{raw}", "")) if raw.isdigit() else None
        if place is None:
            problems.append(f"素材 {raw} 的位置无效")
        else:
            placement.append(place)
    arrangement = outlines.Arrangement(
        sections={s: post.getlist(f"key_{s}") for s in outlines.SECTION_TITLES},
        dismissed=post.getlist("dismissed"),
        leads={s: post.get(f"lead_{s}", "") for s in outlines.SECTION_TITLES},
        placement=placement,
        labels=shown.labels,
    )
    return arrangement, problems


def _outline_context(
    arrangement: outlines.Arrangement, found: list[Any], entries: list[Any]
) -> dict[str, object]:
    by_key = {item.key: item for item in found}
    label = {**arrangement.labels, **{k: i.label for k, i in by_key.items()}}
    sections = []
    for code, title in outlines.SECTION_TITLES.items():
        keys = arrangement.sections.get(code, [])
        rows = [(key, label.get(key, key), key in by_key) for key in keys]
        placed = [e for e in entries if e.section == "highlights" and e.subsection == code]
        sections.append({
            "code": code, "title": title, "lead": arrangement.leads.get(code, ""), "rows": rows,
            "printed": any(has for _, _, has in rows) or bool(placed),
        })  # fmt: skip
    offered = [(item, outlines.SECTION_TITLES[item.section]) for item in outlines.offered(arrangement, found)]
    dismissed = [(key, label.get(key, key), key in by_key) for key in arrangement.dismissed]
    placed = [(e, f"highlights:{e.subsection}" if e.section == "highlights" else e.section) for e in entries]
    return {
        "sections": sections, "offered": offered, "dismissed": dismissed, "entries": placed,
        "places": outlines.placement_choices(),
    }  # fmt: skip


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """Upload an edited draft: flag each figure that no longer matches the data or that the reader's
    checks reject. Nothing is saved."""
    unit = _unit(request)
    form = CheckBackForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"unit": unit, "form": form, "reportable": reportable(unit)}
    if request.method == "POST" and reportable(unit) and form.is_valid():
        document = services.compiled_report(request.user, unit, form.spec)
        result = check_back(document, form.draft_text)
        rows = [
            (m, link(m.figure.sources[0]) if m.figure and m.figure.sources else "") for m in result.mismatches
        ]
        context |= {"result": result, "rows": rows, "document": document}
    return render(request, "reports/check.html", context)
