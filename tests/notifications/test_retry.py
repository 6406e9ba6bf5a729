"""A delivery that fails is tried again after 1, 5, 15, 60, 240, 720 and 1440 minutes; after the 8th
attempt it is failed, shown to the township admin, and "重新发送" puts it back in the queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.notifications import delivery as sending
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind

from .conftest import Robot, choose, deliver, message, reachable


def test_a_failing_robot_is_retried_with_backoff_then_failed_shown_and_resent(
    cast: Cast, robot: Robot, settings: Any, time_machine: Any, client: Client
) -> None:
    settings.NOTIFY_QUIET_HOURS = ""  # the retries run through two nights: quiet hours are another test's
    user = reachable(cast.user("cun01"), phone="13900002222")
    choose(user, Kind.DEADLINE, Channel.WEBHOOK)
    robot.fail(status=502)
    services.notify([user], message())

    before = timezone.now()
    deliver()
    item = Delivery.objects.get()
    assert item.attempts == 1
    waits = [item.next_attempt_at - before]
    for attempt in range(2, sending.MAX_ATTEMPTS + 1):
        time_machine.move_to(item.next_attempt_at - timedelta(seconds=20))
        deliver()
        item.refresh_from_db()
        assert item.attempts == attempt - 1, "not tried before its time"
        time_machine.move_to(item.next_attempt_at)
        before = timezone.now()
        run = deliver()
        item.refresh_from_db()
        assert item.attempts == attempt
        if item.state == DeliveryState.PENDING:
            waits.append(item.next_attempt_at - before)

    minutes = [round(wait.total_seconds() / 60) for wait in waits]
    assert minutes == [1, 5, 15, 60, 240, 720, 1440]
    assert item.state == DeliveryState.FAILED and item.attempts == 8
    assert "发送失败 1 条" in run.summary
    assert len(robot.received) == 8

    client.force_login(cast.user("admin"))
    page = client.get("/notifications/deliveries/").content.decode()
    assert f'id="delivery-{item.pk}"' in page
    assert "回答 HTTP 502，消息未发出" in page and "重新发送" in page

    robot.recover()
    answer = client.post(f"/notifications/deliveries/{item.pk}/resend/")
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.attempts) == (DeliveryState.PENDING, 0)
    entry = LogEntry.objects.filter(content_type__model="delivery", object_pk=str(item.pk)).get()
    assert entry.actor == cast.user("admin") and "重新发送" in str(entry.changes)

    deliver()
    item.refresh_from_db()
    assert item.state == DeliveryState.SENT
    assert len(robot.received) == 9
    assert f'id="delivery-{item.pk}"' not in client.get("/notifications/deliveries/").content.decode()


def test_a_delivery_that_is_not_failed_is_not_resent(cast: Cast, robot: Robot, client: Client) -> None:
    user = reachable(cast.user("cun01"), phone="13900002222")
    choose(user, Kind.DEADLINE, Channel.WEBHOOK)
    services.notify([user], message())
    item = Delivery.objects.get()
    client.force_login(cast.user("admin"))

    answer = client.post(f"/notifications/deliveries/{item.pk}/resend/", follow=True)

    assert "无需重新发送" in answer.content.decode()
    item.refresh_from_db()
    assert (item.state, item.attempts) == (DeliveryState.PENDING, 0)
