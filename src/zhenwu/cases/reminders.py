"""The case engine's scheduled work: deadline reminders, automatic escalation of overdue cases, and
reminders of resolved cases waiting for verification. One function per job (`tasks.py` runs them); each
takes the moment it runs for and returns a one-line summary in Chinese.

Every job is idempotent. A reminder is a notification keyed by what it is about and for when (the case
and its deadline, or its resolution), made once per recipient and key; an escalation claims the case by
its version and its event names the rule, so no rule escalates a case twice, and the notifications of an
escalation are written in the escalation's own transaction: a worker killed in the middle leaves each
case either escalated and told, or untouched for the next run.

Each scan reads only the cases that can be due: open cases with a deadline in a window (the index
`case_state_deadline_place`), cases imported lately (`case_imported`), or resolved cases resolved in a
window; in batches, each batch with its related rows, people and existing reminders read at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from zhenwu.core.workdays import WorkCalendar
from zhenwu.notifications.models import Kind, Notification
from zhenwu.notifications.services import Message, notify
from zhenwu.org.models import OrgKind, OrgUnit, Role, User
from zhenwu.workcalendar.services import work_calendar

from . import services
from .models import Case, CaseEvent, EscalationRule
from .services import LEVEL_KIND, end_of_day
from .states import State

# Cases are read this many at a time, with their relations and people (a few hundred kB per batch).
BATCH = 500
# How far back the escalation and verification scans look: a case that became due longer ago than this
# (the job was down for weeks, or a rule was added since) is left to people. Rules reach at most
# MAX_OVERDUE_DAYS working days, about six weeks; this leaves as much again for an outage.
LOOKBACK = timedelta(days=90)
# The roles that act for a unit day to day; leaders supervise and are not reminded of each case.
ON_DUTY = {Role.TOWNSHIP_ADMIN, Role.DEPARTMENT_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER}
# A case's handling unit and the units above it up to the township (a microgrid's is three up).
CASE_RELATIONS = [
    "case_type",
    "handling_unit__parent__parent__parent",
    "handling_department",
    "assignee",
    "resolved_by",
]


# --- working days ---------------------------------------------------------------------------------


def calendar_around(now: datetime) -> WorkCalendar:
    today = timezone.localdate(now)
    return work_calendar(today - LOOKBACK, today + timedelta(days=31))


def working_days_after(moment: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The same time of day `days` working days after `moment` (a deadline at 23:59 on Monday, two
    working days on: 23:59 on Wednesday; from a Saturday, two working days on is Tuesday)."""
    local = timezone.localtime(moment)
    day = calendar.add_working_days(local.date(), days)
    return timezone.make_aware(datetime.combine(day, local.time()))


def reminder_horizon(now: datetime, calendar: WorkCalendar) -> datetime:
    """The end of the next working day: a case due before it is due within one working day (on Friday, a
    case due by Monday night; on the eve of a week's holiday, a case due by the first day back)."""
    return end_of_day(calendar.add_working_days(timezone.localdate(now), 1))


# --- who is told ----------------------------------------------------------------------------------


def units_up(unit: OrgUnit) -> list[OrgUnit]:
    """`unit` and the units above it, up to its township (as loaded: no query)."""
    chain: list[OrgUnit] = []
    current: OrgUnit | None = unit
    while current is not None and current.kind != OrgKind.COUNTY:
        chain.append(current)
        current = None if current.kind == OrgKind.TOWNSHIP else current.parent
    return chain


class People:
    """The active on-duty accounts at some units, read in one query."""

    def __init__(self, units: Iterable[OrgUnit]) -> None:
        self.at: dict[int, list[User]] = defaultdict(list)
        ids = {unit.pk for unit in units}
        users = User.objects.filter(is_active=True, org_unit_id__in=ids, role__in=ON_DUTY)
        for user in users.select_related("org_unit").order_by("pk"):
            self.at[user.org_unit_id].append(user)

    def on_duty(self, case: Case, unit: OrgUnit, exclude: Sequence[int | None] = ()) -> list[User]:
        """Those who act for `case` at `unit`: its dispatchers there (services.is_dispatcher), narrowed at
        the township to the office holding the case, or the township admin when the office has nobody."""
        found = [u for u in self.at[unit.pk] if u.pk not in exclude and services.is_dispatcher(u, case)]
        if unit.kind != OrgKind.TOWNSHIP:
            return found
        office = [u for u in found if u.role == Role.DEPARTMENT_STAFF]
        return office or [u for u in found if u.role == Role.TOWNSHIP_ADMIN]

    def handling(self, case: Case, exclude: Sequence[int | None] = ()) -> list[User]:
        """The handling unit's people: those on duty there, or, where it has nobody (a village without an
        account), at the nearest unit above that has."""
        for unit in units_up(case.handling_unit):
            if found := self.on_duty(case, unit, exclude):
                return found
        return []


