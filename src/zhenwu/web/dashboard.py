"""The leaders' dashboard (领导驾驶舱): where a unit and the units under it stand this month and this year.

Every figure comes from the apps' own services, for the user's scope, so that it agrees with the page
behind it. The cost is a fixed number of queries whatever the number of villages or records: cases are
counted and grouped in the database, projects and households aggregated there, and indicators for all
townships at once with their villages' values summed there.

It ranks the units under the viewer for the month (`rankings`), worst first, on the figures the township
ranks on: 办结率 and 按期办结率 by the rule of the monthly ranking (`cases.services.ranked`), and the
indicators' pace against time progress (`indicators.services.Pace`). docs/figures.md states the rules.

The page and `GET /api/v1/dashboard` are made from one build (`rendered`): its HTML and its data are kept
together, so that within the minutes a count is kept both read that count, and a recount asked for by
either renews both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from zhenwu import replicas
from zhenwu.cases import services as cases
from zhenwu.core.numbers import format_fixed, format_plain
from zhenwu.core.periods import Period
from zhenwu.core.progress import Direction, Status, last_places, percent_of, rank_competition
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
LAST_PLACES = 3  # 末三位

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
    behind_codes: list[str] = field(default_factory=list)  # of every indicator behind, in the rows' order
    not_reported_codes: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class Placing:
    """One unit's line in the ranking of one figure."""

    unit: OrgUnit
    rank: int | None  # ties share a rank; None: listed but not ranked, `note` says why
    value: Decimal | None  # a rate in %, or for indicators their mean gap to time progress in points
    last_three: bool  # 末三位
    note: str = ""
    received: int | None = None  # cases received: what a rate is taken of
    paced: int | None = None  # indicators time progress applies to, and how many of them keep pace
    ahead: int | None = None


@dataclass(frozen=True)
class FigureRanking:
    """The units under the dashboard's unit ranked on one figure, worst first."""

    key: str  # resolution_rate | on_time_rate | indicators
    label: str
    child_kind: str
    placings: list[Placing]  # worst first; units not ranked after the ranked ones
    fallback: bool  # the current month had too little: the last full month is ranked, and the page says so
    span: str  # the month or months ranked, as the page names them ("11月", "1-10月")
    rule: str  # how the figure is ranked, in a sentence under the table
    why: str  # what made the current month too little, said when falling back
    start: date | None = None  # cases: received in [start, end], the whole month
    end: date | None = None
    period: Period | None = None  # indicators: the values of 1–M月

    @property
    def is_rate(self) -> bool:
        return self.period is None

    @property
    def note(self) -> str:
        return f"本月数据尚少，排名按{self.span}（{self.why}）" if self.fallback else ""

    @property
    def ranked_count(self) -> int:
        return sum(1 for p in self.placings if p.rank is not None)

    @property
    def last_three(self) -> list[Placing]:
        return [p for p in self.placings if p.last_three]


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
    rankings: list[FigureRanking] = field(default_factory=list)  # of the units under `unit`

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
            behind_codes=[code for s in self.indicators for code in s.behind_codes],
            not_reported_codes=[code for s in self.indicators for code in s.not_reported_codes],
        )

    @property
    def child_kind_label(self) -> str:
        return OrgKind(self.child_kind).label if self.child_kind else ""


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    data: dict[str, Any]  # what `GET /api/v1/dashboard` answers, from the same build as `html`
    built_at: datetime
    # Seconds the read replica the figures came from was behind the primary; None: read on the primary.
    replica_lag: float | None = None

    @property
    def replica_age(self) -> int | None:
        """How old the figures were when read, as the page says it ("约N秒前"); None from the primary."""
        return replicas.age_seconds(self.replica_lag)


