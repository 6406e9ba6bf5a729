"""The REST API answers every error in Chinese and in one shape, {"detail": …, "errors": {…}}: a missing
record, one out of scope, a bad filter, a refused transition, a wrong method, no credentials."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.conftest import Cast

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def shaped(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "errors"} and CHINESE.search(body["detail"]), body
    assert all(CHINESE.search(m) for messages in body["errors"].values() for m in messages), body
    return body  # type: ignore[no-any-return]


def test_a_missing_case_and_one_out_of_scope_answer_alike_in_chinese(
    cast: Cast, client: Client, types: object
) -> None:
    other = make_case(cast.other_admin, cast.other_village)
    client.force_login(cast.user("cun01"))
    missing = shaped(client.get("/api/v1/cases/999999/"), 404)
    hidden = shaped(client.get(f"/api/v1/cases/{other.pk}/"), 404)
    assert missing == hidden == {"detail": "记录不存在或无权查看。", "errors": {}}


def test_no_credentials_a_wrong_method_and_a_bad_body_are_said_in_chinese(
    cast: Cast, client: Client, types: object
) -> None:
    shaped(client.get("/api/v1/cases/"), 401)
    client.force_login(cast.user("wangge01"))
    shaped(client.delete("/api/v1/me/"), 405)
    bad = shaped(client.post("/api/v1/cases/", "{}", content_type="application/json"), 400)
    assert "title" in bad["errors"] or "case_type" in bad["errors"]
    shaped(client.post("/api/v1/cases/", "not json", content_type="application/json"), 400)


def test_a_refused_and_a_stale_transition_keep_the_shape(cast: Cast, client: Client, types: object) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("admin"))
    url = f"/api/v1/cases/{case.pk}/transition/"
    refused = client.post(url, json.dumps({"action": "verify", "version": case.version}), "application/json")
    shaped(refused, 400)
    client.post(url, json.dumps({"action": "accept", "version": case.version}), "application/json")
    stale = client.post(url, json.dumps({"action": "accept", "version": case.version}), "application/json")
    assert re.fullmatch(r"该事件已被您于11月18日 10:\d\d处理（受理），请刷新", shaped(stale, 409)["detail"])


def test_the_indicator_api_answers_in_the_same_shape(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    bad = shaped(client.get(reverse("api:indicator-progress"), {"period": "2026-13"}), 400)
    assert "月份应在 1 到 12 之间" in bad["errors"]["period"][0]
    shaped(client.get(reverse("api:indicator-progress"), {"org": cast.village02.code}), 404)


def test_a_unit_or_person_named_with_a_nul_is_not_found(cast: Cast, client: Client, types: object) -> None:
    # PostgreSQL cannot compare text holding a NUL: before the key was checked this was a 500 there.
    client.force_login(cast.user("cun01"))
    made = client.post(
        "/api/v1/cases/",
        {"case_type": "x", "category": "k", "title": "路灯不亮", "org_unit": "9901\x00x"},
    )
    assert "org_unit" in shaped(made, 400)["errors"]
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("admin"))
    moved = client.post(
        f"/api/v1/cases/{case.pk}/transition/",
        json.dumps({"action": "accept", "version": case.version, "assignee": "wang\x00"}),
        "application/json",
    )
    assert "assignee" in shaped(moved, 400)["errors"]
