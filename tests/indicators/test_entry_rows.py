"""The entry form and the Excel template of a month list the same indicator × unit rows for every demo
role that fills indicators, and the form's office filter offers only offices the user fills."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.demo_snapshot import load_demo
from zhenwu.indicators.excel import FIRST_ROW, SHEET
from zhenwu.org.models import User

PERIOD = "2026-10"
# The demo's roles that fill indicators: the township admin, an office's staff and village staff
# (民政办 owns no indicator in the demo). One demo load per test: it is slow.
FILLERS = ["admin", "jingfa", "cun01", "cun02"]


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def form_rows(client: Client, org: str, department: str = "") -> tuple[set[tuple[str, str]], list[str]]:
    query = {"org": org, "period": PERIOD} | ({"department": department} if department else {})
    response = client.get(reverse("indicators:entry"), query)
    assert response.status_code == 200
    rows = {(p["indicator"].code, org) for p in response.context["form"].field_pairs()}
    return rows, [d.code for d in response.context["departments"]]


def template_rows(client: Client, org: str, department: str = "") -> set[tuple[str, str]]:
    query = {"org": org, "period": PERIOD} | ({"department": department} if department else {})
    response = client.get(reverse("indicators:template"), query)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))[SHEET]
    return {(row[0], row[3]) for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True) if row[0]}


def test_the_form_and_the_template_list_the_same_rows(demo: None, client: Client) -> None:
    for username in FILLERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        org = user.org_unit.code
        rows, offices = form_rows(client, org)
        assert rows, f"{username} fills indicators"
        assert template_rows(client, org) == rows, username
        for office in offices:
            assert template_rows(client, org, office) == form_rows(client, org, office)[0], (username, office)


def test_the_office_filter_offers_only_offices_the_user_fills(demo: None, client: Client) -> None:
    for username in FILLERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        response = client.get(reverse("indicators:entry"), {"org": user.org_unit.code, "period": PERIOD})
        filled = {p["indicator"].department.code for p in response.context["form"].field_pairs()}
        assert [d.code for d in response.context["departments"]] == sorted(filled), username
