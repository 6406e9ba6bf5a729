"""Every write and every figure about projects and investment leads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from zhenwu.cases.models import Case, CaseCategory, CaseType
from zhenwu.cases.services import create_case, end_of_day, start_of_day
from zhenwu.cases.states import FIXED_STATES
from zhenwu.core.numbers import format_percent
from zhenwu.core.periods import Period, time_progress_by_month
from zhenwu.core.schedule import back_schedule
from zhenwu.notifications.models import Kind, Notification
from zhenwu.notifications.services import Message, notify
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit, Role, User
from zhenwu.workcalendar.services import work_calendar

from .models import (
    ACTIVE_STAGES,
    LEAD_ORDER,
    STAGE_ORDER,
    Category,
    InvestmentLead,
    InvestmentValue,
    LeadFollowUp,
    LeadStage,
    Milestone,
    MilestoneStatus,
    ProgressNote,
    Project,
    ProjectProblem,
    ScheduleTemplate,
    Stage,
    StageChange,
)

BEHIND_POINTS = Decimal(10)  # investment this far behind time progress puts a project on the monthly review


# --- who may do what ---------------------------------------------------------------------------------


def may_register(user: Any) -> bool:
    """Whether the user registers projects and leads and reports their investment at all: the offices and
    the township admin, who run projects (`may_edit` then says which)."""
    if scope.sees_everything(user):
        return True
    return bool(
        user.is_authenticated
        and user.role in (Role.TOWNSHIP_ADMIN, Role.DEPARTMENT_STAFF)
        and scope.scope_root(user) is not None
    )


def may_edit(user: User, project: Project | InvestmentLead) -> bool:
    """The responsible office and the township admin run a project; leaders and villages read it."""
    if not scope.unit_in_scope(user, project.org_unit):
        return False
    if scope.sees_everything(user) or user.role == Role.TOWNSHIP_ADMIN:
        return True
    return user.role == Role.DEPARTMENT_STAFF and project.department_id == user.department_id


def _require_edit(user: User, record: Project | InvestmentLead) -> None:
    if not may_edit(user, record):
        raise PermissionDenied("无权修改该项目。")


def projects_for(user: Any) -> QuerySet[Project]:
    return scope.scoped(user, Project.objects.select_related("department", "org_unit"))


def leads_for(user: Any) -> QuerySet[InvestmentLead]:
    return scope.scoped(user, InvestmentLead.objects.select_related("department", "org_unit", "project"))


# --- projects and stages -----------------------------------------------------------------------------


@transaction.atomic
def create_project(user: User, project: Project, *, on: date | None = None) -> Project:
    _require_edit(user, project)
    project.full_clean()
    project.save()
    StageChange.objects.create(
        project=project, to_stage=project.stage, date=on or timezone.localdate(), actor=user
    )
    return project


def update_project(user: User, project: Project) -> Project:
    _require_edit(user, project)
    project.full_clean()
    project.save()
    return project


def stage_step(from_stage: str, to_stage: str) -> int:
    """How many stages a change moves: 1 is the next stage, more skips, 0 or less goes back."""
    return STAGE_ORDER.index(to_stage) - STAGE_ORDER.index(from_stage)


@transaction.atomic
def change_stage(user: User, project: Project, to_stage: str, on: date, reason: str = "") -> StageChange:
    """Move a project to another stage; skipping or going back needs a reason, and each change is kept."""
    _require_edit(user, project)
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": "未知的阶段。"})
    step = stage_step(project.stage, to_stage)
    if step == 0:
        raise ValidationError({"to_stage": f"项目已处于“{project.get_stage_display()}”阶段。"})
    if step != 1 and not reason.strip():
        what = "跨越阶段" if step > 1 else "退回到前面的阶段"
        raise ValidationError({"reason": f"{what}须说明原因。"})
    if on > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天。"})
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=to_stage,
        date=on,
        reason=reason.strip(),
        actor=user,
    )
    project.stage = to_stage
    project.save(update_fields=["stage"])
    return change


# --- investment ---------------------------------------------------------------------------------------


def _investment_error(user: User, project: Project, period: Period, amount: Decimal, note: str) -> str:
    if not may_edit(user, project):
        return f"无权填报项目“{project.name}”。"
    if amount < 0:
        return f"项目“{project.name}”的完成投资不能为负数。"
    if amount != amount.quantize(Decimal("0.01")):
        return "金额最多精确到分。"
    previous = (
        InvestmentValue.objects.filter(project=project, year=period.year, month__lt=period.month)
        .order_by("-month")
        .first()
    )
    if previous and amount < previous.amount and not note.strip():
        before = f"{previous.month}月的{previous.amount}元"
        return f"项目“{project.name}”累计完成投资低于{before}，请在备注中说明原因。"
    return ""


def _save_investment(
    user: User, project: Project, period: Period, amount: Decimal, note: str
) -> InvestmentValue:
    record, _ = InvestmentValue.objects.update_or_create(
        project=project, year=period.year, month=period.month,
        defaults={"amount": amount, "note": note.strip(), "entered_by": user},
    )  # fmt: skip
    return record


def record_investment(
    user: User, project: Project, period: Period, amount: Decimal, note: str = ""
) -> InvestmentValue:
    """This year's investment completed to the end of the month; lower than last month needs a reason."""
    if not may_edit(user, project):
        raise PermissionDenied("无权修改该项目。")
    if message := _investment_error(user, project, period, amount, note):
        raise ValidationError(message)
    return _save_investment(user, project, period, amount, note)


