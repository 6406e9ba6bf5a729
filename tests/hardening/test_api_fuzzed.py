"""Schemathesis fuzzes every operation of the REST API's OpenAPI schema with generated values, valid and
hostile, as a logged-in village user: no answer is a server error, and every answer, error or not,
conforms to the schema (the errors' one shape included)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_makes_a_server_error(case: Any, cast: Cast, types: object) -> None:
    token, _ = Token.objects.get_or_create(user=cast.user("cun01"))
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
