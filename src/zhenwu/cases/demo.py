"""Demo cases: the five types, an Open311 key, and a year of cases across the demo villages.

Bulk-created (a few seconds for >5,000 cases and their events), deterministic for a given day: a seeded
random.Random, dates counted back from today so that some cases are open, some overdue, some escalated,
and a few are duplicates merged into their original.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from zhenwu.core.workdays import DayCount, WorkCalendar
from zhenwu.org import demo as org_demo
from zhenwu.org import services as org_services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.workcalendar.services import work_calendar

from . import catalog
from .models import Case, CaseCategory, CaseEvent, CaseType, Channel, Open311Key, Visit, VisitTarget
from .services import end_of_day
from .states import State

OPEN311_KEY = "demo-open311-key"
NOTES = [f"Open311 API key: {OPEN311_KEY}  (POST /open311/v2/requests.json)"]
CASES = 5400
VISITS = 3000
SEED = 20260101
TYPE_SHARE = {"grid_event": 0.62, "hazard": 0.14, "petition": 0.06, "hotline": 0.14, "disclosure": 0.04}
TEXTS = {
    "dispute": ["邻里因宅基地边界发生争执", "两户因排水沟堵塞互相指责", "土地流转租金支付纠纷"],
    "sanitation": ["路口垃圾堆放多日未清运", "河道漂浮物较多需清理", "公厕无人保洁气味大"],
    "street_vending": ["集市摊贩占用主干道经营", "早餐摊占道影响通行"],
    "safety": ["老旧电线私拉乱接存在隐患", "废弃厂房围墙有倒塌风险"],
    "public_order": ["夜间有人聚集喧哗", "发现可疑人员多次徘徊"],
    "livelihood": ["路灯损坏夜间出行不便", "自来水水压不足", "村道坑洼需修补"],
    "other": ["群众反映其他问题需核实"],
}
HAZARD_TEXTS = [
    "小餐馆液化气瓶未固定",
    "自建房擅自加层",
    "仓库堆放易燃物",
    "施工现场无防护栏",
    "消防通道被占用",
]
HOTLINE_TEXTS = ["来电反映噪音扰民", "来电咨询社保缴费", "来电投诉物业收费", "来电求助道路积水"]
PETITION_TEXTS = ["反映征地补偿款发放问题", "反映工资拖欠", "反映低保评定不公"]
DISCLOSURE_TEXTS = ["申请公开村级财务收支", "申请公开惠农补贴发放名单", "申请公开征地补偿标准"]


@dataclass
class Ctx:
    rng: random.Random
    now: datetime
    calendar: WorkCalendar
    grids: list[OrgUnit]
    grid_weights: list[float]
    township: OrgUnit
    departments: dict[str, Department]


def load() -> None:
    types = catalog.install()
    township = OrgUnit.objects.get(code=org_demo.TOWNSHIP[0])
    if not Open311Key.objects.filter(key=OPEN311_KEY).exists():
        Open311Key.objects.create(township=township, name="演示客户端", key=OPEN311_KEY)
    if Case.objects.filter(org_unit__path__startswith=township.path).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(SEED)
    grids = list(OrgUnit.objects.subtree(township).filter(kind=OrgKind.GRID).select_related("parent"))
    ctx = Ctx(
        rng=rng,
        now=now,
        calendar=work_calendar(today - timedelta(days=400), today + timedelta(days=60)),
        grids=grids,
        # Some grids are busy (a market street), some quiet: rankings then have units on both sides of
        # the minimum.
        grid_weights=[rng.uniform(0.15, 3.0) for _ in grids],
        township=township,
        departments={d.code: d for d in Department.objects.filter(township=township)},
    )
    categories = {t.code: list(CaseCategory.objects.filter(case_type=t)) for t in types}
    by_code = {t.code: t for t in types}
    cases = [_case(ctx, by_code, categories) for _ in range(CASES)]
    cases.sort(key=lambda c: c.received_at)
    Case.objects.bulk_create(cases, batch_size=500)
    _mark_duplicates(ctx, cases)
    events = [event for case in cases for event in _events(ctx, case)]
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    # The township has published some grid events on the Open311 feed (redacted there), so that the
    # demo's feed is not empty: every 20th, chosen without drawing on `rng` (the rest of the demo stays).
    published = [case.pk for case in cases if case.case_type.open311][::20]
    Case.objects.filter(pk__in=published).update(public=True)
    _visits(ctx)


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _text(ctx: Ctx, type_code: str, category: CaseCategory) -> str:
    rng = ctx.rng
    if type_code == "grid_event":
        return rng.choice(TEXTS.get(category.code.split("-", 1)[1], TEXTS["other"]))
    pool = {"hazard": HAZARD_TEXTS, "hotline": HOTLINE_TEXTS, "petition": PETITION_TEXTS}.get(
        type_code, DISCLOSURE_TEXTS
    )
    return rng.choice(pool)


def _deadline(ctx: Ctx, case_type: CaseType, received: datetime, days: int) -> datetime:
    first = timezone.localdate(received)
    return end_of_day(ctx.calendar.add_days(first, days, DayCount(case_type.deadline_count)))


def _case(ctx: Ctx, types: dict[str, CaseType], categories: dict[str, list[CaseCategory]]) -> Case:
    rng = ctx.rng
    type_code = _pick(rng, TYPE_SHARE)
    case_type = types[type_code]
    category = rng.choice(categories[type_code])
    grid = rng.choices(ctx.grids, weights=ctx.grid_weights)[0]
    # More cases lately: a platform in growing use.
    age_days = 365 * (1 - rng.random() ** 0.8)
    received = ctx.now - timedelta(days=age_days, minutes=rng.randrange(600))
    days = case_type.deadline_days or rng.choice([3, 5, 10])
    text = _text(ctx, type_code, category)
    if type_code == "grid_event":
        level = rng.choices([1, 2, 3], weights=[55, 35, 10])[0]
        place = grid
        handling = {1: grid, 2: grid.parent, 3: ctx.township}[level]
    else:
        level, place, handling = 3, grid, ctx.township
    department = ctx.departments.get(case_type.intake_department_code) if handling == ctx.township else None
    case = Case(
        case_type=case_type,
        category=category,
        title=text[:30],
        description=f"{place.name}：{text}。",
        org_unit=place,
        place=f"{grid.parent.name if grid.parent else ''}{rng.randint(1, 9)}组",
        level=level,
        handling_unit=handling,
        handling_department=department,
        state=State.REPORTED,
        channel=Channel.GRID_APP
        if type_code == "grid_event"
        else Channel.HOTLINE
        if type_code == "hotline"
        else Channel.WEB,
        reporter_name=rng.choice(["张", "王", "李", "赵", "刘", "陈"]) + rng.choice(["某", "先生", "女士"]),
        external_number=f"12345-{rng.randrange(10**7):07d}" if type_code == "hotline" else "",
        source="12345 政务服务热线" if type_code == "hotline" else "",
        received_at=received,
        deadline=_deadline(ctx, case_type, received, days),
        acceptance_deadline=(
            _deadline(ctx, case_type, received, case_type.acceptance_days)
            if case_type.acceptance_days
            else None
        ),
    )
    _settle(ctx, case)
    return case


def _settle(ctx: Ctx, case: Case) -> None:
    """Move the case along its life as far as its age makes likely."""
    rng = ctx.rng
    assert case.deadline is not None
    allowed = (case.deadline - case.received_at).total_seconds()
    age = (ctx.now - case.received_at).total_seconds()
    roll = rng.random()
    if roll < 0.03:
        case.state = State.REJECTED
        case.resolution = "经核实不属于受理范围，已告知反映人。"
        return
    if rng.random() < 0.06 and case.level < 3:
        case.level += 1
        case.handling_unit = case.handling_unit.parent or ctx.township
        if case.handling_unit == ctx.township:
            case.handling_department = ctx.departments.get(case.case_type.intake_department_code)
        case.escalated = True  # type: ignore[attr-defined]
    # Time to resolve: mostly within the deadline, one in eight late.
    share = rng.uniform(0.1, 0.95) if rng.random() > 0.125 else rng.uniform(1.05, 2.0)
    resolve_after = allowed * share
    accept_after = min(
        timedelta(hours=rng.uniform(0.5, 20)), timedelta(seconds=min(resolve_after, age) * 0.2)
    )
    case.accepted_at = case.received_at + accept_after
    stuck = rng.random() < 0.03  # some cases stall: these make the overdue list
    if resolve_after < age and not stuck:
        case.resolved_at = case.received_at + timedelta(seconds=resolve_after)
        case.resolution = "已现场处置，问题解决。"
        if (ctx.now - case.resolved_at).days > 3 or rng.random() < 0.6:
            case.state = State.VERIFIED
            case.verified_at = case.resolved_at + timedelta(hours=rng.uniform(2, 60))
        else:
            case.state = State.RESOLVED
        return
    if getattr(case, "escalated", False) and rng.random() < 0.5:
        case.state = State.ESCALATED
        case.accepted_at = None
        return
    case.state = rng.choices(
        [State.REPORTED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS], weights=[10, 15, 30, 45]
    )[0]
    if case.state == State.REPORTED:
        case.accepted_at = None


def _mark_duplicates(ctx: Ctx, cases: list[Case]) -> None:
    """A few later reports of the same problem, merged into the first."""
    rng = ctx.rng
    grid_events = [c for c in cases if c.case_type.code == "grid_event" and c.state == State.VERIFIED]
    originals = rng.sample(grid_events, 12)
    copies = []
    for original in originals:
        copy = Case(
            case_type=original.case_type,
            category=original.category,
            title=original.title,
            description=original.description.replace("。", "，还没有人处理。"),
            org_unit=original.org_unit,
            place=original.place,
            level=original.level,
            handling_unit=original.handling_unit,
            handling_department=original.handling_department,
            state=State.MERGED,
            channel=Channel.GRID_APP,
            reporter_name="群众",
            received_at=original.received_at + timedelta(hours=rng.uniform(2, 48)),
            deadline=original.deadline,
            duplicate_of=original,
        )
        copies.append(copy)
    Case.objects.bulk_create(copies)
    cases.extend(copies)


def _event(
    case: Case, action: str, before: str, after: str, at: datetime, who: str, note: str = ""
) -> CaseEvent:
    return CaseEvent(
        case=case, action=action, from_state=before, to_state=after, at=at, actor_name=who, note=note
    )


def _events(ctx: Ctx, case: Case) -> list[CaseEvent]:
    unit = case.handling_unit.name + (f"·{case.handling_department.name}" if case.handling_department else "")
    at = case.received_at
    events = [_event(case, "report", "", State.REPORTED, at, case.reporter_name, case.description[:60])]
    if case.state == State.REPORTED:
        return events
    if case.state == State.REJECTED:
        return [
            *events,
            _event(
                case, "reject", State.REPORTED, State.REJECTED, at + timedelta(hours=6), unit, case.resolution
            ),
        ]
    if case.state == State.MERGED:
        note = f"与{case.duplicate_of.number if case.duplicate_of else ''}为同一事件"
        return [
            *events,
            _event(case, "merge", State.REPORTED, State.MERGED, at + timedelta(hours=1), unit, note),
        ]
    if getattr(case, "escalated", False):
        events.append(
            _event(
                case,
                "escalate",
                State.REPORTED,
                State.ESCALATED,
                at + ((case.accepted_at or ctx.now) - at) * 0.5,
                "下级单元",
                "超出处置能力，上报升级",
            )
        )
        if case.state == State.ESCALATED:
            return events
    accepted = case.accepted_at or at
    # Assignment and work start fall between acceptance and resolution (or now), so events stay in order.
    span = (case.resolved_at or ctx.now) - accepted
    chain = [
        ("accept", State.ACCEPTED, case.accepted_at),
        ("assign", State.ASSIGNED, accepted + span * 0.1),
        ("start", State.IN_PROGRESS, accepted + span * 0.25),
        ("resolve", State.RESOLVED, case.resolved_at),
        ("verify", State.VERIFIED, case.verified_at),
    ]
    before = events[-1].to_state
    for action, after, moment in chain:
        if moment is None:
            break
        events.append(
            _event(case, action, before, after, moment, unit, case.resolution if action == "resolve" else "")
        )
        before = after
        if after == case.state:
            break
    return events


# --- cases another app's demo opened ---------------------------------------------------------------

SETTLED_FIELDS = (
    "state", "accepted_at", "resolved_at", "verified_at", "resolution", "level", "handling_unit",
    "handling_department",
)  # fmt: skip


def settle_opened(cases: list[Case], rng: random.Random) -> None:
    """Cases another app's demo opened through `create_case` as received on past days (the registers
    demo's inspections that found a hazard): each moved along its life as far as its age makes likely,
    with its events after the report, as this demo's own cases are. A loader's doing, not a user's: no
    log line."""
    if not cases:
        return
    now = timezone.now()
    township = cases[0].org_unit.township() or cases[0].org_unit
    ctx = Ctx(
        rng=rng,
        now=now,
        calendar=work_calendar(timezone.localdate(now), timezone.localdate(now)),
        grids=[],
        grid_weights=[],
        township=township,
        departments={d.code: d for d in Department.objects.filter(township=township)},
    )
    events = []
    for case in cases:
        _settle(ctx, case)
        Case.objects.filter(pk=case.pk).update(**{name: getattr(case, name) for name in SETTLED_FIELDS})
        events.extend(_events(ctx, case)[1:])  # the report is the case's own first event
    CaseEvent.objects.bulk_create(events, batch_size=1000)


def _grid_workers(ctx: Ctx) -> dict[int, User]:
    workers = {u.org_unit_id: u for u in User.objects.filter(role=Role.GRID_WORKER, org_unit__in=ctx.grids)}
    for grid in ctx.grids:
        if grid.pk in workers:
            continue
        username = f"wg{grid.code[-5:]}"
        existing = User.objects.filter(username=username).first()
        workers[grid.pk] = existing or org_services.create_user(
            username=username,
            password=None,
            role=Role.GRID_WORKER,
            org_unit=grid,
            display_name=f"{grid.name}网格员",
        )
    return workers


def _visits(ctx: Ctx) -> None:
    rng = ctx.rng
    workers = _grid_workers(ctx)
    visits: list[Any] = []
    for _ in range(VISITS):
        grid = rng.choice(ctx.grids)
        household = rng.random() < 0.75
        visits.append(
            Visit(
                grid=grid,
                visitor=workers[grid.pk],
                target_kind=VisitTarget.HOUSEHOLD if household else VisitTarget.PLACE,
                target=(
                    rng.choice("张王李赵刘陈杨黄") + rng.choice(["建国", "秀英", "志强", "桂兰", "海"]) + "户"
                )
                if household
                else rng.choice(["小超市", "农家乐", "加油站", "村卫生室", "养殖场"]),
                note=rng.choice(["家中情况正常", "反映路灯问题，已记录", "宣传防诈骗知识", "检查消防器材"]),
                visited_at=ctx.now - timedelta(days=rng.uniform(0, 120)),
            )
        )
    Visit.objects.bulk_create(visits, batch_size=1000)