def rendered(user: Any, unit: OrgUnit, *, fresh: bool = False) -> Rendered:
    """The dashboard of `unit` as HTML and as data, kept a few minutes for everyone who sees the same records.

    A county's year-to-date counts read hundreds of thousands of cases and each township's indicators
    its villages' values: a second or so of work, which every leader opening the page would otherwise
    repeat. The page says when its figures were made and offers a recount (`fresh`). The API reads the
    same kept build rather than building afresh: a leader comparing the page with a client's screen
    must not find two counts a few minutes apart, and a county's API client must not cost a recount a call.
    """
    # "v2": values kept before the data joined the HTML have none, and must not be read as if they had.
    key = f"dashboard:v2:{scope.scope_key(user)}:{unit.pk}:{timezone.localdate().isoformat()}"
    kept = None if fresh else cache.get(key)
    if kept is None:
        board = build(user, unit)
        html = render_to_string("web/dashboard_body.html", body_context(board))
        kept = Rendered(html, as_data(board), timezone.now(), replicas.replica_lag())
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
    month = cases.case_counts(user, unit, month_start, today, now=now, children=children)
    by_township = _progress_by_township(user, unit, children, period, today)
    ranked_indicators = indicator_ranking(user, unit, children, period, today, by_township)
    return Dashboard(
        unit=unit,
        today=today,
        month_start=month_start,
        year_start=year_start,
        period=period,
        child_kind=child_kind,
        children=children,
        indicators=indicator_standings(user, unit, children, period, today, by_township),
        cases=CaseStanding(
            month=month,
            year=cases.case_counts(user, unit, year_start, today, now=now, children=[]),
        ),
        projects=projects.project_summary(user, unit, period, today),
        households=HouseholdStanding(
            by_state=households.monitoring_by_state(user, unit),
            new_this_month=households.new_monitored(user, month_start, today, unit),
            new_this_year=households.new_monitored(user, year_start, today, unit),
            unvisited=households.unvisited_monitored(user, month_start, unit).count(),
        ),
        rankings=[
            *case_rankings(user, unit, children, month, today, now),
            *([ranked_indicators] if ranked_indicators else []),
        ],
    )


def _progress_by_township(
    user: Any, unit: OrgUnit, children: list[OrgUnit], period: Period, today: date
) -> dict[int, list[ProgressRow]] | None:
    """Each township's indicator rows: a county's townships', or a township's own; None below a township."""
    if unit.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP):
        return None
    townships = children if unit.kind == OrgKind.COUNTY else [unit]
    return indicators.progress_by_township(user, townships, period, today=today)


def indicator_standings(
    user: Any,
    unit: OrgUnit,
    children: list[OrgUnit],
    period: Period,
    today: date,
    by_township: dict[int, list[ProgressRow]] | None = None,
) -> list[IndicatorStanding]:
    """A township or village: its own indicators. A county has no catalog of its own: each township's."""
    if unit.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP):
        return [standing(unit, period, indicators.progress_for_unit(user, unit, period, today=today))]
    townships = children if unit.kind == OrgKind.COUNTY else [unit]
    rows = (
        by_township if by_township is not None else _progress_by_township(user, unit, children, period, today)
    )
    assert rows is not None
    return [standing(t, period, rows[t.pk]) for t in townships]


# --- rankings -------------------------------------------------------------------------------------


def case_rankings(
    user: Any, unit: OrgUnit, children: list[OrgUnit], month: cases.CountReport, today: date, now: datetime
) -> list[FigureRanking]:
    """The units under `unit` ranked on 办结率 and on 按期办结率 by the monthly ranking's rule, from the
    month's counts the dashboard already has.

    The month is the current one while it has enough to rank (`cases.Ranking.enough`: half of the units
    with the minimum of cases). When it has too little, as early in a month, the last full month is
    ranked instead: a ranking of the few units with ten cases by the 2nd would leave out most of them.
    """
    if not children:
        return []
    start, end = cases.month_of(today)
    league = cases.ranked(unit, start, end, children[0].kind, month.by_child)
    fallback = not league.enough
    if fallback:
        start, end = cases.month_of(start - timedelta(days=1))
        earlier = cases.case_counts(user, unit, start, end, now=now, children=children)
        league = cases.ranked(unit, start, end, children[0].kind, earlier.by_child)
    span = f"{start.month}月" if start.year == today.year else f"{start.year}年{start.month}月"
    why = f"本月收件达{league.minimum}件的{OrgKind(league.child_kind).label}不足一半"
    return [
        _rate_ranking(league, rate, label, fallback, span, why) for rate, label in cases.RANKED_RATES.items()
    ]


