"""Project pages: dashboard, project and lead records, weekly dispatch sheet, monthly review.
Thin: parse, call a service, render."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.core.numbers import format_money
from zhenwu.core.periods import Period, PeriodError, parse_period
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit
from zhenwu.org.widgets import picker
from zhenwu.web.permissions import DENIED, requires

from . import excel, services
from .forms import (
    PROJECT_UNITS,
    FollowUpForm,
    InvestmentForm,
    LeadForm,
    MilestoneDoneForm,
    ProblemForm,
    ProgressNoteForm,
    ProjectForm,
    ScheduleForm,
    StageForm,
)
from .models import STAGE_ORDER, Category, FollowUpKind, LeadStage, Milestone, Project, Stage

NOT_FOUND = "记录不存在或无权查看。"


def _period(request: HttpRequest) -> Period:
    raw = request.GET.get("period")
    today = timezone.localdate()
    if not raw:
        return Period.latest_complete(today) if today.month > 1 else Period(today.year, 1)
    try:
        return parse_period(raw, default_year=today.year)
    except PeriodError as error:
        raise Http404(str(error)) from error


def _week(request: HttpRequest) -> date:
    raw = request.GET.get("week")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError as error:
        raise Http404("日期应写作 2026-11-23。") from error
    return services.week_of(day)


def _denied(error: PermissionDenied) -> Http404:
    return Http404(NOT_FOUND)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    projects = services.projects_for(request.user)
    if stage := request.GET.get("stage"):
        projects = projects.filter(stage=stage)
    if category := request.GET.get("category"):
        projects = projects.filter(category=category)
    unit = None
    if org := request.GET.get("org"):
        unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), code=org)
        projects = projects.filter(org_unit__path__startswith=unit.path)
    rows = sorted(services.with_details(projects.order_by("name")), key=lambda p: STAGE_ORDER.index(p.stage))
    today = timezone.localdate()
    root = scope.scope_root(request.user)
    counts = services.project_counts(request.user, root, period) if root else None
    leads = services.leads_for(request.user)
    lead_counts = {s.label: leads.filter(stage=s).count() for s in LeadStage}
    context = {
        "period": period,
        "rows": [
            (p, services.investment_progress(p, period), services.overdue_milestones([p], today))
            for p in rows
        ],
        "counts": counts,
        "funnel": json.dumps(services.funnel(counts.by_stage) if counts else [], ensure_ascii=False),
        "overdue": services.overdue_milestones(rows, today),
        "lead_counts": lead_counts,
        "stages": Stage.choices,
        "categories": Category.choices,
        "picker": picker(
            request.user, "org", unit, label="所在单元", kinds=PROJECT_UNITS, empty_label="全部"
        ),
    }
    return render(request, "projects/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_register)
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(
        request.POST or None, user=request.user, initial={"plan_year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, form.save(commit=False))  # type: ignore[arg-type]
        except PermissionDenied:
            form.add_error("department", "只能登记本站所负责的项目。")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已登记项目“{project.name}”。")
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form})


def _project(request: HttpRequest, pk: int) -> Project:
    return scope.get_in_scope_or_404(
        request.user, Project.objects.select_related("department", "org_unit"), pk=pk
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    today = timezone.localdate()
    period = _period(request)
    context = {
        "project": project,
        "may_edit": services.may_edit(request.user, project),  # type: ignore[arg-type]
        "milestones": [(m, m.status(today)) for m in project.milestones.all()],
        "investment": services.investment_progress(project, period),
        "investments": project.investments.select_related("entered_by").order_by("-year", "-month"),
        "stage_changes": project.stage_changes.select_related("actor"),
        "notes": project.progress_notes.select_related("author").order_by("-week")[:8],
        "stage_form": StageForm(initial={"date": today, "to_stage": _next_stage(project.stage)}),
        "investment_form": InvestmentForm(initial={"period": period.key}),
        "schedule_form": ScheduleForm(initial={"completion": project.completion_date}),
        "note_form": ProgressNoteForm(),
        "done_form": MilestoneDoneForm(initial={"actual_date": today}),
        "problem_form": ProblemForm(),
        "problems": [
            link.case for link in project.problems.select_related("case", "case__handling_department")
        ],
        "period": period,
    }
    return render(request, "projects/project_detail.html", context)


def _next_stage(stage: str) -> str:
    position = STAGE_ORDER.index(stage)
    return STAGE_ORDER[min(position + 1, len(STAGE_ORDER) - 1)]


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not services.may_edit(request.user, project):  # type: ignore[arg-type]
        raise PermissionDenied(DENIED)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_project(request.user, form.save(commit=False))  # type: ignore[arg-type]
        messages.success(request, f"已修改项目“{project.name}”。")
        return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


def _act(request: HttpRequest, project: Project, form: Any, action: Any) -> HttpResponse:
    """Run a project action from its detail page; errors come back as messages next to the page."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("projects:project-detail", pk=project.pk)
    try:
        message = action(form.cleaned_data)
    except PermissionDenied as error:
        raise _denied(error) from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("projects:project-detail", pk=project.pk)


