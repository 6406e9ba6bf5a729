"""A register's list narrowed by unit, dates, a choice and words, paged, and exported as shown."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.registers import services, views
from zhenwu.registers.models import RegisterRecord

from .books import key_persons, lamps, patrols
from .helpers import lamp_at, register_in, visit_at


def page_of(client: Client, form_id: str, **query: str) -> str:
    response = client.get(reverse("registers:record-list", kwargs={"form_id": form_id}), query)
    assert response.status_code == 200
    return response.content.decode()


def exported(client: Client, form_id: str, **query: str) -> list[list[Any]]:
    response = client.get(reverse("registers:record-export", kwargs={"form_id": form_id}), query)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def patrol_at(cast: Cast, thing: Any, status: str, unit: Any, **extra: Any) -> RegisterRecord:
    register = register_in(cast, cast.township, patrols())
    values = {"lamp": str(thing.key), "status": status, **extra}
    return services.create_record(cast.user("admin"), register, values, unit=unit)


def test_records_are_narrowed_by_unit_subtree(cast: Cast, client: Client) -> None:
    in_grid, in_village, elsewhere = (
        visit_at(cast, cast.grid0101), visit_at(cast, cast.village01), visit_at(cast, cast.village02),
    )  # fmt: skip
    client.force_login(cast.user("admin"))
    page = page_of(client, "visits", unit=cast.village01.code)
    assert f"/registers/records/{in_grid.pk}/" in page and f"/registers/records/{in_village.pk}/" in page
    assert f"/registers/records/{elsewhere.pk}/" not in page


def test_a_unit_outside_scope_is_no_filter_choice(cast: Cast, client: Client) -> None:
    visit_at(cast, cast.grid0101)
    client.force_login(cast.user("cun01"))
    response = client.get(
        reverse("registers:record-list", kwargs={"form_id": "visits"}), {"unit": cast.village02.code}
    )
    assert "unit" in response.context["filters"].errors
    assert f'<option value="{cast.village02.code}"' not in response.content.decode()


def test_records_are_narrowed_by_date_choice_and_words(cast: Cast, client: Client) -> None:
    lamp = lamp_at(cast, cast.grid0101).thing
    broken = patrol_at(cast, lamp, "broken", cast.grid0101, minutes=5)
    fine = patrol_at(cast, lamp, "normal", cast.grid0101)
    RegisterRecord.objects.filter(pk=fine.pk).update(entered_at=timezone.now() - timedelta(days=10))
    client.force_login(cast.user("admin"))
    link = "/registers/records/{}/"
    page = page_of(client, "lamp_patrols", choice="status=broken")
    assert link.format(broken.pk) in page and link.format(fine.pk) not in page
    page = page_of(client, "lamp_patrols", since="2026-11-18", until="2026-11-18")
    assert link.format(broken.pk) in page and link.format(fine.pk) not in page
    page = page_of(client, "lamp_patrols", until="2026-11-10")
    assert link.format(broken.pk) not in page and link.format(fine.pk) in page
    page = page_of(client, "lamp_patrols", since="2026-11-18", until="2026-11-01")
    assert "不能早于" in page


def test_free_text_finds_chinese_words_in_the_data(cast: Cast, client: Client) -> None:
    road, lights = visit_at(cast, cast.grid0101, "道路破损"), visit_at(cast, cast.grid0101, "路灯不亮")
    client.force_login(cast.user("admin"))
    page = page_of(client, "visits", q="破损")
    assert f"/registers/records/{road.pk}/" in page and f"/registers/records/{lights.pk}/" not in page


def test_the_list_is_paged_with_its_filters_kept(cast: Cast, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 2)
    for _ in range(3):
        visit_at(cast, cast.grid0101, "积水")
    client.force_login(cast.user("admin"))
    page = page_of(client, "visits", q="积水")
    assert "第 1 / 2 页" in page and "?q=%E7%A7%AF%E6%B0%B4&amp;page=2" in page
    assert "export.xlsx?q=%E7%A7%AF%E6%B0%B4" in page


def test_the_export_is_the_filtered_list_with_labels_and_masked_values(cast: Cast, client: Client) -> None:
    register = register_in(cast, cast.township, key_persons())
    admin = cast.user("admin")
    services.create_record(
        admin, register, {"name": "张三", "id_number": "11010519491231002X"}, unit=cast.grid0101
    )
    services.create_record(admin, register, {"name": "李四"}, unit=cast.village02)
    client.force_login(admin)
    rows = exported(client, "key_persons", unit=cast.village01.code)
    assert rows[0] == ["记录号", "所属单元", "对象", "填报人", "填报时间", "版本", "姓名", "身份证号"]
    assert len(rows) == 2 and rows[1][1] == cast.grid0101.name and rows[1][6] == "张三"
    assert rows[1][7] != "11010519491231002X" and "*" in rows[1][7]
    page = page_of(client, "key_persons", unit=cast.village01.code)
    assert page.count("/registers/records/") == len(rows) - 1  # the export is what the page shows


def test_the_export_keeps_to_the_users_scope(cast: Cast, client: Client) -> None:
    mine, other = visit_at(cast, cast.grid0101), visit_at(cast, cast.village02)
    client.force_login(cast.user("wangge01"))
    numbers = [row[0] for row in exported(client, "visits")[1:]]
    assert numbers == [mine.pk] and other.pk not in numbers
    client.force_login(cast.other_admin)
    assert client.get(reverse("registers:record-export", kwargs={"form_id": "lamps"})).status_code == 404


def test_a_thing_list_is_narrowed_by_a_saved_choice_and_words(cast: Cast, client: Client) -> None:
    ok, broken = lamp_at(cast, cast.grid0101, "0001"), lamp_at(cast, cast.grid0101, "0002", status="broken")
    assert ok.thing and broken.thing
    client.force_login(cast.user("admin"))
    page = page_of(client, "lamps", choice="status=broken")
    assert f"/registers/things/{broken.thing.pk}/" in page and f"/registers/things/{ok.thing.pk}/" not in page
    page = page_of(client, "lamps", q="0001")
    assert f"/registers/things/{ok.thing.pk}/" in page and f"/registers/things/{broken.thing.pk}/" not in page
    assert lamps


def test_a_thing_list_is_exported_as_shown(cast: Cast, client: Client) -> None:
    lamp_at(cast, cast.grid0101, "0001")
    broken = lamp_at(cast, cast.grid0101, "0002", status="broken").thing
    assert broken is not None
    client.force_login(cast.user("admin"))
    rows = exported(client, "lamps", choice="status=broken")
    assert rows[0] == ["名称", "编号", "所属单元", "更新时间", "状态"]
    updated = timezone.localtime(broken.updated_at).strftime("%Y-%m-%d %H:%M")  # Beijing time, as shown
    assert rows[1:] == [["路灯0002", "0002", cast.grid0101.name, updated, "损坏"]]


def test_the_list_and_its_export_take_as_many_queries_for_few_records_as_for_many(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    client.get(reverse("web:home"))  # the navigation's to-do count, then kept a minute, is made there
    counts = []
    for _ in range(2):
        for _ in range(3):
            visit_at(cast, cast.grid0101)
        with CaptureQueriesContext(connection) as listed:
            page_of(client, "visits", q="道路")
        with CaptureQueriesContext(connection) as written:
            exported(client, "visits", q="道路")
        counts.append((len(listed), len(written)))
    assert counts[0] == counts[1]
