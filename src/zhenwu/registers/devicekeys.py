"""Device keys: a password of its own for each user's phone, for ODK Collect.

A grid worker scans one QR code and Collect holds the server, their username and the device key; the
account's own password never has to be typed into (or stored on) the phone, and a lost phone is cut off by
revoking its key without changing the password. Only the key's SHA-256 is stored: it is shown once.
A user has at most one key in use; making a new one revokes the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.org.models import User

from .models import DeviceKey

# "zw" marks a key as zhenwu's where it turns up (a phone's settings, a support call); 32 random bytes.
KEY_PREFIX = "zw"
KEY_BYTES = 32
LAST_USED_PRECISION = timedelta(hours=1)


@dataclass(frozen=True)
class NewKey:
    """A key just made: `key` is the only time its text exists outside the phone."""

    device_key: DeviceKey
    key: str


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def active_key(user: Any) -> DeviceKey | None:
    return DeviceKey.objects.filter(user=user, revoked_at__isnull=True).first()


def create_key(user: User) -> NewKey:
    """A new key for `user`; the one in use before (if any) is revoked."""
    key = f"{KEY_PREFIX}{secrets.token_urlsafe(KEY_BYTES)}"
    with transaction.atomic(), acting_as(user):
        _revoke_all(user)
        made = DeviceKey.objects.create(user=user, key_hash=digest(key), prefix=key[:8])
    return NewKey(made, key)


def revoke_keys(user: User) -> int:
    """Revoke the user's key in use; the phone holding it is refused from now on."""
    with transaction.atomic(), acting_as(user):
        return _revoke_all(user)


def _revoke_all(user: User) -> int:
    count = 0
    # One by one, so that each revocation is in the activity log.
    for key in DeviceKey.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        count += 1
    return count


def user_for_key(username: str, key: str) -> User | None:
    """The active user whose key in use is `key`, or None. Each use is noted (not logged: a phone
    submits many times a day)."""
    if not key.startswith(KEY_PREFIX):
        return None
    found = (
        DeviceKey.objects.select_related("user__org_unit", "user__department")
        .filter(key_hash=digest(key), revoked_at__isnull=True, user__username=username)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    # When a phone was last seen, to the hour: not a write on every submission of a busy round.
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
        DeviceKey.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
