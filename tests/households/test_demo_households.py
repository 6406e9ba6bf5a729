"""The demo's households: over 3,000 across the 12 villages and 60 grids, about 2% monitored, benefits
and one subsidy batch; every identity number passes the check but names a region that does not exist."""

from __future__ import annotations

from django.db.models import Count

from tests.demo_snapshot import load_demo
from zhenwu.core import idcard
from zhenwu.households.models import Benefit, Household, Member, MonitoringCase, SubsidyBatch
from zhenwu.org.models import OrgKind


def test_the_demo_township_has_its_households(db: None) -> None:
    load_demo()
    households = Household.objects.count()
    assert households >= 3000
    per_village = (
        Household.objects.filter(org_unit__kind=OrgKind.GRID)
        .values("org_unit__parent")
        .annotate(n=Count("pk"))
    )
    assert len(per_village) == 12 and min(row["n"] for row in per_village) >= 200
    assert Household.objects.values("org_unit").distinct().count() == 60
    monitored = MonitoringCase.objects.values("household").distinct().count()
    assert 0.015 <= monitored / households <= 0.025
    assert {b.kind for b in Benefit.objects.all()} == {"dibao", "tekun", "temporary"}
    assert SubsidyBatch.objects.count() == 1 and SubsidyBatch.objects.get().payments.count() > 1000


def test_demo_people_are_visibly_fictional(db: None) -> None:
    load_demo()
    for member in Member.objects.order_by("?")[:300]:
        parsed = idcard.parse(member.full_id_number())
        assert parsed.region.startswith("99")
        assert (member.birth_date, member.gender) == (parsed.birth_date, parsed.gender)
        assert member.id_number_masked == idcard.mask_id_number(parsed.number)
    heads = Member.objects.filter(relation="head").count()
    assert heads == Household.objects.count()
