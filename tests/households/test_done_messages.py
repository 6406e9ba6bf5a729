"""Each step of monitoring a household says what was done and to which household, not "已保存"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households.models import MonitoringCase


def last_message(response: HttpResponse) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]  # type: ignore[attr-defined]


def test_monitoring_steps_name_the_household_and_the_step(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    number, today = household.number, timezone.localdate()
    client.force_login(cast.user("cun01"))
    identified = client.post(
        reverse("households:monitoring-identify", args=[household.pk]),
        {"category": "sudden", "identified_on": today - timedelta(days=30), "risk_causes": ["illness"]},
    )
    assert last_message(identified) == f"已将农户{number}纳入监测(突发严重困难户)。"
    detail = reverse(
        "households:monitoring-detail", args=[MonitoringCase.objects.get(household=household).pk]
    )
    visited = client.post(detail, {"action": "visit", "visited_on": today, "note": "户主已出院"})
    assert last_message(visited) == f"已登记{today:%Y-%m-%d}对农户{number}的走访。"
    measures = client.post(detail, {"action": "measures", "measures": "落实医疗救助"})
    assert last_message(measures) == f"已更新农户{number}的帮扶措施。"
    income = {"action": "income", "year": today.year, "per_capita_income": "9800", "checked_on": today}
    assert (
        last_message(client.post(detail, income)) == f"已登记农户{number}{today.year}年的人均纯收入9800元。"
    )
    proposed = client.post(detail, {"action": "propose", "eliminated_on": today, "reason": "收入稳定"})
    assert last_message(proposed) == f"已提出农户{number}风险消除，待乡镇审批。"
    client.force_login(cast.user("minzheng"))
    assert last_message(client.post(detail, {"action": "approve"})) == f"已审批农户{number}风险消除。"
