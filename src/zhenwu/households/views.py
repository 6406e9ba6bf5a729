"""Pages for households, monitoring, benefits and subsidies: thin, scoped, masked.

Every page shows identity numbers and phones masked; the full values are on the reveal page, reached
by a POST that households.services.reveal_member logs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.org.services import validation_messages
from zhenwu.org.widgets import picker
from zhenwu.web.idempotency import idempotent
from zhenwu.web.permissions import DENIED, requires

from . import excel, forms, history, services
from .models import (
    Benefit,
    BenefitKind,
    Household,
    Member,
    MonitoringCase,
    MonitoringState,
    PersonalDataAccess,
)

PER_PAGE = 50
BENEFIT_MONEY = {
    BenefitKind.DIBAO: "低保金",
    BenefitKind.TEKUN: "特困供养金",
    BenefitKind.TEMPORARY: "临时救助金",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> date:
    return timezone.localdate()


def _unit_or_none(request: HttpRequest, code: str) -> OrgUnit | None:
    if not code:
        return None
    return scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), code=code)


def _deny_unless(allowed: bool) -> None:
    # A log or list closed to the role answers like a missing page.
    if not allowed:
        raise Http404("记录不存在或无权查看。")


def _refuse_unless(allowed: bool) -> None:
    # An action on a record in scope that the role cannot take: the Chinese 403 page.
    if not allowed:
        raise PermissionDenied(DENIED)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The township's (or, with ?unit=, one village's) households by tag, monitoring, benefits, batches."""
    unit = _unit_or_none(request, request.GET.get("unit", ""))
    today = _today()
    month_start, month_end = services.month_bounds(today)
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    user = request.user
    batches = []
    for batch in services.batches_for(user):
        batches.append((batch, services.subsidy_figure(user, batch=batch, unit=unit)))
    context = {
        "unit": unit,
        "root": scope.scope_root(user),
        "villages": list(scope.visible_units(user).filter(kind="village")),
        "picker": picker(user, "unit", unit, label="村/社区", kinds=[OrgKind.VILLAGE], empty_label="全部"),
        "tags": services.tag_counts(user, today, unit),
        "breakdown": services.monitoring_breakdown(user, unit),
        "new_this_year": services.new_monitored(user, year_start, year_end, unit),
        "closed_this_year": services.closed_monitored(user, year_start, year_end, unit),
        "benefits": [
            (
                label,
                services.benefit_paid(user, kind, month_start, month_end, unit),
                services.benefit_paid(user, kind, year_start, min(year_end, today), unit),
            )
            for kind, label in BENEFIT_MONEY.items()
        ],
        "batches": batches,
        "may_edit": services.may_edit_register(user),
        "may_see_full": services.may_see_full(user),
        "today": today,
    }
    return render(request, "households/overview.html", context)


