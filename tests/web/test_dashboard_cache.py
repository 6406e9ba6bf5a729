"""The dashboard keeps its figures a few minutes for those who see the same records, says when they
were made, recounts on demand, and never shows one scope's figures to another."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.conftest import Cast

pytestmark = pytest.mark.usefixtures("full_demo")
URL = reverse("web:dashboard")


def figure(html: str, name: str) -> int:
    return int(html.split(f'data-figure="{name}"', 1)[1].split("<strong>", 1)[1].split("<", 1)[0])


def indicators_shown(html: str) -> int:
    return sum(figure(html, name) for name in ("on-schedule", "behind", "no-time-progress", "not-reported"))


def test_a_second_visit_reuses_the_figures_and_fresh_counts_again(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    first = client.get(URL).content.decode()
    assert "数据生成于" in first and "立即重新统计" in first
    make_case(cast.user("wangge01"), cast.grid0101)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(URL).content.decode()
    assert figure(again, "received-month") == figure(first, "received-month")
    with CaptureQueriesContext(connection) as counted:
        fresh = client.get(f"{URL}?fresh=1").content.decode()
    assert figure(fresh, "received-month") == figure(first, "received-month") + 1
    assert len(kept.captured_queries) < len(counted.captured_queries) / 2


def test_kept_figures_are_never_shown_to_another_scope(cast: Cast, client: Client) -> None:
    """The leader and an office's staff share a township, but the office sees its own indicators only."""
    client.force_login(cast.user("leader"))
    leaders = client.get(URL).content.decode()
    client.force_login(cast.user("jingfa"))
    offices = client.get(URL).content.decode()
    assert 0 < indicators_shown(offices) < indicators_shown(leaders)
    client.force_login(cast.user("cun02"))
    assert client.get(f"{URL}?org={cast.village01.code}").status_code == 404
