"""Indicator pages: the leaders' dashboard, one indicator's trend and ranking, monthly entry by form
and by Excel, targets, and consistency-rule violations. Thin: parse, call a service, render."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhenwu.core.periods import Period, PeriodError, parse_period
from zhenwu.measures import Records
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role
from zhenwu.web import downloads
from zhenwu.web.permissions import DENIED, requires

from . import excel, library, rules, services, workbook
from .forms import EntryForm, ExplainForm, LibraryForm, TargetForm, UploadForm
from .models import Indicator, RuleViolation


def _unit(request: HttpRequest) -> OrgUnit:
    """The unit named by ?org=, or the user's own; 404 outside the user's scope."""
    return scope.requested_unit_or_404(request.user, request.GET.get("org") or request.POST.get("org"))


def _period(request: HttpRequest, unit: OrgUnit) -> Period:
    raw = request.GET.get("period") or request.POST.get("period")
    if raw:
        try:
            return parse_period(raw, default_year=timezone.localdate().year)
        except PeriodError as error:
            raise Http404(str(error)) from error
    return services.latest_period(request.user, unit) or Period.latest_complete(timezone.localdate())


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=downloads.XLSX)
    response["Content-Disposition"] = downloads.attachment(filename)
    return response


def _county_choice(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    townships = scope.visible_units(request.user).filter(kind=OrgKind.TOWNSHIP).order_by("code")
    return render(request, "indicators/choose_township.html", {"unit": unit, "townships": townships})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if unit.kind == OrgKind.COUNTY:
        return _county_choice(request, unit)
    period = _period(request, unit)
    rows = services.progress_for_unit(request.user, unit, period)
    chart = [
        {
            "name": r.indicator.name,
            "completion": _num(r.progress.completion_percent),
            "time_progress": _num(r.progress.time_progress_percent),
            "status": r.status.value,
        }
        for r in rows
        if r.progress.completion is not None
    ]
    township = unit.township()
    context = {
        "unit": unit,
        "period": period,
        "rows": rows,
        "warned": sum(1 for r in rows if r.warned),
        "counts": services.status_counts(rows),
        "tolerance": services.tolerance_points(township) if township else None,
        "not_reported": services.not_reported(rows),
        "deadline": period.entry_deadline(services.ENTRY_DEADLINE_DAY),
        "chart": json.dumps(chart, ensure_ascii=False),
        "villages": scope.visible_units(request.user)
        .filter(parent=unit, kind=OrgKind.VILLAGE)
        .order_by("code")
        if unit.kind == OrgKind.TOWNSHIP
        else [],
        "may_set_targets": services.may_set_targets(request.user, unit),  # type: ignore[arg-type]
        "violations": rules.violations_for(request.user, unit, period)[:50],
    }
    return render(request, "indicators/dashboard.html", context)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = scope.get_in_scope_or_404(request.user, Indicator.objects.select_related("department"), pk=pk)
    unit = _unit(request) if request.GET.get("org") else indicator.township
    if not scope.unit_in_scope(request.user, unit):
        unit = _unit(request)  # a village reads its township's catalog, and sees its own figures
    if unit.kind != OrgKind.COUNTY and unit.township() != indicator.township:
        raise Http404("记录不存在或无权查看。")
    period = _period(request, unit)
    table = services.progress_table([indicator], [unit], period)
    row = table.get((indicator.pk, unit.pk))
    if row is not None:
        row.sources, row.last_year_sources = (
            services.with_authors(row.sources),
            services.with_authors(row.last_year_sources),
        )
    trend = services.monthly_trend(indicator, unit, period.year)
    context = {
        "indicator": indicator,
        "unit": unit,
        "period": period,
        "row": row,
        "records_url": _records_url(row.records) if row and row.records else "",
        "source_option_label": services.source_option_label(indicator),
        "last_entry": services.last_entry(indicator, unit),
        "ranking": services.village_ranking(request.user, indicator, period) if indicator.by_village else [],
        "trend": json.dumps({k: [_num(v) for v in vs] for k, vs in trend.items()}),
        "year": period.year,
    }
    return render(request, "indicators/indicator_detail.html", context)


def _records_url(records: Records) -> str:
    url = reverse(records.route, args=records.args)
    return f"{url}?{urlencode(records.query)}" if records.query else url


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _entry_indicators(request: HttpRequest, unit: OrgUnit, period: Period) -> list[Indicator]:
    """The rows of the entry form and of the month's template alike."""
    department = request.GET.get("department") or request.POST.get("department") or ""
    return services.entry_rows(request.user, unit, period, department)  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_enter_values)
