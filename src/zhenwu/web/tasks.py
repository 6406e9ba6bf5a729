"""The site's own job: forgetting the idempotency keys of submissions old enough never to be retried."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import idempotency


@periodic("clean_submission_keys", "清理过期的提交幂等键", Schedule(minute="45", hour="3"))
def clean_submission_keys(now: datetime) -> str:
    """Daily: delete the keys older than IDEMPOTENCY_KEY_DAYS, batch after batch until none is due."""
    total = 0
    while True:
        deleted, more = idempotency.clean_keys(now)
        total += deleted
        if not more:
            return f"清理 {total} 个过期的提交幂等键"
