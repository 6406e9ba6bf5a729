"""Telling users: `notify` is the one way any app's job puts a notification in an inbox; the inbox, the
read marks and each user's choice of channels are kept here. Sending is `delivery`'s."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.org.models import User

from .models import Channel, ChannelChoice, Delivery, Kind, Notification


@dataclass(frozen=True)
class Message:
    kind: Kind
    key: str  # what it is about and for when, e.g. "deadline:case:42:2026-11-19"
    title: str
    body: str = ""
    link: str = ""
    urgent: bool = False
    attachment: tuple[str, bytes] | None = None  # file name, content


# Beyond the inbox, what reaches a user who has not chosen for a kind: an automatic escalation by e-mail
# (when the account has an address) and in the work group, and a deadline due tomorrow in the work group,
# where the handler is @-mentioned. Everything else waits in the inbox and the to-do list until the user
# asks for more on /notifications/settings/.
DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    Kind.ESCALATION: frozenset({Channel.EMAIL, Channel.WEBHOOK}),
    Kind.DEADLINE: frozenset({Channel.WEBHOOK}),
}


def webhook_configured() -> bool:
    return bool(settings.NOTIFY_WEBHOOK_URL)


def channels_available() -> list[str]:
    """The push channels this installation has: e-mail always (a missing address is the user's), the
    work group only when a robot is configured."""
    return [c for c in Channel.values if c != Channel.WEBHOOK or webhook_configured()]


def wanted(user: User, kind: str, channel: str, saved: Mapping[str, bool]) -> bool:
    """Whether `user` gets notifications of `kind` by `channel`: their saved choice, else the default."""
    if channel in saved:
        return saved[channel]
    if channel == Channel.EMAIL and not user.email:
        return False  # a default never makes a delivery that cannot go
    return channel in DEFAULT_CHANNELS.get(kind, frozenset())


def notify(recipients: Iterable[User], message: Message) -> int:
    """Put `message` in each recipient's inbox once, with a delivery for each channel the recipient wants
    for its kind (their choice, else the default). Returns how many were new: a recipient who has it
    already is skipped."""
    users = {user.pk: user for user in recipients if user.is_active}
    saved: dict[int, dict[str, bool]] = defaultdict(dict)
    for user_id, channel, enabled in ChannelChoice.objects.filter(
        user_id__in=list(users), kind=message.kind
    ).values_list("user_id", "channel", "enabled"):
        saved[user_id][channel] = enabled
    available = channels_available()
    made = 0
    for user in users.values():
        if Notification.objects.filter(recipient=user, key=message.key).exists():
            continue
        channels = [c for c in available if wanted(user, message.kind, c, saved[user.pk])]
        try:
            with transaction.atomic():
                notification = Notification(
                    recipient=user,
                    kind=message.kind,
                    key=message.key,
                    title=message.title,
                    body=message.body,
                    link=message.link,
                    urgent=message.urgent,
                )
                if message.attachment:
                    name, content = message.attachment
                    notification.attachment.save(name, ContentFile(content), save=False)
                notification.save()
                Delivery.objects.bulk_create(
                    Delivery(notification=notification, channel=channel) for channel in channels
                )
        except IntegrityError:
            continue  # made at the same moment by another run of the same job
        made += 1
    return made


# Choices ------------------------------------------------------------------------------------------


def choices_of(user: User) -> dict[tuple[str, str], bool]:
    """Every (kind, channel) cell with what the user gets: their saved choice, else the default."""
    saved: dict[str, dict[str, bool]] = defaultdict(dict)
    for kind, channel, enabled in ChannelChoice.objects.filter(user=user).values_list(
        "kind", "channel", "enabled"
    ):
        saved[kind][channel] = enabled
    return {
        (kind, channel): wanted(user, kind, channel, saved[kind])
        for kind in Kind.values
        for channel in Channel.values
    }


def save_choices(user: User, ticked: set[tuple[str, str]]) -> None:
    """Keep the user's choice for every kind by every available channel: ticked or not, a saved cell is
    theirs from now on. A channel the installation lacks keeps what was saved for it."""
    with transaction.atomic():
        for kind in Kind.values:
            for channel in channels_available():
                enabled = (kind, channel) in ticked
                choice = ChannelChoice.objects.filter(user=user, kind=kind, channel=channel).first()
                if choice is None:
                    ChannelChoice.objects.create(user=user, kind=kind, channel=channel, enabled=enabled)
                elif choice.enabled != enabled:
                    choice.enabled = enabled
                    choice.save(update_fields=["enabled"])


# The inbox ----------------------------------------------------------------------------------------


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first: nobody reads another's."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_of(user: User, pk: int) -> Notification | None:
    """The user's own notification `pk`; another's is as missing as one that does not exist."""
    return Notification.objects.filter(recipient=user, pk=pk).first()


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def target_of(notification: Notification) -> str:
    """Where opening the notification leads: its link when that is a path of this site (a job writes it,
    but a link elsewhere is never followed), else the inbox."""
    link = notification.link
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return ""
