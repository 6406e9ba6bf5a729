"""The web form built from a register's definition: each field type rendered and sent, the server's
checks shown by field, photos within the upload limits, the entity field of an activity, scope."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import Cast
from zhenwu.registers import entry
from zhenwu.registers.models import RegisterRecord

from .books import lamps, patrols, xlsx
from .helpers import lamp_at, load, register_in

HEADER = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "constraint",
    "constraint_message",
    "relevant",
    "calculation",
]


def inspection() -> dict[str, list[list[Any]]]:
    """A register with a field of every type zhenwu supports, in a group, with rules."""
    return {
        "survey": [
            HEADER,
            ["note", "intro", "请如实填写现场情况", "", "", "", "", "", ""],
            [
                "text",
                "code",
                "点位编号",
                "两个字母加三位数字",
                "yes",
                "regex(., '^[A-Z]{2}[0-9]{3}$')",
                "编号格式如 AB123",
                "",
                "",
            ],
            ["select_one state", "state", "现场状态", "", "yes", "", "", "", ""],
            ["text", "problem", "问题描述", "", "yes", "", "", "${state} = 'bad'", ""],
            ["integer", "people", "在场人数", "", "", ". >= 0 and . <= 50", "人数应在0到50之间", "", ""],
            ["decimal", "cost", "费用(元)", "", "", "", "", "", ""],
            ["date", "seen_on", "检查日期", "", "", "", "", "", ""],
            ["select_one town", "town", "所在片区", "", "", "", "", "", ""],
            ["begin group", "where", "位置", "", "", "", "", "", ""],
            ["select_multiple kinds", "kinds", "隐患类型", "", "", "", "", "", ""],
            ["geopoint", "spot", "位置坐标", "", "", "", "", "", ""],
            ["image", "photo", "现场照片", "", "", "", "", "", ""],
            ["end group", "", "", "", "", "", "", "", ""],
            ["calculate", "double", "", "", "", "", "", "", "${people} * 2"],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["state", "good", "良好"],
            ["state", "bad", "有问题"],
            *[["town", f"t{i}", f"片区{i}"] for i in range(1, 9)],
            ["kinds", "fire", "消防"],
            ["kinds", "road", "道路"],
        ],
        "settings": [["form_id", "form_title", "version"], ["inspections", "现场检查", "1"]],
        "zhenwu": [["key", "value"], ["kind", "activity"]],
    }


def new_url(form_id: str = "inspections") -> str:
    return reverse("registers:record-create", kwargs={"form_id": form_id})


def png(size: int = 8) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (size, size), "red").save(out, "PNG")
    return SimpleUploadedFile("现场.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_each_field_type_is_rendered_for_a_phone(cast: Cast, client: Client) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    page = client.get(new_url()).content.decode()
    assert "请如实填写现场情况" in page and "两个字母加三位数字" in page
    assert 'pattern="[A-Z]{2}[0-9]{3}"' in page and "required" in page
    assert 'type="radio" name="state" value="bad"' in page  # two choices: buttons
    assert '<select name="town"' in page and "片区8" in page  # eight: a dropdown
    assert 'type="checkbox" name="kinds" value="fire"' in page
    assert 'inputmode="numeric"' in page and 'min="0"' in page and 'max="50"' in page
    assert 'inputmode="decimal"' in page and 'type="date"' in page
    assert 'name="spot_0"' in page and 'name="spot_1"' in page and "定位" in page
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    assert "<legend>位置</legend>" in page and 'name="double"' not in page
    assert 'data-relevant-field="state" data-relevant-value="bad"' in page
    assert "registers/form.js" in page


def test_a_filled_form_makes_a_record_and_opens_it(cast: Cast, client: Client, media: Path) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    sent = {
        "code": "AB123", "state": "bad", "problem": "井盖缺失", "people": "3", "cost": "12.50",
        "seen_on": "2026-11-17", "town": "t7", "kinds": ["fire", "road"],
        "spot_0": "30.52", "spot_1": "114.31",
        "photo": png(),
    }  # fmt: skip
    response = client.post(new_url(), sent)
    record = RegisterRecord.objects.get(register__form_id="inspections")
    assert response.status_code == 302 and response["Location"] == f"/registers/records/{record.pk}/"
    assert record.unit == cast.grid0101 and record.entered_by == cast.user("wangge01")
    data = record.data
    assert data["state"] == "bad" and data["kinds"] == "fire road" and data["spot"] == "30.52 114.31"
    assert data["double"] in (6, 6.0, "6") and data["people"] in (3, "3")
    assert data["photo"].startswith("registers/inspections/") and (media / data["photo"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "已新增“现场检查”记录" in page and "有问题" in page


def test_the_servers_checks_are_shown_by_their_field(cast: Cast, client: Client) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    response = client.post(
        new_url(), {"code": "ab", "state": "bad", "people": "80", "spot_0": "95", "spot_1": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "编号格式如 AB123" in errors["code"][0]
    assert "problem" in errors  # required because the state is bad
    assert "人数应在0到50之间" in errors["people"][0]
    assert "纬度" in errors["spot"][0]
    assert not RegisterRecord.objects.exists()
    assert "需要修改" in response.content.decode()


def test_a_field_that_is_not_relevant_is_not_asked_for_nor_kept(cast: Cast, client: Client) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    response = client.post(new_url(), {"code": "AB123", "state": "good", "problem": "不该保存"})
    assert response.status_code == 302
    assert "problem" not in RegisterRecord.objects.get().data


def test_a_photo_too_large_or_not_a_photo_is_refused_by_its_field(
    cast: Cast, client: Client, media: Path, settings: Any
) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    fake = SimpleUploadedFile("a.png", b"not an image", content_type="image/png")
    response = client.post(new_url(), {"code": "AB123", "state": "good", "photo": fake})
    assert "不是有效的 JPEG 或 PNG 图片" in response.context["form"].errors["photo"][0]
    from zhenwu.cases import services as cases

    big = png()
    big.size = cases.MAX_PHOTO_BYTES + 1
    form = entry.record_form(
        register_in(cast, cast.township, inspection()).current_version.parsed(),  # type: ignore[union-attr]
        units=[cast.grid0101], data={"code": "AB123", "state": "good"}, files={"photo": big},
    )  # fmt: skip
    assert not form.is_valid() and "超过 5 MB" in form.errors["photo"][0]
    assert not RegisterRecord.objects.exists() and not list(media.rglob("*.png"))


def test_a_refused_record_leaves_no_photo_behind(cast: Cast, client: Client, media: Path) -> None:
    load(cast, inspection())
    client.force_login(cast.user("wangge01"))
    response = client.post(new_url(), {"code": "bad", "state": "good", "photo": png()})
    assert response.status_code == 200 and not list(media.rglob("*.png"))


def test_a_unit_is_chosen_among_those_in_scope(cast: Cast, client: Client) -> None:
    load(cast, inspection())
    client.force_login(cast.user("admin"))
    page = client.get(new_url()).content.decode()
    assert 'name="_unit"' in page and cast.other_village.name not in page
    assert ">东岗村 › 第2网格</option>" in page  # by name, with the village above it
    sent = {"_unit": str(cast.grid0102.pk), "code": "AB123", "state": "good"}
    assert client.post(new_url(), sent).status_code == 302
    assert RegisterRecord.objects.get().unit == cast.grid0102
    refused = client.post(new_url(), {**sent, "_unit": str(cast.other_village.pk)})
    assert refused.status_code == 200 and "_unit" in refused.context["form"].errors


def test_an_activity_names_a_thing_the_user_may_see(cast: Cast, client: Client) -> None:
    mine, other = lamp_at(cast, cast.grid0101, "0001"), lamp_at(cast, cast.grid0102, "0002")
    assert mine.thing is not None and other.thing is not None
    register_in(cast, cast.township, patrols())
    client.force_login(cast.user("wangge01"))
    page = client.get(new_url("lamp_patrols") + f"?thing={mine.thing.pk}").content.decode()
    assert 'value="0001"' in page and "路灯0002" not in page  # a search box (test_thing_picker.py)
    assert client.get(new_url("lamp_patrols") + f"?thing={other.thing.pk}").status_code == 404
    response = client.post(new_url("lamp_patrols"), {"lamp": str(mine.thing.key), "status": "broken"})
    assert response.status_code == 302
    mine.thing.refresh_from_db()
    assert mine.thing.properties["status"] == "broken"
    refused = client.post(new_url("lamp_patrols"), {"lamp": str(other.thing.key), "status": "broken"})
    assert "lamp" in refused.context["form"].errors


def test_only_writers_get_the_form_and_the_button(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("wangge01"))
    listing = client.get(reverse("registers:record-list", kwargs={"form_id": "lamps"})).content.decode()
    assert "新增记录" in listing
    client.force_login(cast.user("xian"))
    assert client.get(new_url("lamps")).status_code == 403
    listing = client.get(reverse("registers:record-list", kwargs={"form_id": "lamps"})).content.decode()
    assert "新增记录" not in listing
    client.force_login(cast.other_admin)
    assert client.get(new_url("lamps")).status_code == 404


def test_the_bounds_and_relevant_the_browser_is_given(cast: Cast) -> None:
    definition = register_in(cast, cast.township, inspection()).current_version.parsed()  # type: ignore[union-attr]
    assert entry.relevant_rule(definition.field("problem")) == {
        "field": "state",
        "value": "bad",
        "kind": "equals",
    }
    assert entry._bounds(definition.field("people")) == {"min": "0", "max": "50"}
    assert entry._bounds(definition.field("code")) == {}
    assert xlsx  # the books module builds workbooks for the other tests


LIBRARY = sorted((Path(__file__).resolve().parents[2] / "src/zhenwu/registers/library").glob("*.xlsx"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_library_register_has_a_form_a_township_admin_can_open(
    cast: Cast, client: Client, path: Path
) -> None:
    from zhenwu.registers import services

    version = services.load_definition(cast.user("admin"), cast.township, path.read_bytes(), path.name)
    client.force_login(cast.user("admin"))
    response = client.get(new_url(version.register.form_id))
    assert response.status_code in (200, 404)  # 404 only where the admin is not among its writers
    if services.may_write(cast.user("admin"), version.register):
        assert response.status_code == 200 and 'id="record-form"' in response.content.decode()


def test_a_question_showing_another_answer_reads_as_pending_not_as_its_name(
    cast: Cast, client: Client
) -> None:
    """ODK shows "${people}" as the answer; the web form computes on saving, so it shows "…" until then."""
    sheets = inspection()
    sheets["survey"].append(
        ["note", "people_note", "在场 ${people} 人", "提示：${people} 超过10人需登记", *[""] * 5]
    )
    load(cast, sheets)
    client.force_login(cast.user("wangge01"))
    page = client.get(new_url()).content.decode()
    assert "在场 … 人" in page and "提示：… 超过10人需登记" in page and "${people}" not in page