def _tagged(households: QuerySet[Household], tag: str, today: date) -> QuerySet[Household]:
    if tag in ("lifted_out", "left_behind_elderly", "left_behind_children"):
        return households.filter(**{tag: True})
    if tag == "monitored":
        open_cases = MonitoringCase.objects.exclude(state=MonitoringState.ELIMINATED)
        return households.filter(pk__in=open_cases.values("household"))
    if tag in ("dibao", "tekun"):
        active = Benefit.objects.filter(kind=tag, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        return households.filter(pk__in=active.values("household"))
    return households


@login_required
@require_http_methods(["GET", "POST"])
def household_list(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    data = (request.POST if posted else request.GET) or None
    form = forms.HouseholdFilterForm(request.user, data, posted=posted)
    households = services.households_for(request.user)
    if "unit" in form.errors:
        households = households.none()  # a refused unit lists nothing rather than everything
    elif form.is_valid():
        closed = form.cleaned_data["tag"] == "closed"
        base = services.closed_households_for(request.user) if closed else None
        households = services.search_households(request.user, form.cleaned_data["q"], base)
        households = _tagged(households, form.cleaned_data["tag"], _today())
        if unit := form.cleaned_data["unit"]:
            households = households.filter(org_unit__path__startswith=unit.path)
    households = households.select_related("org_unit").with_head_name().order_by("number")
    page = Paginator(households, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": form.query_string(),
        "may_edit": services.may_edit_register(request.user),
    }
    return render(request, "households/household_list.html", context)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = scope.get_in_scope_or_404(request.user, Household.objects.select_related("org_unit"), pk=pk)
    members = list(household.members.all())  # once: those still on the register, then those who left
    context = {
        "household": household,
        "members": [m for m in members if not m.has_left],
        "left_members": sorted(
            (m for m in members if m.has_left), key=lambda m: (m.left_on, -m.pk), reverse=True
        ),
        "moves": list(services.moves_of(household)),
        "cases": list(household.monitoring_cases.prefetch_related("visits__visitor")),
        "income_checks": list(household.income_checks.all()),
        "benefits": list(household.benefits.all()),
        "payments": list(household.subsidy_payments.select_related("batch")),
        "may_edit": services.may_edit_register(request.user),
        "may_see_full": services.may_see_full(request.user),
    }
    return render(request, "households/household_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(services.may_edit_register)
def household_add(request: HttpRequest) -> HttpResponse:
    """A new household and its head, typed in; a register of many is imported from Excel instead."""
    form = forms.HouseholdForm(request.user, request.POST or None, prefix="household")
    head = forms.MemberForm(request.POST or None, prefix="head", initial={"relation": "head"})
    if request.method == "POST" and form.is_valid() and head.is_valid():
        member = services.MemberInput(**{**head.cleaned_data, "relation": "head"})
        try:
            with transaction.atomic():
                household = services.create_household(
                    members=[member], actor=request.user, **form.cleaned_data
                )  # type: ignore[arg-type]
        except ValidationError as error:
            _errors_to(form, head, error)
        else:
            messages.success(request, f"已登记农户{household.number}。")
            return redirect("households:household-detail", pk=household.pk)
    return render(request, "households/household_add.html", {"form": form, "head": head})


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = scope.get_in_scope_or_404(request.user, Household.objects.select_related("org_unit"), pk=pk)
    _refuse_unless(services.may_edit_register(request.user))
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(
                household, services.MemberInput(**form.cleaned_data), actor=request.user
            )  # type: ignore[arg-type]
        except ValidationError as error:
            _errors_to(form, form, error)
        else:
            messages.success(
                request, f"已为农户{household.number}登记成员({member.get_relation_display()})。"
            )
            return redirect("households:household-detail", pk=household.pk)
    return render(request, "households/member_add.html", {"household": household, "form": form})


def _errors_to(form: Any, member_form: Any, error: ValidationError) -> None:
    """A service's errors shown beside the field they name (the member's fields on the member form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, validation_messages(error))
        return
    for field, errors in error.message_dict.items():
        target = member_form if field in member_form.fields else form
        target.add_error(field if field in target.fields else None, errors)


# --- editing, moving and closing: in scope or 404; in scope but not the register's keeper, 403 -------


def _editable(request: HttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    record = scope.get_in_scope_or_404(request.user, queryset, pk=pk)
    if not services.may_edit_register(request.user):
        raise PermissionDenied("只有村/社区工作人员和民政办可以修改农户名册。")
    return record


def _household_of(request: HttpRequest, pk: int) -> Household:
    household: Household = _editable(request, Household.objects.select_related("org_unit"), pk)
    return household


def _member_of(request: HttpRequest, pk: int) -> Member:
    member: Member = _editable(request, Member.objects.select_related("household__org_unit"), pk)
    return member


def _change_page(
    request: HttpRequest,
    household: Household,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    *,
    title: str,
    done: str,
    intro: str = "",
    member: Member | None = None,
) -> HttpResponse:
    """A form that changes the register: the service's faults beside their fields; a closed household
    or member goes back to its page with the reason."""
    if household.is_closed or (member is not None and member.has_left):
        gone = f"农户{household.number}" if household.is_closed else str(member)
        messages.error(request, f"{gone}已销户，不能再修改。")
        return redirect("households:household-detail", pk=household.pk)
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, form, error)
        else:
            messages.success(request, done)
            return redirect("households:household-detail", pk=household.pk)
    context = {"household": household, "form": form, "title": title, "intro": intro}
    return render(request, "households/change.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_of(request, pk)
    members = household.members.present()
    head = members.filter(relation="head").first()
    initial = {f: getattr(household, f) for f in ("address", "lifted_out", "left_behind_elderly",
                                                   "left_behind_children")}  # fmt: skip
    form = forms.HouseholdEditForm(request.POST or None, members=members, initial={**initial, "head": head})

    def write(data: dict[str, Any]) -> object:
        return services.edit_household(household, actor=request.user, **data)  # type: ignore[arg-type]

    return _change_page(request, household, form, write, title="修改户信息", done="户信息已保存。")


@login_required
@require_http_methods(["GET", "POST"])
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_of(request, pk)
    form = forms.HouseholdMoveForm(request.user, request.POST or None)

    def write(data: dict[str, Any]) -> object:
        to_unit = data.pop("org_unit")
        return services.move_household(household, to_unit=to_unit, actor=request.user, **data)  # type: ignore[arg-type]

    intro = f"现属{household.org_unit.name}。迁移记录保留在户页面上。"
    return _change_page(request, household, form, write, title="整户迁移", done="已迁移。", intro=intro)


@login_required
@require_http_methods(["GET", "POST"])
def household_close(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_of(request, pk)
    form = forms.HouseholdCloseForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return services.close_household(household, actor=request.user, **data)  # type: ignore[arg-type]

    intro = "销户后该户不再计入名册和各项统计，记录仍保留；正在享受的低保、特困于销户日期终止。"
    return _change_page(request, household, form, write, title="农户销户", done="已销户。", intro=intro)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_of(request, pk)
    initial = {
        "name": member.name,
        "relation": member.relation,
        "disabled": member.disabled,
        "tags": member.tags,
    }
    form = forms.MemberEditForm(request.POST or None, initial=initial, masked=member.id_number_masked)

    def write(data: dict[str, Any]) -> object:
        return services.edit_member(member, services.MemberChanges(**data), actor=request.user)  # type: ignore[arg-type]

    return _change_page(request, member.household, form, write, title=f"修改成员：{member.name}",
                        done="成员信息已保存。", member=member)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def member_move(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_of(request, pk)
    form = forms.MemberMoveForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        target = services.households_for(request.user).filter(number=data["to_household"].strip()).first()
        if target is None:
            raise ValidationError(
                {"to_household": f"未找到户编号为{data['to_household']}的在册农户(或不在您的管辖范围内)。"}
            )
        return services.move_member(member, actor=request.user, **{**data, "to_household": target})  # type: ignore[arg-type]

    return _change_page(request, member.household, form, write, title=f"成员迁出：{member.name}",
                        done=f"{member.name}已迁出。", intro="迁入另一在册农户；两户页面都保留迁移记录。",
                        member=member)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def member_close(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_of(request, pk)
    form = forms.MemberCloseForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return services.close_member(member, actor=request.user, **data)  # type: ignore[arg-type]

    intro = "销户的成员仍显示在户页面上，自销户日期起不再计入人数。"
    return _change_page(request, member.household, form, write, title=f"成员销户：{member.name}",
                        done=f"{member.name}已销户。", intro=intro, member=member)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST shows the full values once and logs who saw whose, and when."""
    member = scope.get_in_scope_or_404(
        request.user, Member.objects.select_related("household__org_unit"), pk=pk
    )
    _refuse_unless(services.may_see_full(request.user))
    revealed = None
    if request.method == "POST":
        revealed = services.reveal_member(request.user, member)  # type: ignore[arg-type]
    response = render(request, "households/member_reveal.html", {"member": member, "revealed": revealed})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_identify(request: HttpRequest, pk: int) -> HttpResponse:
    household = scope.get_in_scope_or_404(request.user, Household.objects.select_related("org_unit"), pk=pk)
    _refuse_unless(services.may_edit_register(request.user))
    form = forms.IdentifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.identify(household=household, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, validation_messages(error))
        else:
            messages.success(request, f"已将农户{household.number}纳入监测({case.get_category_display()})。")
            return redirect("households:monitoring-detail", pk=case.pk)
    return render(request, "households/monitoring_identify.html", {"household": household, "form": form})


@login_required
def monitoring_list(request: HttpRequest) -> HttpResponse:
    """New and closed cases in a period, for the weekly report and the monthly review (周报告、月研判)."""
    today = _today()
    form = forms.PeriodForm(request.GET or {"start": services.month_bounds(today)[0], "end": today})
    start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else (today, today)
    unit = _unit_or_none(request, request.GET.get("unit", ""))
    new = services.new_monitored(request.user, start, end, unit)
    closed = services.closed_monitored(request.user, start, end, unit)
    open_cases = scope.scoped(request.user, MonitoringCase.objects.exclude(state=MonitoringState.ELIMINATED))
    open_cases = open_cases.filter(household__closed_on__isnull=True)
    if unit is not None:
        open_cases = open_cases.filter(household__org_unit__path__startswith=unit.path)
    related = ("household__org_unit",)
    context = {
        "form": form,
        "picker": picker(request.user, "unit", unit, label="村/网格", kinds=[OrgKind.VILLAGE, OrgKind.GRID]),
        "new": new,
        "closed": closed,
        "villages": _village_rows(
            services.by_village(new),
            services.by_village(closed),
            list(scope.visible_units(request.user).order_by("path").values_list("name", flat=True)),
        ),
        "new_cases": new.records.select_related(*related),
        "closed_cases": closed.records.select_related(*related),
        "open_cases": open_cases.select_related(*related)[:200],
        "open_count": open_cases.count(),
        "this_week": (today - timedelta(days=today.weekday()), today),
        "this_month": (services.month_bounds(today)[0], today),
    }
    return render(request, "households/monitoring_list.html", context)


def _village_rows(
    new: dict[str, tuple[int, int]], closed: dict[str, tuple[int, int]], order: list[str]
) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """One row per village with a new or closed case, in the tree's order."""
    names = [name for name in order if name in new or name in closed]
    return [(name, new.get(name, (0, 0)), closed.get(name, (0, 0))) for name in names]


# What each action on a monitored household did, filled from its form's data.
MONITORING_DONE = {
    "visit": "已登记{visited_on:%Y-%m-%d}对农户{number}的走访。",
    "measures": "已更新农户{number}的帮扶措施。",
    "income": "已登记农户{number}{year}年的人均纯收入{per_capita_income}元。",
    "propose": "已提出农户{number}风险消除，待乡镇审批。",
}

MONITORING_ACTIONS = {
    "visit": forms.VisitForm,
    "measures": forms.MeasuresForm,
    "income": forms.IncomeForm,
    "propose": forms.ProposeForm,
}


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def monitoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = scope.get_in_scope_or_404(
        request.user, MonitoringCase.objects.select_related("household__org_unit", "approved_by"), pk=pk
    )
    action = request.POST.get("action", "")
    bound = {
        name: form(request.POST if action == name else None) for name, form in MONITORING_ACTIONS.items()
    }
    if request.method == "POST":
        try:
            done = _monitoring_action(request, case, action, bound)
        except PermissionDenied:
            raise Http404("记录不存在或无权查看。") from None
        except ValidationError as error:
            messages.error(request, "；".join(validation_messages(error)))
            done = False
        if done:
            return redirect("households:monitoring-detail", pk=case.pk)
    context = {
        "case": case,
        "visits": list(case.visits.select_related("visitor")),
        "income_checks": list(case.household.income_checks.all()),
        "forms": bound,
        "may_edit": services.may_edit_register(request.user),
        "may_visit": services.may_visit(request.user),
        "may_approve": services.may_approve_elimination(request.user),
    }
    return render(request, "households/monitoring_detail.html", context)


def _monitoring_action(
    request: HttpRequest, case: MonitoringCase, action: str, bound: dict[str, Any]
) -> bool:
    user: Any = request.user
    if action in ("approve", "reject"):
        services.decide_elimination(case, approve=action == "approve", actor=user)
        number = case.household.number
        messages.success(
            request,
            f"已审批农户{number}风险消除。"
            if action == "approve"
            else f"已退回农户{number}的风险消除，继续监测。",
        )
        return True
    form = bound.get(action)
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "visit":
        services.record_visit(case, visited_on=data["visited_on"], note=data["note"], actor=user)
    elif action == "measures":
        services.update_measures(case, data["measures"], actor=user)
    elif action == "income":
        services.record_income(case.household, actor=user, **data)
    elif action == "propose":
        services.propose_elimination(
            case, eliminated_on=data["eliminated_on"], reason=data["reason"], actor=user
        )
    messages.success(request, MONITORING_DONE[action].format(number=case.household.number, **data))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def benefit_grant(request: HttpRequest, pk: int) -> HttpResponse:
    household = scope.get_in_scope_or_404(request.user, Household.objects.select_related("org_unit"), pk=pk)
    _refuse_unless(services.may_edit_register(request.user))
    if "end" in request.POST:
        benefit = get_object_or_404(household.benefits.all(), pk=request.POST.get("end"))
        try:
            services.end_benefit(benefit, ends_on=_today(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, "；".join(validation_messages(error)))
        else:
            messages.success(request, f"农户{household.number}的{benefit.get_kind_display()}已于今日终止。")
        return redirect("households:household-detail", pk=household.pk)
    form = forms.BenefitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            benefit = services.grant_benefit(household=household, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, validation_messages(error))
        else:
            messages.success(request, f"已为农户{household.number}登记{benefit.get_kind_display()}。")
            return redirect("households:household-detail", pk=household.pk)
    return render(request, "households/benefit_grant.html", {"household": household, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    may_manage = services.may_manage_subsidies(request.user)
    form = forms.BatchForm(request.POST or None)
    if request.method == "POST":
        _deny_unless(may_manage)
        root = scope.scope_root(request.user)
        township = root.township() if root is not None else None
        if form.is_valid() and township is not None:
            batch = services.create_batch(org_unit=township, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"已新建发放批次“{batch.name}”。")
            return redirect("households:batch-detail", pk=batch.pk)
    query = request.GET.get("q", "").strip()
    batches = [b for b in services.batches_for(request.user) if not query or query in b.name]
    rows = [(b, services.subsidy_figure(request.user, batch=b)) for b in batches]
    return render(
        request, "households/batch_list.html", {"rows": rows, "form": form, "may_manage": may_manage}
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = services.batch_in_scope_or_404(request.user, pk)
    may_manage = services.may_manage_subsidies(request.user)
    pay_form = forms.PayForm(request.POST or None, initial={"paid_on": _today()})
    if request.method == "POST":
        _deny_unless(may_manage)
        if pay_form.is_valid():
            count = services.pay_batch(batch, paid_on=pay_form.cleaned_data["paid_on"], actor=request.user)  # type: ignore[arg-type]
            messages.success(request, f"已将批次“{batch.name}”的{count}户标记为已发放。")
            return redirect("households:batch-detail", pk=batch.pk)
    figure = services.subsidy_figure(request.user, batch=batch)
    payments = figure.records.select_related("household__org_unit").order_by("household__number")
    page = Paginator(payments, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": batch, "figure": figure, "page": page, "pay_form": pay_form, "may_manage": may_manage,
        "may_see_full": services.may_see_full(request.user),
    }  # fmt: skip
    return render(request, "households/batch_detail.html", context)


IMPORT_TITLES = {
    "register": "导入农户名册",
    "roll": "导入补贴清册",
    "monitoring": "导入防返贫监测对象",
    "benefits": "导入低保、特困供养",
}
# Who may import each kind, and so download its blank template.
IMPORT_RULES = {
    "register": services.may_edit_register,
    "roll": services.may_manage_subsidies,
    "monitoring": services.may_edit_register,
    "benefits": services.may_edit_register,
}
TEMPLATE_NAMES = {
    "register": "农户名册模板.xlsx",
    "roll": "补贴清册模板.xlsx",
    "monitoring": "防返贫监测对象模板.xlsx",
    "benefits": "低保特困供养模板.xlsx",
}


def _import_page(request: HttpRequest, kind: str) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    batches = [b for b in services.batches_for(request.user) if scope.unit_in_scope(request.user, b.org_unit)]
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = "commit" not in request.POST
        user = request.user
        if kind == "register":
            report = excel.import_register(user, upload, upload.name, dry_run=dry_run)  # type: ignore[arg-type]
        elif kind == "monitoring":
            report = history.import_monitoring(user, upload, upload.name, dry_run=dry_run)  # type: ignore[arg-type]
        elif kind == "benefits":
            report = history.import_benefits(user, upload, upload.name, dry_run=dry_run)  # type: ignore[arg-type]
        else:
            batch = next((b for b in batches if str(b.pk) == request.POST.get("batch")), None)
            if batch is None:
                form.add_error(None, "请选择补贴批次。")
            else:
                report = excel.import_roll(user, batch, upload, upload.name, dry_run=dry_run)  # type: ignore[arg-type]
    context = {"form": form, "report": report, "kind": kind, "batches": batches, "title": IMPORT_TITLES[kind]}
    return render(request, "households/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(IMPORT_RULES["register"])
def import_register(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "register")


@login_required
@require_http_methods(["GET", "POST"])
@requires(IMPORT_RULES["roll"])
def import_roll(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "roll")


@login_required
@require_http_methods(["GET", "POST"])
@requires(IMPORT_RULES["monitoring"])
def import_monitoring(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "monitoring")


@login_required
@require_http_methods(["GET", "POST"])
@requires(IMPORT_RULES["benefits"])
def import_benefits(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "benefits")


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in TEMPLATE_NAMES:
        raise Http404("没有该模板。")
    _refuse_unless(IMPORT_RULES[kind](request.user))
    name = TEMPLATE_NAMES[kind]
    content = history.template(kind) if kind in ("monitoring", "benefits") else excel.template(kind)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export_register(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the register with numbers masked. Full numbers: a confirmed POST with a reason, logged."""
    unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), code=code)
    title = f"{unit.name}农户名册"
    full = _full_export_reason(request, title)
    if isinstance(full, HttpResponse):
        return full
    content, rows = excel.export_register(request.user, unit, full=bool(full))  # type: ignore[arg-type]
    if full:
        services.log_full_export(request.user, unit, rows, full)  # type: ignore[arg-type]
    return _xlsx(content, f"{title}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def export_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the roll with numbers masked. Full numbers: a confirmed POST with a reason, logged."""
    batch = services.batch_in_scope_or_404(request.user, pk)
    full = _full_export_reason(request, batch.name)
    if isinstance(full, HttpResponse):
        return full
    content, rows = excel.export_batch(request.user, batch, full=bool(full))  # type: ignore[arg-type]
    if full:
        root = scope.scope_root(request.user)
        assert root is not None
        services.log_full_export(request.user, root, rows, full, what="补贴发放清册")  # type: ignore[arg-type]
    return _xlsx(content, f"{batch.name}.xlsx")


def _full_export_reason(request: HttpRequest, title: str) -> str | HttpResponse:
    """ "" for the masked export; the reason given for a full one; or the page asking to confirm it."""
    if request.method == "GET" and not request.GET.get("full"):
        return ""
    _deny_unless(services.may_see_full(request.user))
    form = forms.FullExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return str(form.cleaned_data["reason"])
    response = render(request, "households/full_export.html", {"form": form, "title": title})
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who saw whose full numbers, when: for the township admin and 民政办."""
    _deny_unless(services.may_read_access_log(request.user))
    entries = scope.scoped(
        request.user, PersonalDataAccess.objects.select_related("actor", "member", "org_unit")
    )
    if actor := request.GET.get("actor", "").strip():
        entries = entries.filter(actor__username=actor)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "households/access_log.html", {"page": page, "query": ""})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
