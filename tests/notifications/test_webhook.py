"""The work-group robot receives the message in its documented shape (企业微信 and 钉钉, with 钉钉's 加签),
from a real HTTP server on the loopback address; every way it can fail is a failure with a reason."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import quote_plus

import pytest

from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind

from .conftest import Robot, choose, deliver, free_port, message, reachable


@pytest.fixture
def grid_worker(cast: Cast) -> Any:
    user = reachable(cast.user("wangge01"), phone="13800001111")
    choose(user, Kind.DEADLINE, Channel.WEBHOOK)
    return user


def test_a_wecom_robot_gets_a_text_message_that_mentions_the_recipient(
    grid_worker: Any, robot: Robot
) -> None:
    services.notify([grid_worker], message())
    run = deliver()

    assert run.ok and run.summary.startswith("发送 1 条")
    (got,) = robot.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": "wecom-key-123"}
    assert got.body["msgtype"] == "text"
    assert set(got.body) == {"msgtype", "text"}
    assert got.body["text"]["mentioned_mobile_list"] == ["13800001111"]
    content = got.body["text"]["content"]
    assert content.startswith("【镇务】事件“路口垃圾堆放”明天到期")
    assert "请在 11月19日 17:00 前办结。" in content and "接收人：吴网格" in content
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_a_dingtalk_robot_gets_at_mobiles_and_a_signature_it_can_check(
    grid_worker: Any, robot: Robot, settings: Any
) -> None:
    settings.NOTIFY_WEBHOOK_STYLE = "dingtalk"
    settings.NOTIFY_WEBHOOK_URL = robot.url.replace("/cgi-bin/webhook/send?key=", "/robot/send?access_token=")
    secret = "SEC0123456789abcdef"
    settings.NOTIFY_WEBHOOK_SECRET = secret

    services.notify([grid_worker], message())
    deliver()

    (got,) = robot.received
    assert got.path == "/robot/send"
    assert got.body["msgtype"] == "text"
    assert got.body["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}
    assert got.body["text"]["content"].endswith(" @13800001111"), "钉钉 shows a mention where @mobile stands"
    # The robot's own check: HMAC-SHA256 of "timestamp\nsecret" keyed with the secret, Base64.
    timestamp = got.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert got.query["sign"] == expected
    assert f"&sign={quote_plus(expected)}" in got.raw_query, "URL-encoded in the address"
    assert got.query["access_token"] == "wecom-key-123"
    assert abs(int(timestamp) / 1000 - time.time()) < 3600, "in milliseconds, near now"
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_a_user_without_a_mobile_is_named_but_not_mentioned(cast: Cast, robot: Robot) -> None:
    user = reachable(cast.user("cun01"), phone="")
    choose(user, Kind.DEADLINE, Channel.WEBHOOK)

    services.notify([user], message())
    deliver()

    (got,) = robot.received
    assert "mentioned_mobile_list" not in got.body["text"]
    assert "接收人：李东岗" in got.body["text"]["content"]


def test_a_long_message_is_cut_to_the_robots_limit(grid_worker: Any, robot: Robot) -> None:
    services.notify([grid_worker], message(body="很长的内容" * 400))
    deliver()

    content = robot.received[0].body["text"]["content"]
    assert len(content.encode()) <= 2048 and content.endswith("…")


@pytest.mark.parametrize(
    ("status", "errcode", "errmsg", "reason"),
    [
        (200, 93000, "invalid webhook url", "errcode 93000，invalid webhook url"),
        (200, 310000, "sign not match", "errcode 310000"),
        (500, 0, "ok", "HTTP 500"),
        (404, 0, "ok", "HTTP 404"),
    ],
)
def test_a_refusal_by_the_robot_is_a_failure_with_its_reason(
    grid_worker: Any, robot: Robot, status: int, errcode: int, errmsg: str, reason: str
) -> None:
    robot.fail(status=status, errcode=errcode, errmsg=errmsg)

    services.notify([grid_worker], message())
    run = deliver()

    assert run.ok
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert reason in delivery.last_error
    assert "wecom-key-123" not in delivery.last_error, "the robot's key is never shown"
    assert "失败待重试 1 条" in run.summary


def test_a_robot_that_does_not_answer_in_time_is_a_failure(
    grid_worker: Any, robot: Robot, settings: Any
) -> None:
    settings.NOTIFY_WEBHOOK_TIMEOUT = 0.3
    robot.delay = 1.0

    services.notify([grid_worker], message())
    deliver()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert "超过 0.3 秒未回答" in delivery.last_error


def test_a_robot_that_refuses_the_connection_is_a_failure(grid_worker: Any, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=secret-key"
    services.notify([grid_worker], message())
    deliver()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert "拒绝连接" in delivery.last_error and "secret-key" not in delivery.last_error


def test_an_answer_that_is_not_the_robots_is_a_failure(grid_worker: Any, robot: Robot) -> None:
    robot.answer = {"status": "ok"}  # a proxy's page, not the robot
    services.notify([grid_worker], message())
    deliver()

    assert "无法识别" in Delivery.objects.get().last_error


def test_without_a_robot_configured_nobody_gets_a_group_delivery(grid_worker: Any, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = ""
    services.notify([grid_worker], message())

    assert not Delivery.objects.exists()
    assert grid_worker.notifications.count() == 1, "the inbox has it all the same"
