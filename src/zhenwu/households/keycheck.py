"""Refuse to start on a FIELD_ENCRYPTION_KEY that does not match the stored data.

Run by `zhenwu serve` and by the WSGI application as they start. The first start with a key records its
fingerprint; a database from before fingerprints is checked by decrypting one stored number.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection

from . import crypto
from .models import FieldKeyCheck, Member

WRONG_KEY = (
    "FIELD_ENCRYPTION_KEY 与数据库中已加密的身份证号、电话所用的密钥不一致，拒绝启动："
    "请使用加密这些数据时的密钥（随备份保存的那一个）。"
    " / FIELD_ENCRYPTION_KEY does not match the key the stored identity numbers were encrypted with."
)


def check_field_key() -> None:
    """Raise ImproperlyConfigured when the configured key cannot read the stored data; record the key's
    fingerprint the first time."""
    if FieldKeyCheck._meta.db_table not in _tables():
        return  # not migrated yet: nothing is stored
    recorded = FieldKeyCheck.objects.first()
    if recorded is not None:
        if recorded.fingerprint != crypto.fingerprint():
            raise ImproperlyConfigured(WRONG_KEY)
        return
    sample = Member.objects.exclude(id_number_cipher="").values_list("id_number_cipher", flat=True).first()
    if sample is not None:
        try:
            crypto.decrypt(sample)
        except (InvalidTag, ValueError) as error:
            raise ImproperlyConfigured(WRONG_KEY) from error
    FieldKeyCheck.objects.create(fingerprint=crypto.fingerprint())


def _tables() -> list[str]:
    try:
        return connection.introspection.table_names()
    except DatabaseError:
        return []
