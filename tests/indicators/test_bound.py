"""Binding an indicator to records: the measure must fit the indicator's kind, unit and option, the admin
offers the measures zhenwu has, and a bound indicator's value follows its records at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import make_case
from tests.conftest import Cast
from tests.indicators.conftest import make, target
from zhenwu.cases import services as cases
from zhenwu.core.periods import Period
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, IndicatorKind


def bound(cast: Cast, **fields: object) -> Indicator:
    defaults: dict[str, object] = {"kind": IndicatorKind.CUMULATIVE, "decimals": 0}
    return make("received", "受理网格事件", "件", cast.jingfa_department, **{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"source": "cases.nothing"}, "source", "未知的数据来源“cases.nothing”。"),
        ({"source": "cases.received"}, "source_option", "请选择事件类型。"),
        ({"source": "cases.received", "source_option": "none"}, "source_option", "请选择事件类型。"),
        ({"source": "cases.resolution_rate", "source_option": "grid_event"}, "kind",
         "数据来源“事件办结率”是比率"),
        ({"source": "households.benefit_paid", "source_option": "dibao"}, "unit", "计量单位“件”与数据来源"),
        ({"source": "projects.in_library", "source_option": "x", "kind": IndicatorKind.LEVEL},
         "source_option", "数据来源“在库项目数”不需要来源范围。"),
    ],
)  # fmt: skip
def test_a_binding_that_does_not_fit_is_refused_with_the_field_named(
    cast: Cast, types: object, fields: dict[str, object], field: str, message: str
) -> None:
    indicator = bound(cast, **fields)
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_a_bound_count_follows_its_records_at_once(cast: Cast, types: object) -> None:
    indicator = bound(cast, source="cases.received", source_option="grid_event")
    indicator.full_clean()
    target(indicator, cast.township, "12")
    period = Period.latest_complete(timezone.localdate())
    before = services.progress_table([indicator], [cast.township], period)[(indicator.pk, cast.township.pk)]
    case = make_case(cast.user("wangge01"), cast.grid0101)
    cases.Case.objects.filter(pk=case.pk).update(received_at=cases.start_of_day(period.end_date()))
    after = services.progress_table([indicator], [cast.township], period)[(indicator.pk, cast.township.pk)]
    assert after.actual == (before.actual or 0) + 1
    assert after.records is not None and after.records.route == "cases:case-list"
    assert not services.may_enter(cast.user("admin"), indicator, cast.township)


def test_the_admin_offers_every_measure_and_refuses_a_wrong_unit(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    indicator = bound(cast)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    page = client.get(url).content.decode()
    assert '<option value="households.benefit_paid">救助金发放额</option>' in page and "人工填报" in page
    form = client.get(url).context["adminform"].form
    data = {**form.initial, "source": "households.benefit_paid", "source_option": "dibao"}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    data.update(township=cast.township.pk, department=cast.jingfa_department.pk)
    response = client.post(url, data)
    assert (
        response.status_code == 200
        and "计量单位“件”与数据来源“救助金发放额”不符。" in response.content.decode()
    )
    assert Indicator.objects.get(pk=indicator.pk).source == ""