def _rate_ranking(
    league: cases.Ranking[cases.Counts], rate: str, label: str, fallback: bool, span: str, why: str
) -> FigureRanking:
    ranks = league.ranks(rate)
    marked = last_places(ranks.items(), LAST_PLACES)
    placings = [
        Placing(
            unit=r.unit,
            rank=ranks[r.unit.path],
            value=getattr(r.figures, rate),
            last_three=r.unit.path in marked,
            note=""
            if ranks[r.unit.path] is not None
            else f"收件{r.figures.received}件，不足{league.minimum}件",
            received=r.figures.received,
        )
        for r in league.ranked + league.too_few
    ]
    return FigureRanking(
        key=rate,
        label=label,
        child_kind=league.child_kind,
        placings=_worst_first(placings),
        fallback=fallback,
        span=span,
        rule=f"按{label}排名，并列同名次；当月收件不足{league.minimum}件的单元列出，不参与排名。",
        why=why,
        start=league.start,
        end=league.end,
    )


def indicator_ranking(
    user: Any,
    unit: OrgUnit,
    children: list[OrgUnit],
    period: Period,
    today: date,
    by_township: dict[int, list[ProgressRow]] | None,
) -> FigureRanking | None:
    """A county's townships or a township's villages ranked on their indicators' pace against time
    progress (`indicators.services.Pace`), of the latest month whose values are due: until the 5th,
    the month before the latest complete one, whose values are all in."""
    if unit.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP) or not children:
        return None
    ranked_period, fallback = indicators.due_period(today)
    if unit.kind == OrgKind.COUNTY:
        rows = by_township
        if rows is None or ranked_period != period:
            rows = indicators.progress_by_township(user, children, ranked_period, today=today)
        paces = [indicators.pace(t, ranked_period, rows[t.pk]) for t in children]
    else:
        paces = indicators.village_paces(user, unit, children, ranked_period, today=today)
    ranks = dict(rank_competition((p.unit.path, p.points) for p in paces))
    marked = last_places(ranks.items(), LAST_PLACES)
    placings = [
        Placing(
            unit=p.unit,
            rank=ranks[p.unit.path],
            value=p.points,
            last_three=p.unit.path in marked,
            note="" if p.points is not None else "无可比指标",
            paced=p.paced,
            ahead=p.ahead,
        )
        for p in paces
    ]
    same_year = ranked_period.year == today.year
    latest = Period.latest_complete(today)
    deadline = latest.entry_deadline(indicators.ENTRY_DEADLINE_DAY)
    return FigureRanking(
        key="indicators",
        label="指标完成",
        child_kind=children[0].kind,
        placings=_worst_first(placings),
        fallback=fallback,
        span=ranked_period.label if same_year else ranked_period.full_label,
        rule=(
            "有年度任务、按序时考核的指标，逐项取较序时进度的百分点（超出部分每项最多计"
            f"{format_plain(indicators.AHEAD_CAP_POINTS)}个百分点，未报的按未完成计），平均后排名，并列同名次；"
            "没有这类指标的单元列出，不参与排名。"
        ),
        why=f"{latest.month}月数据{deadline.month}月{deadline.day}日前报送",
        period=ranked_period,
    )


def _worst_first(placings: list[Placing]) -> list[Placing]:
    """The ranked from the last up (a tie in the order of the units' paths), then those not ranked."""
    ranked = sorted((p for p in placings if p.rank is not None), key=lambda p: (-(p.rank or 0), p.unit.path))
    return ranked + [p for p in placings if p.rank is None]


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
        behind_codes=[r.indicator.code for r in behind],
        not_reported_codes=[r.indicator.code for r in rows if r.status == Status.NOT_REPORTED],
    )


def _shortfall(row: ProgressRow) -> Decimal:
    """How far behind time progress, in points, in the direction bad for the indicator."""
    points = row.progress.gap_points or Decimal(0)
    return -points if row.indicator.direction == Direction.HIGHER else points


# --- as data: what `GET /api/v1/dashboard` answers ------------------------------------------------