@login_required
@require_POST
def project_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action(data: dict[str, Any]) -> str:
        services.change_stage(request.user, project, data["to_stage"], data["date"], data["reason"])  # type: ignore[arg-type]
        return f"项目“{project.name}”已进入“{project.get_stage_display()}”阶段。"

    return _act(request, project, StageForm(request.POST), action)


@login_required
@require_POST
def project_investment(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action(data: dict[str, Any]) -> str:
        try:
            period = parse_period(data["period"])
        except PeriodError as error:
            raise ValidationError(str(error)) from error
        services.record_investment(request.user, project, period, data["amount"], data["note"])  # type: ignore[arg-type]
        return f"已登记项目“{project.name}”{period.full_label}累计完成投资{format_money(data['amount'])}。"

    return _act(request, project, InvestmentForm(request.POST), action)


@login_required
@require_POST
def project_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action(data: dict[str, Any]) -> str:
        made = services.schedule_backwards(request.user, project, data["template"], data["completion"])  # type: ignore[arg-type]
        return f"已按竣工日期为项目“{project.name}”倒排{len(made)}个节点。"

    return _act(request, project, ScheduleForm(request.POST), action)


@login_required
@require_POST
def project_note(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action(data: dict[str, Any]) -> str:
        services.save_progress_note(
            request.user,
            project,
            timezone.localdate(),
            data["this_week"],
            data["next_week"],
            data["problems"],  # type: ignore[arg-type]
        )
        return f"已保存项目“{project.name}”本周进展。"

    return _act(request, project, ProgressNoteForm(request.POST), action)


@login_required
@require_POST
def project_problem(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)

    def action(data: dict[str, Any]) -> str:
        problem = services.raise_problem(request.user, project, **data)  # type: ignore[arg-type]
        return f"已为项目“{project.name}”登记问题{problem.case.number}，将按期限督办。"

    return _act(request, project, ProblemForm(request.POST), action)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk)

    def action(data: dict[str, Any]) -> str:
        services.complete_milestone(request.user, milestone, data["actual_date"], data["note"])  # type: ignore[arg-type]
        return f"项目“{milestone.project.name}”的节点“{milestone.name}”已完成。"

    return _act(request, milestone.project, MilestoneDoneForm(request.POST), action)


def _milestone(request: HttpRequest, pk: int) -> Milestone:
    projects = services.projects_for(request.user)
    milestone = Milestone.objects.select_related("project").filter(pk=pk, project__in=projects).first()
    if milestone is None:
        raise Http404(NOT_FOUND)
    return milestone


# --- investment leads ---------------------------------------------------------------------------------


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    leads = services.leads_for(request.user)
    if stage := request.GET.get("stage"):
        leads = leads.filter(stage=stage)
    return render(request, "projects/lead_list.html", {"leads": leads, "stages": LeadStage.choices})


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_register)
def lead_create(request: HttpRequest) -> HttpResponse:
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.create_lead(request.user, form.save(commit=False))  # type: ignore[arg-type]
        except PermissionDenied:
            form.add_error("department", "只能登记本站所负责的线索。")
        else:
            messages.success(request, f"已登记招商线索“{lead.investor}”。")
            return redirect("projects:lead-detail", pk=lead.pk)
    return render(request, "projects/lead_form.html", {"form": form})


