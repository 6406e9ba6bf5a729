"""Sending what is due: the job `deliver_notifications` runs this every minute.

A delivery is claimed before it is sent, so that two workers (or a run by hand beside the scheduled one)
never send it twice: the claim counts the attempt and moves `next_attempt_at` a lease ahead, in one
conditional UPDATE, inside a transaction that on PostgreSQL has locked the chosen rows with
`SELECT … FOR UPDATE SKIP LOCKED` (another worker takes the next rows instead of waiting). SQLite has no
row locks, but its write transaction is the whole database's, and the conditional UPDATE claims a row once.

A worker killed after a send and before marking it sent leaves the delivery claimed: when the lease runs
out it is sent again. That second message is the one accepted risk (docs/notifications.md); the other
way round — marking before sending — would lose a message instead.

A failure is tried again after a growing wait; after `MAX_ATTEMPTS` (or at once when no retry can help)
the delivery is failed and waits on the township admin's page for "重新发送". Nothing is dropped.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.org import scope

from . import quiet
from .channels import SENDERS, DeliveryError
from .models import Channel, Delivery, DeliveryState

log = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … failed attempt: a robot or mail server that is down for a night
# is tried through the next day. The attempt after the last wait is the last one.
BACKOFF_MINUTES = (1, 5, 15, 60, 240, 720, 1440)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# At most this many sends of a channel per run (the job runs each minute): both robots take 20 messages
# a minute and hold back a robot that sends more for 10 minutes; a mail server takes more.
PER_RUN = {Channel.EMAIL: 100, Channel.WEBHOOK: 20}
# Claimed a few at a time, so that a run stops claiming when its minute is spent: a chunk whose every
# send times out takes 10 × 20 s, well inside the lease, and no claim outlives it unsent.
CHUNK = 10
RUN_SECONDS = 45
LEASE = timedelta(minutes=15)


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    def summary(self, waiting: int) -> str:
        if not (self.sent or self.retrying or self.failed or self.held):
            return "没有到期的通知" + (f"(待发送 {waiting} 条)" if waiting else "")
        parts = [f"发送 {self.sent} 条"]
        if self.retrying:
            parts.append(f"失败待重试 {self.retrying} 条")
        if self.failed:
            parts.append(f"发送失败 {self.failed} 条(请管理员查看)")
        if self.held:
            parts.append(f"免打扰暂缓 {self.held} 条")
        if waiting:
            parts.append(f"尚有 {waiting} 条到期未发")
        return "，".join(parts)


def quiet_hours() -> quiet.QuietHours | None:
    try:
        return quiet.parse(settings.NOTIFY_QUIET_HOURS)
    except quiet.BadQuietHours as error:
        raise ImproperlyConfigured(f"NOTIFY_QUIET_HOURS：{error}") from None


def due(now: datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)


def deliver_due(now: datetime) -> str:
    """Send the deliveries due at `now`, within the run's limits; returns the job's summary."""
    outcome = Outcome()
    quiet_end = _end_of_quiet(now)
    if quiet_end is not None:
        # Held, not failed: pushed to the morning, when they are due again.
        outcome.held = due(now).filter(notification__urgent=False).update(next_attempt_at=quiet_end)
    started = time.monotonic()
    for channel, limit in PER_RUN.items():
        sent_here = 0
        while sent_here < limit and time.monotonic() - started < RUN_SECONDS:
            chunk = claim(now, channel, min(CHUNK, limit - sent_here), urgent_only=quiet_end is not None)
            if not chunk:
                break
            for delivery in chunk:
                attempt(delivery, now, outcome)
            sent_here += len(chunk)
    waiting = due(now).filter(notification__urgent=True).count() if quiet_end else due(now).count()
    return outcome.summary(waiting)


def _end_of_quiet(now: datetime) -> datetime | None:
    window = quiet_hours()
    return window.end_of_quiet(timezone.localtime(now)) if window else None


def claim(now: datetime, channel: str, limit: int, *, urgent_only: bool = False) -> list[Delivery]:
    """Take up to `limit` due deliveries of `channel` for this worker: each is counted an attempt and
    leased, so that no other worker takes it until the lease has run out."""
    candidates = due(now).filter(channel=channel)
    if urgent_only:
        candidates = candidates.filter(notification__urgent=True)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        rows = list(candidates.order_by("next_attempt_at", "pk").values_list("pk", "attempts")[:limit])
        taken = [pk for pk, attempts in rows if _take(pk, attempts, now)]
    return list(
        Delivery.objects.filter(pk__in=taken)
        .select_related("notification__recipient")
        .order_by("next_attempt_at", "pk")
    )


def _take(pk: int, attempts: int, now: datetime) -> bool:
    """The claim itself: it succeeds for one worker only, whatever the database."""
    return bool(
        Delivery.objects.filter(pk=pk, state=DeliveryState.PENDING, attempts=attempts).update(
            attempts=attempts + 1, next_attempt_at=now + LEASE
        )
    )


def attempt(delivery: Delivery, now: datetime, outcome: Outcome | None = None) -> bool:
    """Send one claimed delivery and record how it went."""
    outcome = outcome or Outcome()
    try:
        SENDERS[delivery.channel](delivery.notification)
    except DeliveryError as error:
        _record_failure(delivery, now, error, outcome)
        return False
    except Exception as error:  # our own fault or a library's: logged, and the delivery kept for later
        log.exception("delivery %s failed unexpectedly", delivery.pk)
        _record_failure(
            delivery, now, DeliveryError(f"发送时出现程序错误({type(error).__name__})。"), outcome
        )
        return False
    _mine(delivery).update(state=DeliveryState.SENT, sent_at=timezone.now(), last_error="")
    outcome.sent += 1
    outcome.by_channel[delivery.channel] = outcome.by_channel.get(delivery.channel, 0) + 1
    return True


def _mine(delivery: Delivery) -> QuerySet[Delivery]:
    """The delivery as this worker claimed it (a resend in between makes it someone else's)."""
    return Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts)


