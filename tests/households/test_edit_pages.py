"""The pages that edit, move and close households and members: the register's keepers (village staff for
their village, 民政办 for the township) see the buttons and change records; a grid worker and the county
see no button and get a Chinese 403; out of scope is 404; a bad input is named beside its field in Chinese
and changes nothing."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households.models import Household, Member, Move


def xlsx_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content), read_only=True)
    return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_village_staff_see_the_buttons_and_a_grid_worker_and_the_county_do_not(
    cast: Cast, client: Client
) -> None:
    household = factories.household(cast.grid0101)
    page = reverse("households:household-detail", args=[household.pk])
    client.force_login(cast.user("cun01"))
    body = client.get(page).content.decode()
    assert "修改户信息" in body and "整户迁移" in body and "/edit/" in body
    for username in ("wangge01", "xian"):
        client.force_login(cast.user(username))
        body = client.get(page).content.decode()
        assert "修改户信息" not in body and "/edit/" not in body and "/close/" not in body


def test_a_grid_worker_and_the_county_are_refused_in_chinese(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    member = household.members.get(relation="head")
    for username in ("wangge01", "xian"):
        client.force_login(cast.user(username))
        for url in (
            reverse("households:household-edit", args=[household.pk]),
            reverse("households:member-edit", args=[member.pk]),
            reverse("households:member-close", args=[member.pk]),
        ):
            response = client.post(url, {"name": "改名", "relation": "head"})
            assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert Member.objects.get(pk=member.pk).name == member.name


def test_another_village_is_404_and_minzheng_edits_the_whole_township(cast: Cast, client: Client) -> None:
    household = factories.household(cast.village02)
    member = household.members.get(relation="head")
    url = reverse("households:member-edit", args=[member.pk])
    client.force_login(cast.user("cun01"))
    assert client.get(url).status_code == 404
    client.force_login(cast.user("minzheng"))
    response = client.post(url, {"name": "李四", "relation": "head"})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).name == "李四"


def test_a_bad_identity_number_is_named_beside_its_field_and_nothing_changes(
    cast: Cast, client: Client
) -> None:
    member = factories.household(cast.grid0101).members.get(relation="head")
    client.force_login(cast.user("cun01"))
    response = client.post(
        reverse("households:member-edit", args=[member.pk]),
        {"name": "新名", "relation": "head", "id_number": "99055519660606004", "phone": "12"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "身份证号应为18位，这里是17位。" in body and "99055519660606004" not in body
    assert "电话" in body and member.id_number_masked in body
    assert Member.objects.get(pk=member.pk).name == member.name


def test_moving_a_member_by_household_number_shows_both_lines(cast: Cast, client: Client) -> None:
    source, target = factories.household(cast.grid0101), factories.household(cast.grid0102)
    child = source.members.get(relation="child")
    client.force_login(cast.user("cun01"))
    url = reverse("households:member-move", args=[child.pk])
    missing = client.post(url, {"to_household": "NOPE", "relation": "child", "moved_on": "2026-11-01",
                                "reason": "投亲"}).content.decode()  # fmt: skip
    assert "未找到户编号为NOPE的在册农户" in missing and not Move.objects.exists()
    response = client.post(url, {"to_household": target.number, "relation": "child",
                                 "moved_on": "2026-11-01", "reason": "投亲"})  # fmt: skip
    assert response.status_code == 302
    out_page = client.get(reverse("households:household-detail", args=[source.pk])).content.decode()
    in_page = client.get(reverse("households:household-detail", args=[target.pk])).content.decode()
    assert f"迁出：{child.name}迁至农户{target.number}" in out_page
    assert f"迁入：{child.name}由农户{source.number}" in in_page


def test_a_future_date_is_refused_beside_its_field(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("cun01"))
    body = client.post(
        reverse("households:household-move", args=[household.pk]),
        {"org_unit": cast.grid0102.pk, "moved_on": "2027-01-01", "reason": "搬迁"},
    ).content.decode()
    assert "迁移日期不能晚于今天。" in body
    assert Household.objects.get(pk=household.pk).org_unit == cast.grid0101
    nonsense = client.post(
        reverse("households:household-move", args=[household.pk]),
        {"org_unit": "abc", "moved_on": "不是日期", "reason": ""},
    )
    assert nonsense.status_code == 200 and "迁入村/网格" in nonsense.content.decode()


def test_a_closed_household_stays_on_its_page_and_leaves_the_list(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    client.force_login(cast.user("cun01"))
    response = client.post(
        reverse("households:household-close", args=[household.pk]),
        {"reason": "moved_out", "closed_on": "2026-11-10", "note": "迁往县城"},
    )
    assert response.status_code == 302
    page = client.get(reverse("households:household-detail", args=[household.pk])).content.decode()
    assert "已销户" in page and "2026-11-10销户：整户迁出" in page and "修改户信息" not in page
    listed = client.get(reverse("households:household-list"), {"q": household.number}).content.decode()
    assert f"/households/{household.pk}/" not in listed
    closed = client.get(reverse("households:household-list"), {"q": household.number, "tag": "closed"})
    assert f"/households/{household.pk}/" in closed.content.decode()
    again = client.get(reverse("households:household-edit", args=[household.pk]))
    assert again.status_code == 302


def test_a_member_who_left_is_not_in_the_api_nor_the_register_export(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    child = household.members.get(relation="child")
    client.force_login(cast.user("cun01"))
    client.post(reverse("households:member-close", args=[child.pk]),
                {"reason": "died", "left_on": "2026-11-01", "note": ""})  # fmt: skip
    listed = client.get(reverse("api:household-list"), {"q": household.number}).content.decode()
    assert household.number in listed and child.name not in listed
    export = client.get(reverse("households:export-register", args=[cast.grid0101.code]))
    assert child.name not in xlsx_text(export.content)
    assert household.members.get(relation="head").name in xlsx_text(export.content)
