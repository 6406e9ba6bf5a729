"""The dashboard and an indicator's page take a bounded number of queries, whatever the data."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, target, value


def fill(cast: Cast, catalog: Catalog, first: int, last: int) -> None:
    for village in cast.township.children.order_by("code")[first:last]:
        for month in (7, 8):
            value(catalog.jobs, village, month, str(month))
            value(catalog.jobs, village, month, "5", year=YEAR - 1)
        target(catalog.jobs, village, "20")


def test_the_dashboard_queries_do_not_grow_with_villages(
    cast: Cast, catalog: Catalog, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.user("leader"))
    url = f"{reverse('indicators:dashboard')}?org={cast.township.code}&period={YEAR}-08"
    fill(cast, catalog, 0, 2)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    fill(cast, catalog, 2, 12)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_an_indicator_page_reads_its_sources_in_bounded_queries(
    cast: Cast, catalog: Catalog, client: Client, django_assert_max_num_queries: Any
) -> None:
    fill(cast, catalog, 0, 12)
    client.force_login(cast.user("leader"))
    url = f"{reverse('indicators:indicator-detail', args=[catalog.jobs.pk])}?period={YEAR}-08"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert page.count("2026年8月") == 12  # every village's value is listed as a source
