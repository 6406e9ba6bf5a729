"""The REST API lists with filters, shows, creates and moves cases, within scope, as the schema says."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.cases.conftest import make_case
from tests.conftest import Cast


def test_a_grid_worker_reports_through_the_api_with_a_token(cast: Cast, types: dict, client: Client) -> None:
    token = Token.objects.create(user=cast.user("wangge01"))
    response = client.post(
        reverse("api:case-list"),
        {
            "case_type": "grid_event",
            "category": "grid_event-sanitation",
            "title": "垃圾",
            "description": "路口垃圾",
            "org_unit": cast.grid0101.code,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "reported" and response.json()["events"][0]["action"] == "report"


def test_creating_outside_scope_or_with_bad_input_is_refused(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    body = {
        "case_type": "grid_event",
        "category": "hazard-fire",
        "title": "x",
        "description": "y",
        "org_unit": cast.grid0101.code,
    }
    wrong_category = client.post(reverse("api:case-list"), body, content_type="application/json")
    assert wrong_category.status_code == 400 and "不属于" in str(wrong_category.json())
    body.update(category="grid_event-sanitation", org_unit=cast.grid0102.code)
    assert client.post(reverse("api:case-list"), body, content_type="application/json").status_code == 400


def test_the_list_filters_by_type_state_unit_and_overdue(cast: Cast, types: dict, client: Client) -> None:
    make_case(cast.user("wangge01"), cast.grid0101)
    make_case(cast.user("cun02"), cast.village02, "hotline", "投诉", deadline_days=2)
    client.force_login(cast.user("leader"))
    url = reverse("api:case-list")
    assert client.get(url).json()["count"] == 2
    assert client.get(url, {"case_type": "hotline"}).json()["count"] == 1
    assert client.get(url, {"unit": cast.village01.code}).json()["count"] == 1
    assert client.get(url, {"state": "open"}).json()["count"] == 2
    assert client.get(url, {"overdue": "true"}).json()["count"] == 0
    client.force_login(cast.user("cun01"))
    assert client.get(url).json()["count"] == 1


def test_a_transition_through_the_api_and_a_stale_version_answers_409(
    cast: Cast, types: dict, client: Client
) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("wangge01"))
    url = reverse("api:case-transition", kwargs={"pk": case.pk})
    allowed = client.get(url).json()
    assert {"accept", "reject", "escalate"} <= {a["action"] for a in allowed["allowed"]}
    ok = client.post(
        url, {"action": "accept", "version": allowed["version"]}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    stale = client.post(
        url,
        {"action": "resolve", "version": allowed["version"], "note": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert re.fullmatch(r"该事件已被您于11月18日 10:\d\d处理（受理），请刷新", stale.json()["detail"])
    illegal = client.post(
        url, {"action": "verify", "version": ok.json()["version"]}, content_type="application/json"
    )
    assert illegal.status_code == 400


def test_the_schema_documents_the_case_api(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/cases/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/cases/{id}/transition/"]


def test_a_petition_goes_through_its_whole_life_through_the_api(
    cast: Cast, types: dict, client: Client
) -> None:
    def move(username: str, pk: int, action: str, **extra: object) -> dict:
        client.force_login(cast.user(username))
        url = reverse("api:case-transition", kwargs={"pk": pk})
        version = client.get(url).json()["version"]
        response = client.post(
            url, {"action": action, "version": version, **extra}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    client.force_login(cast.user("leader"))
    created = client.post(
        reverse("api:case-list"),
        {
            "case_type": "petition",
            "category": "petition-labour",
            "title": "工资拖欠",
            "description": "某厂拖欠工资三个月",
            "org_unit": cast.village01.code,
            "reporter_name": "王某",
        },
        content_type="application/json",
    ).json()
    pk = created["id"]
    assert created["handling_department"] == "综治中心" and created["acceptance_deadline"] is not None
    move("leader", pk, "accept")
    move("leader", pk, "assign", department=cast.jingfa_department.pk)
    move("jingfa", pk, "start")
    move("jingfa", pk, "resolve", note="已协调企业补发工资")
    done = move("admin", pk, "verify")
    assert done["state"] == "verified" and done["outcome"] == "fixed"
    assert [e["action"] for e in done["events"]] == [
        "report",
        "accept",
        "assign",
        "start",
        "resolve",
        "verify",
    ]


def test_photos_come_with_a_multipart_report_and_a_fake_one_is_refused(
    cast: Cast, types: dict, client: Client, settings: object, tmp_path: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.cases.conftest import image_upload
    from zhenwu.cases.models import Case

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    client.force_login(cast.user("wangge01"))
    body = {
        "case_type": "grid_event",
        "category": "grid_event-sanitation",
        "title": "垃圾",
        "description": "路口垃圾",
        "org_unit": cast.grid0101.code,
    }
    fake = SimpleUploadedFile("a.jpg", b"not a photo", content_type="image/jpeg")
    refused = client.post(reverse("api:case-list"), {**body, "photos": [fake]})
    assert refused.status_code == 400 and "不是有效的 JPEG 或 PNG 图片" in str(refused.json())
    assert Case.objects.count() == 0
    created = client.post(reverse("api:case-list"), {**body, "photos": [image_upload("JPEG")]})
    assert created.status_code == 201
    assert Case.objects.get().photos.get().content_type == "image/jpeg"


def test_the_api_list_is_a_fixed_number_of_queries(
    cast: Cast, types: dict, client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(25):
        make_case(cast.user("wangge01"), cast.grid0101, title=f"事件{n}")
    client.force_login(cast.user("leader"))
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get(reverse("api:case-list"))
    assert response.json()["count"] == 25