def _lead(request: HttpRequest, pk: int) -> Any:
    return scope.get_in_scope_or_404(request.user, services.leads_for(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    form = FollowUpForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_lead(
                request.user, lead, data["date"], data["kind"], data["note"], data["to_stage"]
            )  # type: ignore[arg-type]
        except PermissionDenied as error:
            raise _denied(error) from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            moved = f"，推进到“{LeadStage(data['to_stage']).label}”" if data["to_stage"] else ""
            kind = FollowUpKind(data["kind"]).label
            messages.success(request, f"已登记招商线索“{lead.investor}”的{kind}跟进记录{moved}。")
            return redirect("projects:lead-detail", pk=lead.pk)
    context = {
        "lead": lead,
        "form": form,
        "follow_ups": lead.follow_ups.select_related("author"),
        "may_edit": services.may_edit(request.user, lead),  # type: ignore[arg-type]
    }
    return render(request, "projects/lead_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_land(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed lead lands: register its project, prefilled from the lead."""
    lead = _lead(request, pk)
    if not services.may_edit(request.user, lead):  # type: ignore[arg-type]
        raise PermissionDenied(DENIED)
    initial = {
        "name": lead.investor, "total_investment": lead.intended_investment / 10000, "leader": lead.leader,
        "department": lead.department, "org_unit": lead.org_unit, "description": lead.description,
        "plan_year": timezone.localdate().year, "category": Category.INDUSTRY,
    }  # fmt: skip
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.land_lead(request.user, lead, form.save(commit=False), timezone.localdate())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"线索已落地，转为项目“{project.name}”。")
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "lead": lead})


# --- weekly dispatch and monthly review ------------------------------------------------------------------


@login_required
def dispatch(request: HttpRequest) -> HttpResponse:
    week = _week(request)
    lines = services.dispatch_sheet(request.user, week)
    if request.GET.get("format") == "xlsx":
        content = excel.dispatch_workbook(lines, week)
        response = HttpResponse(content, content_type=excel.XLSX)
        response["Content-Disposition"] = excel.attachment(f"重点项目周调度表{week:%Y%m%d}.xlsx")
        return response
    return render(request, "projects/dispatch.html", {"lines": lines, "week": week})


@login_required
def review(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    return render(
        request,
        "projects/review.html",
        {"lines": services.monthly_review(request.user, period), "period": period},
    )


@login_required
@requires(services.may_register)
def investment_template(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    projects = [
        p
        for p in services.with_details(services.projects_for(request.user))
        if services.may_edit(request.user, p)
    ]  # type: ignore[arg-type]
    response = HttpResponse(excel.investment_template(projects, period), content_type=excel.XLSX)
    response["Content-Disposition"] = excel.attachment(f"重点项目{period.full_label}完成投资填报.xlsx")
    return response


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_register)
def investment_upload(request: HttpRequest) -> HttpResponse:
    """Upload the filled template: a dry run first; only the confirmation saves, all or nothing."""
    context: dict[str, Any] = {}
    if request.method == "POST" and "pending" in request.POST:
        try:
            parsed = excel.unsign_pending(request.POST["pending"])
            saved = services.record_investments(request.user, parsed.period, parsed.rows)  # type: ignore[arg-type]
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            messages.success(request, f"已导入{saved}个项目{parsed.period.full_label}的累计完成投资。")
            return redirect("projects:dashboard")
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith(".xlsx"):
            context["errors"] = ["请上传用模板填写的 .xlsx 文件。"]
        else:
            parsed = excel.read_investments(upload, services.projects_for(request.user), upload.name)
            errors = parsed.errors or services.check_investments(request.user, parsed.period, parsed.rows)  # type: ignore[arg-type]
            context.update({"errors": errors, "parsed": parsed})
            if not errors:
                context["pending"] = excel.sign_pending(parsed)
    return render(request, "projects/investment_upload.html", context)