def check_investments(user: User, period: Period, rows: list[tuple[Project, Decimal, str, str]]) -> list[str]:
    """The errors of an upload, each with its row; empty when every row may be saved."""
    return [f"{where}：{m}" for project, amount, note, where in rows
            if (m := _investment_error(user, project, period, amount, note))]  # fmt: skip


@transaction.atomic
def record_investments(user: User, period: Period, rows: list[tuple[Project, Decimal, str, str]]) -> int:
    """Save every row or none."""
    errors = check_investments(user, period, rows)
    if errors:
        raise ValidationError(errors)
    for project, amount, note, _ in rows:
        _save_investment(user, project, period, amount, note)
    return len(rows)


@dataclass(frozen=True)
class InvestmentProgress:
    """This year's investment against plan, with the records behind it."""

    planned: Decimal
    completed: Decimal | None
    time_progress: Decimal
    record: InvestmentValue | None

    @property
    def completion(self) -> Decimal | None:
        if self.completed is None or not self.planned:
            return None
        return self.completed / self.planned

    @property
    def behind(self) -> bool:
        completion = self.completion
        return completion is not None and (self.time_progress - completion) * 100 > BEHIND_POINTS


def investment_progress(project: Project, period: Period) -> InvestmentProgress:
    """Uses prefetched `investments` when the caller loaded them, so a list costs no query per project."""
    records = [v for v in project.investments.all() if v.year == period.year and v.month <= period.month]
    latest = max(records, key=lambda v: v.month, default=None)
    return InvestmentProgress(
        planned=project.planned_investment if project.plan_year == period.year else Decimal(0),
        completed=latest.amount if latest else None,
        time_progress=time_progress_by_month(period),
        record=latest,
    )


# --- milestones ----------------------------------------------------------------------------------------


@transaction.atomic
def schedule_backwards(
    user: User, project: Project, template: ScheduleTemplate, completion: date
) -> list[Milestone]:
    """Replace the project's open milestones with the template's steps, dated back from `completion`."""
    _require_edit(user, project)
    steps = [(s.name, s.working_days) for s in template.steps.order_by("position")]
    if not steps:
        raise ValidationError("该模板没有步骤。")
    total = sum(days for _, days in steps)
    calendar = work_calendar(completion - timedelta(days=total * 2 + 60), completion)
    planned = back_schedule(calendar, completion, steps)
    project.milestones.filter(actual_date__isnull=True).delete()
    project.completion_date = completion
    project.save(update_fields=["completion_date"])
    return [
        Milestone.objects.create(project=project, name=name, position=n, planned_date=day)
        for n, (name, day) in enumerate(planned, start=1)
    ]


