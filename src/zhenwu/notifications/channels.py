"""The delivery channels: e-mail through Django's mail backend (SMTP in production), and the group robot
of the township's work chat, 企业微信 or 钉钉 (`NOTIFY_WEBHOOK_STYLE`), which @-mentions the recipient by
mobile number.

A channel either sends or raises `DeliveryError` with the reason in Chinese, which the township admin
reads on the failures page: it never names the robot's key or secret, only the host. A reason that no
retry can cure (no e-mail address, no robot configured) is `permanent`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import mimetypes
import smtplib
from collections.abc import Callable
from os.path import basename
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote_plus, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from .models import Channel, Notification

# 企业微信 takes at most 2048 bytes of text; 钉钉 documents no lower limit, and one cut suits both.
MAX_CONTENT_BYTES = 2048
# A robot's answer is a short JSON object: read no more than this of whatever comes back.
MAX_ANSWER_BYTES = 64 * 1024


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def open_url(notification: Notification) -> str:
    """Where the recipient reads the notification (opening it marks it read): absolute when
    `NOTIFY_SITE_URL` says where zhenwu is served, else empty."""
    site = settings.NOTIFY_SITE_URL.rstrip("/")
    return f"{site}{reverse('notifications:open', args=[notification.pk])}" if site else ""


def subject_of(notification: Notification) -> str:
    urgent = "【紧急】" if notification.urgent else ""
    return f"【镇务】{urgent}{notification.title}"


def text_of(notification: Notification) -> str:
    """The message in plain text, the same by e-mail and in the work group."""
    recipient = notification.recipient
    lines = [
        f"{subject_of(notification)}",
        f"类别：{notification.get_kind_display()}",
        f"接收人：{recipient.display_name or recipient.username}",
    ]
    if notification.body:
        lines += ["", notification.body]
    url = open_url(notification)
    lines += ["", f"详情：{url}" if url else "详情请登录镇务，在“通知”中查看。"]
    if notification.attachment:
        lines.append(f"附件：{basename(notification.attachment.name)}")
    return "\n".join(lines)


# E-mail ------------------------------------------------------------------------------------------


def send_email(notification: Notification) -> None:
    recipient = notification.recipient
    if not recipient.email:
        raise DeliveryError(
            f"用户“{recipient.display_name or recipient.username}”({recipient.username})没有填写电子邮箱，"
            "邮件无法发送。请在账号中补填邮箱后点“重新发送”。",
            permanent=True,
        )
    message = EmailMessage(
        subject=subject_of(notification),
        body=text_of(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    if notification.attachment:
        name = basename(notification.attachment.name)
        with notification.attachment.open("rb") as attached:
            content = attached.read()
        message.attach(name, content, mimetypes.guess_type(name)[0] or "application/octet-stream")
    server = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError(f"邮件服务器 {server} 拒收收件地址 {recipient.email}。") from None
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(
            f"邮件服务器 {server} 拒绝登录：请检查 EMAIL_HOST_USER 和 EMAIL_HOST_PASSWORD。"
        ) from None
    except smtplib.SMTPException as error:
        raise DeliveryError(f"邮件服务器 {server} 出错：{error}") from None
    except TimeoutError:
        raise DeliveryError(f"连接邮件服务器 {server} 超时。") from None
    except ConnectionRefusedError:
        raise DeliveryError(f"邮件服务器 {server} 拒绝连接(服务未启动或端口不对)。") from None
    except OSError as error:
        raise DeliveryError(f"无法连接邮件服务器 {server}：{error.strerror or error}") from None


# Work-group robots -------------------------------------------------------------------------------


def cut_to_bytes(text: str, limit: int = MAX_CONTENT_BYTES) -> str:
    """`text` shortened to `limit` bytes of UTF-8, never splitting a character, marked "…" when cut."""
    if len(text.encode()) <= limit:
        return text
    room = limit - len("…".encode())
    return text.encode()[:room].decode(errors="ignore") + "…"


def robot_message(style: str, text: str, mobiles: list[str]) -> dict[str, Any]:
    """The text message as each robot documents it. 企业微信 mentions by `mentioned_mobile_list`; 钉钉
    by `at.atMobiles`, and shows the mention where "@mobile" stands in the text."""
    if style == "dingtalk":
        mentions = "".join(f" @{mobile}" for mobile in mobiles)
        content = cut_to_bytes(text, MAX_CONTENT_BYTES - len(mentions.encode())) + mentions
        return {
            "msgtype": "text",
            "text": {"content": content},
            "at": {"atMobiles": mobiles, "isAtAll": False},
        }
    text_part: dict[str, Any] = {"content": cut_to_bytes(text)}
    if mobiles:
        text_part["mentioned_mobile_list"] = mobiles
    return {"msgtype": "text", "text": text_part}


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """钉钉's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed with the secret, Base64, then URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(timestamp_ms, secret)}"


def send_webhook(notification: Notification) -> None:
    url = settings.NOTIFY_WEBHOOK_URL
    if not url:
        raise DeliveryError(
            "未配置工作群机器人(NOTIFY_WEBHOOK_URL)，无法发送到工作群。配置后点“重新发送”。", permanent=True
        )
    style = settings.NOTIFY_WEBHOOK_STYLE
    phone = notification.recipient.phone.strip()
    body = robot_message(style, text_of(notification), [phone] if phone else [])
    if style == "dingtalk" and settings.NOTIFY_WEBHOOK_SECRET:
        # 钉钉 accepts a signature made within an hour of its own clock: sign at the moment of sending.
        url = signed_url(url, settings.NOTIFY_WEBHOOK_SECRET, int(timezone.now().timestamp() * 1000))
    post_to_robot(url, body)


def post_to_robot(url: str, body: dict[str, Any]) -> None:
    """POST the message; the robot answers {"errcode": 0, "errmsg": "ok"} when it took it."""
    host = urlsplit(url).netloc or url[:40]
    request = Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:
            answer = response.read(MAX_ANSWER_BYTES)
    except HTTPError as error:
        raise DeliveryError(f"工作群机器人 {host} 回答 HTTP {error.code}，消息未发出。") from None
    except URLError as error:
        raise DeliveryError(_unreachable(host, error.reason)) from None
    except TimeoutError:
        raise DeliveryError(
            f"工作群机器人 {host} 超过 {settings.NOTIFY_WEBHOOK_TIMEOUT} 秒未回答。"
        ) from None
    except OSError as error:
        raise DeliveryError(_unreachable(host, error)) from None
    _check_answer(host, answer)


def _unreachable(host: str, reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return f"无法连接工作群机器人 {host}：拒绝连接。"
    if isinstance(reason, TimeoutError):
        return f"连接工作群机器人 {host} 超时。"
    return f"无法连接工作群机器人 {host}：{reason}"


def _check_answer(host: str, answer: bytes) -> None:
    try:
        parsed = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict) or "errcode" not in parsed:
        shown = answer[:200].decode("utf-8", errors="replace")
        raise DeliveryError(f"工作群机器人 {host} 的回答无法识别：{shown}")
    if parsed["errcode"] != 0:
        raise DeliveryError(
            f"工作群机器人 {host} 拒收消息：errcode {parsed['errcode']}，{parsed.get('errmsg', '')}"
        )


SENDERS: dict[str, Callable[[Notification], None]] = {
    Channel.EMAIL: send_email,
    Channel.WEBHOOK: send_webhook,
}
