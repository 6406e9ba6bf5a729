"""The monitoring cycle: identification, measures, visits, income checks, a proposed risk elimination
that the township approves or sends back; every step through the pages, by the roles that take it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import services
from zhenwu.households.models import IncomeCheck, MonitoringCase, MonitoringState


def test_a_village_identifies_visits_proposes_and_the_civil_affairs_office_approves(
    cast: Cast, client: Client
) -> None:
    household = factories.household(cast.grid0101)
    today = timezone.localdate()
    client.force_login(cast.user("cun01"))
    response = client.post(
        reverse("households:monitoring-identify", args=[household.pk]),
        {
            "category": "sudden",
            "identified_on": today - timedelta(days=30),
            "risk_causes": ["illness", "disaster"],
        },
    )
    case = MonitoringCase.objects.get(household=household)
    assert response.status_code == 302 and case.cause_labels() == ["因病", "因灾"]
    detail = reverse("households:monitoring-detail", args=[case.pk])

    client.force_login(cast.user("wangge01"))
    client.post(detail, {"action": "visit", "visited_on": today, "note": "户主已出院"})
    assert case.visits.get().note == "户主已出院"

    client.force_login(cast.user("cun01"))
    client.post(detail, {"action": "measures", "measures": "落实医疗救助"})
    client.post(
        detail, {"action": "income", "year": today.year, "per_capita_income": "9800", "checked_on": today}
    )
    client.post(detail, {"action": "propose", "eliminated_on": today, "reason": "收入稳定"})
    case.refresh_from_db()
    assert case.state == MonitoringState.ELIMINATION_PROPOSED and case.measures == "落实医疗救助"
    assert IncomeCheck.objects.get(household=household).per_capita_income == 9800

    client.post(detail, {"action": "approve"})  # village staff may not approve
    case.refresh_from_db()
    assert case.state == MonitoringState.ELIMINATION_PROPOSED

    client.force_login(cast.user("minzheng"))
    client.post(detail, {"action": "approve"})
    case.refresh_from_db()
    assert case.state == MonitoringState.ELIMINATED and case.approved_by == cast.user("minzheng")
    assert case.eliminated_on == today


def test_sending_back_reopens_monitoring(cast: Cast) -> None:
    case = factories.monitoring_case(cast.grid0101, identified_on=date(2026, 1, 5))
    services.propose_elimination(case, eliminated_on=date(2026, 6, 1), reason="收入稳定")
    services.decide_elimination(case, approve=False, actor=cast.user("leader"))
    assert case.state == MonitoringState.MONITORED and case.eliminated_on is None


def test_a_household_has_one_open_case_at_a_time(cast: Cast) -> None:
    case = factories.monitoring_case(cast.grid0101)
    with pytest.raises(ValidationError, match="已是监测对象"):
        services.identify(
            household=case.household,
            category="unstable",
            identified_on=date(2026, 2, 1),
            risk_causes=["other"],
        )


def test_identification_needs_a_risk_cause_and_a_past_date(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("cun01"))
    url = reverse("households:monitoring-identify", args=[household.pk])
    future = timezone.localdate() + timedelta(days=3)
    body = client.post(url, {"category": "marginal", "identified_on": future}).content.decode()
    assert "识别日期不能晚于今天" in body and "该字段是必填项" in body
    assert not MonitoringCase.objects.exists()


def test_elimination_cannot_predate_identification(cast: Cast) -> None:
    case = factories.monitoring_case(cast.grid0101, identified_on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="不能早于识别日期"):
        services.propose_elimination(case, eliminated_on=date(2026, 2, 1), reason="x")


def test_a_grid_worker_may_visit_but_not_identify(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("wangge01"))
    assert client.get(reverse("households:monitoring-identify", args=[household.pk])).status_code == 403
