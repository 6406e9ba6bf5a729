"""Each user chooses, for each kind, e-mail and/or the work group; a user who never chose gets the
defaults: an escalation by e-mail (with an address) and in the work group, a deadline in the work group."""

from __future__ import annotations

import re
from typing import Any

from auditlog.models import LogEntry
from django.test import Client

from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, ChannelChoice, Delivery, Kind

from .conftest import Robot, choose, message, reachable


def ticked(page: str) -> set[str]:
    boxes = re.findall(r"<input [^>]*>", page)
    return {
        re.search(r'name="([^"]+)"', box).group(1) for box in boxes if " checked" in box and "checkbox" in box
    }  # type: ignore[union-attr]


def channels_made(user: Any, key: str) -> set[str]:
    return set(
        Delivery.objects.filter(notification__recipient=user, notification__key=key).values_list(
            "channel", flat=True
        )
    )


def test_the_settings_page_saves_the_ticks_and_notify_applies_them(
    cast: Cast, client: Client, robot: Robot
) -> None:
    user = reachable(cast.user("cun01"), email="li@town.example.cn", phone="13900000001")
    client.force_login(user)
    page = client.get("/notifications/settings/").content.decode()
    assert "一月一排名" in page and "电子邮件" in page and "工作群机器人" in page
    assert ticked(page) == {"escalation__email", "escalation__webhook", "deadline__webhook"}, "the defaults"

    answer = client.post(
        "/notifications/settings/",
        {"milestone__email": "on", "milestone__webhook": "on", "bulletin__email": "on"},
    )

    assert answer.status_code == 302
    assert services.choices_of(user)[(Kind.MILESTONE, Channel.WEBHOOK)] is True
    assert services.choices_of(user)[(Kind.ESCALATION, Channel.EMAIL)] is False, "unticked is a choice too"
    services.notify([user], message("m", kind=Kind.MILESTONE))
    services.notify([user], message("b", kind=Kind.BULLETIN))
    services.notify([user], message("e", kind=Kind.ESCALATION))
    services.notify([user], message("d", kind=Kind.DEADLINE))
    assert channels_made(user, "m") == {Channel.EMAIL, Channel.WEBHOOK}
    assert channels_made(user, "b") == {Channel.EMAIL}
    assert channels_made(user, "e") == set()
    assert channels_made(user, "d") == set()
    assert user.notifications.count() == 4, "the inbox has everything"
    assert LogEntry.objects.filter(content_type__model="channelchoice", actor=user).exists()


def test_a_user_who_never_chose_gets_the_defaults(cast: Cast, robot: Robot) -> None:
    with_address = reachable(cast.user("cun01"), email="li@town.example.cn")
    without = reachable(cast.user("cun02"), email="")

    for kind in Kind:
        services.notify([with_address, without], message(kind.value, kind=kind))

    assert channels_made(with_address, Kind.ESCALATION) == {Channel.EMAIL, Channel.WEBHOOK}
    assert channels_made(without, Kind.ESCALATION) == {Channel.WEBHOOK}, "no default delivery that cannot go"
    assert channels_made(with_address, Kind.DEADLINE) == {Channel.WEBHOOK}
    for kind in set(Kind) - {Kind.ESCALATION, Kind.DEADLINE}:
        assert channels_made(with_address, kind) == set(), kind


def test_a_choice_for_one_channel_leaves_the_default_of_the_other(cast: Cast, robot: Robot) -> None:
    user = reachable(cast.user("cun01"), email="li@town.example.cn")
    choose(user, Kind.ESCALATION, Channel.WEBHOOK, enabled=False)

    services.notify([user], message("e", kind=Kind.ESCALATION))

    assert channels_made(user, "e") == {Channel.EMAIL}


def test_without_a_robot_the_page_offers_email_only_and_keeps_the_group_choices(
    cast: Cast, client: Client, settings: Any
) -> None:
    settings.NOTIFY_WEBHOOK_URL = ""
    user = cast.user("cun01")
    choose(user, Kind.MILESTONE, Channel.WEBHOOK)
    client.force_login(user)

    page = client.get("/notifications/settings/").content.decode()
    client.post("/notifications/settings/", {"deadline__email": "on"})

    assert "__webhook" not in page and "尚未配置工作群机器人" in page
    assert ChannelChoice.objects.get(user=user, kind=Kind.MILESTONE, channel=Channel.WEBHOOK).enabled
    assert ChannelChoice.objects.get(user=user, kind=Kind.DEADLINE, channel=Channel.EMAIL).enabled


def test_the_page_says_when_the_user_has_no_address(cast: Cast, client: Client) -> None:
    client.force_login(reachable(cast.user("cun02"), email=""))

    page = client.get("/notifications/settings/").content.decode()

    assert "未填写：邮件无法送达" in page
