"""The report page keeps the position a phone gives (from a photo's GPS tags) to 6 places, and refuses one
off the globe by its field."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.cases.models import Case, CaseType


def report(client: Client, types: dict[str, CaseType], **position: str) -> object:
    category = types["grid_event"].categories.get(name="环境卫生")
    body = {"category": category.pk, "description": "路口垃圾堆放", **position}
    return client.post(reverse("cases:report"), body)


def test_a_phones_position_is_kept_to_six_places(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    report(client, types, latitude="30.52013888888", longitude="114.3010000001")
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (Decimal("30.520139"), Decimal("114.301000"))


def test_a_position_off_the_globe_is_refused_by_its_field(
    cast: Cast, types: dict[str, CaseType], client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    for latitude in ("91", "1e400", "abc"):
        response = report(client, types, latitude=latitude, longitude="114.3")
        assert response.status_code == 200 and response.context["form"].errors["latitude"]  # type: ignore[attr-defined]
    assert not Case.objects.exists()
