"""Pages of the case engine: thin, every write through `services`."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhenwu.activity import services as activity
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role
from zhenwu.web import downloads
from zhenwu.web.idempotency import idempotent
from zhenwu.web.permissions import requires

from . import ledger, outputs, services
from .forms import (
    CaseFilterForm,
    CaseForm,
    LedgerImportForm,
    NoticeForm,
    QuickReportForm,
    TransitionForm,
    VisitForm,
    add_errors,
)
from .models import CasePhoto, CaseType, Channel
from .states import IllegalTransition

CASES_PER_PAGE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.user, request.GET or None)
    cases = services.cases_for(request.user)
    if "unit" in form.errors:
        cases = cases.none()  # a refused unit lists nothing rather than everything
    elif form.is_valid():
        data = form.cleaned_data
        cases = services.filter_cases(
            cases,
            services.CaseFilter(
                case_type=data["case_type"],
                state=data["state"],
                unit=data["unit"],
                overdue=data["overdue"],
                due_soon=data["due_soon"],
                start=data["start"],
                end=data["end"],
                q=data["q"].strip(),
                reported_by=request.user if data["mine"] else None,  # type: ignore[arg-type]
                department=request.user.department if data["my_office"] else None,  # type: ignore[union-attr]
                counted=data["counted"],
            ),
        )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "now": timezone.now(),
    }  # fmt: skip
    return render(request, "cases/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
@requires(services.may_report)
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CaseForm(user, request.POST or None, request.FILES or None)  # type: ignore[arg-type]
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.create_case(
                user,  # type: ignore[arg-type]
                case_type=data["case_type"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                org_unit=data["org_unit"],
                level=data["level"],
                place=data["place"],
                deadline_days=data["deadline_days"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                external_number=data["external_number"],
                source=data["source"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=data["photos"],
                confirm_duplicate=data["confirm_duplicate"],
            )
        except services.PossibleDuplicate as seen:
            duplicate = seen.case
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已登记事件 {case.number}。")
            return redirect("cases:case-detail", pk=case.pk)
    types = CaseType.objects.prefetch_related("categories")
    categories_by_type = {str(t.pk): [c.pk for c in t.categories.all()] for t in types}
    context = {"form": form, "types": types, "categories_by_type": categories_by_type, "duplicate": duplicate}
    return render(request, "cases/case_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = services.get_case(user, pk)
    if request.method == "POST":
        return _act(request, case)
    return _detail(request, case)


def _detail(
    request: HttpRequest, case: services.Case, submitted: TransitionForm | None = None, status: int = 200
) -> HttpResponse:
    """The case page; a form that failed comes back as the user filled it, so nothing typed is lost."""
    user = request.user
    allowed = services.allowed_transitions(user, case)  # type: ignore[arg-type]
    tried = submitted.data.get("action") if submitted is not None else None
    forms = [
        (t, submitted if t.action == tried else TransitionForm(
            user, case, initial={"action": t.action, "version": case.version}  # type: ignore[arg-type]
        ))
        for t in allowed
    ]  # fmt: skip
    kept_note = submitted.data.get("note", "") if submitted is not None else ""
    context = {
        "tried": tried,
        # What the user wrote for an action the case no longer offers, shown for them to copy.
        "kept_note": kept_note if tried not in {t.action for t in allowed} else "",
        "case": case,
        "events": case.events.select_related("actor").prefetch_related("photos"),
        "photos": list(case.photos.all()),
        "transitions": forms,
        "similar": services.similar_open_cases(user, case) if case.is_open else [],
        "may_merge": any(t.action == "merge" for t in allowed),
        "notice": getattr(case, "notice", None),
        "notice_form": NoticeForm()
        if services.may_issue_notice(user, case) and not hasattr(case, "notice")
        else None,
        "history": activity.history_of(user, case)[:20],
        "may_publish": services.may_set_public(user, case),
        "attributes": services.attributes_shown(case),
        "now": timezone.now(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _act(request: HttpRequest, case: services.Case) -> HttpResponse:
    user = request.user
    if request.POST.get("action") == "notice":
        return _issue_notice(request, case)
    if request.POST.get("action") == "public":
        return _set_public(request, case)
    form = TransitionForm(user, case, request.POST, request.FILES)  # type: ignore[arg-type]
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for errors in form.errors.values() for m in errors))
        return _detail(request, case, form, 400)
    data = form.cleaned_data
    try:
        done = services.transition(
            user,  # type: ignore[arg-type]
            case.pk,
            data["action"],
            data["version"],
            services.TransitionInput(
                note=data["note"],
                assignee=data["assignee"],
                department=data["department"],
                unit=data["unit"],
                duplicate_of=data["duplicate_of"],
                photos=data["photos"],
            ),
        )
    except services.StaleCase as stale:
        return _after_someone_else(request, case, stale)
    except IllegalTransition as refusal:
        messages.error(request, str(refusal))
        return _detail(request, case, form, 400)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _detail(request, case, form, 400)
    messages.success(request, services.transition_done(done, data["action"]))
    return redirect("cases:case-detail", pk=case.pk)


def _after_someone_else(request: HttpRequest, case: services.Case, stale: Exception) -> HttpResponse:
    """Another user acted first: the page shows the case as it is now, with what this user typed kept
    in the form (at the case's new version), so they can read the change and submit again."""
    fresh = services.get_case(request.user, case.pk)
    data = request.POST.copy()
    data["version"] = str(fresh.version)
    photos = "；所选照片需重新选择" if request.FILES else ""
    messages.error(request, f"{stale}：您填写的内容已保留{photos}，请查看最新情况后决定是否重新提交。")
    return _detail(request, fresh, TransitionForm(request.user, fresh, data), 409)  # type: ignore[arg-type]


def _issue_notice(request: HttpRequest, case: services.Case) -> HttpResponse:
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = services.issue_rectification_notice(request.user, case, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, IllegalTransition) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"已为{case.number}签发整改通知书{notice.number}。")
    else:
        messages.error(request, "；".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("cases:case-detail", pk=case.pk)


def _set_public(request: HttpRequest, case: services.Case) -> HttpResponse:
    public = request.POST.get("public") == "1"
    try:
        services.set_public(request.user, case.pk, public)  # type: ignore[arg-type]
    except IllegalTransition as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"已将{case.number}设为公开。" if public else f"已取消{case.number}的公开。"
        )
    return redirect("cases:case-detail", pk=case.pk)


