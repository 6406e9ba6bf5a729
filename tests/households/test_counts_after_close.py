"""Closed households and members who died or moved away are not counted from their close date on: not in
the households under monitoring, the 低保 households and people in force, the register's tag counts, the
figures indicators are bound to (households/measures.py), nor the monthly visits due; before that date
they are, as they were then. 低保金 is paid up to the month of closing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.conftest import Cast
from tests.households import factories
from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.households import services
from zhenwu.org import scope

CLOSED = date(2026, 9, 15)
BEFORE, AFTER = date(2026, 9, 14), date(2026, 9, 15)


def _dibao_household(cast: Cast, members: int = 3) -> services.Household:
    household = factories.household(cast.grid0101, members=members)
    services.grant_benefit(household=household, kind="dibao", starts_on=date(2026, 1, 1),
                           monthly_amount=Decimal("500"))  # fmt: skip
    return household


def test_a_closed_household_is_monitored_until_its_close_date(cast: Cast) -> None:
    case = factories.monitoring_case(cast.grid0101, identified_on=date(2026, 3, 1))
    services.close_household(case.household, closed_on=CLOSED, reason="moved_out")
    before = services.monitored_on(scope.WHOLE_UNIT, BEFORE, cast.village01)
    after = services.monitored_on(scope.WHOLE_UNIT, AFTER, cast.village01)
    assert (before.households, before.people) == (1, 2)
    assert (after.households, after.people) == (0, 0)
    assert services.monitored_by_category_on(scope.WHOLE_UNIT, AFTER, cast.village01) == {}
    year = services.new_monitored(scope.WHOLE_UNIT, date(2026, 1, 1), date(2026, 12, 31), cast.village01)
    assert year.households == 0
    assert services.monitoring_breakdown(scope.WHOLE_UNIT, cast.village01) == []
    assert list(services.unvisited_monitored(scope.WHOLE_UNIT, date(2026, 11, 1), cast.village01)) == []


def test_a_member_who_died_is_not_counted_from_the_day(cast: Cast) -> None:
    case = factories.monitoring_case(cast.grid0101, identified_on=date(2026, 3, 1))
    child = case.household.members.get(relation="child")
    services.close_member(child, left_on=CLOSED, reason="died")
    assert services.monitored_on(scope.WHOLE_UNIT, BEFORE, cast.village01).people == 2
    assert services.monitored_on(scope.WHOLE_UNIT, AFTER, cast.village01).people == 1


def test_dibao_in_force_and_paid_stop_at_the_close_date(cast: Cast) -> None:
    household = _dibao_household(cast)
    services.close_member(household.members.filter(relation="child").first(), left_on=date(2026, 5, 1),
                          reason="moved_out")  # fmt: skip
    services.close_household(household, closed_on=CLOSED, reason="moved_out")
    assert services.benefits_in_force(scope.WHOLE_UNIT, "dibao", BEFORE, cast.village01) == (1, 2)
    assert services.benefits_in_force(scope.WHOLE_UNIT, "dibao", AFTER, cast.village01) == (0, 0)
    assert services.benefits_in_force(scope.WHOLE_UNIT, "dibao", date(2026, 4, 30), cast.village01) == (1, 3)
    paid = services.benefit_paid(
        scope.WHOLE_UNIT, "dibao", date(2026, 1, 1), date(2026, 12, 31), cast.village01
    )
    assert paid.yuan == Decimal("4500.00")  # January to September, the month it closed


def test_bound_indicator_figures_leave_out_closed_households(cast: Cast) -> None:
    household = _dibao_household(cast)
    factories.monitoring_case(cast.grid0101, identified_on=date(2026, 2, 1))
    services.close_household(household, closed_on=CLOSED, reason="moved_out")

    def figure(key: str, month: int, option: str = "") -> Decimal | None:
        measure = measures.get(key)
        assert measure is not None
        return measure.compute(cast.village01, Period(2026, month), option, {}).value

    assert (
        figure("households.benefit_households", 8, "dibao"),
        figure("households.benefit_households", 10, "dibao"),
    ) == (1, 0)
    assert (
        figure("households.benefit_people", 8, "dibao"),
        figure("households.benefit_people", 10, "dibao"),
    ) == (3, 0)
    assert figure("households.benefit_paid", 10, "dibao") == Decimal("4500.00")
    assert figure("households.new_monitored", 10) == 1 and figure("households.new_monitored_people", 10) == 2


def test_tag_counts_and_the_register_list_leave_out_closed_households(cast: Cast) -> None:
    kept = factories.household(cast.grid0101, members=2)
    closed = _dibao_household(cast)
    services.close_household(closed, closed_on=CLOSED, reason="moved_out")
    counts = services.tag_counts(scope.WHOLE_UNIT, date(2026, 11, 18), cast.village01)
    assert (counts.households, counts.people, counts.dibao) == (1, 2, 0)
    assert list(services.households_for(cast.user("cun01")).filter(org_unit=cast.grid0101)) == [kept]
    assert list(services.closed_households_for(cast.user("cun01"))) == [closed]
