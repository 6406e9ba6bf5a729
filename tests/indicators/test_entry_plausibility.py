"""Before a value is saved it is compared with the unit's value last month, the same month last year
and the month's share of the annual target: ten times more or less than any of them waits for the
user to confirm, by the form, an Excel upload and the API alike, and nothing is saved until then."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.indicators.conftest import Catalog, make, target, value
from tests.indicators.paths import ApiPath, EntryPath, ExcelPath, FormPath, by_every_path
from zhenwu.indicators.models import Indicator, IndicatorKind, Value

MONTH = 10  # tests.indicators.paths.PERIOD


@pytest.fixture
def revenue(cast: Cast) -> Indicator:
    return make("revenue", "财政收入", "万元", cast.jingfa_department, kind=IndicatorKind.CUMULATIVE)


def stored(indicator: Indicator, cast: Cast) -> Decimal | None:
    found = Value.objects.filter(indicator=indicator, org_unit=cast.township, month=MONTH, year=2026).first()
    return found.value if found else None


@by_every_path
def test_a_value_a_thousand_times_last_month_waits_for_confirmation(
    cast: Cast, revenue: Indicator, client: Client, path: EntryPath
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(revenue, "1210000")])  # typed in 元, kept in 万元
    assert answer.asks_to_confirm
    assert answer.says("“财政收入”1210000万元是上月1180万元的1025倍，请确认单位和数值", at=0)
    assert stored(revenue, cast) is None


@by_every_path
def test_a_value_a_thousandth_of_last_year_waits_for_confirmation(
    cast: Cast, revenue: Indicator, client: Client, path: EntryPath
) -> None:
    value(revenue, cast.township, MONTH, "1250", year=2025)
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(revenue, "1.25")])
    assert answer.asks_to_confirm
    assert answer.says("“财政收入”1.25万元仅为去年同期1250万元的0.1%", at=0)
    assert stored(revenue, cast) is None


@by_every_path
def test_a_cumulative_value_is_compared_with_the_target_by_its_phased_time_progress(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath
) -> None:
    target(catalog.invest, cast.township, "4", phasing=[2, 5, 9, 14, 20, 28, 36, 45, 56, 70, 85, 100])
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, "1000")])
    assert answer.asks_to_confirm
    assert answer.says("是按序时进度应完成的2.8亿元(全年目标4亿元的70.0%)的357倍", at=0)
    assert stored(catalog.invest, cast) is None


@by_every_path
def test_a_rate_is_compared_with_its_target_itself(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath
) -> None:
    target(catalog.closed_rate, cast.township, "95")
    client.force_login(cast.user("admin"))
    answer = path.enter(client, cast.township, [(catalog.closed_rate, "0.9")])  # a share, not a percentage
    assert answer.asks_to_confirm
    assert answer.says("“网格事件办结率”0.9%仅为全年目标95%的0.95%", at=0)
    assert stored(catalog.closed_rate, cast) is None


@by_every_path
def test_confirming_saves_exactly_the_values_shown(
    cast: Cast, revenue: Indicator, catalog: Catalog, client: Client, path: EntryPath
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, "4.9"), (revenue, "1210000")])
    assert answer.asks_to_confirm and not Value.objects.filter(month=MONTH).exists()
    done = answer.confirm(client)
    assert done.status in (200, 302), done.body
    assert stored(revenue, cast) == Decimal("1210000") and stored(catalog.invest, cast) == Decimal("4.9")


@by_every_path
def test_a_value_within_ten_times_of_every_comparison_is_saved_at_once(
    cast: Cast, revenue: Indicator, client: Client, path: EntryPath
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    value(revenue, cast.township, MONTH, "1100", year=2025)
    target(revenue, cast.township, "1500")
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(revenue, "1,310.5")])
    assert not answer.asks_to_confirm
    answer = answer.completed(client)
    assert answer.status in (200, 302) and stored(revenue, cast) == Decimal("1310.5")


@by_every_path
def test_zero_is_no_unit_slip_and_needs_no_confirmation(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath
) -> None:
    value(catalog.accidents, cast.township, MONTH, "3", year=2025)
    client.force_login(cast.user("admin"))
    answer = path.enter(client, cast.township, [(catalog.accidents, "0")])
    assert not answer.asks_to_confirm
    answer = answer.completed(client)
    assert answer.status in (200, 302) and stored(catalog.accidents, cast) == 0


@by_every_path
def test_a_cumulative_value_below_last_month_still_needs_a_reason(
    cast: Cast, catalog: Catalog, client: Client, path: EntryPath
) -> None:
    value(catalog.invest, cast.township, MONTH - 1, "5.0")
    client.force_login(cast.user("jingfa"))
    answer = path.enter(client, cast.township, [(catalog.invest, "4.5")])
    assert answer.says("累计值低于上月的5，请在备注中说明原因", at=0)
    assert stored(catalog.invest, cast) is None


def test_the_form_shows_each_warning_beside_its_field_and_a_confirm_button(
    cast: Cast, revenue: Indicator, catalog: Catalog, client: Client
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    answer = FormPath().enter(client, cast.township, [(catalog.invest, "4.9"), (revenue, "1210000")])
    assert answer.status == 200 and answer.asks_to_confirm
    assert answer.says("是上月1180万元的1025倍", at=1)
    assert not answer.says("倍", at=0)
    assert 'value="1210000"' in answer.body  # what the user typed stays in the field


def test_a_value_changed_before_confirming_is_checked_again(
    cast: Cast, revenue: Indicator, client: Client
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    form = FormPath()
    shown = form.enter(client, cast.township, [(revenue, "1210000")])
    shown.sent["data"][f"v{revenue.pk}"] = "2360000"  # changed, then the old confirmation pressed
    again = shown.confirm(client)
    assert again.asks_to_confirm and again.says("是上月1180万元的2000倍", at=0)
    assert stored(revenue, cast) is None
    assert again.confirm(client).status == 302
    assert stored(revenue, cast) == Decimal("2360000")


def test_the_excel_dry_run_lists_warnings_by_row_and_column_and_the_button_says_they_were_read(
    cast: Cast, revenue: Indicator, catalog: Catalog, client: Client
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    answer = ExcelPath().enter(client, cast.township, [(catalog.invest, "4.9"), (revenue, 1210000.0)])
    assert "第5行「本月数值」列：“财政收入”1210000万元是上月1180万元的1025倍" in answer.body
    assert "已核对以上提醒，确认导入" in answer.body


def test_an_excel_confirmation_is_refused_when_the_warnings_changed_since_the_dry_run(
    cast: Cast, revenue: Indicator, client: Client
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    shown = ExcelPath().enter(client, cast.township, [(revenue, 1210000)])
    Value.objects.filter(indicator=revenue).update(value=Decimal("118"))  # someone corrects last month
    again = shown.confirm(client)
    assert stored(revenue, cast) is None
    assert again.asks_to_confirm and "是上月118万元的10254倍" in again.body


def test_the_api_answers_409_with_the_warnings_and_saves_on_confirm_true(
    cast: Cast, revenue: Indicator, client: Client
) -> None:
    value(revenue, cast.township, MONTH - 1, "1180")
    client.force_login(cast.user("jingfa"))
    answer = ApiPath().enter(client, cast.township, [(revenue, "1210000")])
    assert answer.status == 409 and answer.says("1025倍", at=0)
    assert '"confirm": true' in json.loads(answer.body)["detail"]
    assert stored(revenue, cast) is None
    done = answer.confirm(client)
    assert done.status == 200 and stored(revenue, cast) == Decimal("1210000")
