"""The report figures, each from one service, checked against counts made independently of it:
新增监测对象x户x人, 发放低保金x万元, 补贴面积x亩 资金x元 发放率x%."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import services
from zhenwu.households.models import Benefit, Household, MonitoringCase, SubsidyPayment

START, END = date(2026, 1, 1), date(2026, 6, 30)


def test_new_monitored_counts_households_and_their_people_in_the_period(cast: Cast) -> None:
    inside = [
        factories.monitoring_case(cast.grid0101, identified_on=date(2026, 2, 3)),
        factories.monitoring_case(cast.village02, identified_on=date(2026, 6, 30)),
    ]
    services.add_member(inside[0].household, services.MemberInput("加一", "child", factories.id_number()))
    factories.monitoring_case(cast.grid0101, identified_on=date(2025, 12, 31))  # before the period
    factories.monitoring_case(cast.other_village, identified_on=date(2026, 3, 1))  # another county
    figure = services.new_monitored(cast.user("leader"), START, END)
    people = sum(Household.objects.get(pk=c.household_id).members.count() for c in inside)
    assert (figure.households, figure.people) == (2, people) == (2, 5)
    assert figure.sentence() == "新增监测对象2户5人"
    assert set(figure.records) == set(inside)
    assert services.new_monitored(cast.user("cun01"), START, END).households == 1
    assert services.by_village(figure) == {"东岗村": (1, 3), "西河村": (1, 2)}


def test_closed_cases_count_only_approved_eliminations(cast: Cast) -> None:
    approved = factories.monitoring_case(cast.grid0101, identified_on=date(2025, 10, 1))
    services.propose_elimination(approved, eliminated_on=date(2026, 3, 1), reason="稳定")
    services.decide_elimination(approved, approve=True)
    pending = factories.monitoring_case(cast.grid0101, identified_on=date(2025, 10, 1))
    services.propose_elimination(pending, eliminated_on=date(2026, 3, 1), reason="稳定")
    closed = services.closed_monitored(cast.user("leader"), START, END)
    assert list(closed.records) == [approved] and closed.households == 1


def _dibao_by_months(benefits: list[Benefit], start: date, end: date) -> Decimal:
    """An independent sum: walk every month of the period and add each benefit active in it."""
    total = Decimal(0)
    month = start.replace(day=1)
    while month <= end:
        next_month = (month + timedelta(days=32)).replace(day=1)
        last_day = next_month - timedelta(days=1)
        for b in benefits:
            if b.starts_on <= min(last_day, end) and (b.ends_on is None or b.ends_on >= max(month, start)):
                total += b.monthly_amount or Decimal(0)
        month = next_month
    return total


def test_dibao_paid_matches_a_month_by_month_sum(cast: Cast) -> None:
    rng = random.Random(7)
    benefits = []
    for _ in range(25):
        starts = date(2025, rng.randint(1, 12), rng.randint(1, 28))
        ends = None if rng.random() < 0.5 else starts + timedelta(days=rng.randint(0, 500))
        benefits.append(
            services.grant_benefit(
                household=factories.household(cast.grid0101, members=1),
                kind="dibao",
                starts_on=starts,
                ends_on=ends,
                monthly_amount=Decimal(rng.randint(300, 900)),
            )
        )
    services.grant_benefit(
        household=factories.household(cast.grid0101, members=1),
        kind="tekun",
        starts_on=date(2025, 1, 1),
        monthly_amount=Decimal(999),
    )
    paid = services.benefit_paid(cast.user("leader"), "dibao", START, END)
    assert paid.yuan == _dibao_by_months(benefits, START, END)
    assert set(paid.records) == {b for b in benefits if _dibao_by_months([b], START, END)}
    assert paid.sentence("低保金") == f"发放低保金{(paid.yuan / 10000).quantize(Decimal('0.1'))}万元"


def test_a_benefit_of_one_month_counts_once() -> None:
    benefit = Benefit(starts_on=date(2026, 3, 31), ends_on=date(2026, 3, 31), monthly_amount=Decimal(500))
    assert services.months_paid(benefit, START, END) == 1
    assert services.months_paid(benefit, date(2026, 4, 1), END) == 0


def test_temporary_assistance_is_one_off_and_needs_a_reason(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    with pytest.raises(ValidationError, match="须填写事由"):
        services.grant_benefit(household=household, kind="temporary", starts_on=START, amount=Decimal(800))
    services.grant_benefit(
        household=household, kind="temporary", starts_on=START, amount=Decimal(800), reason="因灾"
    )
    assert services.benefit_paid(cast.user("cun01"), "temporary", START, END).yuan == 800


def test_subsidy_amount_is_area_times_rate_never_typed(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0101, area=Decimal("3.33"))
    payment = batch.payments.get()
    assert payment.amount == Decimal("318.02")  # 3.33 × 95.50 = 318.015, half up
    assert "amount" not in [f.name for f in SubsidyPayment._meta.get_fields() if f.editable]


def test_subsidy_figure_matches_independent_sums_and_the_paid_rate(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0101, area=Decimal("2.5"))
    rng = random.Random(3)
    for unit in (cast.grid0101, cast.village02, cast.village03):
        for _ in range(6):
            services.add_payment(
                batch, factories.household(unit, members=1), Decimal(rng.randint(10, 999)) / 10
            )
    paid_ids = list(batch.payments.order_by("pk").values_list("pk", flat=True)[:9])
    SubsidyPayment.objects.filter(pk__in=paid_ids).update(paid_on=date(2026, 5, 1))
    figure = services.subsidy_figure(cast.user("leader"), batch=batch)
    rows = list(SubsidyPayment.objects.filter(batch=batch))
    area = sum(r.area for r in rows)
    due = sum((r.area * batch.rate).quantize(Decimal("0.01")) for r in rows)
    paid = sum(r.amount for r in rows if r.pk in paid_ids)
    assert (figure.area, figure.due, figure.paid, figure.lines) == (area, due, paid, 19)
    assert figure.paid_rate == (paid * 100 / due).quantize(Decimal("0.1"))
    assert figure.sentence() == f"补贴面积{area}亩，资金{due}元，发放率{figure.paid_rate}%"
    village02 = services.subsidy_figure(cast.user("cun02"), batch=batch)
    assert village02.lines == 6


def test_paying_a_batch_marks_the_lines_in_scope_and_the_rate_reaches_100(cast: Cast, client: Client) -> None:
    batch = factories.batch_paying(cast.grid0101)
    services.add_payment(batch, factories.household(cast.village02), Decimal("4"))
    client.force_login(cast.user("minzheng"))
    client.post(reverse("households:batch-detail", args=[batch.pk]), {"paid_on": "2026-05-20"})
    figure = services.subsidy_figure(cast.user("leader"), batch=batch)
    assert figure.paid_rate == 100 and figure.paid == figure.due


def test_a_leader_may_not_pay_a_batch(cast: Cast, client: Client) -> None:
    batch = factories.batch_paying(cast.grid0101)
    client.force_login(cast.user("leader"))
    response = client.post(reverse("households:batch-detail", args=[batch.pk]), {"paid_on": "2026-05-20"})
    assert response.status_code == 404
    assert services.subsidy_figure(cast.user("leader"), batch=batch).paid == 0


def test_the_overview_counts_only_what_the_user_may_see(cast: Cast, client: Client) -> None:
    factories.monitoring_case(cast.grid0101)
    factories.household(cast.village02, lifted_out=True)
    client.force_login(cast.user("cun02"))
    tags = client.get(reverse("households:overview")).context["tags"]
    assert (tags.households, tags.monitored, tags.lifted_out) == (1, 0, 1)
    assert client.get(reverse("households:overview"), {"unit": cast.village01.code}).status_code == 404
    client.force_login(cast.user("leader"))
    tags = client.get(reverse("households:overview"), {"unit": cast.village01.code}).context["tags"]
    assert (tags.households, tags.monitored, tags.lifted_out) == (1, 1, 0)
    tags = client.get(reverse("households:overview")).context["tags"]
    assert (tags.households, tags.monitored, tags.lifted_out) == (2, 1, 1)
    assert MonitoringCase.objects.count() == 1


def test_ending_a_benefit_from_the_household_page_stops_it_today(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    benefit = services.grant_benefit(
        household=household, kind="dibao", starts_on=date(2025, 1, 1), monthly_amount=Decimal(500)
    )
    client.force_login(cast.user("cun01"))
    client.post(reverse("households:benefit-grant", args=[household.pk]), {"end": benefit.pk})
    benefit.refresh_from_db()
    assert benefit.ends_on is not None and benefit.ends_on >= date(2025, 1, 1)
    client.force_login(cast.user("leader"))
    other = services.grant_benefit(
        household=household, kind="tekun", starts_on=date(2025, 1, 1), monthly_amount=Decimal(500)
    )
    assert (
        client.post(reverse("households:benefit-grant", args=[household.pk]), {"end": other.pk}).status_code
        == 403  # a leader reads the register but does not keep it
    )


def test_benefit_paid_counts_no_month_not_yet_paid(cast: Cast) -> None:
    """On 18 November (the frozen clock) a year's 低保金 is January to November's: December's money is an
    entitlement, not yet paid, even when the span asked for runs to 31 December."""
    household = factories.household(cast.grid0101, members=1)
    services.grant_benefit(
        household=household, kind="dibao", starts_on=date(2026, 1, 1), monthly_amount=Decimal(500)
    )
    services.grant_benefit(household=household, kind="temporary", starts_on=date(2026, 12, 1),
                           amount=Decimal(800), reason="因灾")  # fmt: skip
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert services.benefit_paid(cast.user("leader"), "dibao", *year).yuan == 500 * 11
    assert services.benefit_paid(cast.user("leader"), "temporary", *year).yuan == 0
    # a report made on 30 June counts to that day, whatever the clock says
    paid_by = date(2026, 6, 30)
    assert services.benefit_paid(cast.user("leader"), "dibao", *year, paid_by=paid_by).yuan == 500 * 6


def test_households_under_monitoring_on_a_day_are_read_from_their_dates(cast: Cast) -> None:
    """On 30 June a household whose risk was eliminated in August was still monitored; one identified
    in July was not yet; one eliminated in May no longer was."""
    june_30 = date(2026, 6, 30)
    closed_later = factories.monitoring_case(cast.grid0101, identified_on=date(2026, 2, 1))
    services.propose_elimination(closed_later, eliminated_on=date(2026, 8, 1), reason="稳定")
    services.decide_elimination(closed_later, approve=True)
    factories.monitoring_case(cast.grid0101, identified_on=date(2026, 7, 1))  # identified after the day
    closed_before = factories.monitoring_case(cast.village02, identified_on=date(2026, 1, 5))
    services.propose_elimination(closed_before, eliminated_on=date(2026, 5, 1), reason="稳定")
    services.decide_elimination(closed_before, approve=True)
    proposed = factories.monitoring_case(cast.village02, identified_on=date(2026, 3, 1))
    services.propose_elimination(proposed, eliminated_on=date(2026, 6, 1), reason="稳定")  # not approved
    then = services.monitored_on(cast.user("leader"), june_30)
    assert set(then.records) == {closed_later, proposed}
    assert (then.households, then.people) == (2, 4)
    assert set(services.monitored_on(cast.user("leader"), date(2026, 11, 1)).records) == {
        proposed,
        *MonitoringCase.objects.filter(identified_on=date(2026, 7, 1)),
    }
