"""The case form registers a case of any type, and bad input is named on its field, changing nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.cases.models import Case


def test_the_form_offers_every_type_with_its_deadline_rule(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("admin"))
    page = client.get(reverse("cases:case-create")).content.decode()
    assert "信访：60 个自然日，15 日内决定是否受理，可延期一次 30 天" in page
    assert 'id="categories-by-type"' in page


def test_a_hotline_ticket_without_a_deadline_is_refused_on_its_field(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    hotline = types["hotline"]
    data = {
        "case_type": hotline.pk,
        "category": hotline.categories.get(name="投诉").pk,
        "title": "噪音",
        "description": "夜间施工噪音",
        "org_unit": cast.village01.pk,
    }
    response = client.post(reverse("cases:case-create"), data)
    assert response.status_code == 200
    assert "须逐件设定办理期限" in response.content.decode()
    assert Case.objects.count() == 0
    response = client.post(reverse("cases:case-create"), {**data, "deadline_days": 5})
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case-detail", kwargs={"pk": case.pk})


def test_a_category_of_another_type_is_refused(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("admin"))
    data = {
        "case_type": types["petition"].pk,
        "category": types["hazard"].categories.first().pk,
        "title": "x",
        "description": "y",
        "org_unit": cast.village01.pk,
    }
    assert "不属于信访" in client.post(reverse("cases:case-create"), data).content.decode()
    assert Case.objects.count() == 0


def test_a_village_user_cannot_register_a_case_in_another_village(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("cun01"))
    grid_event = types["grid_event"]
    data = {
        "case_type": grid_event.pk,
        "category": grid_event.categories.first().pk,
        "title": "x",
        "description": "y",
        "org_unit": cast.village02.pk,
    }
    response = client.post(reverse("cases:case-create"), data)
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "“发生地(乡镇/村/网格)”：所选单位不存在或不在您的范围内" in response.content.decode()