def as_data(board: Dashboard) -> dict[str, Any]:
    """The figures the page shows, for an API client: counts as numbers, decimals as strings written
    plainly, percentages and points at one decimal (docs/figures.md)."""
    return {
        "org": _org(board.unit),
        "periods": {
            "today": board.today.isoformat(),
            "month": {"start": board.month_start.isoformat(), "end": board.today.isoformat()},
            "year": {"start": board.year_start.isoformat(), "end": board.today.isoformat()},
            "indicators": board.period.key,
        },
        "indicators": _indicator_data(board),
        "cases": {"month": _count_data(board.cases.month), "year": _count_data(board.cases.year)},
        "projects": _project_data(board),
        "households": _household_data(board.households),
        "ranking": {
            "child_kind": board.child_kind if board.rankings else None,
            "figures": [_ranking_data(f) for f in board.rankings],
        },
    }


def _org(unit: OrgUnit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def _one_decimal(value: Decimal | None) -> str | None:
    return None if value is None else format_fixed(value, 1)


def _status_counts(s: IndicatorStanding) -> dict[str, int]:
    return {
        Status.AHEAD.value: s.on_schedule,
        Status.BEHIND.value: s.behind,
        Status.NO_TIME_PROGRESS.value: s.no_time_progress,
        Status.NOT_REPORTED.value: s.not_reported,
    }


def _indicator_data(board: Dashboard) -> dict[str, Any]:
    total = board.indicator_total
    if total is None:  # a county without townships
        total = IndicatorStanding(board.unit, board.period, 0, 0, 0, 0, worst=[], partial=[])
    return {
        "period": board.period.key,
        "status_counts": _status_counts(total),
        "tolerance_points": _one_decimal(total.tolerance_points),
        "behind": total.behind_codes,
        "not_reported": total.not_reported_codes,
        "partial": [row.indicator.code for row in total.partial],
        "worst": [
            {
                "org": row.org_unit.code,
                "code": row.indicator.code,
                "name": row.indicator.name,
                "completion": _one_decimal(row.progress.completion_percent),
                "time_progress": _one_decimal(row.progress.time_progress_percent),
                "gap_points": _one_decimal(row.progress.gap_points),
                "partial": row.partial,
            }
            for row in total.worst
        ],
        "by_township": [
            {
                "org": s.unit.code,
                "name": s.unit.name,
                "status_counts": _status_counts(s),
                "tolerance_points": _one_decimal(s.tolerance_points),
                "behind": s.behind_codes,
                "not_reported": s.not_reported_codes,
            }
            for s in board.indicators
            if s.unit.kind == OrgKind.TOWNSHIP
        ],
    }


def _count_data(report: cases.CountReport) -> dict[str, Any]:
    c = report.total
    return {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "received": c.received,
        "resolved": c.resolved,
        "on_time": c.on_time,
        "overdue": c.overdue,
        "resolution_rate": _one_decimal(c.resolution_rate),
        "on_time_rate": _one_decimal(c.on_time_rate),
    }


def _project_data(board: Dashboard) -> dict[str, Any]:
    p = board.projects
    return {
        "period": board.period.key,
        "by_stage": dict(p.by_stage),
        "overdue_milestones": p.overdue_milestones,
        "planned_investment": format_plain(p.planned_investment, 2),
        "completed_investment": format_plain(p.completed_investment, 2),
        "completion": _one_decimal(percent_of(p.completion)),
        "time_progress": _one_decimal(percent_of(p.time_progress)),
    }


def _household_data(h: HouseholdStanding) -> dict[str, Any]:
    return {
        "by_state": dict(h.by_state),
        "new_this_month": {"households": h.new_this_month.households, "people": h.new_this_month.people},
        "new_this_year": {"households": h.new_this_year.households, "people": h.new_this_year.people},
        "unvisited": h.unvisited,
    }


def _ranking_data(f: FigureRanking) -> dict[str, Any]:
    return {
        "key": f.key,
        "label": f.label,
        "unit": "%" if f.is_rate else "个百分点",
        "span": f.span,
        "start": f.start.isoformat() if f.start else None,
        "end": f.end.isoformat() if f.end else None,
        "period": f.period.key if f.period else None,
        "fallback": f.fallback,
        "note": f.note,
        "rule": f.rule,
        "rows": [
            {
                "rank": p.rank,
                "org": p.unit.code,
                "name": p.unit.name,
                "value": _one_decimal(p.value),
                "last_three": p.last_three,
                "note": p.note,
                "received": p.received,
                "paced": p.paced,
                "ahead": p.ahead,
            }
            for p in f.placings
        ],
    }