def complete_milestone(user: User, milestone: Milestone, on: date, note: str = "") -> Milestone:
    _require_edit(user, milestone.project)
    if on > timezone.localdate():
        raise ValidationError({"actual_date": "实际完成日期不能晚于今天。"})
    milestone.actual_date = on
    milestone.note = note.strip() or milestone.note
    milestone.save()
    return milestone


def overdue_milestones(projects: list[Project], today: date) -> list[Milestone]:
    """Uses prefetched `milestones`."""
    return [m for p in projects for m in p.milestones.all() if m.status(today) == MilestoneStatus.OVERDUE]


# The reminder job reads the open milestones from this long ago to a week ahead. An overdue one is
# announced the day after its date; one already overdue for longer when the job first met it (an
# installation's history, a worker down for weeks) is left to the pages and the monthly review.
MILESTONE_LOOKBACK = timedelta(days=31)
MILESTONE_WORDS = {MilestoneStatus.DUE_SOON: "即将到期", MilestoneStatus.OVERDUE: "已逾期"}


def remind_milestones(now: datetime) -> str:
    """Tell the owner office of each project of its open milestones due within 7 days, and again of those
    overdue: each milestone once as coming and once as overdue (the key names the milestone, the state
    and its planned date, so a milestone moved to another date is said again)."""
    today = timezone.localdate(now)
    milestones = list(
        Milestone.objects.filter(
            actual_date__isnull=True,
            planned_date__gte=today - MILESTONE_LOOKBACK,
            planned_date__lte=today + timedelta(days=7),
        )
        .select_related("project__department")
        .order_by("planned_date", "pk")
    )
    offices = {m.project.department_id for m in milestones}
    staff: dict[int, list[User]] = {office: [] for office in offices}
    for user in User.objects.filter(is_active=True, role=Role.DEPARTMENT_STAFF, department_id__in=offices):
        staff[user.department_id].append(user)
    # What the window's milestones have said already, in one query rather than one a recipient.
    since = start_of_day(today - MILESTONE_LOOKBACK - timedelta(days=8))
    said = set(
        Notification.objects.filter(
            recipient__in=[u for users in staff.values() for u in users],
            kind=Kind.MILESTONE,
            created_at__gte=since,
        ).values_list("recipient_id", "key")
    )
    told = counted = 0
    for milestone in milestones:
        message = _milestone_message(milestone, today)
        recipients = [u for u in staff[milestone.project.department_id] if (u.pk, message.key) not in said]
        if recipients:
            counted += 1
            told += notify(recipients, message)
    return f"提醒 {told} 人次({counted} 个节点)"


def _milestone_message(milestone: Milestone, today: date) -> Message:
    state = milestone.status(today)
    project, planned = milestone.project, milestone.planned_date
    when = f"{planned.month}月{planned.day}日"
    if state == MilestoneStatus.OVERDUE:
        late = (today - planned).days
        body = f"节点“{milestone.name}”计划{when}完成，已逾期{late}天，请抓紧推进并说明原因。"
    else:
        left = (planned - today).days
        body = f"节点“{milestone.name}”计划{when}完成，" + (f"还有{left}天。" if left else "今天到期。")
    return Message(
        kind=Kind.MILESTONE,
        key=f"milestone:{milestone.pk}:{state}:{planned:%Y%m%d}",
        title=f"{project.name}：节点“{milestone.name}”{MILESTONE_WORDS[MilestoneStatus(state)]}",
        body=body,
        link=reverse("projects:project-detail", args=[project.pk]),
    )


# --- weekly dispatch and monthly review ------------------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def save_progress_note(
    user: User, project: Project, week: date, this_week: str, next_week: str, problems: str
) -> ProgressNote:
    _require_edit(user, project)
    if not this_week.strip():
        raise ValidationError({"this_week": "请填写本周进展。"})
    note, _ = ProgressNote.objects.update_or_create(
        project=project, week=week_of(week),
        defaults={
            "this_week": this_week.strip(), "next_week": next_week.strip(), "problems": problems.strip(),
            "author": user,
        },
    )  # fmt: skip
    return note


