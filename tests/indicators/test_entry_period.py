"""Values for a month are entered once it has ended (in the first days of the next): a month that has
not ended is refused by the form, an Excel upload and the API, naming where the period was given."""

import json
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.indicators.conftest import Catalog
from tests.indicators.paths import ApiPath, EntryPath, ExcelPath, FormPath, by_every_path
from zhenwu.indicators.models import Value


@by_every_path
@pytest.mark.parametrize(("period", "words"), [("2027-03", "2027年3月"), ("2026-11", "2026年11月")])
def test_a_month_that_has_not_ended_is_refused_and_nothing_is_saved(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath, period: str, words: str
) -> None:
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, "4.9")], period=period)
    assert answer.says(f"{words}尚未结束，不能填报。")
    assert not Value.objects.exists()


def test_the_form_names_the_month_field_and_offers_no_fields_to_fill(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    page = client.get(reverse("indicators:entry"), {"org": cast.township.code, "period": "2027-03"})
    text = page.content.decode()
    assert page.status_code == 200 and "月份：2027年3月尚未结束，不能填报。" in text
    assert f'name="v{catalog.invest.pk}"' not in text
    assert (
        FormPath().enter(client, cast.township, [(catalog.invest, "4.9")], "2027-03").says("月份：2027年3月")
    )


def test_excel_names_the_period_cell(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    answer = ExcelPath().enter(client, cast.township, [(catalog.invest, "4.9")], period="2027-03")
    assert "第2行B列：2027年3月尚未结束，不能填报。" in answer.body
    assert 'name="pending"' not in answer.body


def test_the_api_names_the_period(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    answer = ApiPath().enter(client, cast.township, [(catalog.invest, "4.9")], period="2027-03")
    assert answer.status == 400
    assert json.loads(answer.body)["errors"]["period"] == ["2027年3月尚未结束，不能填报。"]


@by_every_path
def test_the_last_month_of_a_year_is_entered_in_january(
    cast: Cast,
    catalog: Catalog,
    client: Client,
    path: EntryPath,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to("2027-01-03 09:00 +08:00")
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, "4.9")], period="2026-12").completed(client)
    assert answer.status in (200, 302), answer.body
    assert Value.objects.get(indicator=catalog.invest, year=2026, month=12).value == Decimal("4.9")
