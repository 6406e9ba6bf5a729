"""Every message of the month's Excel upload names its row and its column by header, a column taken
out of, renamed in or added to the template is named, and the messages are listed in the order of the
sheet whichever check found them."""

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog
from zhenwu.core.text import text_problem
from zhenwu.indicators.excel import SHEET
from zhenwu.indicators.models import Value

UPLOAD = reverse("indicators:upload")
BIDI = "\u202e"  # a right-to-left override in 备注: refused when the row is read


def template(client: Client, unit: Any) -> Any:
    response = client.get(reverse("indicators:template"), {"org": unit.code, "period": f"{YEAR}-08"})
    return load_workbook(BytesIO(response.content))


def errors(client: Client, unit: Any, book: Any) -> list[str]:
    buffer = BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("填报.xlsx", buffer.getvalue())
    response = client.post(UPLOAD, {"org": unit.code, "file": file})
    assert response.status_code == 200
    return [str(e) for e in response.context["errors"]]


def row_of(book: Any, code: str) -> int:
    return next(r[0].row for r in book[SHEET].iter_rows(min_row=4) if r[0].value == code)


def test_a_negative_value_names_its_row_and_column(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    row = row_of(book, "invest")
    book[SHEET].cell(row=row, column=8).value = -3
    assert errors(client, cast.township, book) == [f"第{row}行「本月数值」列：“固定资产投资”不能为负数。"]
    assert not Value.objects.exists()


def test_a_deleted_column_is_named(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    book[SHEET].delete_cols(8)
    assert errors(client, cast.township, book) == ["缺少列「本月数值」，请使用下载的模板。"]


def test_a_renamed_and_an_added_column_are_named(cast: Cast, catalog: Catalog, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    book[SHEET]["H3"] = "本月值"
    book[SHEET]["J3"] = "核对人"
    assert errors(client, cast.township, book) == [
        "第3行H列：表头「本月值」应为「本月数值」，请使用下载的模板。",
        "第3行J列：表头「核对人」不是模板中的列，请使用下载的模板或删除该列。",
    ]


def test_the_errors_of_a_file_are_listed_in_row_and_column_order(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    book = template(client, cast.township)
    sheet = book[SHEET]
    first = row_of(book, "invest")
    sheet.cell(row=first, column=8).value = -3  # found when the entries are checked
    sheet.append(["nosuch", "不存在", "个", "nowhere", "示范镇", None, None, 1, BIDI])
    last = sheet.max_row  # found when the file is read
    assert errors(client, cast.township, book) == [
        f"第{first}行「本月数值」列：“固定资产投资”不能为负数。",
        f"第{last}行「指标编码」列：未知的指标编码“nosuch”。",
        f"第{last}行「单元编码」列：未知的单元编码“nowhere”。",
        f"第{last}行「备注」列：“备注”{text_problem(BIDI)}。",
    ]
