"""Taking in a case costs a fixed, small number of queries: intake is the busiest write of the county.

Each query named here is one the intake needs; a new one (say, auditlog reading the relations that point
at a case, or full_clean re-reading records the request already holds) fails the count.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases.models import Case, Open311Key

# Insert the case and its log entry, insert its event; the transaction's begin and end. The client's key,
# the category, the routing office and the holiday table come from the remembered reference data.
OPEN311_QUERIES = 5


def test_an_open311_request_costs_a_fixed_number_of_queries(
    cast: Cast, types: dict, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    Open311Key.objects.create(township=cast.township, name="客户端", key="intake-key")
    data = {
        "api_key": "intake-key",
        "service_code": "grid_event-sanitation",
        "address_string": "示范镇政府门口",
        "description": "门口垃圾桶满了",
    }
    client.post("/open311/v2/requests.json", data)  # fills the content-type and reference-data caches
    with django_assert_max_num_queries(OPEN311_QUERIES):
        response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 200
    assert Case.objects.filter(pk=int(response.json()[0]["service_request_id"])).exists()


def test_the_activity_log_keeps_a_cases_own_fields_not_what_points_at_it(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    entry = LogEntry.objects.get_for_object(case).get(action=LogEntry.Action.CREATE)
    assert {"title", "state", "org_unit"} <= set(entry.changes_dict)
    assert not {"notice", "project_problem", "events", "photos"} & set(entry.changes_dict)
    # The case's own event log already holds the report, append-only; it is not logged twice.
    event = case.events.get()
    assert not LogEntry.objects.get_for_object(event).exists()


def test_the_api_answers_a_new_case_with_what_a_read_gives(cast: Cast, types: dict, client: Client) -> None:
    grid_worker = cast.user("wangge01")
    client.force_login(grid_worker)
    created = client.post(
        "/api/v1/cases/",
        {
            "case_type": "grid_event",
            "category": "grid_event-sanitation",
            "title": "路灯不亮",
            "description": "路灯不亮，请修",
            "org_unit": cast.grid0101.code,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    read = client.get(f"/api/v1/cases/{created.json()['id']}/")
    assert created.json() == read.json()


# The transaction's begin and end, the guard's look for a like case of the last 30 minutes, the case, its
# log entry and its event. The token's user, the type, the category and the reporter's own unit come from
# remembered data or the request.
REST_QUERIES = 6


def test_a_rest_report_costs_a_fixed_number_of_queries(
    cast: Cast, types: dict, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    worker = cast.user("wangge01")
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=worker).key}"}
    body = {
        "case_type": "grid_event",
        "category": "grid_event-sanitation",
        "title": "路灯不亮",
        "description": "路灯不亮，请修",
        "org_unit": cast.grid0101.code,
    }
    client.post("/api/v1/cases/", body, content_type="application/json", **headers)  # fills the caches
    other = {**body, "title": "井盖缺失", "description": "3组路口井盖缺失"}  # not asked about as a duplicate
    with django_assert_max_num_queries(REST_QUERIES):
        response = client.post("/api/v1/cases/", other, content_type="application/json", **headers)
    assert response.status_code == 201
