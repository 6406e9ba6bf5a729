"""The households' periodic jobs: thin declarations that call the app's services."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import services


# Every morning from the visits' due day: each recipient is told once a month, so a day missed is made up
# the next.
@periodic(
    "unvisited_households",
    "监测户本月未走访提醒",
    Schedule(minute="0", hour="9", day=f"{services.VISIT_DUE_DAY}-31"),
)
def unvisited_households(now: datetime) -> str:
    return services.remind_unvisited(now)