def with_details(projects: QuerySet[Project], week: date | None = None) -> list[Project]:
    """Projects with their milestones, investments and (for `week`) progress notes, in four queries."""
    prefetches: list[Any] = ["milestones", "investments"]
    if week is not None:
        prefetches.append(
            Prefetch("progress_notes", ProgressNote.objects.filter(week=week_of(week)), to_attr="week_notes")
        )
    return list(projects.prefetch_related(*prefetches))


@dataclass
class DispatchLine:
    project: Project
    note: ProgressNote | None
    overdue: list[Milestone]
    investment: InvestmentProgress
    problems: list[Case] = field(default_factory=list)


def dispatch_sheet(user: Any, week: date, today: date | None = None) -> list[DispatchLine]:
    """Every active project's line for the week: progress, plan, problems, overdue milestones."""
    today = today or timezone.localdate()
    period = Period.latest_complete(today) if today.month > 1 else Period(today.year, 1)
    projects = with_details(
        projects_for(user).filter(stage__in=ACTIVE_STAGES).order_by("department__code", "name"), week
    )
    problems = open_problems(projects)
    return [
        DispatchLine(
            project=p,
            note=p.week_notes[0] if p.week_notes else None,  # type: ignore[attr-defined]
            overdue=[m for m in p.milestones.all() if m.status(today) == MilestoneStatus.OVERDUE],
            investment=investment_progress(p, period),
            problems=problems[p.pk],
        )
        for p in projects
    ]


@dataclass
class ReviewLine:
    project: Project
    reasons: list[str] = field(default_factory=list)


def _overdue_reason(milestone: Milestone, today: date) -> str:
    late = (today - milestone.planned_date).days
    why = f"：{milestone.note}" if milestone.note else ""
    planned = milestone.planned_date
    return f"节点“{milestone.name}”计划{planned.month}月{planned.day}日完成，已逾期{late}天{why}"


def _printed_percent(share: Decimal) -> Decimal:
    """A share as a percentage rounded the way `format_percent` prints it."""
    return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _investment_reason(money: InvestmentProgress) -> str:
    """'完成年度计划投资的12.0%，低于序时进度（50.0%）38.0个百分点'.

    The gap is taken between the two percentages as printed, so that a reader who subtracts them
    finds the same number."""
    assert money.completion is not None
    why = f"：{money.record.note}" if money.record and money.record.note else ""
    done, due = _printed_percent(money.completion), _printed_percent(money.time_progress)
    gap = f"{format_percent(due - done)[:-1]}个百分点"
    return f"完成年度计划投资的{format_percent(done)}，低于序时进度（{format_percent(due)}）{gap}{why}"


def monthly_review(user: Any, period: Period, today: date | None = None) -> list[ReviewLine]:
    """月研判: projects behind schedule (overdue milestones) or behind their investment plan, with why."""
    today = today or timezone.localdate()
    lines = []
    projects = with_details(projects_for(user).exclude(stage=Stage.PLANNED).order_by("name"))
    problems = open_problems(projects)
    now = timezone.now()
    for project in projects:
        reasons = [_overdue_reason(m, today) for m in project.milestones.all()
                   if m.status(today) == MilestoneStatus.OVERDUE]  # fmt: skip
        reasons += [
            f"问题“{case.title}”({case.number})已超期未解决"
            for case in problems[project.pk]
            if case.is_overdue(now)
        ]
        money = investment_progress(project, period)
        if money.behind and money.completion is not None:
            reasons.append(_investment_reason(money))
        if reasons:
            lines.append(ReviewLine(project, reasons))
    return lines


# --- the figures a report needs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectCounts:
    """已落实谋划项目x个, 签约项目x个, 新开工项目x个, … with the projects behind each number."""

    by_stage: dict[str, int]
    planned_this_year: list[Project]
    signed_this_year: list[Project]
    started_this_year: list[Project]
    completed_this_year: list[Project]
    total_investment: Decimal
    planned_investment: Decimal
    completed_investment: Decimal
    signed_investment: Decimal = Decimal(0)  # the total investment of the projects signed this year
    large: list[Project] = field(default_factory=list)  # in the library, of LARGE_PROJECT and more


