"""Reference data kept in the shared cache until one of its records changes.

Case types and categories, offices, Open311 clients, API tokens and the holiday table change seldom and
are read by every case taken in: reading them from the cache instead of the database is a good part of
what lets one small server take hundreds of cases a second.

Each is kept under a version. A save or delete of one of its models moves the version, in the cache
every worker process shares, so the next read anywhere builds it afresh: at once (this transaction sees
its own change) and again when the transaction commits (another process may have rebuilt it from the
rows as they were before). A value built from old rows can only land under an old version, which
nobody reads any more. Bulk writes send no signals: the loaders of demo and benchmark data call
`forget_everything` when they are done, and the expiry (`SAFETY_SECONDS`) bounds anything else.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from zhenwu.replicas import reading_from_primary

T = TypeVar("T")
SAFETY_SECONDS = 600


class Remembered(Generic[T]):
    """A value built from the database (`build`), kept until a record of one of `sources` changes."""

    def __init__(self, name: str, build: Callable[[], T], *sources: type[models.Model]) -> None:
        self.name = name
        self.build = build
        self.version_key = f"remembered:{name}:version"
        self._local: tuple[str, T, float] | None = None
        for model in sources:
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)

    def get(self) -> T:
        version = cache.get(self.version_key)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(self.version_key, version, None)
            version = cache.get(self.version_key, version)
        if self._local is not None and self._local[0] == version and time.monotonic() < self._local[2]:
            return self._local[1]  # this process read it already: no unpickling
        key = f"remembered:{self.name}:{version}"
        value: T | None = cache.get(key)
        if value is None:
            # Kept for every process: never built from a replica's rows, which may be seconds old.
            with reading_from_primary():
                value = self.build()
            cache.set(key, value, SAFETY_SECONDS)
        self._local = (version, value, time.monotonic() + SAFETY_SECONDS)
        return value

    def forget(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def _changed(self, **kwargs: Any) -> None:
        self.forget()
        transaction.on_commit(self.forget)


def forget_everything() -> None:
    """After a bulk load, which sends no signals: whatever was kept (reference data, dashboards) goes."""
    cache.clear()
