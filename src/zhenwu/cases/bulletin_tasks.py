"""The weekly bulletin's and the monthly ranking's jobs. Imported by `cases/tasks.py`, where the case
jobs are declared, so that the registry's discovery of `tasks` modules finds them."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import bulletins


@periodic("weekly_bulletin", "一周一通报", Schedule(minute="0", hour="8", day_of_week="1"))
def weekly_bulletin(now: datetime) -> str:
    return bulletins.deliver_weekly_bulletins(now)


@periodic("monthly_ranking", "一月一排名", Schedule(minute="0", hour="8", day="1"))
def monthly_ranking(now: datetime) -> str:
    return bulletins.deliver_monthly_rankings(now)
