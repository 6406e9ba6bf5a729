"""The case engine's periodic jobs: thin, each calls one function of `reminders` (see docs/cases.md,
"自动提醒与升级")."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import bulletin_tasks, reminders

__all__ = ["bulletin_tasks"]  # the weekly bulletin and the monthly ranking, declared there


@periodic("deadline_reminders", "办理期限提醒", Schedule(minute="0", hour="8,14"))
def deadline_reminders(now: datetime) -> str:
    return reminders.remind_deadlines(now)


# Every half hour of the day, from 07:00 to 21:30: an escalation is told urgently, which the quiet hours
# let through, and a case whose days run out at midnight is better escalated at 07:00 than at 00:30.
@periodic("escalate_overdue_cases", "超期事件自动升级", Schedule(minute="*/30", hour="7-21"))
def escalate_overdue_cases(now: datetime) -> str:
    return reminders.escalate_overdue(now)


@periodic("verification_reminders", "整改待核查提醒", Schedule(minute="0", hour="9"))
def verification_reminders(now: datetime) -> str:
    return reminders.remind_verifications(now)
