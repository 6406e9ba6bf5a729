"""The catalogue of figures against the demo's records: each expected value is counted here from the
records themselves, in a plain way of the test's own, not through the services the catalogue calls."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhenwu.cases.models import Case
from zhenwu.core.numbers import format_count, format_money
from zhenwu.households.models import Benefit, Household, MonitoringCase, MonitoringVisit, SubsidyPayment
from zhenwu.org.models import OrgUnit, User
from zhenwu.projects.models import InvestmentLead, InvestmentValue, LeadFollowUp, Project
from zhenwu.registers.models import RegisterRecord
from zhenwu.reports import catalogue, services
from zhenwu.reports.catalogue import CatalogueEntry
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")

BEIJING = ZoneInfo("Asia/Shanghai")
START, END = date(2026, 1, 1), date(2026, 6, 30)
AFTER = datetime.combine(date(2026, 7, 1), time.min, tzinfo=BEIJING)  # the first moment after the span
FROM = datetime.combine(START, time.min, tzinfo=BEIJING)


@pytest.fixture
def township(db: None) -> OrgUnit:
    return OrgUnit.objects.get(name="示范镇")


@pytest.fixture
def entries(township: OrgUnit) -> dict[str, CatalogueEntry]:
    admin = User.objects.get(username="admin")
    found = services.catalogue_entries(admin, township, spec_for("half-year", 2026))
    return {e.key: e for e in found}


def texts(entry: CatalogueEntry) -> dict[str, str]:
    return {f.key: f.text for f in entry.figures}


def under(township: OrgUnit, field: str) -> dict[str, str]:
    return {f"{field}__path__startswith": township.path}


def test_hazards_found_and_rectified_by_the_end_of_june(
    township: OrgUnit, entries: dict[str, CatalogueEntry]
) -> None:
    hazards = Case.objects.filter(case_type__code="hazard", received_at__gte=FROM, received_at__lt=AFTER)
    hazards = hazards.filter(**under(township, "org_unit")).exclude(state="merged")
    fixed = [c for c in hazards if c.state in ("resolved", "verified") and c.resolved_at < AFTER]
    figures = texts(entries["cases.type:hazard"])
    assert entries["cases.type:hazard"].section == "safety"
    assert figures["cases.type:hazard:received"] == f"{hazards.count()}个"
    assert figures["cases.type:hazard:resolved"] == f"{len(fixed)}个"


def test_grid_events_resolved_by_the_end_of_june(
    township: OrgUnit, entries: dict[str, CatalogueEntry]
) -> None:
    events = Case.objects.filter(case_type__code="grid_event", received_at__gte=FROM, received_at__lt=AFTER)
    events = events.filter(**under(township, "org_unit")).exclude(state="merged")
    resolved = sum(1 for c in events if c.state in ("resolved", "verified") and c.resolved_at < AFTER)
    entry = entries["cases.type:grid_event"]
    assert entry.section == "governance"
    assert texts(entry)["cases.type:grid_event:resolved"] == f"{resolved}件"


def latest_amount(project: Project) -> Decimal:
    values = InvestmentValue.objects.filter(project=project, year=2026, month__lte=6).order_by("-month")
    return values[0].amount if values else Decimal(0)


def test_a_single_projects_investment_and_the_industry_projects_investment(
    township: OrgUnit, entries: dict[str, CatalogueEntry]
) -> None:
    road = Project.objects.get(name="207国道示范镇段改线")
    figures = texts(entries[f"projects.project:{road.pk}"])
    assert figures[f"projects.project:{road.pk}:completed"] == format_money(latest_amount(road))
    industry = Project.objects.filter(plan_year=2026, category="industry", **under(township, "org_unit"))
    total = sum((latest_amount(p) for p in industry), Decimal(0))
    figures = texts(entries["projects.category:industry"])
    assert figures["projects.category:industry:count"] == f"{industry.count()}个"
    assert figures["projects.category:industry:completed"] == format_money(total)


def test_investment_leads_by_the_stage_they_stood_at_on_30_june(entries: dict[str, CatalogueEntry]) -> None:
    stage_on: dict[int, str] = {}
    for lead in InvestmentLead.objects.all():
        moves = LeadFollowUp.objects.filter(lead=lead, date__lte=END).order_by("date", "pk")
        if moves.exists():  # courted by then: its stage is its last move, or intent
            stage_on[lead.pk] = next((m.stage_to for m in reversed(list(moves)) if m.stage_to), "intent")
    for stage in ("intent", "negotiating", "signed"):
        count = sum(1 for s in stage_on.values() if s == stage)
        assert count, stage  # the demo courts leads at every stage
        assert texts(entries[f"leads.stage:{stage}"])[f"leads.stage:{stage}:count"] == f"{count}个"


def test_households_lifted_out_of_poverty_and_under_monitoring_at_the_end_of_june(
    township: OrgUnit, entries: dict[str, CatalogueEntry]
) -> None:
    lifted = Household.objects.filter(lifted_out=True, **under(township, "org_unit")).count()
    assert texts(entries["households.lifted_out"])["households.lifted_out"] == f"{lifted}户"
    unstable = {
        case.household_id
        for case in MonitoringCase.objects.filter(category="unstable", identified_on__lte=END)
        if not (case.eliminated_on and case.eliminated_on <= END and case.state == "eliminated")
    }
    people = sum(Household.objects.get(pk=pk).members.count() for pk in unstable)
    figures = texts(entries["households.monitored:unstable"])
    assert figures["households.monitored:unstable:households"] == f"{len(unstable)}户"
    assert figures["households.monitored:unstable:people"] == f"{people}人"


def test_visits_to_monitored_households_in_the_half_year(entries: dict[str, CatalogueEntry]) -> None:
    visits = MonitoringVisit.objects.filter(visited_on__gte=START, visited_on__lte=END).count()
    assert texts(entries["households.visits"])["households.visits"] == f"{visits}户次"


def test_households_on_dibao_on_30_june(entries: dict[str, CatalogueEntry]) -> None:
    on_dibao = {
        b.household_id
        for b in Benefit.objects.filter(kind="dibao", starts_on__lte=END)
        if b.ends_on is None or b.ends_on >= END
    }
    figures = texts(entries["benefits.in_force:dibao"])
    assert figures["benefits.in_force:dibao:households"] == f"{len(on_dibao)}户"
    assert entries["benefits.in_force:dibao"].section == "livelihood"


def test_the_subsidy_area(entries: dict[str, CatalogueEntry]) -> None:
    batch_keys = [key for key in entries if key.startswith("subsidies:")]
    assert batch_keys
    batch = int(batch_keys[0].split(":")[1])
    area = sum((p.area for p in SubsidyPayment.objects.filter(batch_id=batch)), Decimal(0))
    assert texts(entries[batch_keys[0]])[f"subsidy:{batch}:area"] == format_count(area, "亩")


def party_records() -> list[RegisterRecord]:
    records = RegisterRecord.objects.filter(register__form_id="party_activity")
    return [r for r in records if START.isoformat() <= r.data["activity_date"] <= END.isoformat()]


def test_party_activities_go_to_the_party_section_with_their_counts(
    entries: dict[str, CatalogueEntry],
) -> None:
    records = party_records()
    theme_days = [r for r in records if r.data["activity_type"] == "theme_day"]
    attendees = sum(int(r.data["attendees"]) for r in records)
    assert entries["register:party_activity:activities"].section == "party"
    assert texts(entries["register:party_activity:activities"]) == {
        "register:party_activity:activities": f"{len(records)}次"
    }
    assert texts(entries["register:party_activity:theme_days"]) == {
        "register:party_activity:theme_days": f"{len(theme_days)}次"
    }
    assert texts(entries["register:party_activity:attendees"]) == {
        "register:party_activity:attendees": f"{attendees}人次"
    }


def test_a_register_without_a_section_is_filed_by_its_office() -> None:
    assert catalogue.register_section("", ("yjb", "nyb")) == "safety"
    assert catalogue.register_section("party", ("nyb",)) == "party"
    assert catalogue.register_section("", ()) == "other"


def test_every_entry_has_a_section_a_label_and_figures_each_with_a_source(
    entries: dict[str, CatalogueEntry],
) -> None:
    for entry in entries.values():
        assert entry.section in catalogue.SECTION_TITLES and entry.label, entry.key
        assert entry.figures and all(f.sources and f.how for f in entry.figures), entry.key
    assert {e.section for e in entries.values()} == set(catalogue.SECTION_TITLES)


def test_the_default_outline_lists_every_entry_once_by_section(entries: dict[str, CatalogueEntry]) -> None:
    outline = catalogue.default_outline(entries.values())
    assert list(outline) == list(catalogue.SECTION_TITLES)
    listed = [key for keys in outline.values() for key in keys]
    assert sorted(listed) == sorted(entries)
    assert all(entries[key].section == section for section, keys in outline.items() for key in keys)
