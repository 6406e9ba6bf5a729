"""Quiet hours (22:00-07:00 Beijing by default): nothing is pushed but urgent notifications; what is held
goes out when they end, and is never failed for it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import run_checks

from tests.conftest import Cast
from zhenwu.notifications import quiet, services
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind

from .conftest import Robot, choose, deliver, message, reachable

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def test_a_normal_notification_waits_for_the_morning_and_an_urgent_one_goes_at_once(
    cast: Cast, robot: Robot, time_machine: Any
) -> None:
    user = reachable(cast.user("wangge01"), phone="13800001111")
    choose(user, Kind.DEADLINE, Channel.WEBHOOK)
    time_machine.move_to(at(18, 23, 30))

    services.notify([user], message("deadline:normal"))
    services.notify([user], message("deadline:urgent", title="紧急：事件已超期", urgent=True))
    run = deliver()

    assert [got.body["text"]["content"].splitlines()[0] for got in robot.received] == [
        "【镇务】【紧急】紧急：事件已超期"
    ]
    held = Delivery.objects.get(notification__key="deadline:normal")
    assert held.state == DeliveryState.PENDING and held.attempts == 0, "held, not failed"
    assert held.next_attempt_at == at(19, 7)
    assert "免打扰暂缓 1 条" in run.summary

    time_machine.move_to(at(19, 6, 59))
    deliver()
    assert len(robot.received) == 1

    time_machine.move_to(at(19, 7, 0))
    deliver()
    assert len(robot.received) == 2
    held.refresh_from_db()
    assert held.state == DeliveryState.SENT


def test_quiet_hours_are_read_in_beijing_time_over_midnight() -> None:
    window = quiet.parse("22:00-07:00")
    assert window is not None
    assert window.end_of_quiet(at(18, 21, 59)) is None
    assert window.end_of_quiet(at(18, 22, 0)) == at(19, 7)
    assert window.end_of_quiet(at(19, 0, 30)) == at(19, 7)
    assert window.end_of_quiet(at(19, 6, 59)) == at(19, 7)
    assert window.end_of_quiet(at(19, 7, 0)) is None


def test_a_window_within_one_day_and_no_window_at_all() -> None:
    lunch = quiet.parse("12:00-13:30")
    assert lunch == quiet.QuietHours(time(12), time(13, 30))
    assert lunch.end_of_quiet(at(18, 12, 45)) == at(18, 13, 30)
    assert lunch.end_of_quiet(at(18, 13, 30)) is None
    assert quiet.parse("") is None
    assert quiet.parse("07:00-07:00") is None


@pytest.mark.parametrize("value", ["22-7", "22:00", "25:00-07:00", "22:00-07:61", "晚上十点到早上七点"])
def test_a_window_that_cannot_be_read_is_refused_at_start(value: str, settings: Any) -> None:
    with pytest.raises(quiet.BadQuietHours):
        quiet.parse(value)
    settings.NOTIFY_QUIET_HOURS = value
    assert "notifications.E002" in {error.id for error in run_checks()}


def test_an_unknown_robot_style_is_refused_at_start(settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_STYLE = "feishu"
    assert "notifications.E001" in {error.id for error in run_checks()}
