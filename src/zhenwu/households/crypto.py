"""Encryption at rest for identity numbers and phones, and a blind index to find a person by number.

AES-256-GCM with a random nonce per value: the same number stored twice gives two different texts, so
the table tells nothing. Exact search uses a keyed HMAC of the normalised number (the blind index): it
finds a person without the number being stored, logged or comparable across installations. Both keys
are derived from FIELD_ENCRYPTION_KEY; losing that key loses the numbers, so keep it with the backups.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
VERSION = "v1:"


@cache
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    material = secret.encode()
    encryption_key = hashlib.sha256(b"zhenwu field encryption\x00" + material).digest()
    index_key = hashlib.sha256(b"zhenwu blind index\x00" + material).digest()
    return AESGCM(encryption_key), index_key


def _current() -> tuple[AESGCM, bytes]:
    return _keys(settings.FIELD_ENCRYPTION_KEY)


def encrypt(plain: str) -> str:
    """The value as stored: version, then base64 of nonce and ciphertext; empty stays empty."""
    if not plain:
        return ""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _current()[0].encrypt(nonce, plain.encode(), None)
    return VERSION + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(VERSION):
        raise ValueError("未知的加密格式。")
    raw = base64.b64decode(stored[len(VERSION) :])
    return _current()[0].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


def fingerprint() -> str:
    """Names the key without revealing it: stored with the data, it tells at start whether the key in
    the settings is the one the data were encrypted with."""
    material = settings.FIELD_ENCRYPTION_KEY.encode()
    return hashlib.sha256(b"zhenwu key check\x00" + material).hexdigest()


def blind_index(value: str) -> str:
    """A keyed hash to look a value up by equality; the same value always gives the same index."""
    return hmac.new(_current()[1], value.encode(), hashlib.sha256).hexdigest()
