"""A register's Excel template filled and imported: dry run first, all or nothing, errors by row and
column, a thing list imported again updates its things by number instead of doubling them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.registers import imports, workbook
from zhenwu.registers.models import RegisterRecord, Thing

from .books import lamps
from .helpers import load, register_in


def url(name: str, form_id: str = "lamps") -> str:
    return reverse(f"registers:{name}", kwargs={"form_id": form_id})


def filled_template(client: Client, rows: list[list[Any]], form_id: str = "lamps") -> SimpleUploadedFile:
    """The template as downloaded by the user, with `rows` typed in from row 4."""
    response = client.get(url("record-template", form_id))
    assert response.status_code == 200 and response["Content-Type"] == imports.downloads.XLSX
    book = load_workbook(BytesIO(response.content))
    sheet = book[workbook.SHEET]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=workbook.FIRST_DATA_ROW + offset, column=column, value=value)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("路灯.xlsx", out.getvalue())


def upload(client: Client, rows: list[list[Any]]) -> Any:
    return client.post(url("record-import"), {"file": filled_template(client, rows)})


def confirm(client: Client, checked: Any) -> Any:
    return client.post(url("record-import"), {"pending": checked.context["pending"]})


def test_the_template_offers_the_users_units(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    book = load_workbook(BytesIO(client.get(url("record-template")).content))
    sheet = book[workbook.SHEET]
    assert [c.value for c in sheet[workbook.LABEL_ROW]][:3] == ["单位", "路灯编号*", "状态*"]
    listed = " ".join(str(v.formula1) for v in sheet.data_validations.dataValidation)
    assert cast.village01.name in listed and cast.village02.name not in listed


def test_a_filled_template_is_checked_then_saved_on_confirmation(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    rows = [[cast.village01.name, "0001", "正常", "13812345678"], [cast.grid0101.name, "0002", "损坏", None]]
    checked = upload(client, rows)
    assert checked.status_code == 200 and not checked.context["errors"]
    assert "检查通过：共 2 条记录" in checked.content.decode()
    assert not RegisterRecord.objects.exists() and not Thing.objects.exists()  # the dry run wrote nothing
    done = confirm(client, checked)
    assert done.status_code == 302 and done["Location"] == url("record-list")
    records = RegisterRecord.objects.order_by("pk")
    assert [r.unit for r in records] == [cast.village01, cast.grid0101]
    assert records[0].data["keeper_phone"] == "138****5678" and records[0].personal_cipher
    assert sorted(Thing.objects.values_list("identity", "properties__status")) == [
        ("0001", "normal"), ("0002", "broken"),
    ]  # fmt: skip


def test_an_error_names_its_row_and_column_and_nothing_is_saved(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    rows = [
        [cast.village01.name, "0001", "正常"],
        [cast.village01.name, "12", "正常"],
        [None, "0003", "坏了"],
    ]
    checked = upload(client, rows)
    errors = checked.context["errors"]
    assert any(e.startswith("第6行「状态」列：") for e in errors), errors
    assert "pending" not in checked.context and not RegisterRecord.objects.exists()
    # The cells read, the server's own check names the row too.
    checked = upload(client, rows[:2])
    assert checked.context["errors"] == ["第5行「路灯编号」列：编号应为4位数字"]
    assert not RegisterRecord.objects.exists() and not Thing.objects.exists()


def test_a_thing_list_imported_again_updates_its_things(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    confirm(
        client, upload(client, [[cast.village01.name, "0001", "正常"], [cast.village01.name, "0002", "正常"]])
    )
    again = upload(client, [[cast.village01.name, "0001", "损坏"], [cast.village01.name, "0003", "正常"]])
    assert "新登记 1 个，更新已有编号 1 个" in again.content.decode()
    confirm(client, again)
    assert dict(Thing.objects.values_list("identity", "properties__status")) == {
        "0001": "broken", "0002": "normal", "0003": "normal",
    }  # fmt: skip
    assert RegisterRecord.objects.count() == 4


def test_a_confirmation_is_for_its_user_and_register_only(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    checked = upload(client, [[cast.village01.name, "0001", "正常"]])
    client.force_login(cast.user("admin"))
    refused = confirm(client, checked)
    assert refused.status_code == 200 and "请重新上传" in refused.content.decode()
    tampered = client.post(url("record-import"), {"pending": checked.context["pending"] + "x"})
    assert "导入已过期或被改动" in tampered.content.decode()
    assert not RegisterRecord.objects.exists()


def test_a_unit_outside_scope_is_refused_by_row(cast: Cast, client: Client) -> None:
    register = register_in(cast, cast.township, lamps())
    rows = [workbook.ImportRow(4, cast.village02.name, {"lamp_no": "0001", "status": "normal"})]
    report = imports.import_records(cast.user("cun01"), register, rows, dry_run=False)
    assert report.errors == [f"第4行「单位」列：“{cast.village02.name}”不是您可以填报的单位。"]
    assert not report.saved and not RegisterRecord.objects.exists()


def test_import_and_template_refuse_a_reader_and_are_not_there_outside(cast: Cast, client: Client) -> None:
    load(cast, lamps())
    client.force_login(cast.user("xian"))
    assert client.get(url("record-template")).status_code == 403
    assert client.get(url("record-import")).status_code == 403
    client.force_login(cast.other_admin)  # another township's register is not there for them
    assert client.get(url("record-import")).status_code == 404


def test_a_file_too_large_is_refused_before_it_is_read(cast: Cast, client: Client, settings: Any) -> None:
    load(cast, lamps())
    client.force_login(cast.user("cun01"))
    limit = imports.downloads.uploads.LIMITS[workbook.KIND].max_bytes
    big = SimpleUploadedFile("大.xlsx", b"0" * (limit + 1))
    response = client.post(url("record-import"), {"file": big})
    assert response.status_code == 200 and response.context["form"].errors["file"]
