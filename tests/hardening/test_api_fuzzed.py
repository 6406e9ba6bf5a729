"""Schemathesis fuzzes every operation of the REST API's OpenAPI schema with generated values, valid and
hostile, as a logged-in village user: no answer is a server error, and every answer, error or not,
conforms to the schema (the errors' one shape included)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from tests.conftest import Cast

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Django closes the database connection after each request, which on PostgreSQL ends the test's
    transaction; the test client keeps it open the same way (django.test.client.ClientHandler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.fuzz
@pytest.mark.usefixtures("connection_kept")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_makes_a_server_error(case: Any, cast: Cast, types: object) -> None:
    token, _ = Token.objects.get_or_create(user=cast.user("cun01"))
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
