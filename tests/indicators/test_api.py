"""`GET /api/v1/indicators/progress`: the documented shape, decimals as strings, defaults, scope."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, target, value

URL = reverse("api:indicator-progress")
FIELDS = {
    "code", "name", "unit", "direction", "source", "target", "actual", "completion", "time_progress",
    "gap_points", "gap_to_time_progress", "status", "tolerance_points", "missing_units", "last_year", "yoy",
    "warnings",
}  # fmt: skip


def test_the_progress_rows_carry_every_figure_as_strings(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    target(catalog.invest, cast.township, "9.6")
    value(catalog.invest, cast.township, 8, "4.90")
    value(catalog.invest, cast.township, 8, "3.828125", year=YEAR - 1)
    token = Token.objects.create(user=cast.user("leader"))
    body = client.get(URL, {"period": f"{YEAR}-08"}, HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert (body["org"], body["period"]) == (cast.township.code, f"{YEAR}-08")
    row = next(r for r in body["rows"] if r["code"] == "invest")
    assert set(row) == FIELDS
    assert row["actual"] == "4.9" and row["target"] == "9.6"
    # Growth is of the values as shown: 4.90 ÷ 3.83 − 1, not of last year's 3.828125 (28.0%).
    assert row["completion"] == "51.0" and row["time_progress"] == "66.7" and row["yoy"] == "27.9"
    assert row["last_year"] == "3.83"
    assert row["gap_to_time_progress"] == "-1.5"  # 4.90 − 9.6 × 8/12
    assert row["gap_points"] == "-15.7"  # 51.0 − 66.7, the two percentages as shown
    assert (row["status"], row["direction"], row["source"]) == ("behind", "higher", "typed")
    assert row["tolerance_points"] == "0.0" and row["missing_units"] == []
    assert row["warnings"] == ["低于序时进度15.7个百分点"]


def test_the_period_defaults_to_the_latest_month_with_values(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.invest, cast.township, 5, "2")
    client.force_login(cast.user("leader"))
    assert client.get(URL).json()["period"] == f"{YEAR}-05"


def test_a_village_user_gets_their_village(cast: Cast, catalog: Catalog, client: Client) -> None:
    value(catalog.jobs, cast.village01, 8, "12")
    client.force_login(cast.user("cun01"))
    body = client.get(URL).json()
    assert body["org"] == cast.village01.code
    assert [r["code"] for r in body["rows"] if r["actual"]] == ["jobs"]


def test_a_bad_period_and_another_village_are_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    bad = client.get(URL, {"period": "2026-13"})
    assert bad.status_code == 400 and "月份应在 1 到 12 之间" in bad.json()["errors"]["period"][0]
    assert client.get(URL, {"org": cast.village02.code}).status_code == 404


def test_office_staff_get_their_offices_rows_only(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    codes = {r["code"] for r in client.get(URL, {"period": f"{YEAR}-08"}).json()["rows"]}
    assert codes == {"invest", "retail", "retail_above"}
    assert client.get(reverse("indicators:indicator-detail", args=[catalog.jobs.pk])).status_code == 404


def test_the_schema_documents_the_progress_endpoint(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/indicators/progress"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"org", "period"}
    row = schema["components"]["schemas"]["IndicatorProgressRow"]["properties"]
    assert set(row) == FIELDS
