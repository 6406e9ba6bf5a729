"""The notifications' periodic job: sending what the other jobs put in the inboxes."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import delivery


@periodic("deliver_notifications", "发送通知(邮件、工作群)", Schedule(minute="*"))
def deliver_notifications(now: datetime) -> str:
    return delivery.deliver_due(now)
