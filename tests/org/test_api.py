"""The org API answers by session or token, within scope, and is described by the OpenAPI schema."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import Cast


def test_a_token_authenticates_a_grid_workers_phone(cast: Cast, client: Client) -> None:
    token = Token.objects.create(user=cast.user("wangge01"))
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["org_unit"]["code"] == cast.grid0101.code
    assert response.json()["role"] == "grid_worker"


def test_a_wrong_token_is_refused(cast: Cast, client: Client) -> None:
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_the_unit_list_filters_by_kind_and_parent(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    villages = client.get(reverse("api:org-unit-list"), {"kind": "village", "limit": 500}).json()
    assert villages["count"] == 12
    grids = client.get(reverse("api:org-unit-list"), {"parent": cast.village01.code}).json()
    assert {row["parent"] for row in grids["results"]} == {cast.village01.code}
    assert grids["count"] == 5


def test_the_schema_documents_the_org_api(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/org-units/" in schema["paths"]
    assert "/api/v1/org-units/{code}/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]