# A project of this total investment and more is "亿元以上" (总投资亿元以上的项目x个).
LARGE_PROJECT = Decimal(100_000_000)


def project_counts(user: Any, unit: OrgUnit, period: Period) -> ProjectCounts:
    """One service for every count a report states about projects in `unit` for `period`."""
    projects = with_details(projects_for(user).filter(org_unit__path__startswith=unit.path))
    changes = StageChange.objects.filter(
        project__in=projects, date__year=period.year, date__month__lte=period.month
    ).values_list("project_id", "to_stage")
    entered: dict[str, set[int]] = {s: set() for s in STAGE_ORDER}
    for project_id, stage in changes:
        entered[stage].add(project_id)
    by_id = {p.pk: p for p in projects}

    def reached(*stages: str) -> list[Project]:
        ids = set().union(*(entered[s] for s in stages))
        return sorted((by_id[i] for i in ids), key=lambda p: p.name)

    this_year = [p for p in projects if p.plan_year == period.year]
    completed = [investment_progress(p, period).completed or Decimal(0) for p in this_year]
    stages = stages_on(projects, period.end_date())
    signed = reached(Stage.SIGNED)
    large = [p for p in projects if p.pk in stages and p.total_investment >= LARGE_PROJECT]
    return ProjectCounts(
        by_stage=dict(Counter(stages.values())),
        planned_this_year=reached(Stage.PLANNED),
        signed_this_year=signed,
        started_this_year=reached(Stage.STARTED),
        completed_this_year=reached(Stage.COMPLETED),
        total_investment=sum((p.total_investment for p in projects), Decimal(0)),
        planned_investment=sum((p.planned_investment for p in this_year), Decimal(0)),
        completed_investment=sum(completed, Decimal(0)),
        signed_investment=sum((p.total_investment for p in signed), Decimal(0)),
        large=sorted(large, key=lambda p: (-p.total_investment, p.name)),
    )


def stages_on(projects: list[Project], day: date) -> dict[int, str]:
    """Each project's stage at the end of `day`, from its stage history: a report on June counts the
    library as it stood on 30 June. A project that entered the library later is left out."""
    changes = StageChange.objects.filter(project__in=projects, date__lte=day).order_by("date", "recorded_at")
    return dict(changes.values_list("project_id", "to_stage"))


def projects_in_library(user: Any, unit: OrgUnit, day: date) -> QuerySet[Project]:
    """The unit's projects that had entered the project library (their first stage) by `day`."""
    projects = projects_for(user).filter(org_unit__path__startswith=unit.path)
    return projects.annotate(entered=Min("stage_changes__date")).filter(entered__lte=day)


@dataclass(frozen=True)
class ProjectSummary:
    """The numbers of `project_counts` a dashboard shows, counted in the database (no project loaded)."""

    by_stage: dict[str, int]
    planned_investment: Decimal
    completed_investment: Decimal
    time_progress: Decimal
    overdue_milestones: int

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @property
    def completion(self) -> Decimal | None:
        return self.completed_investment / self.planned_investment if self.planned_investment else None


def project_summary(user: Any, unit: OrgUnit, period: Period, today: date) -> ProjectSummary:
    """Projects by stage, this year's investment against plan to `period`, and open milestones past
    their date on `today`: three queries, whatever the number of projects."""
    projects = projects_for(user).filter(org_unit__path__startswith=unit.path)
    by_stage = dict(projects.values_list("stage").annotate(n=Count("pk")).order_by())
    latest = InvestmentValue.objects.filter(
        project=OuterRef("pk"), year=period.year, month__lte=period.month
    ).order_by("-month")
    money = (
        projects.filter(plan_year=period.year)
        .annotate(done=Subquery(latest.values("amount")[:1]))
        .aggregate(planned=Sum("planned_investment"), completed=Sum("done"))
    )
    overdue = Milestone.objects.filter(
        project__in=projects.values("pk"), actual_date__isnull=True, planned_date__lt=today
    ).count()
    return ProjectSummary(
        by_stage={stage: by_stage.get(stage, 0) for stage in STAGE_ORDER},
        planned_investment=Decimal(money["planned"] or 0),
        completed_investment=Decimal(money["completed"] or 0),
        time_progress=time_progress_by_month(period),
        overdue_milestones=overdue,
    )


