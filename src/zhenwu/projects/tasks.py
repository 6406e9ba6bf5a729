"""The projects' periodic jobs: thin declarations that call the app's services."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import services


@periodic("milestone_reminders", "项目节点到期与逾期提醒", Schedule(minute="30", hour="8"))
def milestone_reminders(now: datetime) -> str:
    return services.remind_milestones(now)
