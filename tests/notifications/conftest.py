"""Real receivers on the loopback address for the channels: an SMTP server (aiosmtpd) and a chat-group
robot (a small HTTP server that records what it is sent and answers as the robots do, or fails)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

from zhenwu.jobs import services as jobs
from zhenwu.jobs.models import JobRun
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, ChannelChoice, Kind
from zhenwu.org.models import User


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """aiosmtpd's handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "zhenwu@town.example.cn"
    yield box
    controller.stop()


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    raw_query: str


@dataclass
class Robot:
    """What the robot got, and how it answers the next requests."""

    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 200
    answer: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0.0

    def fail(self, status: int = 200, errcode: int = 0, errmsg: str = "ok") -> None:
        self.status, self.answer = status, {"errcode": errcode, "errmsg": errmsg}

    def recover(self) -> None:
        self.fail()


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            split = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(split.query).items()}
            robot.received.append(Received(split.path, query, json.loads(raw.decode("utf-8")), split.query))
            if robot.delay:
                time.sleep(robot.delay)
            answer = json.dumps(robot.answer).encode()
            self.send_response(robot.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def robot(settings: Any) -> Iterator[Robot]:
    """A 企业微信-style group robot on 127.0.0.1; a test switches it to 钉钉 with `dingtalk(...)`."""
    robot = Robot(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    server.daemon_threads = True
    port = server.server_address[1]
    robot.url = f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=wecom-key-123"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_WEBHOOK_URL = robot.url
    settings.NOTIFY_WEBHOOK_STYLE = "wecom"
    settings.NOTIFY_WEBHOOK_SECRET = ""
    yield robot
    server.shutdown()
    server.server_close()


def reachable(user: User, *, email: str = "", phone: str = "") -> User:
    """`user` with an e-mail address and a mobile number."""
    User.objects.filter(pk=user.pk).update(email=email, phone=phone)
    user.refresh_from_db()
    return user


def choose(user: User, kind: Kind, channel: Channel, enabled: bool = True) -> None:
    ChannelChoice.objects.update_or_create(
        user=user, kind=kind, channel=channel, defaults={"enabled": enabled}
    )


def message(
    key: str = "deadline:case:1:202611191700", *, urgent: bool = False, **extra: Any
) -> services.Message:
    fields: dict[str, Any] = {
        "kind": Kind.DEADLINE,
        "key": key,
        "title": "事件“路口垃圾堆放”明天到期",
        "body": "请在 11月19日 17:00 前办结。",
        "link": "/cases/1/",
        "urgent": urgent,
    }
    fields.update(extra)
    return services.Message(**fields)


def deliver() -> JobRun:
    """The periodic job, run now as the scheduler runs it."""
    return jobs.run_job("deliver_notifications")
