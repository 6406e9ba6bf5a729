"""The demo promises a year of cases in a realistic mix, some of them published on the Open311 feed, and
prints the Open311 key with the logins."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.utils import timezone

from tests.demo_snapshot import load_demo
from zhenwu.cases.catalog import STANDARD_TYPES
from zhenwu.cases.models import Case, CaseEvent, Open311Key
from zhenwu.cases.states import State
from zhenwu.org.models import OrgKind


def test_the_demo_has_a_year_of_cases_of_every_type_in_every_village(db: None) -> None:
    out = StringIO()
    load_demo(out)
    assert "demo-open311-key" in out.getvalue()
    assert Open311Key.objects.filter(key="demo-open311-key", active=True).exists()
    # The projects demo adds a few project problems of its own type, at villages and the township.
    cases = Case.objects.filter(case_type__code__in=[spec.code for spec in STANDARD_TYPES])
    assert cases.count() >= 5000
    assert set(cases.values_list("case_type__code", flat=True).distinct()) == {
        spec.code for spec in STANDARD_TYPES
    }
    villages = {path.split("/")[2] for path in cases.values_list("org_unit__path", flat=True)}
    assert len(villages) == 12
    oldest = cases.order_by("received_at").first()
    assert oldest is not None and oldest.received_at < timezone.now() - timedelta(days=300)
    assert cases.overdue().count() >= 20
    assert cases.open().count() >= 100
    assert CaseEvent.objects.filter(action="escalate").count() >= 50
    assert cases.filter(state=State.MERGED, duplicate_of__isnull=False).count() >= 5
    # every case's last event says the state it is in
    sample = cases.order_by("pk")[:200]
    for case in sample:
        assert case.events.order_by("at", "pk").last().to_state == case.state
    assert cases.filter(org_unit__kind=OrgKind.GRID).count() == cases.count()
    # Some grid events are published on the Open311 feed; nothing of another type is.
    public = cases.filter(public=True)
    assert public.count() >= 100
    assert set(public.values_list("case_type__code", flat=True).distinct()) == {"grid_event"}