@login_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.get_case(request.user, pk)
    notice = getattr(case, "notice", None)
    if notice is None:
        raise Http404("该事件没有整改通知书。")
    return outputs.docx_response(outputs.notice_docx(notice), f"整改通知书-{case.number}.docx")


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    record = scope.get_in_scope_or_404(request.user, CasePhoto.objects.all(), pk=pk)
    response = FileResponse(record.image.open("rb"), content_type=record.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
@requires(services.may_report)
def report(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone page: report an event in their grid, and see their recent reports."""
    user = request.user
    form = QuickReportForm(request.POST or None, request.FILES or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        description = data["description"].strip()
        try:
            case = services.create_case(
                user,  # type: ignore[arg-type]
                case_type=data["category"].case_type,
                category=data["category"],
                title=description[:30],
                description=description,
                org_unit=user.org_unit,  # type: ignore[union-attr]
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                channel=Channel.GRID_APP,
                photos=data["photos"],
                confirm_duplicate=data["confirm_duplicate"],
            )
        except services.PossibleDuplicate as seen:
            duplicate = seen.case
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已上报 {case.number}。")
            return redirect("cases:report")
    mine = services.cases_for(user).filter(reported_by=user)[:20]
    context = {"form": form, "mine": mine, "now": timezone.now(), "duplicate": duplicate}
    return render(request, "cases/report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def visit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_log = user.role == Role.GRID_WORKER  # type: ignore[union-attr]
    form = VisitForm(request.POST or None) if may_log else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                visit = services.log_visit(user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"已登记对{visit.target}的走访。")
                return redirect("cases:visit-list")
    visits = services.visits_for(user)
    if q := request.GET.get("q", "").strip():
        visits = visits.filter(target__contains=q)
    page = Paginator(visits, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "cases/visit_list.html", {"form": form, "page": page, "query": f"q={q}" if q else ""}
    )


def _unit(request: HttpRequest, code: str) -> OrgUnit:
    return scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), code=code)


def _day(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@login_required
def bulletin(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    # By default the last complete week: a bulletin reports a week that is over.
    last_week = timezone.localdate() - timedelta(days=7)
    result = services.weekly_bulletin(request.user, unit, _day(request.GET.get("date"), last_week))
    fmt = request.GET.get("format")
    if fmt == "docx":
        return outputs.docx_response(
            outputs.bulletin_docx(result), f"一周一通报-{unit.name}-{result.start}.docx"
        )
    if fmt == "xlsx":
        return outputs.xlsx_response(
            outputs.bulletin_xlsx(result), f"一周一通报-{unit.name}-{result.start}.xlsx"
        )
    return render(request, "cases/bulletin.html", {"bulletin": result, "unit": unit})


@login_required
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    start, end = services.month_of(_day(request.GET.get("date"), last_month))
    kinds = services.ranking_kinds(unit)
    kind = request.GET.get("kind") or services.default_child_kind(unit)
    if kind not in kinds:
        kind = services.default_child_kind(unit)
    result = services.ranking(request.user, unit, start, end, kind)
    fmt = request.GET.get("format")
    if fmt == "docx":
        return outputs.docx_response(
            outputs.ranking_docx(result), f"一月一排名-{unit.name}-{start:%Y-%m}.docx"
        )
    if fmt == "xlsx":
        return outputs.xlsx_response(
            outputs.ranking_xlsx(result), f"一月一排名-{unit.name}-{start:%Y-%m}.xlsx"
        )
    labels = dict(OrgKind.choices)
    context = {"ranking": result, "unit": unit, "kinds": [(k, labels[k]) for k in kinds]}
    return render(request, "cases/ranking.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(ledger.may_import)
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Check a case ledger (dry run), then write what was shown on confirmation (ledger.apply_pending)."""
    report = None
    if request.method == "POST" and "pending" in request.POST:
        report = ledger.apply_pending(request.user, request.POST["pending"])  # type: ignore[arg-type]
        form = LedgerImportForm(initial={"case_type": report.case_type or None})
    else:
        form = LedgerImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = ledger.import_ledger(
                request.user,  # type: ignore[arg-type]
                form.cleaned_data["case_type"],
                upload,
                upload.name,
                dry_run=True,
            )
    context = {"form": form, "report": report, "types": CaseType.objects.all()}
    return render(request, "cases/ledger_import.html", context)


@login_required
@requires(ledger.may_import)
def ledger_template(request: HttpRequest, code: str) -> HttpResponse:
    case_type = services.case_type_by_code(code)
    if case_type is None:
        raise Http404("记录不存在或无权查看。")
    response = HttpResponse(ledger.template(case_type), content_type=downloads.XLSX)
    response["Content-Disposition"] = downloads.attachment(f"{case_type.name}台账模板.xlsx")
    return response
