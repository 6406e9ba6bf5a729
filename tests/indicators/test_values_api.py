"""`POST /api/v1/indicators/values`: a month's values for a unit, all or nothing, by the entry form's
rules and permissions; errors keyed by the item they concern; out of scope answers like missing."""

import json
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import Cast
from tests.indicators.conftest import Catalog, make, value
from tests.indicators.paths import PERIOD
from zhenwu.indicators.models import Value
from zhenwu.org.models import Department

URL = reverse("api:indicator-values")


def post(client: Client, org: str, values: list[dict[str, Any]], **extra: Any) -> Any:
    body = {"org": org, "period": PERIOD, "values": values, **extra}
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_values_are_saved_by_token_with_counts_of_new_changed_and_unchanged(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.retail, cast.township, 10, "2.0")
    value(catalog.retail_above, cast.township, 10, "1.5")
    token = Token.objects.create(user=cast.user("jingfa"))
    values = [
        {"code": "invest", "value": "4.9", "note": "含新开工项目"},
        {"code": "retail", "value": "2.25"},
        {"code": "retail_above", "value": 1.5},
    ]
    body = {"org": cast.township.code, "period": PERIOD, "values": values}
    response = client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "org": cast.township.code, "period": PERIOD, "new": 1, "changed": 1, "unchanged": 1,
    }  # fmt: skip
    invest = Value.objects.get(indicator=catalog.invest, month=10)
    assert (invest.value, invest.note, invest.entered_by) == (
        Decimal("4.9"),
        "含新开工项目",
        cast.user("jingfa"),
    )
    assert Value.objects.get(indicator=catalog.retail, month=10).value == Decimal("2.25")


def test_one_bad_item_saves_nothing_and_every_error_names_its_item(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    values = [
        {"code": "invest", "value": "4.9"},
        {"code": "retail", "value": "两亿左右"},
        {"code": "retail_above", "value": "-1"},
        {"code": "nosuch", "value": "1"},
        {"code": "invest", "value": "5"},
        {"code": "retail", "value": "1", "note": "长" * 201},
        {"code": "retail"},
    ]
    response = post(client, cast.township.code, values)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {f"values[{i}].{field}" for i, field in [(5, "note"), (6, "value")]}
    response = post(client, cast.township.code, values[:5])
    errors = response.json()["errors"]
    assert errors == {
        "values[1].value": ["“社会消费品零售总额”应填数字，而不是“两亿左右”。"],
        "values[2].value": ["“限额以上社零额”不能为负数。"],
        "values[3].code": ["未知的指标编码“nosuch”。"],
        "values[4].value": ["与values[0]重复：同一指标、同一单元只能填一次。"],
    }
    assert not Value.objects.exists()


def test_an_indicator_of_another_township_or_office_answers_like_a_missing_one(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    office = Department.objects.create(township=cast.other_township, code="jfb", name="经发办")
    make("secret", "外镇指标", "万元", office)
    client.force_login(cast.user("jingfa"))
    for code in ["secret", "closed_rate", "nosuch"]:  # another township's; another office's; none
        response = post(client, cast.township.code, [{"code": code, "value": "1"}])
        assert response.status_code == 400
        assert response.json()["errors"] == {"values[0].code": [f"未知的指标编码“{code}”。"]}


def test_a_unit_out_of_scope_answers_404_exactly_like_a_missing_one(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    outside = post(client, cast.village02.code, [{"code": "jobs", "value": "12"}])
    missing = post(client, "999999999", [{"code": "jobs", "value": "12"}])
    assert outside.status_code == missing.status_code == 404
    assert outside.content == missing.content
    assert not Value.objects.exists()


def test_a_village_user_enters_their_own_villages_values(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    response = post(client, cast.village01.code, [{"code": "jobs", "value": "１２"}])
    assert response.status_code == 200
    assert Value.objects.get(indicator=catalog.jobs, org_unit=cast.village01).value == 12


def test_leaders_read_but_cannot_enter_by_the_api_either(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("leader"))
    response = post(client, cast.township.code, [{"code": "invest", "value": "4.9"}])
    assert response.status_code == 400
    assert response.json()["errors"] == {"values[0].value": ["无权填报示范镇的“固定资产投资”。"]}
    assert not Value.objects.exists()


def test_a_county_a_bad_period_and_a_bad_body_are_named(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("xian"))
    county = post(client, cast.county.code, [])
    assert county.status_code == 400 and "县级单元不填报指标" in county.json()["errors"]["org"][0]
    client.force_login(cast.user("jingfa"))
    bad_period = client.post(
        URL, json.dumps({"org": cast.township.code, "period": "2026-13", "values": []}), "application/json"
    )
    assert (
        bad_period.status_code == 400 and "月份应在 1 到 12 之间" in bad_period.json()["errors"]["period"][0]
    )
    for body in ['{"org": 1}', '{"values": "4.9"}', "[]", "not json", '{"values": [1]}']:
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 400, body


def test_the_schema_documents_the_values_endpoint(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/indicators/values"]["post"]
    assert {"200", "400", "404", "409"} <= set(operation["responses"])
    request = schema["components"]["schemas"]["ValuesRequest"]["properties"]
    assert set(request) == {"org", "period", "values", "confirm"}
    item = schema["components"]["schemas"]["ValueItem"]["properties"]
    assert set(item) == {"code", "value", "note"}
    assert {"type": "string"} in item["value"]["oneOf"]
