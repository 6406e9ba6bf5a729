"""The demo township's key projects and investment leads: 32 projects across stages and categories,
milestones back-scheduled from their completion dates (a few overdue), monthly investment this year
(a few behind plan), weekly progress lines, and 10 leads. Deterministic for a given day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu.core.periods import Period
from zhenwu.core.schedule import back_schedule
from zhenwu.org.demo import TOWNSHIP
from zhenwu.org.models import Department, OrgKind, OrgUnit, User
from zhenwu.workcalendar.services import work_calendar

from .models import (
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
    ScheduleStep,
    ScheduleTemplate,
    Stage,
    StageChange,
)
from .services import raise_problem, week_of

WAN = Decimal(10000)
STEPS = [
    ("立项", 20),
    ("用地报批", 40),
    ("规划许可", 20),
    ("施工许可", 15),
    ("开工", 10),
    ("主体完工", 120),
    ("竣工验收", 20),
]
C = Category
Spec = tuple[str, str, str, int, int, str, float]
# name, category, stage, total (万元), this year's plan (万元), office, pace of investment against plan
PROJECTS: list[Spec] = [
    ("万亿全屋智能家居生产基地", C.INDUSTRY, Stage.UNDER_CONSTRUCTION, 21000, 8000, "jfb", 1.05),
    ("华邦保和食品加工项目", C.INDUSTRY, Stage.UNDER_CONSTRUCTION, 15000, 6000, "jfb", 0.62),
    ("森财木业扩建项目", C.INDUSTRY, Stage.STARTED, 5200, 2500, "jfb", 0.9),
    ("睿新鹏电子元件厂", C.INDUSTRY, Stage.UNDER_CONSTRUCTION, 8600, 3000, "jfb", 1.0),
    ("标准化厂房一期", C.INDUSTRY, Stage.COMPLETED, 6800, 1800, "jfb", 1.0),
    ("新能源汽车配件项目", C.INDUSTRY, Stage.SIGNED, 30000, 2000, "jfb", 0.0),
    ("冷链物流中心", C.INDUSTRY, Stage.SIGNED, 12000, 1500, "jfb", 0.0),
    ("仓储物流园", C.INDUSTRY, Stage.PLANNED, 18000, 0, "jfb", 0.0),
    ("分布式光伏发电项目", C.INDUSTRY, Stage.IN_PRODUCTION, 4500, 800, "jfb", 1.0),
    ("电商服务中心", C.INDUSTRY, Stage.IN_PRODUCTION, 1200, 300, "jfb", 1.0),
    ("207国道示范镇段改线", C.INFRASTRUCTURE, Stage.UNDER_CONSTRUCTION, 26000, 9000, "dzb", 0.95),
    ("综合交通客运服务站", C.INFRASTRUCTURE, Stage.STARTED, 3800, 1600, "dzb", 0.55),
    ("自来水管网延伸工程", C.INFRASTRUCTURE, Stage.UNDER_CONSTRUCTION, 2600, 1200, "nyb", 1.02),
    ("村级道路硬化工程", C.INFRASTRUCTURE, Stage.COMPLETED, 1800, 1800, "nyb", 1.0),
    ("垃圾转运站建设", C.INFRASTRUCTURE, Stage.SIGNED, 900, 600, "dzb", 0.0),
    ("镇区污水处理厂提标改造", C.URBAN, Stage.UNDER_CONSTRUCTION, 4200, 2000, "dzb", 0.98),
    ("老旧小区改造", C.URBAN, Stage.UNDER_CONSTRUCTION, 3100, 1500, "dzb", 1.0),
    ("安置房二期", C.URBAN, Stage.STARTED, 9800, 4000, "dzb", 0.7),
    ("文化广场", C.URBAN, Stage.PLANNED, 1500, 0, "dzb", 0.0),
    ("镇中心小学教学楼", C.LIVELIHOOD, Stage.UNDER_CONSTRUCTION, 2400, 1400, "dzb", 1.0),
    ("卫生院门诊楼改造", C.LIVELIHOOD, Stage.COMPLETED, 1600, 900, "mzb", 1.0),
    ("养老服务中心", C.LIVELIHOOD, Stage.SIGNED, 2200, 800, "mzb", 0.0),
    ("中心幼儿园新建", C.LIVELIHOOD, Stage.PLANNED, 1900, 0, "dzb", 0.0),
    ("农贸市场升级改造", C.LIVELIHOOD, Stage.COMPLETED, 1100, 700, "jfb", 1.0),
    ("高标准农田建设(东岗片)", C.RURAL, Stage.UNDER_CONSTRUCTION, 1500, 1500, "nyb", 0.85),
    ("油菜花海农旅融合", C.RURAL, Stage.IN_PRODUCTION, 1300, 400, "nyb", 1.0),
    ("食用菌产业园", C.RURAL, Stage.UNDER_CONSTRUCTION, 3600, 1800, "nyb", 1.0),
    ("火龙果种植基地", C.RURAL, Stage.PLANNED, 800, 0, "nyb", 0.0),
    ("茶叶加工厂", C.RURAL, Stage.SIGNED, 1400, 500, "nyb", 0.0),
    ("生猪标准化养殖场", C.RURAL, Stage.PLANNED, 2600, 0, "nyb", 0.0),
    ("河道综合治理", C.RURAL, Stage.STARTED, 2100, 1000, "nyb", 1.0),
    ("乡村振兴示范片", C.RURAL, Stage.PLANNED, 5000, 0, "nyb", 0.0),
]
LEADERS = ["钱镇长", "孙书记", "李副镇长", "周副镇长", "吴人大主席"]
LEADS = [
    ("江汉新材料有限公司", "新材料", 20000, LeadStage.INTENT),
    ("楚天农业发展集团", "农产品加工", 8000, LeadStage.INTENT),
    ("鄂北文旅投资公司", "文化旅游", 15000, LeadStage.INTENT),
    ("华中医药物流公司", "医药物流", 6000, LeadStage.INTENT),
    ("湘楚新能源科技", "新能源", 25000, LeadStage.NEGOTIATING),
    ("汉水食品有限公司", "食品加工", 5000, LeadStage.NEGOTIATING),
    ("荆襄建材集团", "建材", 9000, LeadStage.NEGOTIATING),
    ("新航智能装备", "装备制造", 12000, LeadStage.SIGNED),
    ("绿源生态农业", "生态农业", 3000, LeadStage.SIGNED),
    ("万亿家居集团", "家居制造", 21000, LeadStage.LANDED),
]


def load() -> None:
    township = OrgUnit.objects.get(code=TOWNSHIP[0])
    if Project.objects.filter(org_unit__path__startswith=township.path).exists():
        return
    today = timezone.localdate()
    _template()
    offices = {d.code: d for d in Department.objects.filter(township=township)}
    villages = list(OrgUnit.objects.filter(parent=township, kind=OrgKind.VILLAGE).order_by("code"))
    author = User.objects.filter(username="jingfa").first()
    rng = random.Random("projects")
    calendar = work_calendar(today - timedelta(days=900), today + timedelta(days=900))
    projects = []
    for n, spec in enumerate(PROJECTS):
        project = _project(n, spec, township, villages, offices, today, rng)
        _history(project, today, rng, author)
        _milestones(project, calendar, today, rng)
        _investment(project, spec[6], today, rng, author)
        projects.append(project)
    _progress_notes(projects, today, author)
    _leads(township, offices, projects, today, author)
    _problems(projects, today)


def _template() -> ScheduleTemplate:
    template, made = ScheduleTemplate.objects.get_or_create(name="标准建设项目")
    if made:
        ScheduleStep.objects.bulk_create(
            ScheduleStep(template=template, position=n, name=name, working_days=days)
            for n, (name, days) in enumerate(STEPS, start=1)
        )
    return template


def _project(
    n: int,
    spec: Spec,
    township: OrgUnit,
    villages: list[OrgUnit],
    offices: dict[str, Department],
    today: date,
    rng: random.Random,
) -> Project:
    name, category, stage, total, plan, office, _ = spec
    index = STAGE_ORDER.index(stage)
    completion = (
        today + timedelta(days=rng.randint(60, 420))
        if index < 4
        else today - timedelta(days=rng.randint(20, 200))
    )
    village = villages[n % len(villages)]
    return Project.objects.create(
        name=name,
        category=category,
        stage=stage,
        total_investment=Decimal(total) * WAN,
        plan_year=today.year,
        planned_investment=Decimal(plan) * WAN,
        provincial_key=total >= 20000,
        city_key=total >= 8000,
        county_key=True,
        land_area=Decimal(rng.randint(5, 300)) if category != C.LIVELIHOOD else None,
        land_status=LandStatus.SUPPLIED if index >= 2 else LandStatus.ACQUIRING,
        leader=LEADERS[n % len(LEADERS)],
        department=offices[office],
        org_unit=village if n % 3 else township,
        location=f"{village.name}境内",
        description=f"建设{name}。",
        completion_date=completion,
    )


def _history(project: Project, today: date, rng: random.Random, author: User | None) -> None:
    """One stage change per stage reached, about a season apart, the latest within the last weeks."""
    reached = STAGE_ORDER[: STAGE_ORDER.index(project.stage) + 1]
    previous = ""
    for k, stage in enumerate(reached):
        days_ago = (len(reached) - 1 - k) * 90 + rng.randint(3, 20)
        StageChange.objects.create(
            project=project,
            from_stage=previous,
            to_stage=stage,
            date=today - timedelta(days=days_ago),
            actor=author,
        )
        previous = stage


def _milestones(project: Project, calendar: object, today: date, rng: random.Random) -> None:
    if project.stage == Stage.PLANNED or project.completion_date is None:
        return
    planned = back_schedule(calendar, project.completion_date, STEPS)  # type: ignore[arg-type]
    late = project.name in {"华邦保和食品加工项目", "综合交通客运服务站", "安置房二期"}
    rows = []
    for n, (name, day) in enumerate(planned, start=1):
        done = day < today and not (late and day > today - timedelta(days=60))
        rows.append(Milestone(
            project=project, name=name, position=n, planned_date=day,
            actual_date=day + timedelta(days=rng.randint(-3, 5)) if done else None,
            note="征地补偿未谈妥，施工许可推迟" if late and not done and day < today else "",
        ))  # fmt: skip
    for m in rows:
        if m.actual_date and m.actual_date > today:
            m.actual_date = today
    Milestone.objects.bulk_create(rows)


def _investment(project: Project, pace: float, today: date, rng: random.Random, author: User | None) -> None:
    if not project.planned_investment or pace == 0:
        return
    latest = Period.latest_complete(today)
    rows, total = [], Decimal(0)
    for month in range(1, latest.month + 1):
        total = (
            project.planned_investment
            * Decimal(month)
            / 12
            * Decimal(str(pace))
            * Decimal(str(rng.uniform(0.97, 1.03)))
        ).quantize(Decimal("0.01"))
        rows.append(
            InvestmentValue(project=project, year=today.year, month=month, amount=total, entered_by=author)
        )
    InvestmentValue.objects.bulk_create(rows)


def _progress_notes(projects: list[Project], today: date, author: User | None) -> None:
    week = week_of(today)
    active = [p for p in projects if p.stage in (Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION)]
    ProgressNote.objects.bulk_create(
        ProgressNote(project=p, week=w, this_week=f"{p.name}按计划推进，完成当周形象进度。",
                     next_week="继续推进主体施工，协调用工与材料。",
                     problems="征地补偿尚未谈妥" if p.name == "华邦保和食品加工项目" else "", author=author)
        for p in active[:-3] for w in (week, week - timedelta(days=7))
    )  # fmt: skip


# Leads were first courted in spring, so that a half-year report finds them at their stages on 30 June.
LEAD_HISTORY_DAYS = 120


def _leads(
    township: OrgUnit, offices: dict, projects: list[Project], today: date, author: User | None
) -> None:  # type: ignore[type-arg]
    landed_project = next(p for p in projects if p.name == "万亿全屋智能家居生产基地")
    for n, (investor, sector, amount, stage) in enumerate(LEADS):
        lead = InvestmentLead.objects.create(
            investor=investor, sector=sector, intended_investment=Decimal(amount) * WAN, stage=stage,
            leader=LEADERS[n % len(LEADERS)], department=offices["jfb"], org_unit=township,
            description=f"{investor}拟投资{sector}项目。",
            project=landed_project if stage == LeadStage.LANDED else None,
        )  # fmt: skip
        reached = [s.value for s in LeadStage][: [s.value for s in LeadStage].index(stage) + 1]
        previous = ""
        for k, step in enumerate(reached):
            LeadFollowUp.objects.create(
                lead=lead, date=today - timedelta(days=30 * (len(reached) - k) + n + LEAD_HISTORY_DAYS),
                kind=FollowUpKind.VISIT,
                note="上门洽谈投资意向" if k == 0 else "推进合作事项", stage_from=previous if k else "",
                stage_to=step if k else "", author=author,
            )  # fmt: skip
            previous = step


PROBLEMS = [
    ("华邦保和食品加工项目", "land", "征地补偿未谈妥", "3户对补偿标准有异议，影响场地平整。", 12),
    ("综合交通客运服务站", "approval", "施工许可未办结", "消防设计审查意见尚未回复。", 20),
    ("安置房二期", "funds", "专项债资金未到位", "二期专项债第二批资金尚未拨付。", 30),
]


def _problems(projects: list[Project], today: date) -> None:
    """A few open problems, raised by the responsible office as cases of the case engine."""
    by_name = {p.name: p for p in projects}
    admin = User.objects.get(username="admin")
    for name, category, title, description, days in PROBLEMS:
        raise_problem(
            admin, by_name[name], title=title, description=description, category=category,
            due=today + timedelta(days=days),
        )  # fmt: skip