def units_of(cases: Iterable[Case]) -> list[OrgUnit]:
    return [unit for case in cases for unit in units_up(case.handling_unit)]


def case_link(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.pk])


def moment_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def handled_by(case: Case) -> str:
    office = f"·{case.handling_department.name}" if case.handling_department else ""
    person = f"，承办人{case.assignee}" if case.assignee else ""
    return f"{case.handling_unit.name}{office}{person}"


# --- scanning in batches --------------------------------------------------------------------------


def batches(ids: Sequence[int]) -> Iterator[list[Case]]:
    """The cases of `ids`, BATCH at a time, each with what the messages name."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        by_pk = Case.objects.select_related(*CASE_RELATIONS).in_bulk(chunk)
        yield [by_pk[pk] for pk in chunk if pk in by_pk]


def already_told(messages: Sequence[tuple[list[User], Message]]) -> set[tuple[int, str]]:
    """(recipient, key) of the reminders among `messages` made before: read at once for a batch, so that
    a second run asks nothing of `notify`."""
    keys = {message.key for _, message in messages}
    people = {user.pk for users, _ in messages for user in users}
    if not keys:
        return set()
    made = Notification.objects.filter(recipient_id__in=people, key__in=keys)
    return set(made.values_list("recipient_id", "key"))


@dataclass
class Told:
    cases: int = 0  # cases someone was told of in this run
    notifications: int = 0
    nobody: int = 0  # cases with nobody to tell (a township without an admin account)

    def add(self, made: int) -> None:
        if made:
            self.cases += 1
            self.notifications += made

    def summary(self, what: str, scanned: int) -> str:
        """提醒 3 人次(2 件事件)…, or why nobody was told."""
        if self.notifications:
            text = f"通知 {self.notifications} 人次({self.cases} 件{what})"
        elif scanned:
            text = f"{what} {scanned} 件，均已通知过"
        else:
            text = f"没有{what}"
        return text + (f"；{self.nobody} 件无人可通知，请检查账号设置" if self.nobody else "")


def tell(messages: Sequence[tuple[list[User], Message]], told: Told) -> None:
    """Send each message to those of its recipients who do not have it yet."""
    done = already_told(messages)
    for users, message in messages:
        if not users:
            told.nobody += 1
            continue
        new = [user for user in users if (user.pk, message.key) not in done]
        if new:
            told.add(notify(new, message))


# --- deadline reminders ---------------------------------------------------------------------------


def deadline_message(case: Case) -> Message:
    assert case.deadline is not None
    local = timezone.localtime(case.deadline)
    return Message(
        kind=Kind.DEADLINE,
        key=f"deadline:case:{case.pk}:{local:%Y%m%d%H%M}",
        title=f"事件 {case.number} 将于{moment_text(case.deadline)}到期",
        body=(
            f"{case.number} {case.title}({case.case_type.name}，{case.state_label})将于"
            f"{local:%Y年%m月%d日 %H:%M}到期，承办：{handled_by(case)}。请在期限内办结，或按规定申请延期。"
        ),
        link=case_link(case),
    )


def remind_deadlines(now: datetime) -> str:
    """办理期限提醒: every open case due within one working day (before the end of the next working day)
    → its assignee and the handling unit's people. Keyed by the deadline: an extended case is reminded
    again of its new deadline, a second run reminds nobody."""
    calendar = calendar_around(now)
    horizon = reminder_horizon(now, calendar)
    due = Case.objects.open().filter(deadline__gt=now, deadline__lte=horizon)
    ids = list(due.order_by("deadline", "pk").values_list("pk", flat=True))
    told = Told()
    for cases in batches(ids):
        people = People(units_of(cases))
        messages = []
        for case in cases:
            recipients = people.handling(case)
            if case.assignee is not None:
                recipients = [case.assignee, *recipients]
            messages.append((recipients, deadline_message(case)))
        tell(messages, told)
    return "到期提醒：" + told.summary(f"{moment_text(horizon)}前到期的事件", len(ids))


# --- automatic escalation -------------------------------------------------------------------------


def overdue_since(case: Case) -> datetime:
    """When the case began to count as overdue: its deadline, or its import if later (Case.overdue)."""
    assert case.deadline is not None
    return max(case.deadline, case.imported_at) if case.imported_at else case.deadline


def kinds_below(level: int) -> list[str]:
    order = [OrgKind.MICROGRID, OrgKind.GRID, OrgKind.VILLAGE, OrgKind.TOWNSHIP]
    return [kind.value for kind in order[: order.index(LEVEL_KIND[level])]]


def escalation_candidates(rules: Sequence[EscalationRule], now: datetime) -> list[int]:
    """The cases some rule may apply to: overdue now, of a rule's type and level, handled below the rule's
    level, that became overdue within LOOKBACK and at least the rule's days ago (calendar days, fewer
    than its working days: the exact count is made in Python). Two reads through two indexes: deadlines
    in the window, and cases imported in it."""
    since = now - LOOKBACK
    matching = Q(pk__in=[])
    for rule in rules:
        condition = Q(
            case_type_id=rule.case_type_id,
            handling_unit__kind__in=kinds_below(rule.to_level),
            deadline__lt=now - timedelta(days=rule.overdue_days),
        )
        if rule.from_level is not None:
            condition &= Q(level=rule.from_level)
        matching |= condition
    overdue = Case.objects.overdue(now).filter(matching).order_by()
    upper = now - timedelta(days=min(rule.overdue_days for rule in rules))
    by_deadline = overdue.filter(deadline__gte=since, deadline__lt=upper)
    by_import = overdue.filter(imported_at__gte=since, imported_at__lt=upper)
    ids = set(by_deadline.values_list("pk", flat=True)) | set(by_import.values_list("pk", flat=True))
    return sorted(ids)


def escalated_by(case_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(case, rule) of the escalations rules made of these cases."""
    events = CaseEvent.objects.filter(case_id__in=case_ids, action="escalate", actor__isnull=True)
    return {
        (case_id, details["rule"])
        for case_id, details in events.values_list("case_id", "details")
        if isinstance(details, dict) and "rule" in details
    }


