"""The indicator library (常用指标库): a township admin ticks indicators and each becomes the township's
indicator, owned by the office chosen (by default the office the library names); adopted ones are
marked; anything wrong is said next to its row and creates nothing."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.cases import catalog
from zhenwu.indicators import library
from zhenwu.indicators.models import Indicator

URL = reverse("indicators:library")


@pytest.fixture
def installed(cast: Cast) -> None:
    catalog.install()  # the bound rates name case types
    library.install()


def page(client: Client, cast: Cast) -> str:
    return client.get(f"{URL}?org={cast.township.code}").content.decode()


def test_the_library_lists_every_entry_by_group_with_boxes(
    cast: Cast, client: Client, installed: None
) -> None:
    client.force_login(cast.user("admin"))
    body = page(client, cast)
    assert body.count('name="pick-') == len(library.CATALOG)
    for group in ("经济发展", "财政税收", "农业农村", "社会事务", "安全生产", "平安建设"):
        assert f"<h2>{group}</h2>" in body


def test_picking_creates_the_townships_indicators_owned_by_the_office_chosen(
    cast: Cast, client: Client, installed: None
) -> None:
    client.force_login(cast.user("admin"))
    jingfa = cast.jingfa_department
    logged = LogEntry.objects.count()
    response = client.post(URL, {
        "org": cast.township.code,
        "pick-gdzctz": "on", "office-gdzctz": jingfa.pk,
        "pick-wgsjbjl": "on", "office-wgsjbjl": cast.township.departments.get(code="zzzx").pk,
        "pick-shxfp": "",
    })  # fmt: skip
    assert response.status_code == 302
    invest = Indicator.objects.get(township=cast.township, code="gdzctz")
    assert (invest.name, invest.unit, invest.department) == ("固定资产投资", "亿元", jingfa)
    rate = Indicator.objects.get(township=cast.township, code="wgsjbjl")
    assert (rate.source, rate.source_option, rate.kind) == ("cases.resolution_rate", "grid_event", "rate")
    assert not Indicator.objects.filter(code="shxfp").exists()
    assert LogEntry.objects.count() == logged + 2
    body = page(client, cast)
    assert body.count('name="pick-') == len(library.CATALOG) - 2
    assert body.count("已选用</span>") == 2


def test_the_usual_office_is_chosen_by_code_when_the_township_has_it(
    cast: Cast, client: Client, installed: None
) -> None:
    client.force_login(cast.user("admin"))
    zzzx = cast.township.departments.get(code="zzzx")
    body = page(client, cast)
    assert f'<option value="{zzzx.pk}" selected>综治中心</option>' in body


def test_an_indicator_the_township_has_under_the_same_name_counts_as_adopted(
    cast: Cast, client: Client, installed: None
) -> None:
    Indicator.objects.create(
        township=cast.township,
        department=cast.jingfa_department,
        code="own",
        name="固定资产投资",
        unit="万元",
    )
    client.force_login(cast.user("admin"))
    body = page(client, cast)
    assert body.count("已选用</span>") == 1 and 'name="pick-gdzctz"' not in body


def test_a_pick_without_an_office_is_refused_next_to_it_and_creates_nothing(
    cast: Cast, client: Client, installed: None
) -> None:
    client.force_login(cast.user("admin"))
    before = Indicator.objects.count()
    response = client.post(URL, {
        "org": cast.township.code,
        "pick-gdzctz": "on", "office-gdzctz": cast.jingfa_department.pk,
        "pick-czsr": "on", "office-czsr": "",
    })  # fmt: skip
    assert response.status_code == 200
    assert "「财政收入」：请选择责任站所。" in response.content.decode()
    assert "没有选用任何指标：请按下方标红的提示更正后再提交。" in response.content.decode()
    assert Indicator.objects.count() == before


@pytest.mark.parametrize("office", ["999999", "abc"])
def test_an_office_of_another_township_or_garbage_is_refused(
    cast: Cast, client: Client, installed: None, office: str
) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(URL, {"org": cast.township.code, "pick-czsr": "on", "office-czsr": office})
    assert response.status_code == 200
    assert "所选站所不属于本镇" in response.content.decode() or "请选择" in response.content.decode()
    assert not Indicator.objects.filter(code="czsr").exists()


def test_nothing_ticked_says_so(cast: Cast, client: Client, installed: None) -> None:
    client.force_login(cast.user("admin"))
    response = client.post(URL, {"org": cast.township.code})
    assert "请至少勾选一项指标。" in response.content.decode()


@pytest.mark.parametrize("username", ["leader", "jingfa", "cun01", "xian"])
def test_only_the_township_admin_opens_the_library(
    cast: Cast, client: Client, installed: None, username: str
) -> None:
    client.force_login(cast.user(username))
    assert client.get(f"{URL}?org={cast.township.code}").status_code == (404 if username == "cun01" else 403)


def test_installing_the_library_twice_adds_nothing(cast: Cast) -> None:
    assert library.install() == (len(library.CATALOG), 0)
    assert library.install() == (0, len(library.CATALOG))


def test_the_township_dashboard_links_the_library_for_its_admin_only(
    cast: Cast, client: Client, installed: None
) -> None:
    client.force_login(cast.user("admin"))
    assert URL in client.get(f"/indicators/?org={cast.township.code}").content.decode()
    client.force_login(cast.user("leader"))
    assert URL not in client.get(f"/indicators/?org={cast.township.code}").content.decode()
