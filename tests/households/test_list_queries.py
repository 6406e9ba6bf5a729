"""The list pages and API answer in a fixed number of queries, however many households they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.households import factories


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("households:household-list", 8),
        ("households:monitoring-list", 15),  # one of them the unit picker's, whatever the rows
        ("households:batch-list", 12),
        ("households:overview", 30),
        ("api:household-list", 8),
        ("api:monitoring-case-list", 8),
    ],
)
def test_list_pages_do_not_query_per_row(
    cast: Cast, client: Client, django_assert_max_num_queries: Any, name: str, limit: int
) -> None:
    for _ in range(12):
        factories.monitoring_case(cast.grid0101)
    factories.batch_paying(cast.grid0101)
    client.force_login(cast.user("leader"))
    client.get(reverse("web:home"))  # the navigation's to-do count, then kept a minute, is made there
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_batch_page_does_not_query_per_line(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    batch = factories.batch_paying(cast.grid0101)
    for _ in range(20):
        factories.services.add_payment(
            batch, factories.household(cast.grid0101, members=1), factories.Decimal(2)
        )
    client.force_login(cast.user("leader"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("households:batch-detail", args=[batch.pk])).status_code == 200


def test_the_household_page_does_not_query_per_member(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    household = factories.household(cast.grid0101, members=6)
    client.force_login(cast.user("cun01"))
    # One query more than before the moves (迁入/迁出) were shown, whatever their number.
    with django_assert_max_num_queries(15):
        assert client.get(reverse("households:household-detail", args=[household.pk])).status_code == 200
