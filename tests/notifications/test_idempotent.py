"""The delivery job run twice sends nothing twice; a delivery is claimed by one worker only; a worker
killed after claiming leaves the delivery to be sent when its lease runs out."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.notifications import channels, services
from zhenwu.notifications import delivery as sending
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind

from .conftest import Robot, choose, deliver, message, reachable


@pytest.fixture
def two_people(cast: Cast) -> list[Any]:
    people = [
        reachable(cast.user("cun01"), email="li@town.example.cn", phone="13900000001"),
        reachable(cast.user("cun02"), email="zhou@town.example.cn", phone="13900000002"),
    ]
    for person in people:
        choose(person, Kind.DEADLINE, Channel.EMAIL)
        choose(person, Kind.DEADLINE, Channel.WEBHOOK)
    return people


def test_the_job_run_twice_sends_nothing_twice(two_people: list[Any], robot: Robot) -> None:
    services.notify(two_people, message())
    services.notify(two_people, message())  # the reminder job run twice makes each notification once

    first, second = deliver(), deliver()

    assert first.summary.startswith("发送 4 条")
    assert second.summary == "没有到期的通知"
    assert sorted(m.to[0] for m in mail.outbox) == ["li@town.example.cn", "zhou@town.example.cn"]
    assert len(robot.received) == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_claimed_delivery_is_not_claimed_again(two_people: list[Any], robot: Robot) -> None:
    services.notify(two_people, message())
    now = timezone.now()

    mine = sending.claim(now, Channel.WEBHOOK, 10)
    theirs = sending.claim(now, Channel.WEBHOOK, 10)

    assert len(mine) == 2 and theirs == []


def test_a_worker_killed_after_claiming_leaves_the_delivery_for_after_the_lease(
    two_people: list[Any], robot: Robot, time_machine: Any
) -> None:
    services.notify(two_people[:1], message())
    sending.claim(timezone.now(), Channel.WEBHOOK, 10)  # ... and the worker dies before sending

    deliver()
    assert robot.received == [], "leased to the dead worker: nobody else sends it yet"

    time_machine.move_to(timezone.now() + sending.LEASE)
    deliver()
    assert len(robot.received) == 1
    item = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert (item.state, item.attempts) == (DeliveryState.SENT, 2)


def test_a_worker_killed_between_sending_and_marking_sends_again_the_accepted_risk(
    two_people: list[Any], robot: Robot, time_machine: Any
) -> None:
    """Documented in docs/notifications.md: marking before sending would lose the message instead."""
    services.notify(two_people[:1], message())
    (claimed,) = sending.claim(timezone.now(), Channel.WEBHOOK, 10)
    channels.send_webhook(claimed.notification)  # sent; the worker dies before marking it

    time_machine.move_to(timezone.now() + sending.LEASE)
    deliver()

    assert len(robot.received) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update_skip_locked, reason="PostgreSQL's row locks"
)
def test_on_postgresql_a_second_worker_skips_the_rows_the_first_has_locked(
    two_people: list[Any], robot: Robot
) -> None:
    services.notify(two_people, message())
    locked, release, seen = threading.Event(), threading.Event(), []

    def first_worker() -> None:
        try:
            with transaction.atomic():
                rows = Delivery.objects.filter(channel=Channel.WEBHOOK).select_for_update()
                seen.append(len(list(rows)))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert locked.wait(10)
    try:
        skipped = sending.claim(timezone.now(), Channel.WEBHOOK, 10)
        others = sending.claim(timezone.now(), Channel.EMAIL, 10)
    finally:
        release.set()
        worker.join()
    assert seen == [2]
    assert skipped == [], "the locked rows are skipped, not waited for"
    assert len(others) == 2, "rows nobody holds are claimed as usual"