@dataclass(frozen=True)
class Due:
    rule: EscalationRule
    unit: OrgUnit


def due_escalation(
    case: Case, rules: Sequence[EscalationRule], done: set[tuple[int, int]], now: datetime, cal: WorkCalendar
) -> Due | None:
    """The rule that escalates `case` now, if any: of those that apply and whose days have passed since
    the case became overdue and that have not escalated it before, the one going highest."""
    if not case.is_overdue(now):
        return None
    found: list[Due] = []
    for rule in rules:
        unit = services.rule_target(case, rule)
        if unit is None or (case.pk, rule.pk) in done:
            continue
        if now > working_days_after(overdue_since(case), rule.overdue_days, cal):
            found.append(Due(rule, unit))
    return max(found, key=lambda due: (due.rule.to_level, -due.rule.overdue_days), default=None)


def escalation_message(case: Case, rules: Sequence[EscalationRule], was: str) -> Message:
    last = rules[-1]
    return Message(
        kind=Kind.ESCALATION,
        key=f"escalation:case:{case.pk}:rule:{last.pk}",
        title=f"事件 {case.number} 超期{last.overdue_days}个工作日，已自动升级至{case.handling_unit.name}",
        body=(
            f"{case.number} {case.title}({case.case_type.name}){'；'.join(r.describe() for r in rules)}。"
            f"原承办：{was}；现承办：{handled_by(case)}。请及时受理。"
        ),
        link=case_link(case),
        urgent=True,
    )


