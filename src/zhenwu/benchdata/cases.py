"""Years of cases across every grid, each with its events, in states that agree with their times.

Types, categories and deadlines are the installed catalog's (cases.catalog); routing follows
cases.services: a grid event is handled at its level's unit, other types by the township office that
takes them in. Most cases are resolved within the deadline, one in eight late, a few stall (overdue),
the newest are still open, a few are rejected or merged into an earlier report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from zhenwu.cases.demo import DISCLOSURE_TEXTS, HAZARD_TEXTS, HOTLINE_TEXTS, PETITION_TEXTS, TEXTS, TYPE_SHARE
from zhenwu.cases.models import Case, CaseCategory, CaseEvent, CaseType, Channel
from zhenwu.cases.services import end_of_day
from zhenwu.cases.states import State
from zhenwu.core.workdays import DayCount, WorkCalendar
from zhenwu.org.models import county_code_of

from .scale import Clock
from .sink import Row, Sink
from .tree import County, Township, Unit

CASE_COLUMNS = [
    "id", "case_type_id", "category_id", "title", "description", "org_unit_id", "county_code", "place",
    "latitude", "longitude", "level", "handling_unit_id", "handling_department_id", "assignee_id", "state",
    "channel", "reported_by_id", "reporter_name", "reporter_phone", "external_number", "source",
    "received_at", "acceptance_deadline", "deadline", "extended", "accepted_at", "resolved_at",
    "resolved_by_id", "verified_at", "resolution", "duplicate_of_id", "version",
]  # fmt: skip
EVENT_COLUMNS = [
    "id",
    "case_id",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_name",
    "at",
    "note",
    "details",
]
OPEN_WEIGHTS = {State.REPORTED: 10, State.ACCEPTED: 15, State.ASSIGNED: 30, State.IN_PROGRESS: 45}
CHANNELS = {"grid_event": Channel.GRID_APP, "hotline": Channel.HOTLINE, "petition": Channel.VISIT}
SURNAMES = "张王李赵刘陈杨黄周吴"
RESOLUTIONS = ["已现场处置，问题解决。", "已协调相关单位整改到位。", "已答复反映人，当事人表示满意。"]
OTHER_TEXTS = {"hazard": HAZARD_TEXTS, "hotline": HOTLINE_TEXTS, "petition": PETITION_TEXTS}
PRESSED = "12345 政务服务热线"


@dataclass
class Catalog:
    types: dict[str, CaseType]
    categories: dict[str, list[CaseCategory]]
    calendar: WorkCalendar


class Deadlines:
    """Deadline arithmetic of cases.services, remembered per day: a million cases share ~1,100 days."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.cache: dict[tuple[date, int, str], datetime] = {}

    def after(self, received: datetime, days: int, count: str) -> datetime:
        key = (timezone.localdate(received), days, count)
        if key not in self.cache:
            self.cache[key] = end_of_day(self.calendar.add_days(key[0], days, DayCount(count)))
        return self.cache[key]


@dataclass
class _Case:
    """A case being drawn: its row's values, then its events."""

    id: int
    case_type: CaseType
    category: CaseCategory
    grid: Unit
    level: int
    handling: Unit
    department: int | None
    received: datetime
    deadline: datetime
    state: State = State.REPORTED
    accepted: datetime | None = None
    resolved: datetime | None = None
    verified: datetime | None = None
    escalated: bool = False
    duplicate_of: int | None = None
    resolution: str = ""


def generate(
    sink: Sink, clock: Clock, county: County, catalog: Catalog, per_township: int, seed: int
) -> None:
    deadlines = Deadlines(catalog.calendar)
    for township in county.townships:
        _Township(
            sink, clock, township, catalog, deadlines, random.Random(f"{seed}:cases:{township.number}")
        ).run(per_township)


