"""The indicators' periodic jobs: thin declarations that call the app's services."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import services


# Every morning: the service does nothing before the first working day after the entry deadline, and
# tells each recipient once a month, so a day the worker was down is made up the next.
@periodic("missing_values", "指标数据未填报提醒", Schedule(minute="0", hour="9"))
def missing_values(now: datetime) -> str:
    return services.remind_missing_values(now)