def escalate(
    case: Case,
    due: Due,
    rules: Sequence[EscalationRule],
    done: set[tuple[int, int]],
    now: datetime,
    cal: WorkCalendar,
) -> list[EscalationRule]:
    """Escalate `case` by `due`, then by every further rule already due at the unit it reached (a case a
    week late goes from the grid to the township in one run, not by way of a village told for nothing),
    each step its own event. The rules applied; none when the case changed since it was read."""
    applied: list[EscalationRule] = []
    step: Due | None = due
    while step is not None and services.escalate_by_rule(case, step.rule, step.unit, now) is not None:
        applied.append(step.rule)
        done.add((case.pk, step.rule.pk))
        step = due_escalation(case, rules, done, now, cal)
    return applied


def escalate_overdue(now: datetime) -> str:
    """超期自动升级: each open case overdue by its type's rule escalates once per rule, through the case
    engine (services.escalate_by_rule), and the people of the unit it reaches are told, urgently."""
    rules = list(EscalationRule.objects.filter(active=True).select_related("case_type"))
    if not rules:
        return "没有启用的自动升级规则"
    calendar = calendar_around(now)
    ids = escalation_candidates(rules, now)
    escalated, stale, told = 0, 0, Told()
    for cases in batches(ids):
        done = escalated_by([case.pk for case in cases])
        due = {
            case.pk: found for case in cases if (found := due_escalation(case, rules, done, now, calendar))
        }
        people = People(units_of(cases))
        for case in cases:
            if case.pk not in due:
                continue
            was = handled_by(case)
            # The escalation and its notifications commit together: a run killed between them would
            # leave an escalated case nobody is told of, which no later run would find again.
            with transaction.atomic():
                applied = escalate(case, due[case.pk], rules, done, now, calendar)
                if not applied:
                    stale += 1
                    continue
                recipients = people.handling(case)
                if not recipients:
                    told.nobody += 1
                told.add(notify(recipients, escalation_message(case, applied, was)))
            escalated += 1
    if escalated:
        summary = f"自动升级 {escalated} 件超期事件，通知 {told.notifications} 人次"
    else:
        summary = f"没有需要自动升级的事件(查看超期事件 {len(ids)} 件)"
    if stale:
        summary += f"；{stale} 件正被他人处理，留待下次"
    if told.nobody:
        summary += f"；{told.nobody} 件升级后无人可通知，请检查账号设置"
    return summary


# --- verification reminders -----------------------------------------------------------------------


def verification_message(case: Case) -> Message:
    assert case.resolved_at is not None
    local = timezone.localtime(case.resolved_at)
    by = f"由{case.resolved_by}" if case.resolved_by else ""
    return Message(
        kind=Kind.VERIFICATION,
        key=f"verification:case:{case.pk}:{local:%Y%m%d%H%M}",
        title=f"事件 {case.number} 已办结超过{services.VERIFY_WORKING_DAYS}个工作日，待核查销号",
        body=(
            f"{case.number} {case.title}({case.case_type.name})于{local:%Y年%m月%d日 %H:%M}{by}办结，"
            f"办理结果：{case.resolution[:100]}。请现场核查后销号，未整改到位的重新办理。"
        ),
        link=case_link(case),
    )


def remind_verifications(now: datetime) -> str:
    """整改待核查: a case resolved more than VERIFY_WORKING_DAYS working days ago and not verified → those
    who may verify it (a dispatcher who neither resolved it nor was charged with it, at the handling unit
    or, when nobody there may, the nearest unit above). Keyed by the resolution: a case reopened and
    resolved again is reminded again."""
    calendar = calendar_around(now)
    resolved = Case.objects.filter(
        state=State.RESOLVED,
        resolved_at__gte=now - LOOKBACK,
        resolved_at__lt=now - timedelta(days=services.VERIFY_WORKING_DAYS),
    )
    ids = list(resolved.order_by("resolved_at", "pk").values_list("pk", flat=True))
    told, waiting = Told(), 0
    for cases in batches(ids):
        people = People(units_of(cases))
        messages = []
        for case in cases:
            assert case.resolved_at is not None
            if now <= working_days_after(case.resolved_at, services.VERIFY_WORKING_DAYS, calendar):
                continue
            waiting += 1
            verifiers = people.handling(case, exclude=(case.resolved_by_id, case.assignee_id))
            messages.append((verifiers, verification_message(case)))
        tell(messages, told)
    return "待核查提醒：" + told.summary(
        f"办结超过{services.VERIFY_WORKING_DAYS}个工作日未核查的事件", waiting
    )
