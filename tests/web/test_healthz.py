"""`/healthz` answers a monitor without a login and without a query: it is the benchmarks' floor too.

These tests have no database mark, so pytest-django fails any query the view would make.
"""

from django.test import Client


def test_healthz_answers_ok_without_login_or_query(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_refuses_a_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