class _Township:
    def __init__(
        self,
        sink: Sink,
        clock: Clock,
        township: Township,
        catalog: Catalog,
        deadlines: Deadlines,
        rng: random.Random,
    ) -> None:
        self.sink, self.clock, self.township, self.catalog, self.deadlines, self.rng = (
            sink,
            clock,
            township,
            catalog,
            deadlines,
            rng,
        )
        self.grids = township.grids
        # Some grids are busy (a market street), some quiet: rankings then have units on both sides.
        self.weights = [rng.uniform(0.15, 3.0) for _ in self.grids]
        self.village_of = {g.id: v.unit for v in township.villages for g in v.grids}
        self.type_codes = list(TYPE_SHARE)
        self.type_weights = list(TYPE_SHARE.values())
        self.office_staff = {i: township.office_staff[code] for code, i in township.departments.items()}

    def run(self, count: int) -> None:
        rng, span = self.rng, (self.clock.now - self.clock.start).total_seconds()
        # More cases lately: a platform in growing use.
        ages = sorted((span * (1 - rng.random() ** 0.8) for _ in range(count)), reverse=True)
        ids = self.sink.ids(Case, count)
        drawn = [
            self._draw(case_id, self.clock.now - timedelta(seconds=age))
            for case_id, age in zip(ids, ages, strict=True)
        ]
        self._merge_some(drawn)
        self.sink.write(Case, CASE_COLUMNS, (self._row(c) for c in drawn))
        events = [e for c in drawn for e in self._events(c)]
        first = self.sink.ids(CaseEvent, len(events)).start
        self.sink.write(CaseEvent, EVENT_COLUMNS, ((first + n, *e) for n, e in enumerate(events)))

    def _draw(self, case_id: int, received: datetime) -> _Case:
        rng = self.rng
        type_code = rng.choices(self.type_codes, self.type_weights)[0]
        case_type = self.catalog.types[type_code]
        grid = rng.choices(self.grids, self.weights)[0]
        level = rng.choices([1, 2, 3], [55, 35, 10])[0] if case_type.has_levels else 3
        handling, department = self._handling(case_type, grid, level)
        days = case_type.deadline_days or rng.choice([3, 5, 10])  # a hotline ticket's days are set per ticket
        case = _Case(
            case_id,
            case_type,
            rng.choice(self.catalog.categories[type_code]),
            grid,
            level,
            handling,
            department,
            received,
            self.deadlines.after(received, days, case_type.deadline_count),
        )
        self._settle(case)
        return case

    def _handling(self, case_type: CaseType, grid: Unit, level: int) -> tuple[Unit, int | None]:
        if level == 1:
            return grid, None
        if level == 2:
            return self.village_of[grid.id], None
        return self.township.unit, self.township.departments.get(case_type.intake_department_code)

    def _settle(self, case: _Case) -> None:
        """Move the case along its life as far as its age makes likely."""
        rng, now = self.rng, self.clock.now
        roll = rng.random()
        if roll < 0.025:
            case.state, case.resolution = State.REJECTED, "经核实不属于受理范围，已告知反映人。"
            return
        allowed = case.deadline - case.received
        late = rng.random() < 0.125
        resolve_after = allowed * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.05, 0.95))
        case.accepted = case.received + min(timedelta(hours=rng.uniform(0.5, 20)), resolve_after * 0.2)
        stuck = rng.random() < 0.03  # these make the overdue list
        if case.received + resolve_after < now and not stuck:
            case.resolved = case.received + resolve_after
            case.resolution = rng.choice(RESOLUTIONS)
            verified = case.resolved + timedelta(hours=rng.uniform(2, 60))
            case.state = State.RESOLVED
            if verified < now and ((now - case.resolved).days > 3 or rng.random() < 0.6):
                case.state, case.verified = State.VERIFIED, verified
            return
        if case.accepted >= now:
            case.accepted = None
            return
        if case.level < 3 and rng.random() < 0.08:
            self._escalate(case)
            return
        case.state = rng.choices(list(OPEN_WEIGHTS), list(OPEN_WEIGHTS.values()))[0]
        if case.state == State.REPORTED:
            case.accepted = None

    def _escalate(self, case: _Case) -> None:
        """Beyond the lower unit: handed up one level, waiting there to be accepted."""
        case.level += 1
        case.handling, case.department = self._handling(case.case_type, case.grid, case.level)
        case.state, case.accepted, case.escalated = State.ESCALATED, None, True

    def _merge_some(self, drawn: list[_Case]) -> None:
        """About one report in three hundred repeats an earlier one in the same grid and is merged into it."""
        last_in_grid: dict[int, _Case] = {}
        for case in drawn:
            earlier = last_in_grid.get(case.grid.id)
            if earlier and earlier.case_type == case.case_type and self.rng.random() < 0.01:
                case.state, case.duplicate_of = State.MERGED, earlier.id
                case.accepted = case.resolved = case.verified = None
                case.category, case.resolution = earlier.category, ""
                continue
            last_in_grid[case.grid.id] = case

    def _handler(self, case: _Case) -> int | None:
        if case.department is not None:
            return self.office_staff[case.department]
        return self.township.grid_workers.get(case.handling.id) or self.township.village_staff.get(
            case.handling.id
        )

    def _text(self, case: _Case) -> str:
        code = case.case_type.code
        if code == "grid_event":
            return self.rng.choice(TEXTS.get(case.category.code.split("-", 1)[1], TEXTS["other"]))
        return self.rng.choice(OTHER_TEXTS.get(code, DISCLOSURE_TEXTS))

    def _row(self, case: _Case) -> Row:
        rng, code = self.rng, case.case_type.code
        text = self._text(case)
        handler = self._handler(case) if case.state not in (State.REPORTED, State.ESCALATED) else None
        reporter = self.township.grid_workers.get(case.grid.id) if code == "grid_event" else None
        acceptance = (
            self.deadlines.after(case.received, case.case_type.acceptance_days, DayCount.CALENDAR)
            if case.case_type.acceptance_days
            else None
        )
        return (
            case.id,
            case.case_type.pk,
            case.category.pk,
            text[:30],
            f"{case.grid.name}：{text}。",
            case.grid.id,
            county_code_of(self.township.unit.path),
            f"{self.village_of[case.grid.id].name}{rng.randint(1, 9)}组",
            None,
            None,
            case.level,
            case.handling.id,
            case.department,
            handler,
            case.state.value,
            CHANNELS.get(code, Channel.WEB).value,
            reporter,
            rng.choice(SURNAMES) + rng.choice(["某", "先生", "女士"]),
            "",
            f"12345-{rng.randrange(10**7):07d}" if code == "hotline" else "",
            PRESSED if code == "hotline" else "",
            case.received,
            acceptance,
            case.deadline,
            False,
            case.accepted,
            case.resolved,
            handler if case.resolved else None,
            case.verified,
            case.resolution,
            case.duplicate_of,
            1,
        )

    def _events(self, case: _Case) -> list[Row]:
        """(case, action, from, to, actor, actor name, at, note, details) from report to the case's state."""
        handler = self._handler(case)
        name = self.township.names.get(handler, case.handling.name) if handler else case.handling.name
        at = case.received
        events: list[Row] = [(case.id, "report", "", State.REPORTED.value, None, "群众", at, "", "{}")]

        def step(action: str, before: State, after: State, moment: datetime, note: str = "") -> None:
            events.append((case.id, action, before.value, after.value, handler, name, moment, note, "{}"))

        if case.state == State.REJECTED:
            step(
                "reject",
                State.REPORTED,
                State.REJECTED,
                min(at + timedelta(hours=6), self.clock.now),
                case.resolution,
            )
        elif case.state == State.MERGED:
            step(
                "merge",
                State.REPORTED,
                State.MERGED,
                at + (self.clock.now - at) * 0.01,
                "与前一报告为同一事件",
            )
        elif case.state == State.ESCALATED:
            step(
                "escalate",
                State.REPORTED,
                State.ESCALATED,
                at + (self.clock.now - at) * 0.1,
                "超出处置能力，上报升级",
            )
        elif case.accepted is not None:
            self._chain(case, step)
        return events

    def _chain(self, case: _Case, step: object) -> None:
        assert case.accepted is not None and callable(step)
        span = (case.resolved or self.clock.now) - case.accepted
        chain = [
            ("accept", State.ACCEPTED, case.accepted),
            ("assign", State.ASSIGNED, case.accepted + span * 0.1),
            ("start", State.IN_PROGRESS, case.accepted + span * 0.25),
            ("resolve", State.RESOLVED, case.resolved),
            ("verify", State.VERIFIED, case.verified),
        ]
        before = State.REPORTED
        for action, after, moment in chain:
            if moment is None:
                break
            step(action, before, after, moment, case.resolution if action == "resolve" else "")
            before = after
            if after == case.state:
                break
