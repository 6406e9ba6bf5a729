"""`bench-data --counties N`: several counties side by side, each as a one-county run writes it.

Like test_generate, these call `generate` directly beside the fixed cast (whose county is 990101).
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.db import transaction

from zhenwu.benchdata.generate import (
    COUNTY_CODE,
    Outcome,
    account_prefix,
    generate,
    nth_county_code,
    nth_county_name,
)
from zhenwu.benchdata.scale import Scale
from zhenwu.cases.models import Case
from zhenwu.households.models import Member
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role, User

UNTIL = date(2026, 3, 15)
TINY = Scale(
    townships=2,
    villages_per_township=2,
    grids_per_village=2,
    cases_per_township=200,
    indicators_per_township=10,
    projects_per_township=3,
    households_per_township=60,
)


class Discard(Exception):
    pass


def cases_digest(code: str) -> str:
    rows = (
        Case.objects.filter(org_unit__path__startswith=code + "/")
        .order_by("pk")
        .values_list("state", "received_at", "deadline", "resolved_at", "handling_unit__code", "title")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def three(cast: object) -> Outcome:
    return generate(TINY, seed=3, until=UNTIL, counties=3)


def test_the_counties_are_roots_side_by_side_under_one_code_prefix(three: Outcome) -> None:
    codes = [nth_county_code(n) for n in (1, 2, 3)]
    assert codes == [COUNTY_CODE, "970102", "970103"]
    assert [c.unit.code for c in three.counties] == codes
    for n, code in enumerate(codes, start=1):
        county = OrgUnit.objects.get(code=code)
        assert county.kind == OrgKind.COUNTY and county.parent_id is None
        assert county.name == nth_county_name(n)
        units = OrgUnit.objects.filter(path__startswith=county.path)
        assert units.filter(kind=OrgKind.TOWNSHIP).count() == 2
        assert Case.objects.filter(org_unit__path__startswith=county.path).count() == 400
    assert Case.objects.filter(org_unit__path__startswith=COUNTY_CODE[:4]).count() == 1200
    assert three.counts["cases_case"] == 1200
    assert len(three.county_seconds) == 3


def test_the_first_county_keeps_todays_accounts_and_the_others_carry_their_number(three: Outcome) -> None:
    assert account_prefix(1) == ""
    assert User.objects.get(username="county").org_unit.code == COUNTY_CODE
    assert User.objects.get(username="t01admin").org_unit.path.startswith(COUNTY_CODE)
    viewer = User.objects.get(username="c02county")
    assert viewer.role == Role.COUNTY_VIEWER and viewer.org_unit.code == "970102"
    assert User.objects.get(username="c03t02leader").org_unit.path.startswith("970103/")
    visible = scope.scoped(viewer, Case.objects.all())
    assert visible.count() == 400
    assert not visible.filter(org_unit__path__startswith=COUNTY_CODE + "/").exists()


def test_the_counties_draw_different_cases_and_share_no_identity_number(three: Outcome) -> None:
    assert cases_digest("970101") != cases_digest("970102")
    indexes = list(Member.objects.values_list("id_number_index", flat=True))
    assert len(indexes) == len(set(indexes))


def test_the_first_county_is_what_a_one_county_run_writes(cast: object) -> None:
    digests = []
    for counties in (1, 2):
        try:
            with transaction.atomic():
                generate(TINY, seed=3, until=UNTIL, counties=counties)
                digests.append(cases_digest(COUNTY_CODE))
                raise Discard
        except Discard:
            pass
    assert digests[0] == digests[1]


def test_no_county_is_refused(cast: object) -> None:
    with pytest.raises(ValueError, match="至少为1"):
        generate(TINY, until=UNTIL, counties=0)
