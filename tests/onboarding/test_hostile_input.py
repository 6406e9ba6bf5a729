"""No value typed into the first-run page or the indicator library causes a server error, and a refused
first-run post creates nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cast
from tests.hardening.test_no_server_error import HOSTILE
from zhenwu.cases import catalog
from zhenwu.indicators import library
from zhenwu.org.models import OrgUnit, User
from zhenwu.web import setup

SETUP_FIELDS = [
    "township",
    "code",
    "county",
    "county_code",
    "display_name",
    "username",
    "password1",
    "password2",
]
HOSTILE_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def test_the_first_run_page_answers_hostile_values_without_a_server_error(
    empty_install: None, client: Client
) -> None:
    key = setup.issue_key()

    @HOSTILE_SETTINGS
    @given(st.fixed_dictionaries({f: HOSTILE for f in SETUP_FIELDS}))
    def post(data: dict[str, str]) -> None:
        response = client.post("/setup/", {"key": key, **data})
        assert response.status_code < 500, data
        assert not User.objects.exists() and not OrgUnit.objects.exists()

    post()


def test_the_library_answers_hostile_values_without_a_server_error(cast: Cast, client: Client) -> None:
    catalog.install()
    library.install()
    client.force_login(cast.user("admin"))
    fields = ["org", "pick-czsr", "office-czsr", "pick-sjlywz", "office-sjlywz"]

    @HOSTILE_SETTINGS
    @given(st.fixed_dictionaries({f: HOSTILE for f in fields}))
    def post(data: dict[str, Any]) -> None:
        response = client.post("/indicators/library/", data)
        assert response.status_code < 500, data

    post()
