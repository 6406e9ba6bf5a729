"""Records with a repeat through create_record and the REST API: each row checked and named, the rows
kept as a list under the repeat's name, shown on the record's page as a small table."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.registers import services

from .helpers import load
from .repeats import campaign, outputs
from .test_api import api

GOOD = {"day": "2026-11-01", "title": "集中清洁日", "people": "40"}


def test_the_rows_are_kept_as_a_list_under_the_repeats_name_with_their_calculations(cast: Cast) -> None:
    register = load(cast, campaign()).register
    values = {**GOOD, "outputs": outputs(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"))}
    record = services.create_record(cast.user("admin"), register, values, unit=cast.village01)
    record.refresh_from_db()
    assert record.data["outputs"] == [
        {"what": "垃圾", "qty": "3.5", "unit": "ton", "tons": "3.5"},
        {"what": "宣传单", "qty": "200", "unit": "copy", "tons": "0"},
    ]
    assert (record.data["total_tons"], record.data["output_count"]) == ("3.5", "2")


def test_a_bad_row_is_refused_naming_the_repeat_its_row_and_field_and_nothing_is_kept(cast: Cast) -> None:
    register = load(cast, campaign()).register
    values = {
        **GOOD,
        "outputs": [*outputs(("垃圾", "3.5", "ton"), ("宣传单", "-2", "copy")), {"colour": "红"}],
    }
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("admin"), register, values, unit=cast.village01)
    assert refused.value.message_dict == {
        "outputs": ["产出第3项：表单中没有字段“colour”。"],
        "outputs-1-qty": ["产出第2项「数量」：数量须大于0"],
        "outputs-2-what": ["产出第3项「名称」：此项必填。"],
        "outputs-2-qty": ["产出第3项「数量」：此项必填。"],
        "outputs-2-unit": ["产出第3项「单位」：此项必填。"],
    }
    assert not register.records.exists()


def test_a_repeat_that_is_not_a_list_of_rows_or_too_long_is_refused(cast: Cast) -> None:
    register = load(cast, campaign()).register
    admin = cast.user("admin")
    with pytest.raises(ValidationError) as refused:
        services.create_record(admin, register, {**GOOD, "outputs": "垃圾3吨"}, unit=cast.village01)
    assert refused.value.message_dict == {"outputs": ["「产出」应为若干项，每项按字段名填写。"]}
    many = outputs(*[("垃圾", "1", "ton")] * 201)
    with pytest.raises(ValidationError) as refused:
        services.create_record(admin, register, {**GOOD, "outputs": many}, unit=cast.village01)
    assert refused.value.message_dict == {"outputs": ["「产出」最多200项，现有201项。"]}


def test_the_record_page_shows_the_rows_as_a_small_table(cast: Cast, client: Client) -> None:
    register = load(cast, campaign()).register
    values = {**GOOD, "outputs": outputs(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"))}
    record = services.create_record(cast.user("admin"), register, values, unit=cast.village01)
    client.force_login(cast.user("admin"))
    page = client.get(reverse("registers:record-detail", args=[record.pk])).content.decode()
    table = page[page.index('class="list repeat-rows"') :]
    table = table[: table.index("</table>")]
    assert [cell.split(">", 1)[1] for cell in table.split("</th>")[1:-1]] == [
        "名称",
        "数量",
        "单位",
        "清运去向",
    ]
    assert "<td>垃圾</td><td>3.5</td><td>吨</td><td>—</td>" in table
    assert "<td>宣传单</td><td>200</td><td>份</td>" in table


def test_the_api_takes_and_gives_the_rows_as_a_list(cast: Cast) -> None:
    load(cast, campaign())
    client = api(cast.user("admin"))
    body = {"data": {**GOOD, "outputs": outputs(("垃圾", "3.5", "ton"), ("标语", "12", "piece"))}}
    made = client.post("/api/v1/registers/activities/records/", body, format="json")
    assert made.status_code == 201, made.json()
    assert [row["what"] for row in made.json()["data"]["outputs"]] == ["垃圾", "标语"]
    listed = client.get("/api/v1/registers/activities/records/").json()["results"][0]
    assert listed["data"]["outputs"][1] == {"what": "标语", "qty": "12", "unit": "piece", "tons": "0"}


def test_the_api_refuses_a_bad_row_by_its_key_with_the_message_naming_it(cast: Cast) -> None:
    load(cast, campaign())
    client = api(cast.user("admin"))
    body = {"data": {**GOOD, "outputs": outputs(("垃圾", "3.5", "ton"), ("标语", "0", "piece"))}}
    refused = client.post("/api/v1/registers/activities/records/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"outputs-1-qty": ["产出第2项「数量」：数量须大于0"]}
    nested = {"data": {**GOOD, "outputs": [{"what": {"名称": "垃圾"}}]}}
    refused = client.post("/api/v1/registers/activities/records/", nested, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["data"] == [
        "outputs：应为文字、数字、选项名称的列表，或重复组各项(每项按字段名填写)的列表。"
    ]


def test_the_export_writes_a_sheet_of_items_beside_the_records(cast: Cast, client: Client) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    register = load(cast, campaign()).register
    admin = cast.user("admin")
    first = services.create_record(
        admin, register, {**GOOD, "outputs": outputs(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"))},
        unit=cast.village01,
    )  # fmt: skip
    second = services.create_record(admin, register, {**GOOD, "title": "无产出"}, unit=cast.village02)
    client.force_login(admin)
    response = client.get(reverse("registers:record-export", kwargs={"form_id": "activities"}))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["记录", "产出"]
    records = [list(row) for row in book["记录"].iter_rows(values_only=True)]
    assert records[0][-1] == "产出(项数)"
    assert {row[0]: row[-1] for row in records[1:]} == {first.pk: 2, second.pk: 0}
    items = [list(row) for row in book["产出"].iter_rows(values_only=True)]
    assert items == [
        ["记录号", "所属单元", "第几项", "名称", "数量", "单位", "清运去向"],
        [first.pk, cast.village01.name, 1, "垃圾", 3.5, "吨", None],
        [first.pk, cast.village01.name, 2, "宣传单", 200, "份", None],
    ]  # numbers as numbers: a clerk totals them in Excel