@dataclass(frozen=True)
class ProjectInvestment:
    """One project of the year's plan: its annual plan and what it completed to the period."""

    project: Project
    planned: Decimal
    completed: Decimal


def project_investments(user: Any, unit: OrgUnit, period: Period) -> list[ProjectInvestment]:
    """This year's projects in `unit` with their completed investment to `period`: the same projects and
    the same values `project_counts` adds into 累计完成投资, one by one."""
    projects = with_details(projects_for(user).filter(org_unit__path__startswith=unit.path))
    found = []
    for project in sorted(projects, key=lambda p: (-p.planned_investment, p.name)):
        if project.plan_year != period.year:
            continue
        completed = investment_progress(project, period).completed or Decimal(0)
        found.append(ProjectInvestment(project, project.planned_investment, completed))
    return found


def investment_by_category(investments: list[ProjectInvestment]) -> dict[str, list[ProjectInvestment]]:
    """The year's projects by category (产业, 基础设施 …), in the categories' order."""
    by_category: dict[str, list[ProjectInvestment]] = {}
    for code, _ in Category.choices:
        found = [i for i in investments if i.project.category == code]
        if found:
            by_category[code] = found
    return by_category


def leads_on(user: Any, unit: OrgUnit, day: date) -> dict[str, list[InvestmentLead]]:
    """Investment leads registered by `day`, by the stage each stood at on that day (from its follow-ups'
    stage changes): 意向, 洽谈, 签约, 落地."""
    # A lead is known from its registration, or from its first follow-up when that is logged as earlier.
    leads = (
        leads_for(user)
        .filter(org_unit__path__startswith=unit.path)
        .annotate(first=Min("follow_ups__date"))
        .filter(Q(created_at__date__lte=day) | Q(first__lte=day))
    )
    moves = LeadFollowUp.objects.filter(lead__in=leads, date__lte=day).exclude(stage_to="")
    stage_of = dict(moves.order_by("date", "pk").values_list("lead_id", "stage_to"))
    by_stage: dict[str, list[InvestmentLead]] = {stage: [] for stage in LEAD_ORDER}
    for lead in leads.order_by("investor"):
        by_stage[stage_of.get(lead.pk, LeadStage.INTENT)].append(lead)
    return by_stage


@dataclass(frozen=True)
class ProblemFigures:
    """Project problems raised in a span, and those of them solved by its end (the case engine's cases)."""

    raised: list[Case]
    solved: list[Case]


def problem_figures(user: Any, unit: OrgUnit, start: date, end: date) -> ProblemFigures:
    links = ProjectProblem.objects.filter(
        project__in=projects_for(user).filter(org_unit__path__startswith=unit.path),
        case__received_at__gte=start_of_day(start),
        case__received_at__lte=end_of_day(end),
    ).select_related("case")
    raised = sorted((link.case for link in links), key=lambda c: c.pk)
    solved = [
        c for c in raised if c.state in FIXED_STATES and c.resolved_at and c.resolved_at <= end_of_day(end)
    ]
    return ProblemFigures(raised, solved)


