"""The bench-data generator at a tiny scale, beside the fixed cast.

The command refuses a database that holds any org unit, and the test database always holds the cast; so
these tests call `generate` directly, into a county of its own whose ids start above the cast's, and a
separate test proves the command's refusal.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from zhenwu.benchdata.generate import COUNTY_CODE, Outcome, generate
from zhenwu.benchdata.scale import Clock, Scale
from zhenwu.cases import services as case_services
from zhenwu.cases.models import Case, CaseCategory, CaseEvent, CaseType
from zhenwu.cases.states import FIXED_STATES, OPEN_STATES, State
from zhenwu.core import idcard
from zhenwu.households import crypto
from zhenwu.households.models import Household, Member, MonitoringCase, SubsidyPayment
from zhenwu.indicators.models import Indicator, IndicatorKind, Target, Value
from zhenwu.manage import main
from zhenwu.org.models import OrgKind, OrgUnit, Role, User
from zhenwu.projects.models import InvestmentValue, Milestone, Project, StageChange

UNTIL = date(2026, 3, 15)
UNTIL_NOW = Clock(UNTIL, 3).now
TINY = Scale(
    townships=2,
    villages_per_township=2,
    grids_per_village=2,
    cases_per_township=300,
    indicators_per_township=40,
    projects_per_township=8,
    households_per_township=100,
)


def run(seed: int = 7) -> Outcome:
    return generate(TINY, seed=seed, until=UNTIL)


@pytest.fixture
def county(cast: object) -> Outcome:
    return run()


def in_county(queryset, field: str = "org_unit__path__startswith"):  # type: ignore[no-untyped-def]
    return queryset.filter(**{field: COUNTY_CODE})


def test_counts_match_the_options(county: Outcome) -> None:
    units = OrgUnit.objects.filter(path__startswith=COUNTY_CODE)
    assert units.filter(kind=OrgKind.TOWNSHIP).count() == 2
    assert units.filter(kind=OrgKind.VILLAGE).count() == 4
    assert units.filter(kind=OrgKind.GRID).count() == 8
    assert in_county(Case.objects).count() == 600
    assert in_county(Household.objects).count() == 200
    assert in_county(Project.objects).count() == 16
    assert in_county(Indicator.objects, "township__path__startswith").count() == 80
    assert county.counts["cases_case"] == 600


def test_every_case_has_a_history_that_agrees_with_its_state(county: Outcome) -> None:
    cases = list(in_county(Case.objects).prefetch_related("events"))
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == "report"
        assert events[-1].to_state == case.state
        assert all(e.at <= UNTIL_NOW for e in events)
        if case.state in FIXED_STATES:
            assert case.accepted_at <= case.resolved_at
        assert (case.resolved_at is not None) == (case.state in FIXED_STATES)
    states = {c.state for c in cases}
    assert {State.VERIFIED, State.RESOLVED} <= states
    assert states & set(OPEN_STATES)
    assert any(c.is_overdue(UNTIL_NOW) for c in cases)
    numbers = [c.number for c in cases]
    assert len(set(numbers)) == len(numbers)


def test_indicator_values_are_year_to_date_and_never_fall_within_a_year(county: Outcome) -> None:
    cumulative = in_county(Value.objects, "org_unit__path__startswith").filter(
        indicator__kind=IndicatorKind.CUMULATIVE
    )
    series: dict[tuple[int, int, int], list[tuple[int, Decimal]]] = {}
    for v in cumulative:
        series.setdefault((v.indicator_id, v.org_unit_id, v.year), []).append((v.month, v.value))
    assert series
    for months in series.values():
        values = [value for _, value in sorted(months)]
        assert values == sorted(values)
    by_village = in_county(Indicator.objects, "township__path__startswith").filter(by_village=True).first()
    assert by_village is not None
    assert (
        Target.objects.filter(indicator=by_village, year=2025).count() == 3
    )  # the township and its 2 villages
    assert 35 <= Value.objects.filter(indicator=by_village, org_unit__kind=OrgKind.VILLAGE).count() <= 72


def test_a_sample_of_records_passes_full_clean(county: Outcome) -> None:
    for model in (
        Case,
        CaseEvent,
        Household,
        Member,
        MonitoringCase,
        SubsidyPayment,
        Indicator,
        Target,
        Value,
        Project,
        StageChange,
        Milestone,
        InvestmentValue,
        User,
    ):
        rows = list(model.objects.order_by("-pk")[:5])
        assert rows, model
        for record in rows:
            record.full_clean()


def test_identity_numbers_are_valid_sealed_and_decrypt(county: Outcome) -> None:
    members = list(in_county(Member.objects, "household__org_unit__path__startswith"))
    assert len(members) >= 200
    for member in members:
        number = member.full_id_number()
        parsed = idcard.parse(number)
        assert parsed.birth_date == member.birth_date and parsed.gender == member.gender
        assert member.id_number_index == crypto.blind_index(number)
        assert member.id_number_masked == idcard.mask_id_number(number)
    heads = [m for m in members if m.relation == "head"]
    assert all(idcard.validate_phone(m.full_phone()) for m in heads)


def digest() -> str:
    """A digest of the generated rows that do not hold a random nonce or salt."""
    parts = [
        in_county(Case.objects)
        .order_by("pk")
        .values_list("pk", "state", "received_at", "deadline", "resolved_at", "handling_unit__code", "title"),
        in_county(Member.objects, "household__org_unit__path__startswith")
        .order_by("pk")
        .values_list("pk", "name", "id_number_index", "birth_date"),
        in_county(Value.objects).order_by("pk").values_list("pk", "indicator__code", "month", "value"),
        in_county(Project.objects).order_by("pk").values_list("pk", "name", "stage", "total_investment"),
    ]
    return hashlib.sha256(repr([list(p) for p in parts]).encode()).hexdigest()


class Discard(Exception):
    pass


def digest_of_run(seed: int) -> str:
    try:
        with transaction.atomic():
            run(seed)
            found = digest()
            raise Discard
    except Discard:
        return found


def test_the_same_seed_gives_the_same_county_and_another_seed_another(cast: object) -> None:
    first = digest_of_run(7)
    assert digest_of_run(7) == first
    assert digest_of_run(8) != first


def test_a_village_user_gets_the_pages_that_the_benchmark_measures(county: Outcome, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="t01v01"))
    for name in (
        "cases:case-list",
        "households:household-list",
        "indicators:dashboard",
        "projects:dashboard",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert b"970101001001" in client.get(reverse("households:household-list")).content


def test_a_leader_gets_the_dashboard_and_filtered_case_lists(county: Outcome, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="t01leader"))
    assert client.get("/").status_code == 200
    assert client.get(reverse("cases:case-list"), {"state": "open"}).status_code == 200
    client.force_login(User.objects.get(username="county"))
    assert client.get(reverse("cases:case-list")).status_code == 200


def test_records_created_the_usual_way_after_generation_get_fresh_ids(county: Outcome) -> None:
    grid_worker = User.objects.get(username="t01v01g01")
    grid_event = CaseType.objects.get(code="grid_event")
    case = case_services.create_case(
        grid_worker,
        case_type=grid_event,
        category=CaseCategory.objects.filter(case_type=grid_event).first(),
        title="生成数据之后新报的事件",
        description="路灯损坏。",
        org_unit=grid_worker.org_unit,
    )
    assert case.pk > in_county(Case.objects).exclude(pk=case.pk).order_by("-pk").first().pk
    assert case.events.count() == 1


def test_the_command_refuses_a_database_that_already_has_an_org_tree(cast: object) -> None:
    with pytest.raises(CommandError, match="已有组织单元"):
        call_command("bench_data", "--townships", "1")
    assert not OrgUnit.objects.filter(code=COUNTY_CODE).exists()


def test_the_console_script_knows_the_dashed_name(cast: object, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["zhenwu", "bench-data", "--townships", "1"])
    assert "已有组织单元" in capsys.readouterr().err


def test_a_grid_worker_account_has_the_role_its_unit_wants(county: Outcome) -> None:
    worker = User.objects.get(username="t02v02g01")
    assert worker.role == Role.GRID_WORKER and worker.org_unit.kind == OrgKind.GRID
    office = User.objects.get(username="t02jfb")
    assert office.department.township_id == office.org_unit_id
    assert office.check_password("zhenwu-bench")
