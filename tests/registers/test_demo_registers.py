"""The demo township keeps every library register, with a year of records entered by fitting people."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Cast, full_demo_rolled_back
from zhenwu.households import crypto
from zhenwu.org.models import OrgKind, Role
from zhenwu.registers import services
from zhenwu.registers.demo import LAMP_SHARE
from zhenwu.registers.library import make
from zhenwu.registers.library.demo_records import LAMPS
from zhenwu.registers.models import Register, RegisterRecord, Thing

LIBRARY = sorted(path.stem for path in Path(make.__file__).resolve().parent.glob("*.xlsx"))


@pytest.fixture(scope="module")
def full_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from full_demo_rolled_back(django_db_blocker)


pytestmark = pytest.mark.usefixtures("full_demo")


def test_every_library_register_is_loaded_with_records(cast: Cast) -> None:
    registers = Register.objects.filter(township=cast.township)
    assert sorted(registers.values_list("form_id", flat=True)) == LIBRARY
    for register in registers:
        assert register.records.exists(), register.form_id


def test_the_lamps_are_a_share_of_the_corpus_lamps_with_their_status_after_the_patrols(cast: Cast) -> None:
    lamps = Thing.objects.filter(register__township=cast.township, register__form_id="street_lamp")
    assert lamps.count() == len(range(0, LAMPS, LAMP_SHARE)) == 211
    statuses = Counter(lamp.properties.get("status") for lamp in lamps)
    assert statuses["normal"] > statuses["broken"] > 0
    # A lamp's status is the one its last patrol or repair saved.
    lamp = next(lamp for lamp in lamps if lamp.properties.get("status") == "broken")
    last = lamp.records.filter(register__form_id="lamp_patrol").order_by("entered_at", "pk").last()
    assert last is not None and last.data["status"] == "broken"


def test_patrols_are_entered_by_the_grid_worker_of_the_lamps_grid(cast: Cast) -> None:
    patrols = RegisterRecord.objects.filter(register__township=cast.township, register__form_id="lamp_patrol")
    for patrol in patrols.select_related("entered_by", "thing", "unit")[:200]:
        assert patrol.entered_by.role == Role.GRID_WORKER
        assert patrol.unit.kind == OrgKind.GRID and patrol.unit == patrol.thing.unit
        assert patrol.entered_by.org_unit == patrol.unit


def test_office_registers_are_entered_by_their_office(cast: Cast) -> None:
    debts = RegisterRecord.objects.filter(register__township=cast.township, register__form_id="village_debt")
    offices = {record.entered_by.department.code for record in debts.select_related("entered_by__department")}
    assert offices == {"czs"}


def test_the_records_span_a_year(cast: Cast) -> None:
    records = RegisterRecord.objects.filter(register__township=cast.township)
    months = {(at.year, at.month) for at in records.values_list("entered_at", flat=True)}
    assert len(months) >= 12


def test_aid_points_at_households_and_shows_on_their_page(cast: Cast, client: Any) -> None:
    aid = RegisterRecord.objects.filter(register__form_id="household_aid", household__isnull=False).first()
    assert aid is not None and aid.household is not None
    leader = cast.user("leader")
    assert aid in services.records_pointing_at(leader, aid.household)
    client.force_login(leader)
    page = client.get(f"/households/{aid.household_id}/").content.decode()
    assert f"/registers/records/{aid.pk}/" in page
    # The recipient's name is personal: the page shows only its masked copy, as households mask names.
    full = json.loads(crypto.decrypt(aid.personal_cipher))["recipient"]
    assert aid.data["recipient"] == services.mask(full) != full
    assert services.mask(full) in page and f"<dd>{full}</dd>" not in page


def test_quantities_point_at_projects_and_show_on_their_page(cast: Cast, client: Any) -> None:
    quantity = RegisterRecord.objects.filter(register__form_id="project_quantity").first()
    assert quantity is not None and quantity.project_id is not None
    client.force_login(cast.user("leader"))
    page = client.get(f"/projects/{quantity.project_id}/").content.decode()
    assert f"/registers/records/{quantity.pk}/" in page


def test_inspections_that_found_hazards_opened_hazard_cases(cast: Cast) -> None:
    inspections = RegisterRecord.objects.filter(register__form_id="place_inspection")
    found = inspections.filter(data__result="hazard")
    assert found.exists()
    assert found.filter(case__isnull=True).count() == 0
    assert inspections.exclude(data__result="hazard").filter(case__isnull=False).count() == 0
    found = found.select_related("case__case_type", "case__org_unit", "unit", "entered_by")
    assert {record.case.case_type.code for record in found} == {"hazard"}
    # Inspected on a grid worker's round: the case is in the grid, like the grid's other cases.
    assert {record.case.org_unit.kind for record in found} == {OrgKind.GRID}
    assert all(record.entered_by.org_unit == record.unit == record.case.org_unit for record in found)


def test_hazard_cases_are_received_on_the_day_of_their_inspection_and_have_lived_since(cast: Cast) -> None:
    """The demo's inspections span a year: their hazard cases too, each received on its inspection's
    day, due on the deadline the inspection set, and as far along as its age makes likely."""
    found = RegisterRecord.objects.filter(register__form_id="place_inspection", case__isnull=False)
    now = timezone.now()
    states: Counter[str] = Counter()
    for record in found.select_related("case"):
        case = record.case
        assert case is not None
        inspected = date.fromisoformat(record.data["inspect_date"])
        assert timezone.localdate(case.received_at) == inspected == timezone.localdate(record.entered_at)
        assert case.received_at <= now
        assert case.deadline is not None
        assert timezone.localdate(case.deadline) == date.fromisoformat(record.data["hazard_case_deadline"])
        events = list(case.events.order_by("at", "pk"))
        assert events[0].action == "report" and events[0].at == case.received_at
        assert events[0].actor == record.entered_by  # the worker's own report, moved to its day
        assert all(event.at <= now for event in events)
        assert events[-1].to_state == case.state
        for moment in (case.accepted_at, case.resolved_at, case.verified_at):
            assert moment is None or case.received_at <= moment <= now
        states[case.state] += 1
    months = {timezone.localdate(r.case.received_at).replace(day=1) for r in found.select_related("case")}
    assert len(months) >= 10  # a year of inspections, not all in this month
    # Most of a year's hazards are long rectified and checked; some are still being handled.
    assert states["verified"] > len(found) / 2
    assert states["reported"] + states["accepted"] + states["assigned"] + states["in_progress"] > 0


def test_campaigns_keep_their_outputs_as_rows_and_the_figures_add_them_up(cast: Cast) -> None:
    from zhenwu.registers import figures

    register = Register.objects.get(township=cast.township, form_id="campaign")
    campaigns = list(register.records.all())
    assert all(1 <= len(record.data["outputs"]) <= 2 for record in campaigns)
    assert any(len(record.data["outputs"]) == 2 for record in campaigns)
    tons = sum(
        Decimal(row["output_quantity"])
        for record in campaigns
        for row in record.data["outputs"]
        if row["output_unit"] == "ton"
    )
    span = figures.Span(date(2000, 1, 1), date(2026, 12, 31))
    found = {
        c.spec.name: c.value for c in figures.figures_for(cast.user("admin"), register, cast.township, span)
    }
    assert found["garbage"] == tons > 0
