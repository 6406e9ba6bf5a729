"""The whole demo loaded once for the model names test, rolled back after."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import full_demo_rolled_back


@pytest.fixture(scope="package")
def full_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from full_demo_rolled_back(django_db_blocker)
