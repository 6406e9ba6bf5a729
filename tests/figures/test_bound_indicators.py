"""An indicator that measures what zhenwu records is computed from those records: the demo's 低保金, 办结率,
在库项目数, 监测对象 agree with the records' own services, cannot be typed, and link to the records."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.cases import services as cases
from zhenwu.core.periods import Period
from zhenwu.households import services as households
from zhenwu.households.models import BenefitKind
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, Value
from zhenwu.projects import services as projects

pytestmark = pytest.mark.usefixtures("full_demo")
OCTOBER = Period(2026, 10)
YEAR_START, OCTOBER_END = date(2026, 1, 1), date(2026, 10, 31)


def row(cast: Cast, code: str, period: Period = OCTOBER) -> services.ProgressRow:
    indicator = Indicator.objects.get(township=cast.township, code=code)
    return services.progress_table([indicator], [cast.township], period)[(indicator.pk, cast.township.pk)]


def test_the_demo_binds_every_indicator_it_records(cast: Cast) -> None:
    bound = dict(Indicator.objects.exclude(source="").values_list("code", "source"))
    assert bound == {
        "zkxm": "projects.in_library", "xfbjl": "cases.on_time_rate",
        "wgsjbjl": "cases.resolution_rate", "yhzgl": "cases.resolution_rate",
        "dbjff": "households.benefit_paid", "lsjz": "households.benefit_grants",
        "tkgy": "households.benefit_people", "xzjcdx": "households.new_monitored",
    }  # fmt: skip
    assert not Value.objects.filter(indicator__code__in=bound).exists()


def test_the_bound_values_are_the_records_figures(cast: Cast) -> None:
    leader = cast.user("leader")
    dibao = households.benefit_paid(leader, BenefitKind.DIBAO, YEAR_START, OCTOBER_END, cast.township)
    assert row(cast, "dbjff").progress.shown_actual == (dibao.yuan / 10000).quantize(Decimal("0.01")) > 0
    temporary = households.benefit_paid(leader, BenefitKind.TEMPORARY, YEAR_START, OCTOBER_END, cast.township)
    assert row(cast, "lsjz").actual == len(temporary.records) > 0
    assert (
        row(cast, "tkgy").actual
        == households.benefits_in_force(leader, BenefitKind.TEKUN, OCTOBER_END, cast.township)[1]
    )
    new = households.new_monitored(leader, YEAR_START, OCTOBER_END, cast.township)
    assert row(cast, "xzjcdx").actual == new.households > 0
    library = projects.projects_in_library(leader, cast.township, OCTOBER_END).count()
    counts = projects.project_counts(leader, cast.township, OCTOBER)
    assert row(cast, "zkxm").actual == library == sum(counts.by_stage.values())


def test_a_rate_of_cases_is_the_case_figures_rate_as_the_month_ended(cast: Cast) -> None:
    leader = cast.user("leader")
    end_of_october = cases.start_of_day(date(2026, 11, 1))
    figures = cases.case_figures(leader, cast.township, YEAR_START, OCTOBER_END, now=end_of_october)
    by_type = dict(figures.by_type)
    assert row(cast, "wgsjbjl").actual == by_type["网格事件"].resolution_rate
    assert row(cast, "yhzgl").actual == by_type["安全隐患排查整治"].resolution_rate
    assert row(cast, "xfbjl").actual == by_type["信访"].on_time_rate


def test_a_bound_indicator_cannot_be_typed_by_form_or_excel(cast: Cast, client: Client) -> None:
    dibao = Indicator.objects.get(code="dbjff")
    minzheng = cast.user("minzheng")
    assert not services.may_enter(minzheng, dibao, cast.township)
    client.force_login(minzheng)
    form = client.get(reverse("indicators:entry"), {"period": "2026-10"}).content.decode()
    assert f'name="v{dibao.pk}"' not in form
    client.post(reverse("indicators:entry"), {"period": "2026-10", f"v{dibao.pk}": "99"})
    assert not Value.objects.filter(indicator=dibao).exists()
    template = client.get(reverse("indicators:template"), {"period": "2026-10"}).content
    names = [r[1] for r in load_workbook(BytesIO(template)).active.iter_rows(min_row=4, values_only=True)]
    assert "发放低保金" not in names and "临时救助" not in names


def test_a_bound_indicator_sent_by_the_api_is_refused_with_the_reason(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("minzheng"))
    body = {"org": cast.township.code, "period": "2026-10", "values": [{"code": "dbjff", "value": "99"}]}
    response = client.post(reverse("api:indicator-values"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "“发放低保金”由平台记录自动计算，不能手工填报。" in json.dumps(response.json(), ensure_ascii=False)
    assert not Value.objects.filter(indicator__code="dbjff").exists()


def test_the_detail_page_says_where_a_figure_comes_from(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    bound = Indicator.objects.get(code="wgsjbjl")
    page = client.get(reverse("indicators:indicator-detail", args=[bound.pk]), {"period": "2026-10"})
    body = page.content.decode()
    assert "由平台记录自动计算：事件办结率（网格事件），不能手工填报" in body
    link = body.split('id="entry-kind"', 1)[1].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert (
        link.startswith(reverse("cases:case-list"))
        and "start=2026-01-01" in link
        and "end=2026-10-31" in link
    )
    assert client.get(link).status_code == 200
    typed = Indicator.objects.get(code="gdzctz")
    body = client.get(reverse("indicators:indicator-detail", args=[typed.pk])).content.decode()
    assert "人工填报（最近由孙经发于" in body


def test_the_trend_of_a_bound_indicator_comes_from_the_records_month_by_month(cast: Cast) -> None:
    trend = services.monthly_trend(Indicator.objects.get(code="xzjcdx"), cast.township, 2026)
    this_year = trend["this_year"]
    assert all(v is not None for v in this_year[:10]) and this_year[10:] == [None, None]
    assert this_year == [*sorted(this_year[:10]), None, None]  # a count from 1 January never falls
    assert this_year[9] == row(cast, "xzjcdx").actual
