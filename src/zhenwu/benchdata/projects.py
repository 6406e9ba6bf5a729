"""Each township's key projects across the five stages, with their stage history, back-scheduled milestones
(some overdue), cumulative monthly investment for this year and last, weekly progress lines, and
investment leads with their follow-ups. Names and shapes follow projects.demo."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu.core.schedule import back_schedule
from zhenwu.core.workdays import WorkCalendar
from zhenwu.projects.demo import LEADERS, LEADS, PROJECTS, STEPS
from zhenwu.projects.models import (
    STAGE_ORDER,
    Category,
    FollowUpKind,
    InvestmentLead,
    InvestmentValue,
    LandStatus,
    LeadFollowUp,
    LeadStage,
    Milestone,
    ProgressNote,
    Project,
    Stage,
    StageChange,
)
from zhenwu.projects.services import week_of

from .scale import Clock
from .sink import Row, Sink
from .tree import County, Township

WAN = Decimal(10000)
PHASES = ["", "二期", "三期", "扩建", "提质改造", "配套工程"]
ACTIVE = {Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION}
NOTE_WEEKS = 8
PROJECT_COLUMNS = [
    "id", "name", "category", "provincial_key", "city_key", "county_key", "stage", "total_investment",
    "plan_year", "planned_investment", "land_area", "land_status", "leader", "department_id", "org_unit_id",
    "location", "description", "completion_date", "created_at",
]  # fmt: skip


class _Rows:
    def __init__(self) -> None:
        self.projects: list[Row] = []
        self.stages: list[Row] = []
        self.milestones: list[Row] = []
        self.investments: list[Row] = []
        self.notes: list[Row] = []
        self.leads: list[Row] = []
        self.follow_ups: list[Row] = []


def generate(
    sink: Sink, clock: Clock, county: County, calendar: WorkCalendar, per_township: int, seed: int
) -> None:
    for township in county.townships:
        rng = random.Random(f"{seed}:projects:{township.number}")
        rows = _Rows()
        project_ids = list(sink.ids(Project, per_township))
        for n, project_id in enumerate(project_ids):
            _project(rows, rng, clock, calendar, township, n, project_id)
        _leads(rows, sink, clock, township, project_ids)
        _write(sink, rows)


def _write(sink: Sink, rows: _Rows) -> None:
    def numbered(model: type, batch: list[Row]) -> list[Row]:
        first = sink.ids(model, len(batch)).start
        return [(first + n, *row) for n, row in enumerate(batch)]

    sink.write(Project, PROJECT_COLUMNS, rows.projects)
    sink.write(
        StageChange,
        ["id", "project_id", "from_stage", "to_stage", "date", "reason", "actor_id", "recorded_at"],
        numbered(StageChange, rows.stages),
    )
    sink.write(
        Milestone,
        ["id", "project_id", "name", "position", "planned_date", "actual_date", "note"],
        numbered(Milestone, rows.milestones),
    )
    sink.write(
        InvestmentValue,
        ["id", "project_id", "year", "month", "amount", "note", "entered_by_id", "entered_at"],
        numbered(InvestmentValue, rows.investments),
    )
    sink.write(
        ProgressNote,
        ["id", "project_id", "week", "this_week", "next_week", "problems", "author_id", "updated_at"],
        numbered(ProgressNote, rows.notes),
    )
    sink.write(
        InvestmentLead,
        [
            "id",
            "investor",
            "sector",
            "intended_investment",
            "stage",
            "leader",
            "department_id",
            "org_unit_id",
            "description",
            "project_id",
            "created_at",
        ],
        rows.leads,
    )
    sink.write(
        LeadFollowUp,
        ["id", "lead_id", "date", "kind", "note", "stage_from", "stage_to", "author_id"],
        numbered(LeadFollowUp, rows.follow_ups),
    )


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _project(
    rows: _Rows,
    rng: random.Random,
    clock: Clock,
    calendar: WorkCalendar,
    township: Township,
    n: int,
    project_id: int,
) -> None:
    name, category, stage, total, plan, office, pace = PROJECTS[n % len(PROJECTS)]
    phase = PHASES[(n // len(PROJECTS)) % len(PHASES)]
    round_ = n // (len(PROJECTS) * len(PHASES))
    full_name = f"{name}{phase}" + (f"({round_ + 1})" if round_ else "")
    today, index = clock.today, STAGE_ORDER.index(stage)
    completion = (
        today + timedelta(days=rng.randint(60, 420))
        if index < 4
        else today - timedelta(days=rng.randint(20, 200))
    )
    village = township.villages[n % len(township.villages)]
    size = Decimal(str(round(rng.uniform(0.6, 1.4), 2)))
    total_yuan, plan_yuan = (
        (Decimal(total) * WAN * size).quantize(Decimal("0.01")),
        (Decimal(plan) * WAN * size).quantize(Decimal("0.01")),
    )
    office_id, author = township.departments[office], township.office_staff[office]
    reached = STAGE_ORDER[: index + 1]
    started = today - timedelta(days=(len(reached) - 1) * 90 + rng.randint(3, 20) + 30)
    rows.projects.append(
        (
            project_id,
            full_name,
            category,
            total >= 20000,
            total >= 8000,
            True,
            stage,
            total_yuan,
            today.year,
            plan_yuan,
            Decimal(rng.randint(5, 300)) if category != Category.LIVELIHOOD else None,
            LandStatus.SUPPLIED if index >= 2 else LandStatus.ACQUIRING,
            LEADERS[n % len(LEADERS)],
            office_id,
            village.unit.id if n % 3 else township.unit.id,
            f"{village.unit.name}境内",
            f"建设{full_name}。",
            completion,
            _moment(started),
        )
    )
    previous = ""
    for k, step in enumerate(reached):
        day = today - timedelta(days=(len(reached) - 1 - k) * 90 + rng.randint(3, 20))
        rows.stages.append((project_id, previous, step, day, "", author, _moment(day)))
        previous = step
    late = rng.random() < 0.1
    if stage != Stage.PLANNED:
        for position, (step_name, day) in enumerate(back_schedule(calendar, completion, STEPS), start=1):
            done = day < today and not (late and day > today - timedelta(days=60))
            actual = min(today, day + timedelta(days=rng.randint(-3, 5))) if done else None
            note = "征地补偿未谈妥，施工许可推迟" if late and not done and day < today else ""
            rows.milestones.append((project_id, step_name, position, day, actual, note))
    if plan_yuan and pace:
        _investment(rows, rng, clock, project_id, plan_yuan, pace * (0.7 if late else 1.0), author)
    if stage in ACTIVE:
        week = week_of(today)
        for k in range(NOTE_WEEKS):
            monday = week - timedelta(days=7 * k)
            rows.notes.append(
                (
                    project_id,
                    monday,
                    f"{full_name}按计划推进，完成当周形象进度。",
                    "继续推进主体施工，协调用工与材料。",
                    "征地补偿尚未谈妥" if late else "",
                    author,
                    _moment(monday + timedelta(days=4)),
                )
            )


def _investment(
    rows: _Rows, rng: random.Random, clock: Clock, project_id: int, plan: Decimal, pace: float, author: int
) -> None:
    """Completed investment, year to date, for every month of last year and this year so far."""
    for period in clock.months[-(12 + clock.latest.month) :]:
        amount = plan * Decimal(period.month) / 12 * Decimal(str(round(pace * rng.uniform(0.97, 1.03), 4)))
        day = period.entry_deadline(3)
        rows.investments.append(
            (
                project_id,
                period.year,
                period.month,
                amount.quantize(Decimal("0.01")),
                "",
                author,
                min(_moment(day), clock.now - timedelta(hours=1)),
            )
        )


def _leads(rows: _Rows, sink: Sink, clock: Clock, township: Township, project_ids: list[int]) -> None:
    lead_ids = sink.ids(InvestmentLead, len(LEADS))
    stages = [s.value for s in LeadStage]
    author = township.office_staff["jfb"]
    for n, (investor, sector, amount, stage) in enumerate(LEADS):
        lead_id = lead_ids[n]
        landed = project_ids[n] if stage == LeadStage.LANDED and n < len(project_ids) else None
        if stage == LeadStage.LANDED and landed is None:
            stage = LeadStage.SIGNED
        reached = stages[: stages.index(stage) + 1]
        created = clock.today - timedelta(days=30 * (len(reached) + 1) + n)
        rows.leads.append(
            (
                lead_id,
                investor,
                sector,
                Decimal(amount) * WAN,
                stage,
                LEADERS[n % len(LEADERS)],
                township.departments["jfb"],
                township.unit.id,
                f"{investor}拟投资{sector}项目。",
                landed,
                _moment(created),
            )
        )
        previous = ""
        for k, step in enumerate(reached):
            rows.follow_ups.append(
                (
                    lead_id,
                    clock.today - timedelta(days=30 * (len(reached) - k) + n),
                    FollowUpKind.VISIT,
                    "上门洽谈投资意向" if k == 0 else "推进合作事项",
                    previous if k else "",
                    step if k else "",
                    author,
                )
            )
            previous = step
