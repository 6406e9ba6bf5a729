"""A submission a phone may retry carries an idempotency key: the same key twice makes one record, and the
retry is answered as the first request was (the pages and the REST API alike)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.households import factories
from tests.registers import books
from tests.registers.helpers import load
from zhenwu.cases.models import Case, CaseEvent, Visit
from zhenwu.households.models import MonitoringCase, MonitoringVisit
from zhenwu.org.models import User
from zhenwu.registers.models import RegisterRecord
from zhenwu.web import idempotency, tasks
from zhenwu.web.models import SubmissionKey

# Every submission here is the same report: past the duplicate guard (its own tests), so that what is
# kept once is kept by the key alone.
NEW_CASE = {
    "case_type": "grid_event",
    "category": "grid_event-sanitation",
    "title": "路口垃圾堆放",
    "description": "村口路口垃圾堆放两天未清运",
    "confirm_duplicate": True,
}


def key() -> str:
    return str(uuid.uuid4())


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_create(client: Client, idem: str, **changes: Any) -> Any:
    body = {**NEW_CASE, "org_unit": "", **changes}
    return client.post(
        reverse("api:case-list"), body, content_type="application/json", headers={"Idempotency-Key": idem}
    )


@pytest.fixture
def leader(cast: Cast, types: dict) -> Client:
    return logged_in(cast.user("leader"))


def test_the_same_key_twice_makes_one_case_and_the_retry_gets_the_same_answer(
    cast: Cast, leader: Client
) -> None:
    idem = key()
    first = api_create(leader, idem, org_unit=cast.village01.code)
    again = api_create(leader, idem, org_unit=cast.village01.code)
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.get().pk == first.json()["id"]


def test_another_users_same_key_is_another_key(cast: Cast, leader: Client) -> None:
    idem = key()
    mine = api_create(leader, idem, org_unit=cast.village01.code)
    theirs = api_create(logged_in(cast.user("admin")), idem, org_unit=cast.village01.code)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"] and Case.objects.count() == 2


def test_the_same_key_with_another_body_is_refused_with_422(cast: Cast, leader: Client) -> None:
    idem = key()
    api_create(leader, idem, org_unit=cast.village01.code)
    other = api_create(leader, idem, org_unit=cast.village01.code, title="另一件事")
    assert other.status_code == 422
    assert other.json()["detail"] == idempotency.OTHER_BODY
    assert Case.objects.count() == 1


def test_a_refused_submission_keeps_no_key_so_the_corrected_one_may_use_it(
    cast: Cast, leader: Client
) -> None:
    idem = key()
    refused = api_create(leader, idem, org_unit=cast.village01.code, title="")
    assert refused.status_code == 400 and not SubmissionKey.objects.exists()
    assert api_create(leader, idem, org_unit=cast.village01.code).status_code == 201
    assert Case.objects.count() == 1


def test_a_key_that_is_not_a_token_is_refused_by_name(cast: Cast, leader: Client) -> None:
    refused = api_create(leader, "坏的键", org_unit=cast.village01.code)
    assert refused.status_code == 400 and "Idempotency-Key" in refused.json()["detail"]
    assert not Case.objects.exists()


def test_without_a_key_nothing_changes(cast: Cast, leader: Client) -> None:
    for _ in range(2):
        leader.post(
            reverse("api:case-list"),
            {**NEW_CASE, "org_unit": cast.village01.code},
            content_type="application/json",
        )
    assert Case.objects.count() == 2 and not SubmissionKey.objects.exists()


def test_a_retried_api_transition_is_done_once(cast: Cast, leader: Client) -> None:
    pk = api_create(leader, key(), org_unit=cast.village01.code).json()["id"]
    url = reverse("api:case-transition", kwargs={"pk": pk})
    version = leader.get(url).json()["version"]
    idem = key()

    def send() -> Any:
        body = {"action": "accept", "version": version}
        return leader.post(url, body, content_type="application/json", headers={"Idempotency-Key": idem})

    first, again = send(), send()
    # Without the key the retry would be refused as stale (409): the case has moved on.
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert list(CaseEvent.objects.filter(case_id=pk).values_list("action", flat=True)) == ["report", "accept"]


def test_a_retried_quick_report_makes_one_case_and_answers_with_the_same_page(
    cast: Cast, types: dict
) -> None:
    client = logged_in(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="占道经营")
    form = {"category": category.pk, "description": "早餐摊占道", "idempotency_key": key()}
    first = client.post(reverse("cases:report"), form)
    again = client.post(reverse("cases:report"), form, follow=True)
    assert first.status_code == 302 and again.redirect_chain == [(first["Location"], 302)]
    assert idempotency.REPLAYED in again.content.decode()
    assert Case.objects.count() == 1


def test_a_retried_full_report_redirects_to_the_same_case(cast: Cast, types: dict) -> None:
    client = logged_in(cast.user("admin"))
    grid_event = types["grid_event"]
    form = {
        "case_type": grid_event.pk,
        "category": grid_event.categories.get(name="环境卫生").pk,
        "title": "路口垃圾",
        "description": "路口垃圾堆放",
        "org_unit": cast.village01.pk,
        "idempotency_key": key(),
    }
    first = client.post(reverse("cases:case-create"), form)
    again = client.post(reverse("cases:case-create"), form)
    case = Case.objects.get()
    assert first["Location"] == again["Location"] == reverse("cases:case-detail", kwargs={"pk": case.pk})


def test_a_retried_transition_on_the_page_is_done_once(cast: Cast, leader: Client) -> None:
    pk = api_create(leader, key(), org_unit=cast.village01.code).json()["id"]
    url = reverse("cases:case-detail", kwargs={"pk": pk})
    page = leader.get(url).content.decode()
    assert 'name="idempotency_key"' in page
    form = {"action": "accept", "version": Case.objects.get(pk=pk).version, "idempotency_key": key()}
    first, again = leader.post(url, form), leader.post(url, form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert CaseEvent.objects.filter(case_id=pk, action="accept").count() == 1


def test_a_retried_household_visit_is_recorded_once(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    logged_in(cast.user("cun01")).post(
        reverse("households:monitoring-identify", args=[household.pk]),
        {
            "category": "sudden",
            "identified_on": timezone.localdate() - timedelta(days=30),
            "risk_causes": ["illness"],
        },
    )
    case = MonitoringCase.objects.get(household=household)
    url = reverse("households:monitoring-detail", args=[case.pk])
    client = logged_in(cast.user("wangge01"))
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    form = {
        "action": "visit",
        "visited_on": timezone.localdate(),
        "note": "户主已出院",
        "idempotency_key": key(),
    }
    first, again = client.post(url, form), client.post(url, form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert MonitoringVisit.objects.filter(case=case).count() == 1


def test_a_retried_grid_visit_is_logged_once(cast: Cast, types: dict) -> None:
    client = logged_in(cast.user("wangge01"))
    url = reverse("cases:visit-list")
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    form = {"target_kind": "household", "target": "王建国户", "note": "正常", "idempotency_key": key()}
    first, again = client.post(url, form), client.post(url, form)
    assert first.status_code == again.status_code == 302 and Visit.objects.count() == 1


def test_a_retried_register_record_is_kept_once_on_the_page_and_through_the_api(cast: Cast) -> None:
    load(cast, books.visits())
    client = logged_in(cast.user("wangge01"))
    url = reverse("registers:record-create", kwargs={"form_id": "visits"})
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    form = {"problem": "路灯不亮", "idempotency_key": key()}
    first, again = client.post(url, form), client.post(url, form)
    assert first.status_code == 302, first.content.decode()
    assert again["Location"] == first["Location"] and RegisterRecord.objects.count() == 1

    api = "/api/v1/registers/visits/records/"
    body = {"data": {"problem": "水渠堵塞"}}
    idem = {"Idempotency-Key": key()}
    made = client.post(api, body, content_type="application/json", headers=idem)
    retried = client.post(api, body, content_type="application/json", headers=idem)
    assert made.status_code == retried.status_code == 201
    assert made.json()["id"] == retried.json()["id"] and RegisterRecord.objects.count() == 2


def test_the_schema_describes_the_header_on_each_retried_endpoint(cast: Cast, leader: Client) -> None:
    schema = leader.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/cases/", "/api/v1/cases/{id}/transition/", "/api/v1/registers/{form_id}/records/"):
        names = [(p["name"], p["in"]) for p in schema["paths"][path]["post"].get("parameters", [])]
        assert ("Idempotency-Key", "header") in names, path


def test_the_cleaning_job_deletes_only_old_keys(cast: Cast, leader: Client, settings: Any) -> None:
    settings.IDEMPOTENCY_KEY_DAYS = 7
    now = datetime(2026, 5, 20, 3, 45, tzinfo=UTC)
    for _ in range(3):
        api_create(leader, key(), org_unit=cast.village01.code)
    old, edge, new = SubmissionKey.objects.order_by("pk")
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=8))
    SubmissionKey.objects.filter(pk=edge.pk).update(created_at=now - timedelta(days=7, seconds=1))
    SubmissionKey.objects.filter(pk=new.pk).update(created_at=now - timedelta(days=6))
    assert tasks.clean_submission_keys(now) == "清理 2 个过期的提交幂等键"
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [new.pk]
    assert Case.objects.count() == 3


def test_the_cleaning_job_works_in_batches_until_none_is_due(
    cast: Cast, leader: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idempotency, "CLEAN_BATCH", 2)
    now = datetime(2026, 5, 20, 3, 45, tzinfo=UTC)
    for _ in range(5):
        api_create(leader, key(), org_unit=cast.village01.code)
    SubmissionKey.objects.update(created_at=now - timedelta(days=30))
    assert idempotency.clean_keys(now) == (2, True)
    assert tasks.clean_submission_keys(now) == "清理 3 个过期的提交幂等键"
    assert not SubmissionKey.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so there is no race to test; CI runs this on PostgreSQL",
)
def test_two_requests_with_the_same_key_at_once_make_one_case(cast: Cast, types: dict) -> None:
    idem = key()
    clients = [logged_in(cast.user("leader")) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[tuple[int, Any]] = []

    def send(client: Client) -> None:
        try:
            barrier.wait()
            response = api_create(client, idem, org_unit=cast.village01.code)
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case = Case.objects.get()
    assert answers == [(201, case.pk), (201, case.pk)]
    assert SubmissionKey.objects.count() == 1


def test_a_page_form_resent_with_other_content_under_its_key_is_refused_with_a_page(
    cast: Cast, types: dict
) -> None:
    client = logged_in(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="占道经营")
    form = {"category": category.pk, "description": "早餐摊占道", "idempotency_key": key()}
    client.post(reverse("cases:report"), form)
    refused = client.post(reverse("cases:report"), {**form, "description": "夜市占道"})
    assert refused.status_code == 422 and idempotency.OTHER_BODY in refused.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so there is no race to test; CI runs this on PostgreSQL",
)
def test_a_request_waiting_on_a_first_that_fails_makes_the_case_itself(cast: Cast, types: dict) -> None:
    """The first holder of the key (here a transaction that then rolls back) takes its key with it; the
    request that waited on the key's unique index goes on and makes the case."""
    idem = key()
    client = logged_in(cast.user("leader"))
    held, answers = threading.Event(), []

    def first_that_fails() -> None:
        try:
            with transaction.atomic():
                SubmissionKey.objects.create(user=cast.user("leader"), key=idem, fingerprint="x", status=0)
                held.set()
                time.sleep(1)  # the second request is now waiting on the key's row
                transaction.set_rollback(True)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            held.wait()
            answers.append(api_create(client, idem, org_unit=cast.village01.code).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_that_fails), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201] and Case.objects.count() == 1
    assert SubmissionKey.objects.get().fingerprint != "x"
