"""Monthly entry by form: who may enter what, messages next to the field, all or nothing, logged."""

from decimal import Decimal

from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, value
from zhenwu.indicators.models import Value

URL = reverse("indicators:entry")


def post(client: Client, unit: object, data: dict[str, str], month: int = 8) -> str:
    payload = {"org": unit.code, "period": f"{YEAR}-{month:02d}", **data}  # type: ignore[attr-defined]
    response = client.post(URL, payload, follow=True)
    return response.content.decode()


def test_office_staff_see_only_their_offices_indicators(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    page = client.get(URL, {"org": cast.township.code, "period": f"{YEAR}-08"}).content.decode()
    assert "固定资产投资" in page and "新增就业岗位" not in page and "网格事件办结率" not in page


def test_a_village_user_enters_only_village_indicators_for_their_village(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    page = client.get(URL).content.decode()
    assert "新增就业岗位" in page and "固定资产投资" not in page
    assert "医保参保率" not in page  # computed, never typed
    assert client.get(URL, {"org": cast.village02.code}).status_code == 404


def test_saving_writes_the_value_with_its_author_and_logs_it(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    page = post(client, cast.township, {f"v{catalog.invest.pk}": "4.9", f"n{catalog.invest.pk}": ""})
    assert f"已保存{cast.township.name}指标「固定资产投资」{YEAR}年8月的值。" in page
    saved = Value.objects.get(indicator=catalog.invest, org_unit=cast.township, year=YEAR, month=8)
    assert saved.value == Decimal("4.9") and saved.entered_by == cast.user("jingfa")
    entry = LogEntry.objects.get_for_object(saved).get()
    assert entry.actor == cast.user("jingfa")


def test_saving_several_values_names_them_the_unit_and_the_month(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.retail, cast.township, 8, "2.0")
    client.force_login(cast.user("jingfa"))
    page = post(client, cast.township, {f"v{catalog.invest.pk}": "4.9", f"v{catalog.retail.pk}": "2.55"})
    assert (
        f"已保存{cast.township.name}{YEAR}年8月2项指标的值：「固定资产投资」、「社会消费品零售总额」"
        "(新增1项，修改1项)。"
    ) in page


def test_text_in_a_number_field_is_refused_next_to_the_field(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    page = post(client, cast.township, {f"v{catalog.invest.pk}": "四点九亿左右"})
    assert "“固定资产投资”应填数字" in page
    assert not Value.objects.exists()


def test_a_negative_value_and_a_good_value_save_nothing(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    page = post(client, cast.township, {f"v{catalog.invest.pk}": "4.9", f"v{catalog.retail.pk}": "-1"})
    assert "“社会消费品零售总额”不能为负数" in page
    assert not Value.objects.exists()


def test_a_cumulative_value_below_last_month_needs_a_reason(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.invest, cast.township, 7, "5.0")
    client.force_login(cast.user("jingfa"))
    page = post(client, cast.township, {f"v{catalog.invest.pk}": "4.5"})
    assert "累计值低于上月的5，请在备注中说明原因" in page
    assert not Value.objects.filter(month=8).exists()
    page = post(
        client, cast.township, {f"v{catalog.invest.pk}": "4.5", f"n{catalog.invest.pk}": "剔除重复入库项目"}
    )
    assert f"已保存{cast.township.name}指标「固定资产投资」{YEAR}年8月的值。" in page


def test_too_many_decimals_are_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    page = post(client, cast.village01, {f"v{catalog.jobs.pk}": "12.5"})
    assert "最多保留0位小数" in page


def test_a_rate_over_a_hundred_percent_is_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("admin"))
    page = post(client, cast.township, {f"v{catalog.closed_rate.pk}": "101"})
    assert "是百分比，不能超过100" in page


def test_leaders_read_but_cannot_enter(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("leader"))
    page = client.get(URL, {"org": cast.township.code})
    assert page.status_code == 403 and "无权访问" in page.content.decode()
    post(client, cast.township, {f"v{catalog.invest.pk}": "4.9"})
    assert not Value.objects.exists()


def test_the_form_shows_last_month_and_last_year_beside_the_field(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.invest, cast.township, 7, "3.75")
    value(catalog.invest, cast.township, 8, "2.5", year=YEAR - 1)
    client.force_login(cast.user("jingfa"))
    page = client.get(URL, {"org": cast.township.code, "period": f"{YEAR}-08"}).content.decode()
    assert ">3.75<" in page and ">2.5<" in page


def test_targets_are_set_by_the_township_admin_with_an_optional_phasing(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    url = reverse("indicators:targets")
    client.force_login(cast.user("admin"))
    phasing = "2,5,9,14,20,28,36,45,56,70,85,100"
    data = {
        "org": cast.township.code,
        "year": str(YEAR),
        f"t{catalog.invest.pk}": "9.6",
        f"p{catalog.invest.pk}": phasing,
    }
    assert "已保存" in client.post(url, data, follow=True).content.decode()
    bad = {**data, f"p{catalog.invest.pk}": "10,20,30"}
    assert "月度进度安排应有12个数，现有3个" in client.post(url, bad).content.decode()
    client.force_login(cast.user("leader"))
    assert client.get(url, {"org": cast.township.code}).status_code == 403
