"""The first-run page's key: while no account exists, `zhenwu serve` prints a link to /setup/ carrying it.

Whoever reaches a new server first must not become its admin: the page answers only to the key, which is
a random nonce kept in the shared cache (every worker process reads it) and signed with the secret key
with a time stamp, so that it can be neither guessed nor forged, even on a development install whose
secret key is the public default. It lasts `KEY_HOURS`; each `zhenwu serve` issues a new one, and a
completed setup forgets it.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare

from zhenwu.org.models import User

KEY_HOURS = 24
_SALT = "zhenwu.web.setup"
_CACHE_KEY = "zhenwu:setup-nonce"


def setup_pending() -> bool:
    return not User.objects.exists()


def issue_key() -> str | None:
    """A new key for the first-run page, or None once any account exists."""
    if not setup_pending():
        return None
    nonce = secrets.token_urlsafe(32)
    cache.set(_CACHE_KEY, nonce, KEY_HOURS * 3600)
    return signing.TimestampSigner(salt=_SALT).sign(nonce)


def key_is_valid(key: str | None) -> bool:
    if not key:
        return False
    try:
        nonce = signing.TimestampSigner(salt=_SALT).unsign(key, max_age=KEY_HOURS * 3600)
    except signing.BadSignature:
        return False
    stored = cache.get(_CACHE_KEY)
    return isinstance(stored, str) and constant_time_compare(stored, nonce)


def forget_key() -> None:
    cache.delete(_CACHE_KEY)


def setup_line(addrport: str) -> str | None:
    """What `zhenwu serve` prints while no account exists: the one-time link."""
    key = issue_key()
    if key is None:
        return None
    return (
        f"首次使用：还没有任何账户。请在浏览器中打开下面的一次性初始化链接({KEY_HOURS}小时内有效)，"
        f"填写乡镇信息并创建第一个管理员账户：\n  http://{addrport}/setup/?key={key}"
    )
