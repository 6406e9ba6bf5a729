"""The whole demo loaded once for the dashboard tests, and rolled back after them."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.conftest import load_cast


@pytest.fixture(scope="package")
def full_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Each test's own transaction nests inside this one, which is never committed."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_cast()
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
