"""Telling users: `notify` is the one way any app's job puts a notification in an inbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from zhenwu.org.models import User

from .models import ChannelChoice, Delivery, Kind, Notification


@dataclass(frozen=True)
class Message:
    kind: Kind
    key: str  # what it is about and for when, e.g. "deadline:case:42:2026-11-19"
    title: str
    body: str = ""
    link: str = ""
    urgent: bool = False
    attachment: tuple[str, bytes] | None = None  # file name, content


def notify(recipients: Iterable[User], message: Message) -> int:
    """Put `message` in each recipient's inbox once, with a delivery for each channel the recipient chose
    for its kind. Returns how many were new: a recipient who has it already is skipped."""
    made = 0
    for user in {user.pk: user for user in recipients if user.is_active}.values():
        if Notification.objects.filter(recipient=user, key=message.key).exists():
            continue
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
                channels = ChannelChoice.objects.filter(user=user, kind=message.kind).values_list(
                    "channel", flat=True
                )
                Delivery.objects.bulk_create(
                    Delivery(notification=notification, channel=channel) for channel in channels
                )
        except IntegrityError:
            continue  # made at the same moment by another run of the same job
        made += 1
    return made
