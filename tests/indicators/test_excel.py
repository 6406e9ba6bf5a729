"""Excel 台账: the template round-trips, the upload is a dry run first, and a bad file changes nothing
and names the row and column of every error."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, value
from zhenwu.indicators.excel import HEADERS, SHEET
from zhenwu.indicators.models import Value

UPLOAD = reverse("indicators:upload")


def template(client: Client, unit: Any) -> Any:
    response = client.get(reverse("indicators:template"), {"org": unit.code, "period": f"{YEAR}-08"})
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def upload(client: Client, unit: Any, book: Any) -> str:
    buffer = BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("填报.xlsx", buffer.getvalue())
    return client.post(UPLOAD, {"org": unit.code, "file": file}).content.decode()


def fill(book: Any, code: str, unit_code: str, amount: object, note: str = "") -> None:
    sheet = book[SHEET]
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == code and row[3].value == unit_code:
            row[7].value, row[8].value = amount, note
            return
    raise AssertionError(f"no row for {code} {unit_code}")


def test_the_template_lists_the_offices_indicators_with_last_values(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.invest, cast.township, 7, "3.75")
    client.force_login(cast.user("jingfa"))
    sheet = template(client, cast.township)[SHEET]
    assert [c.value for c in sheet[3]] == HEADERS
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"invest", "retail", "retail_above"}  # 经发办's own
    assert rows["invest"][5] == 3.75


def test_an_upload_previews_then_saves_only_when_confirmed(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.retail, cast.township, 8, "2.0")
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    fill(book, "invest", cast.township.code, 4.9)
    fill(book, "retail", cast.township.code, "2.55")
    page = upload(client, cast.township, book)
    assert "新增 <strong>1</strong> 项，修改 <strong>1</strong> 项" in page
    assert Value.objects.get(indicator=catalog.retail, month=8).value == Decimal("2.0")
    pending = page.split('name="pending" value="')[1].split('"')[0]
    done = client.post(UPLOAD, {"org": cast.township.code, "pending": pending}, follow=True).content.decode()
    assert f"已导入{YEAR}年8月的指标值：新增 1 项，修改 1 项" in done
    assert Value.objects.get(indicator=catalog.retail, month=8).value == Decimal("2.55")
    assert Value.objects.get(indicator=catalog.invest, month=8).entered_by == cast.user("jingfa")


def test_a_tampered_confirmation_is_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    page = client.post(UPLOAD, {"org": cast.township.code, "pending": "forged:token"}).content.decode()
    assert "导入已过期或被改动" in page and not Value.objects.exists()


def test_a_workbook_without_the_sheet_is_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    book = Workbook()
    book.active.title = "Sheet1"
    assert "找不到工作表“填报”(现有：Sheet1)" in upload(client, cast.township, book)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("约五亿", "第{row}行「本月数值」列：“固定资产投资”应填数字，而不是“约五亿”"),
        (-3, "第{row}行「本月数值」列：“固定资产投资”不能为负数"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(
    cast: Cast, catalog: Catalog, client: Client, amount: object, message: str
) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    fill(book, "retail", cast.township.code, 2.5)
    fill(book, "invest", cast.township.code, amount)
    row = next(r[0].row for r in book[SHEET].iter_rows(min_row=4) if r[0].value == "invest")
    page = upload(client, cast.township, book)
    assert message.format(row=row) in page
    assert 'name="pending"' not in page and not Value.objects.exists()


def test_an_unknown_indicator_and_a_duplicate_row_are_named(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    sheet = book[SHEET]
    fill(book, "invest", cast.township.code, 4.9)
    first = sheet.max_row
    sheet.append(["invest", "固定资产投资", "亿元", cast.township.code, "示范镇", None, None, 5.0, ""])
    sheet.append(["nosuch", "不存在", "个", cast.township.code, "示范镇", None, None, 1, ""])
    page = upload(client, cast.township, book)
    invest_row = next(r[0].row for r in sheet.iter_rows(min_row=4, max_row=first) if r[0].value == "invest")
    assert f"第{first + 2}行「指标编码」列：未知的指标编码“nosuch”" in page
    assert f"第{first + 1}行「本月数值」列：与第{invest_row}行「本月数值」列重复" in page
    assert not Value.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    file = SimpleUploadedFile("填报.xlsx", b"PK\x03\x04 not really a zip")
    page = client.post(UPLOAD, {"org": cast.township.code, "file": file}).content.decode()
    assert "无法打开该文件" in page


def test_office_staff_cannot_import_another_offices_values(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    book[SHEET].append(["jobs", "新增就业岗位", "个", cast.village01.code, "东岗村", None, None, 12, ""])
    page = upload(client, cast.township, book)
    assert "无权填报东岗村的“新增就业岗位”" in page


def test_the_progress_export_has_a_title_and_merged_headers(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    value(catalog.invest, cast.township, 8, "4.9")
    client.force_login(cast.user("leader"))
    response = client.get(reverse("indicators:export"), {"org": cast.township.code, "period": f"{YEAR}-08"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == f"示范镇{YEAR}年1-8月主要指标完成情况表"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "D3:E3" in merged and "A3:A4" in merged  # 完成情况 over two columns; 指标 over two rows
    assert sheet["D4"].value == "本期累计"
    names = [r[0].value for r in sheet.iter_rows(min_row=5)]
    assert "固定资产投资" in names
