"""An install with nothing in it: the test session's cast (the demo tree and accounts) taken out inside
the test's transaction, which rolls back afterwards."""

from __future__ import annotations

import pytest
from django.db.models import Max

from zhenwu.org.models import Department, OrgUnit, User


def empty_the_tree() -> None:
    User.objects.all().delete()
    Department.objects.all().delete()
    deepest = OrgUnit.objects.aggregate(depth=Max("depth"))["depth"] or 0
    for depth in range(deepest, -1, -1):  # children first: a parent is protected while it has any
        OrgUnit.objects.filter(depth=depth).delete()


@pytest.fixture
def empty_install(db: None) -> None:
    empty_the_tree()
