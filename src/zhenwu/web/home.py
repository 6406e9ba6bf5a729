"""What each role's home page shows: its own work, read from the apps' services, never a panel of zeros
for something the role does not do.

Leaders and the township admin lead (领导驾驶舱); an office sees its indicators to fill and the cases
assigned to it; village staff their village's open cases and the households to visit; a grid worker the
quick report and their grid's open events; the county viewer the county's overview. Everyone who acts
has the to-do list (notifications/todo.py) at the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from zhenwu.cases import services as cases
from zhenwu.cases.models import Case
from zhenwu.core.periods import Period
from zhenwu.households import todo as households_todo
from zhenwu.indicators import todo as indicators_todo
from zhenwu.indicators.models import Indicator
from zhenwu.notifications.todo import TodoItem
from zhenwu.org import scope
from zhenwu.org.models import Role

OPEN_CASES_SHOWN = 10


@dataclass
class Home:
    title: str
    leads: bool = False  # the 领导驾驶舱 button
    overview: bool = False  # the county's overview (a viewer's dashboard)
    quick_report: bool = False
    open_cases: list[Case] = field(default_factory=list)
    open_case_count: int = 0
    cases_heading: str = ""
    cases_query: str = ""
    indicators_due: list[Indicator] = field(default_factory=list)
    period: Period | None = None
    visits_due: list[TodoItem] = field(default_factory=list)


def home_for(user: Any) -> Home:
    role = user.role
    if scope.sees_everything(user) or role in (Role.TOWNSHIP_LEADER, Role.TOWNSHIP_ADMIN):
        return Home(title="领导驾驶舱", leads=True)
    if role == Role.COUNTY_VIEWER:
        return Home(title="全县概况", overview=True)
    if role == Role.DEPARTMENT_STAFF:
        period = Period.latest_complete(timezone.localdate())
        home = Home(
            title=f"{user.department.name}工作",
            indicators_due=indicators_todo.missing_indicators(user, period),
            period=period,
        )
        query = "state=open&my_office=on"
        return _with_cases(home, user, "交办本站所的事件", query, department=user.department)
    if role == Role.VILLAGE_STAFF:
        period = Period.latest_complete(timezone.localdate())
        home = Home(
            title="本村工作",
            indicators_due=indicators_todo.missing_indicators(user, period),
            period=period,
            visits_due=households_todo.visits_due(user, timezone.now()),
        )
        return _with_cases(home, user, "本村未办结事件", "state=open")
    if role == Role.GRID_WORKER:
        home = Home(
            title="我的网格",
            quick_report=cases.may_report(user),
            visits_due=households_todo.visits_due(user, timezone.now()),
        )
        return _with_cases(home, user, "本网格未办结事件", "state=open")
    return Home(title="首页")


def _with_cases(home: Home, user: Any, heading: str, query: str, **narrower: Any) -> Home:
    """The open cases in the user's scope, filtered as the case list filters them for `query`."""
    open_cases = cases.filter_cases(cases.cases_for(user), cases.CaseFilter(state="open", **narrower))
    home.open_case_count = open_cases.count()
    home.open_cases = list(open_cases.order_by("-received_at")[:OPEN_CASES_SHOWN])
    home.cases_heading = heading
    home.cases_query = query
    return home