def funnel(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Projects that have reached at least each stage: planned ≥ signed ≥ started ≥ completed."""
    labels = dict(Stage.choices)
    return [(labels[s], sum(n for stage, n in counts.items() if STAGE_ORDER.index(stage) >= i))
            for i, s in enumerate(STAGE_ORDER)]  # fmt: skip


# --- investment leads --------------------------------------------------------------------------------------


def create_lead(user: User, lead: InvestmentLead) -> InvestmentLead:
    _require_edit(user, lead)
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def follow_up_lead(
    user: User, lead: InvestmentLead, on: date, kind: str, note: str, to_stage: str = ""
) -> LeadFollowUp:
    """Log a visit or call; it may move the lead on (intent → negotiating → signed). Landing is
    `land_lead`, which makes the project."""
    _require_edit(user, lead)
    if not note.strip():
        raise ValidationError({"note": "请填写跟进情况。"})
    if on > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天。"})
    if to_stage == LeadStage.LANDED:
        raise ValidationError({"to_stage": "落地请用“落地转为项目”，以便登记项目。"})
    if to_stage and LEAD_ORDER.index(to_stage) <= LEAD_ORDER.index(lead.stage):
        raise ValidationError({"to_stage": "线索只能向前推进。"})
    follow_up = LeadFollowUp.objects.create(
        lead=lead, date=on, kind=kind, note=note.strip(), author=user,
        stage_from=lead.stage if to_stage else "", stage_to=to_stage,
    )  # fmt: skip
    if to_stage:
        lead.stage = to_stage
        lead.save(update_fields=["stage"])
    return follow_up


@transaction.atomic
def land_lead(user: User, lead: InvestmentLead, project: Project, on: date) -> Project:
    """A signed lead lands: it becomes a project (signed stage), and the lead keeps its history."""
    _require_edit(user, lead)
    if lead.stage != LeadStage.SIGNED:
        raise ValidationError("只有已签约的线索可以落地转为项目。")
    project.stage = Stage.SIGNED
    create_project(user, project, on=on)
    LeadFollowUp.objects.create(
        lead=lead, date=on, kind="other", note=f"落地，转为项目“{project.name}”", author=user,
        stage_from=lead.stage, stage_to=LeadStage.LANDED,
    )  # fmt: skip
    lead.stage, lead.project = LeadStage.LANDED, project
    lead.save(update_fields=["stage", "project"])
    return project


# --- problems, as cases of the case engine ---------------------------------------------------------------

PROBLEM_TYPE = "project_problem"
PROBLEM_CATEGORIES = [
    ("land", "用地"),
    ("funds", "资金"),
    ("approval", "手续审批"),
    ("site", "施工协调"),
    ("other", "其他"),
]


def problem_type() -> CaseType:
    """The case type of project problems: deadlines set per problem, received by 经发办."""
    case_type, _ = CaseType.objects.get_or_create(
        code=PROBLEM_TYPE,
        defaults={
            "name": "项目问题",
            "prefix": "XM",
            "deadline_days": None,
            "intake_department_code": "jfb",
            "order": 90,
        },
    )
    for position, (code, name) in enumerate(PROBLEM_CATEGORIES, start=1):
        CaseCategory.objects.get_or_create(
            code=f"{PROBLEM_TYPE}-{code}", defaults={"case_type": case_type, "name": name, "order": position}
        )
    return case_type


@transaction.atomic
def raise_problem(
    user: User, project: Project, *, title: str, description: str, category: str, due: date
) -> ProjectProblem:
    """Register a problem of the project as a case, due on `due`, handled through the case engine."""
    _require_edit(user, project)
    today = timezone.localdate()
    if due <= today:
        raise ValidationError({"due": "解决时限应晚于今天。"})
    case_type = problem_type()
    found = case_type.categories.filter(code=f"{PROBLEM_TYPE}-{category}").first()
    if found is None:
        raise ValidationError({"category": "未知的问题类别。"})
    case = create_case(
        user, case_type=case_type, category=found, title=f"{project.name}：{title.strip()}"[:80],
        description=description, org_unit=project.org_unit, deadline_days=(due - today).days,
    )  # fmt: skip
    return ProjectProblem.objects.create(project=project, case=case)


def open_problems(projects: list[Project]) -> dict[int, list[Case]]:
    """Each project's open problems, in one query."""
    found: dict[int, list[Case]] = {p.pk: [] for p in projects}
    links = ProjectProblem.objects.filter(project__in=projects).select_related("case", "case__case_type")
    for link in links:
        if link.case.is_open:
            found[link.project_id].append(link.case)
    return found