def _record_failure(delivery: Delivery, now: datetime, error: DeliveryError, outcome: Outcome) -> None:
    if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        _mine(delivery).update(state=DeliveryState.FAILED, last_error=error.reason)
        outcome.failed += 1
        return
    wait = timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
    _mine(delivery).update(next_attempt_at=now + wait, last_error=error.reason)
    outcome.retrying += 1


# The township admin's page -----------------------------------------------------------------------


def may_see_deliveries(user: Any) -> bool:
    return bool(user.is_authenticated) and scope.is_township_admin(user)


def deliveries_for(user: Any, state: str = "") -> QuerySet[Delivery]:
    """The failed and waiting deliveries of the users in the admin's township, newest first."""
    if not may_see_deliveries(user):
        return Delivery.objects.none()
    states = [state] if state in (DeliveryState.FAILED, DeliveryState.PENDING) else None
    deliveries = Delivery.objects.filter(
        state__in=states or [DeliveryState.FAILED, DeliveryState.PENDING]
    ).select_related("notification__recipient__org_unit")
    return scope.scoped(user, deliveries).order_by("-notification__created_at", "-pk")


def resend(user: Any, pk: int) -> tuple[Delivery, bool] | None:
    """Put a failed delivery in the admin's scope back in the queue, with a fresh series of attempts.
    Returns the delivery and whether it was queued again (one that is not failed is left as it is), or
    None when there is no such delivery in scope."""
    delivery = deliveries_for(user).filter(pk=pk).first()
    if delivery is None:
        return None
    queued = bool(
        Delivery.objects.filter(pk=pk, state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
    )
    if queued:
        from auditlog.models import LogEntry

        # A system-run table is not logged field by field (every send would be an entry): the admin's
        # act is written as one entry.
        LogEntry.objects.log_create(
            delivery,
            action=LogEntry.Action.UPDATE,
            changes={"状态": [DeliveryState.FAILED.label, f"{DeliveryState.PENDING.label}(重新发送)"]},
        )
        delivery.refresh_from_db()
    return delivery, queued
