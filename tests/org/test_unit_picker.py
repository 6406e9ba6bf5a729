"""Wherever a unit is chosen, it is chosen by name from the user's own subtree: nobody types or reads a
code, a code in a link still works and shows its name, and a unit outside the subtree sent by hand is
refused with a message naming the field, in the same words as one that does not exist."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import Cast
from zhenwu.org.widgets import UnitChoiceField


def options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """The (value, label, selected) of the <select name=`name`> of `page`."""
    found = re.search(rf'<select ([^>]*\bname="{name}"[^>]*)>(.*?)</select>', page, re.S)
    assert found and "data-unit-picker" in found[1], f"no unit picker named {name}"
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found[2]
        )
    ]


def signed_in(client: Client, cast: Cast, username: str) -> Client:
    client.force_login(cast.user(username))
    return client


def test_the_field_offers_only_the_users_subtree_by_name_and_path(cast: Cast) -> None:
    field = UnitChoiceField("发生地")
    field.limit_to(cast.user("cun01"))
    labels = [label for _, label in field.choices]
    assert labels[:3] == ["全部单位", "东岗村", "东岗村第1网格"]  # the village's own name is not repeated
    assert len(labels) == 1 + 1 + 5
    field.limit_to(cast.user("leader"))
    labels = [label for _, label in field.choices]
    assert labels[:4] == ["全部单位", "示范镇", "东岗村", "东岗村 › 第1网格"]
    assert "西河村 › 第5网格" in labels
    assert not any("外" in label for label in labels)


def test_kinds_keep_the_levels_asked_for_and_still_show_the_path(cast: Cast) -> None:
    field = UnitChoiceField("单位", kinds=["grid"], empty_label=None)
    field.limit_to(cast.user("xian"))
    labels = [label for _, label in field.choices]
    assert labels[0] == "示范镇 › 东岗村 › 第1网格"
    assert len(labels) == 60


def test_the_case_filter_is_a_picker_of_the_users_subtree(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "cun01").get("/cases/").content.decode()
    choices = options(page, "unit")
    assert ("990101001001", "东岗村", False) in choices
    assert ("990101001001", "东岗村", False) in choices
    assert all(value == "" or value.startswith("990101001001") for value, _, _ in choices)
    assert "单元编码" not in page


def test_a_unit_code_in_the_link_still_filters_and_shows_the_name(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "leader").get("/cases/?unit=990101001001").content.decode()
    assert ("990101001001", "东岗村", True) in options(page, "unit")
    assert 'class="error"' not in page


def test_a_unit_outside_the_subtree_is_refused_without_saying_it_exists(client: Client, cast: Cast) -> None:
    signed_in(client, cast, "cun01")
    outside = client.get(f"/cases/?unit={cast.village02.code}").content.decode()
    missing = client.get("/cases/?unit=NO-SUCH-UNIT").content.decode()
    message = "“发生地”：所选单位不存在或不在您的范围内，请从列表中选择。"
    assert message in outside and message in missing
    assert "西河村" not in outside
    assert "共 0 件" in outside  # refused, not widened to everything


def test_a_nul_in_the_unit_is_refused_not_a_500(client: Client, cast: Cast) -> None:
    field = UnitChoiceField("发生地")
    field.limit_to(cast.user("leader"))
    with pytest.raises(ValidationError, match="所选单位不存在"):
        field.clean("990101001\x00")
    assert signed_in(client, cast, "leader").get("/cases/?unit=99%00").status_code < 500


@pytest.mark.parametrize("username", ["leader", "cun01"])
def test_the_new_case_form_offers_the_place_by_path(client: Client, cast: Cast, username: str) -> None:
    page = signed_in(client, cast, username).get("/cases/new/").content.decode()
    labels = [label for _, label, _ in options(page, "org_unit")]
    assert ("东岗村 › 第1网格" if username == "leader" else "东岗村第1网格") in labels
    assert not any("外" in label for label in labels)


def test_the_report_is_chosen_by_name_with_the_unit_of_the_link_selected(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "leader").get("/reports/?org=990101001001").content.decode()
    choices = options(page, "org")
    assert ("990101001001", "东岗村", True) in choices
    assert ("990101001", "示范镇", False) in choices
    assert not any(
        "网格" in label for _, label, _ in choices
    )  # reports are written for townships and villages
    assert "单位编码" not in page


def test_a_county_viewer_chooses_the_report_among_the_townships_villages(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "xian").get("/reports/").content.decode()
    labels = [label for _, label, _ in options(page, "org")]
    assert labels[:2] == ["示范镇", "示范镇 › 东岗村"]
    assert "请选择乡镇或村" in page


def test_the_household_filter_is_a_picker_and_refuses_a_unit_outside(client: Client, cast: Cast) -> None:
    signed_in(client, cast, "cun01")
    page = client.get("/households/list/").content.decode()
    assert ("990101001001", "东岗村", False) in options(page, "unit")
    assert "编码" not in re.sub(r"<[^>]+>", "", page.split("<form", 2)[1].split("</form>")[0])
    refused = client.get(f"/households/list/?unit={cast.village02.code}")
    assert refused.status_code == 200
    assert "“村/网格”：所选单位不存在或不在您的范围内" in refused.content.decode()
    assert "西河村" not in refused.content.decode()


def test_the_monitoring_page_shows_the_unit_of_the_link_by_name(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "leader").get(f"/households/monitoring/?unit={cast.grid0101.code}")
    assert ("990101001001", "东岗村", False) in options(page.content.decode(), "unit")
    assert (cast.grid0101.code, "东岗村 › 第1网格", True) in options(page.content.decode(), "unit")


def test_the_new_household_is_placed_by_name(client: Client, cast: Cast) -> None:
    page = signed_in(client, cast, "cun01").get("/households/new/").content.decode()
    labels = [label for _, label, _ in options(page, "household-org_unit")]
    assert labels[:3] == ["请选择", "东岗村", "东岗村第1网格"]