def entry(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if unit.kind == OrgKind.COUNTY:
        return _county_choice(request, unit)
    period = (
        _period(request, unit)
        if request.GET.get("period") or request.POST.get("period")
        else (Period.latest_complete(timezone.localdate()))
    )
    closed = services.period_error(period)
    indicators = _entry_indicators(request, unit, period)
    table = services.progress_table(indicators, [unit], period)
    rows = {i.pk: table[(i.pk, unit.pk)] for i in indicators if (i.pk, unit.pk) in table}
    form = EntryForm(request.POST or None, indicators=indicators, rows=rows)
    if request.method == "POST" and not closed and form.is_valid():
        entries = [services.Entry(i, unit, v, n, f"v{i.pk}") for i, v, n in form.entries()]
        check = services.save_entries(
            request.user,  # type: ignore[arg-type]
            period,
            entries,
            confirmed=form.cleaned_data["confirm"],
        )
        if check.saved:
            messages.success(request, _saved_values(unit, period, check))
            return redirect(f"{reverse('indicators:entry')}?org={unit.code}&period={period.key}")
        form.show(check)
    context = {
        "unit": unit,
        "period": period,
        "period_error": closed,
        "latest": Period.latest_complete(timezone.localdate()),
        "form": form,
        "departments": services.entry_offices(request.user, unit, period),  # type: ignore[arg-type]
    }
    return render(request, "indicators/entry.html", context)


def _saved_values(unit: OrgUnit, period: Period, check: services.EntryCheck) -> str:
    """'已保存东岗村指标「工业投资」2026年11月的值。': which values, of which unit and month."""
    names = [e.indicator.name for e in check.new] + [e.indicator.name for e, _ in check.changed]
    month = f"{period.year}年{period.month}月"
    if not names:
        return f"{unit.name}{month}的指标值与已保存的相同，没有改动。"
    if len(names) == 1:
        return f"已保存{unit.name}指标「{names[0]}」{month}的值。"
    listed = "、".join(f"「{n}」" for n in names[:5]) + ("等" if len(names) > 5 else "")
    return (
        f"已保存{unit.name}{month}{len(names)}项指标的值：{listed}"
        f"(新增{len(check.new)}项，修改{len(check.changed)}项)。"
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if not services.may_set_targets(request.user, unit):  # type: ignore[arg-type]
        raise PermissionDenied(DENIED)
    if unit.kind not in (OrgKind.TOWNSHIP, OrgKind.VILLAGE):
        raise Http404("目标任务按乡镇或村下达。")
    year = _year(request)
    indicators = list(services.indicators_for(request.user, unit))
    existing = {t.indicator_id: t for t in services.targets_for(unit, year)}
    form = TargetForm(request.POST or None, indicators=indicators, targets=existing)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.set_targets(request.user, unit, year, form.targets())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存{unit.name}{year}年{saved}项指标的全年目标。")
            return redirect(f"{reverse('indicators:targets')}?org={unit.code}&year={year}")
    return render(request, "indicators/targets.html", {"unit": unit, "year": year, "form": form})


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or str(timezone.localdate().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404("年度不正确。")
    return int(raw)


@login_required
@requires(services.may_enter_values)
def template_download(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    period = (
        _period(request, unit) if request.GET.get("period") else Period.latest_complete(timezone.localdate())
    )
    indicators = _entry_indicators(request, unit, period)
    content = excel.entry_template(indicators, unit, period)
    return _xlsx(content, f"{unit.name}{period.full_label}指标填报模板.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_enter_values)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: first a dry run shows what would change; only a confirmation saves."""
    unit = _unit(request)
    township = services.township_of(unit)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"unit": unit, "form": form}
    if request.method == "POST" and "pending" in request.POST:
        return _confirm_upload(request, unit, context)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        parsed = excel.read_upload(file, township, file.name)
        errors = list(parsed.errors)
        if parsed.period is not None:  # the sheet was readable: report every row's problem at once
            check = services.check_entries(
                request.user,  # type: ignore[arg-type]
                parsed.period,
                parsed.entries,
                period_where=excel.PERIOD_CELL,
            )
            errors += [f"{e.where}：{m}" if e else m for e, m in check.errors]
            context.update(_preview(check, parsed))
            if not errors:
                context["pending"] = excel.sign_pending(parsed, check.confirm_key)
        context["errors"] = excel.in_sheet_order(errors)
    return render(request, "indicators/upload.html", context)


def _preview(check: services.EntryCheck, parsed: excel.ParsedUpload) -> dict[str, Any]:
    doubts = [f"{excel.value_cell(e)}：{m}" for e, m in check.implausible]
    return {"check": check, "period": parsed.period, "doubts": doubts}


def _confirm_upload(request: HttpRequest, unit: OrgUnit, context: dict[str, Any]) -> HttpResponse:
    try:
        parsed = excel.unsign_pending(request.POST["pending"])
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "indicators/upload.html", context)
    assert parsed.period is not None
    check = services.save_entries(
        request.user,  # type: ignore[arg-type]
        parsed.period,
        parsed.entries,
        confirmed=parsed.confirm,
    )
    if not check.ok:
        context["errors"] = excel.in_sheet_order([f"{e.where}：{m}" if e else m for e, m in check.errors])
        return render(request, "indicators/upload.html", context)
    if not check.saved:  # the stored values changed since the dry run, and with them its warnings
        context.update(_preview(check, parsed), rechecked=True)
        context["pending"] = excel.sign_pending(parsed, check.confirm_key)
        return render(request, "indicators/upload.html", context)
    messages.success(
        request,
        f"已导入{parsed.period.year}年{parsed.period.month}月的指标值：新增 {len(check.new)} 项，"
        f"修改 {len(check.changed)} 项，未变 {len(check.unchanged)} 项。",
    )
    return redirect(f"{reverse('indicators:dashboard')}?org={unit.code}&period={parsed.period.key}")


@login_required
def export_progress(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if unit.kind == OrgKind.COUNTY:
        raise Http404("请选择乡镇/街道或村/社区。")
    period = _period(request, unit)
    rows = services.progress_for_unit(request.user, unit, period)
    return _xlsx(
        excel.progress_workbook(rows, unit, period), f"{unit.name}{period.full_label}指标完成情况.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = scope.get_in_scope_or_404(
        request.user,
        RuleViolation.objects.select_related("rule", "rule__left", "rule__right", "org_unit"),
        pk=pk,
    )
    form = ExplainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.explain_violation(request.user, violation, form.cleaned_data["explanation"])  # type: ignore[arg-type]
        except PermissionDenied as error:
            raise Http404("记录不存在或无权查看。") from error
        except ValidationError as error:
            form.add_error("explanation", error)
        else:
            messages.success(
                request,
                f"已保存{violation.org_unit.name}{violation.year}年{violation.month}月"
                f"“{violation.rule.name}”的情况说明。",
            )
            return redirect("indicators:violation-detail", pk=violation.pk)
    may_explain = request.user.role not in (Role.TOWNSHIP_LEADER, Role.COUNTY_VIEWER)  # type: ignore[union-attr]
    return render(
        request,
        "indicators/violation_detail.html",
        {"violation": violation, "form": form, "may_explain": may_explain},
    )


# --- the 指标台账 workbook: catalog, targets and past months at once (indicators/workbook.py) ---------


def _workbook_township(request: HttpRequest) -> tuple[OrgUnit, OrgUnit]:
    """The unit asked for (?org=, a village's staff their village) and the township it belongs to."""
    unit = _unit(request)
    try:
        return unit, workbook.township_for(request.user, unit.township())  # type: ignore[arg-type]
    except PermissionDenied as error:
        raise Http404("记录不存在或无权查看。") from error


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_enter_values)
def workbook_import(request: HttpRequest) -> HttpResponse:
    """Upload a 指标台账: a dry run shows what would change; only the confirmation saves."""
    unit, township = _workbook_township(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"unit": unit, "township": township, "form": form, "year": _year(request)}
    result = None
    if request.method == "POST" and "pending" in request.POST:
        result = workbook.confirm_pending(request.user, request.POST["pending"])  # type: ignore[arg-type]
        if result.saved:
            messages.success(request, f"已导入{township.name}指标台账：{_workbook_counts(result)}。")
            return redirect(f"{reverse('indicators:workbook-import')}?org={unit.code}")
    elif request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            data = downloads.read_upload(file, file.name, workbook.UPLOAD_KIND)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            result = workbook.import_workbook(request.user, data, file.name, township=township)  # type: ignore[arg-type]
    if result is not None:
        context.update(result=result, summary=_workbook_counts(result))
    return render(request, "indicators/workbook.html", context)


def _workbook_counts(result: workbook.WorkbookResult) -> str:
    c = result.counts
    return (
        f"指标新增 {c.indicators_added}、修改 {c.indicators_updated}、未变 {c.indicators_unchanged}；"
        f"目标新增 {c.targets_added}、修改 {c.targets_changed}、未变 {c.targets_unchanged}；"
        f"数值新增 {c.values_added}、修改 {c.values_changed}、未变 {c.values_unchanged}"
    )


@login_required
@requires(services.may_enter_values)
def workbook_template(request: HttpRequest) -> HttpResponse:
    _, township = _workbook_township(request)
    year = _year(request)
    content = workbook.template_workbook(request.user, township, year)  # type: ignore[arg-type]
    return _xlsx(content, f"{township.name}{year}年指标台账.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def library_view(request: HttpRequest) -> HttpResponse:
    """The indicator library (常用指标库): the township admin ticks what the township reports."""
    township = _unit(request).township()  # asked from a village page, the village's township
    if township is None or not library.may_adopt(request.user, township):  # type: ignore[arg-type]
        raise PermissionDenied(DENIED)
    offices = Department.objects.filter(township=township).order_by("code")
    form = LibraryForm(request.POST or None, rows=library.rows_for(township), offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            created = library.adopt(request.user, township, form.picks())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = "、".join(i.name for i in created)
            messages.success(request, f"已选用 {len(created)} 项指标：{names}。可到“目标任务”填写全年目标。")
            return redirect(f"{reverse('indicators:library')}?org={township.code}")
    return render(request, "indicators/library.html", {"unit": township, "form": form})
