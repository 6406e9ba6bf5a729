"""Identifying the user reads their unit and office in the same query: every request decides its scope
from them next."""

from __future__ import annotations

from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import Cast
from zhenwu.org.auth import UnitModelBackend, UnitTokenAuthentication


def test_a_signed_in_user_comes_with_unit_and_office(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = cast.user("jingfa")
    with django_assert_num_queries(1):
        user = UnitModelBackend().get_user(staff.pk)
        assert user is not None
        assert (user.org_unit, user.department) == (cast.township, cast.jingfa_department)


def test_an_inactive_user_is_not_signed_in(cast: Cast) -> None:
    staff = cast.user("jingfa")
    staff.is_active = False
    staff.save()
    assert UnitModelBackend().get_user(staff.pk) is None


def test_an_api_token_brings_the_unit_and_is_remembered(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    worker = cast.user("wangge01")
    key = Token.objects.create(user=worker).key
    UnitTokenAuthentication().authenticate_credentials(key)
    with django_assert_num_queries(0):
        user, _ = UnitTokenAuthentication().authenticate_credentials(key)
        assert user == worker and user.org_unit == cast.grid0101


def test_a_revoked_token_or_a_moved_user_counts_at_once(cast: Cast, client: Client) -> None:
    worker = cast.user("wangge01")
    token = Token.objects.create(user=worker)
    me = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/me/", **me).json()["org_unit"]["code"] == cast.grid0101.code
    worker.org_unit = cast.grid0102
    worker.save()
    assert client.get("/api/v1/me/", **me).json()["org_unit"]["code"] == cast.grid0102.code
    token.delete()
    assert client.get("/api/v1/me/", **me).status_code == 401


def test_a_wrong_or_inactive_token_is_refused(cast: Cast, client: Client) -> None:
    worker = cast.user("wangge01")
    key = Token.objects.create(user=worker).key
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    worker.is_active = False
    worker.save()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
