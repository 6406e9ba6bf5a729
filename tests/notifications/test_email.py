"""E-mail reaches the recipient through a real SMTP server on the loopback address."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind

from .conftest import Mailbox, choose, deliver, free_port, message, reachable


def test_an_email_reaches_the_recipient_in_chinese(cast: Cast, mailbox: Mailbox, settings: Any) -> None:
    settings.NOTIFY_SITE_URL = "https://zhenwu.example.gov.cn"
    user = reachable(cast.user("cun01"), email="lidonggang@town.example.cn")
    choose(user, Kind.DEADLINE, Channel.EMAIL)

    services.notify([user], message())
    run = deliver()

    assert run.ok and run.summary.startswith("发送 1 条")
    (sent,) = mailbox.messages
    assert mailbox.recipients == [["lidonggang@town.example.cn"]]
    assert sent["To"] == "lidonggang@town.example.cn"
    assert sent["From"] == "zhenwu@town.example.cn"
    # A long encoded subject is folded after "Subject:"; the fold's space is no part of it (RFC 2047).
    assert sent["Subject"].strip() == "【镇务】事件“路口垃圾堆放”明天到期"
    body = sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "请在 11月19日 17:00 前办结。" in body
    assert "接收人：李东岗" in body
    notification = user.notifications.get()
    assert f"https://zhenwu.example.gov.cn/notifications/{notification.pk}/" in body
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 1, "")
    assert delivery.sent_at is not None


def test_an_urgent_email_says_so_and_carries_the_attachment(cast: Cast, mailbox: Mailbox) -> None:
    leader = reachable(cast.user("leader"), email="qian@town.example.cn")
    choose(leader, Kind.BULLETIN, Channel.EMAIL)
    bulletin = message(
        "bulletin:2026-W47",
        kind=Kind.BULLETIN,
        title="第47周工作通报",
        urgent=True,
        attachment=("第47周通报.docx", b"PK docx bytes"),
    )

    services.notify([leader], bulletin)
    deliver()

    (sent,) = mailbox.messages
    assert sent["Subject"].strip() == "【镇务】【紧急】第47周工作通报"
    (attached,) = list(sent.iter_attachments())  # type: ignore[attr-defined]
    assert attached.get_filename() == "第47周通报.docx"
    assert attached.get_content() == b"PK docx bytes"


def test_a_user_without_an_address_is_a_failure_the_admin_can_read(cast: Cast, mailbox: Mailbox) -> None:
    user = reachable(cast.user("cun02"), email="")
    choose(user, Kind.DEADLINE, Channel.EMAIL)

    services.notify([user], message())
    run = deliver()

    assert run.ok, "a missing address is the delivery's failure, not the job's"
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED, "no retry can find an address: failed at once"
    assert "没有填写电子邮箱" in delivery.last_error and "cun02" in delivery.last_error
    assert mailbox.messages == []


def test_a_mail_server_that_refuses_the_connection_is_retried(cast: Cast, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    user = reachable(cast.user("cun01"), email="lidonggang@town.example.cn")
    choose(user, Kind.DEADLINE, Channel.EMAIL)

    services.notify([user], message())
    deliver()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1
    assert "拒绝连接" in delivery.last_error and str(settings.EMAIL_PORT) in delivery.last_error
