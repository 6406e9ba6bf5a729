"""A typed figure is read the same way by the form, an Excel upload and the API: what a Chinese input
method types is accepted, an exponent or a number beyond the field is refused by name, and no input
of any kind answers 500 or saves anything."""

import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import Client

from tests.conftest import Cast
from tests.indicators.conftest import Catalog
from tests.indicators.paths import PERIOD, ApiPath, EntryPath, ExcelPath, FormPath, XmlNumber, by_every_path
from zhenwu.indicators.models import Value

HOSTILE = ["1e400", "NaN", "Infinity", "-Infinity", "sNaN", "99999999999999999999999", "1e3", "1E+3"]


def saved(catalog: Catalog, cast: Cast) -> Decimal | None:
    found = Value.objects.filter(
        indicator=catalog.invest, org_unit=cast.township, year=2026, month=10
    ).first()
    return found.value if found else None


@by_every_path
@pytest.mark.parametrize(
    ("typed", "value"), [("５．２６", "5.26"), ("１，９０８．５", "1908.5"), ("1,908.5", "1908.5")]
)
def test_full_width_digits_and_chinese_commas_are_read_as_the_number_meant(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath, typed: str, value: str
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, typed)]).completed(client)
    assert answer.status in (200, 302), answer.body
    assert saved(catalog, cast) == Decimal(value)


@by_every_path
@pytest.mark.parametrize("typed", ["1e3", "1E+3"])
def test_an_exponent_is_refused_naming_the_field_and_nothing_is_saved(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath, typed: str
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.retail, "2.5"), (catalog.invest, typed)])
    assert answer.status in (200, 400)
    assert answer.says("“固定资产投资”不能用科学计数法", at=1)
    assert not Value.objects.exists()


@by_every_path
@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_values_answer_a_message_not_a_500_and_save_nothing(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath, typed: str
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.retail, "2.5"), (catalog.invest, typed)])
    assert answer.status == (400 if isinstance(path, ApiPath) else 200)
    assert answer.says("“固定资产投资”", at=1)
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (XmlNumber("1e400"), "应填数字，而不是“inf”"),
        (XmlNumber("-1e400"), "应填数字，而不是“-inf”"),
        (1e20, "超出可填写的范围"),
    ],
)
def test_an_excel_number_cell_that_is_infinite_or_too_large_is_refused_by_row_and_column(
    cast: Cast, catalog: Catalog, client: Client, cell: object, message: str
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = ExcelPath().enter(client, cast.township, [(catalog.invest, cell)])
    assert answer.status == 200
    assert f"第4行「本月数值」列：“固定资产投资”{message}" in answer.body
    assert 'name="pending"' not in answer.body and not Value.objects.exists()


def test_an_excel_number_cell_that_cannot_be_read_is_refused_not_a_500(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = ExcelPath().enter(client, cast.township, [(catalog.invest, XmlNumber("NaN"))])
    assert answer.status == 200 and "无法读取" in answer.body
    assert not Value.objects.exists()


def json_body(cast: Cast, raw: str) -> str:
    """A request whose value is written into the JSON text as is: a number, a literal, anything."""
    body = {"org": cast.township.code, "period": PERIOD, "values": [{"code": "invest", "value": "RAW"}]}
    return json.dumps(body).replace('"RAW"', raw)


@pytest.mark.parametrize(
    "raw",
    ["1e400", "99999999999999999999999", "-1e400", "true", "null", "[]", "{}", "NaN", "Infinity"],
)
def test_any_json_value_answers_400_naming_the_item(
    cast: Cast, catalog: Catalog, client: Client, raw: str
) -> None:
    client.force_login(cast.user("jingfa"))
    response = client.post(ApiPath.url, json_body(cast, raw), content_type="application/json")
    assert response.status_code == 400, response.content
    assert not Value.objects.exists()


def test_a_json_number_is_read_through_its_text_never_as_a_float(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    assert (
        client.post(ApiPath.url, json_body(cast, "4.9"), content_type="application/json").status_code == 200
    )
    assert saved(catalog, cast) == Decimal("4.9")


def test_wan_typed_in_a_field_kept_in_persons_is_converted_and_logged_as_a_plain_number(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    FormPath().enter(client, cast.village01, [(catalog.insured, "3.2万")])
    value = Value.objects.get(indicator=catalog.insured, org_unit=cast.village01)
    assert value.value == 32000
    logged = LogEntry.objects.get_for_object(value).get().changes_dict["value"][1]
    assert logged == "32000"


def test_a_saved_value_is_logged_with_the_indicators_decimals_not_an_exponent(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    FormPath().enter(client, cast.township, [(catalog.invest, "1,000")])
    value = Value.objects.get(indicator=catalog.invest, org_unit=cast.township)
    assert LogEntry.objects.get_for_object(value).get().changes_dict["value"][1] == "1000.00"
