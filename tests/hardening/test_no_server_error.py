"""No input causes a 500: the inputs seen to (bad dates and limits in the API, implausible dates on
forms) and, for every form page, hostile values generated for every field it has."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import make_case
from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import services as households
from zhenwu.households.models import Benefit


@pytest.mark.parametrize(
    ("query", "field"),
    [({"start": "2026-02-30"}, "start"), ({"end": "2026-13-01"}, "end"),
     ({"case_type": "nosuch"}, "case_type"), ({"state": "drunk"}, "state"),
     ({"start": "2026-03-01", "end": "2026-02-01"}, "end")],
)  # fmt: skip
def test_a_bad_case_filter_is_a_400_naming_it(
    cast: Cast, client: Client, types: object, query: dict[str, str], field: str
) -> None:
    client.force_login(cast.user("cun01"))
    response = client.get("/api/v1/cases/", query)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_a_huge_limit_or_offset_is_a_page_not_an_error(cast: Cast, client: Client, types: object) -> None:
    make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("cun01"))
    huge = client.get("/api/v1/cases/", {"limit": "99999999999999999999"})
    assert huge.status_code == 200 and huge.json()["count"] == 1
    far = client.get("/api/v1/cases/", {"offset": "99999999999999999999"})
    assert far.status_code == 200 and far.json()["results"] == []


def test_a_benefit_from_1900_or_far_ahead_is_refused(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("cun01"))
    url = reverse("households:benefit-grant", args=[household.pk])
    for day, said in (("1900-01-01", "不能早于2000年1月1日"), ("2030-01-01", "（一年以内）")):
        page = client.post(url, {"kind": "dibao", "monthly_amount": "500", "starts_on": day}).content.decode()
        assert said in page
    with pytest.raises(Exception, match="不能早于2000年1月1日"):
        households.grant_benefit(
            household=household,
            kind="dibao",
            starts_on=date(1900, 1, 1),
            monthly_amount=500,
            actor=cast.user("cun01"),
        )  # type: ignore[arg-type]
    assert not Benefit.objects.exists()


HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "\x07铃", "\u202egpj.exe", "\u200b" * 3, "1e400", "NaN", "-1",
                     "99999999999999999999999", "2026-02-30", "1900-01-01", "9999-12-31", "<script>", "'; --",
                     "０１２３", "１，２３４．５", "null", "[]", "{}", "ｘ" * 5000]),
)  # fmt: skip
FORM_PAGES = [
    ("wangge01", "cases:report", ()),
    ("admin", "cases:case-create", ()),
    ("cun01", "households:household-add", ()),
    ("jingfa", "projects:project-create", ()),
    ("jingfa", "projects:lead-create", ()),
    ("jingfa", "indicators:entry", ()),
    ("admin", "indicators:targets", ()),
    ("jingfa", "reports:entry-list", ()),
    ("leader", "web:number-check", ()),
    ("cun01", "notifications:settings", ()),
]


@pytest.mark.parametrize(("username", "name", "args"), FORM_PAGES)
def test_no_form_answers_a_server_error_to_hostile_values(
    cast: Cast, client: Client, types: object, username: str, name: str, args: tuple[Any, ...]
) -> None:
    client.force_login(cast.user(username))
    url = reverse(name, args=args)
    fields = _fields(client.get(url).content.decode())
    assert fields, url

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.fixed_dictionaries({f: HOSTILE for f in fields}))
    def post(data: dict[str, str]) -> None:
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)

    post()


def _fields(page: str) -> list[str]:
    form = page[page.index("<main") :]
    names = re.findall(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"', form)
    return sorted({n for n in names if n not in ("csrfmiddlewaretoken",)})


def test_a_nul_in_an_address_or_a_looked_up_code_is_a_clean_answer(cast: Cast, client: Client) -> None:
    """PostgreSQL cannot compare a value holding NUL: such a request never reaches the database."""
    client.force_login(cast.user("leader"))
    api = client.get("/api/v1/monitoring-cases/", {"state": "a\x00b"})
    assert api.status_code == 400 and "空字符" in api.json()["detail"]
    client.force_login(cast.user("admin"))  # one who enters indicator values
    page = client.post(reverse("indicators:entry"), {"org": "99\x0001", "period": "2026-10"})
    assert page.status_code == 404
