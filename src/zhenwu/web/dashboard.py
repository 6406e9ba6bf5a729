"""The leaders' dashboard (领导驾驶舱): where a unit and the units under it stand this month and this year.

Every figure comes from the apps' own services, for the user's scope, so that it agrees with the page
behind it. The cost is a fixed number of queries whatever the number of villages or records: cases are
counted and grouped in the database, projects and households aggregated there, and indicators for all
townships at once with their villages' values summed there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from zhenwu.cases import services as cases
from zhenwu.core.periods import Period
from zhenwu.core.progress import Direction, Status
from zhenwu.households import services as households
from zhenwu.households.models import MonitoringState
from zhenwu.indicators import services as indicators
from zhenwu.indicators.services import ProgressRow
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.org.services import units_of_kind_under
from zhenwu.projects import services as projects
from zhenwu.projects.models import Stage

WORST = 5

# The units a dashboard breaks its figures down by: a county by township, a township by village, a village
# by grid.
CHILD_KIND = {
    OrgKind.COUNTY: OrgKind.TOWNSHIP,
    OrgKind.TOWNSHIP: OrgKind.VILLAGE,
    OrgKind.VILLAGE: OrgKind.GRID,
}


@dataclass
class IndicatorStanding:
    """Indicators measured against time progress: how many keep pace, fall behind, cannot be paced or
    have no value, by each row's own status."""

    unit: OrgUnit
    period: Period
    on_schedule: int
    behind: int
    no_time_progress: int  # a stock or a rate, or no annual target
    not_reported: int
    worst: list[ProgressRow]
    partial: list[ProgressRow]  # totals some villages are missing from
    tolerance_points: Decimal = Decimal(0)

    @property
    def measured(self) -> int:
        return self.on_schedule + self.behind

    @property
    def total(self) -> int:
        return self.measured + self.no_time_progress + self.not_reported


@dataclass
class CaseStanding:
    month: cases.CountReport
    year: cases.CountReport


@dataclass
class HouseholdStanding:
    by_state: dict[str, int]
    new_this_month: households.HouseholdCount
    new_this_year: households.HouseholdCount
    unvisited: int  # under monitoring, not visited this month


@dataclass
class Dashboard:
    unit: OrgUnit
    today: date
    month_start: date
    year_start: date
    period: Period  # the latest complete month: indicators and investment are reported by month
    child_kind: str | None
    children: list[OrgUnit]
    indicators: list[IndicatorStanding]  # one per township of the scope (one for a township or village)
    cases: CaseStanding
    projects: projects.ProjectSummary
    households: HouseholdStanding

    @property
    def indicator_total(self) -> IndicatorStanding | None:
        """All townships' indicators together (a county), or the unit's own."""
        if not self.indicators:
            return None
        if len(self.indicators) == 1:
            return self.indicators[0]
        worst = sorted((r for s in self.indicators for r in s.worst), key=_shortfall, reverse=True)
        tolerances = {s.tolerance_points for s in self.indicators}
        return IndicatorStanding(
            unit=self.unit,
            period=self.period,
            on_schedule=sum(s.on_schedule for s in self.indicators),
            behind=sum(s.behind for s in self.indicators),
            no_time_progress=sum(s.no_time_progress for s in self.indicators),
            not_reported=sum(s.not_reported for s in self.indicators),
            worst=worst[:WORST],
            partial=[r for s in self.indicators for r in s.partial],
            # townships may set different tolerances: only one shared by all is stated for the total
            tolerance_points=tolerances.pop() if len(tolerances) == 1 else Decimal(0),
        )


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    built_at: datetime


def rendered(user: Any, unit: OrgUnit, *, fresh: bool = False) -> Rendered:
    """The dashboard of `unit` as HTML, kept a few minutes for everyone who sees the same records.

    A county's year-to-date counts read hundreds of thousands of cases and each township's indicators
    its villages' values: a second or so of work, which every leader opening the page would otherwise
    repeat. The page says when its figures were made and offers a recount (`fresh`).
    """
    key = f"dashboard:{scope.scope_key(user)}:{unit.pk}:{timezone.localdate().isoformat()}"
    kept = None if fresh else cache.get(key)
    if kept is None:
        html = render_to_string("web/dashboard_body.html", body_context(build(user, unit)))
        kept = Rendered(html, timezone.now())
        cache.set(key, kept, settings.DASHBOARD_CACHE_SECONDS)
    return kept


def body_context(board: Dashboard) -> dict[str, Any]:
    return {
        "board": board,
        "stages": [(value, label, board.projects.by_stage[value]) for value, label in Stage.choices],
        "states": [
            (value, label, board.households.by_state[value]) for value, label in MonitoringState.choices
        ],
    }


def build(user: Any, unit: OrgUnit, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    now = timezone.now()
    month_start, year_start = today.replace(day=1), date(today.year, 1, 1)
    period = Period.latest_complete(today)
    child_kind = CHILD_KIND.get(OrgKind(unit.kind))
    children = units_of_kind_under(user, unit, child_kind) if child_kind else []
    return Dashboard(
        unit=unit,
        today=today,
        month_start=month_start,
        year_start=year_start,
        period=period,
        child_kind=child_kind,
        children=children,
        indicators=indicator_standings(user, unit, children, period, today),
        cases=CaseStanding(
            month=cases.case_counts(user, unit, month_start, today, now=now, children=children),
            year=cases.case_counts(user, unit, year_start, today, now=now, children=[]),
        ),
        projects=projects.project_summary(user, unit, period, today),
        households=HouseholdStanding(
            by_state=households.monitoring_by_state(user, unit),
            new_this_month=households.new_monitored(user, month_start, today, unit),
            new_this_year=households.new_monitored(user, year_start, today, unit),
            unvisited=households.unvisited_monitored(user, month_start, unit).count(),
        ),
    )


def indicator_standings(
    user: Any, unit: OrgUnit, children: list[OrgUnit], period: Period, today: date
) -> list[IndicatorStanding]:
    """A township or village: its own indicators. A county has no catalog of its own: each township's."""
    if unit.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP):
        return [standing(unit, period, indicators.progress_for_unit(user, unit, period, today=today))]
    townships = children if unit.kind == OrgKind.COUNTY else [unit]
    rows = indicators.progress_by_township(user, townships, period, today=today)
    return [standing(t, period, rows[t.pk]) for t in townships]


def standing(unit: OrgUnit, period: Period, rows: list[ProgressRow]) -> IndicatorStanding:
    by_status = Counter(r.status for r in rows)
    behind = [r for r in rows if r.status == Status.BEHIND]
    township = unit.township() if unit.kind != OrgKind.COUNTY else None
    return IndicatorStanding(
        unit=unit,
        period=period,
        on_schedule=by_status[Status.AHEAD],
        behind=by_status[Status.BEHIND],
        no_time_progress=by_status[Status.NO_TIME_PROGRESS],
        not_reported=by_status[Status.NOT_REPORTED],
        worst=sorted(behind, key=_shortfall, reverse=True)[:WORST],
        partial=[r for r in rows if r.rolled_up and r.partial],
        tolerance_points=indicators.tolerance_points(township) if township else Decimal(0),
    )


def _shortfall(row: ProgressRow) -> Decimal:
    """How far behind time progress, in points, in the direction bad for the indicator."""
    points = row.progress.gap_points or Decimal(0)
    return -points if row.indicator.direction == Direction.HIGHER else points
