"""Workbooks are checked as zips before openpyxl opens them and read as a stream after: a hostile or
oversized file is refused with a message naming the file and the limit, a bad cell is named, and nothing
is saved. The numbers here are the limits of docs/uploads.md, lowered where a test needs a small file."""

from __future__ import annotations

import dataclasses
import zipfile
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.conftest import Cast
from tests.households import factories
from tests.indicators.conftest import YEAR
from tests.projects.conftest import make_project
from tests.uploads import crafted
from zhenwu.core import uploads
from zhenwu.households import excel as household_excel
from zhenwu.households.models import Household, Member, SubsidyPayment
from zhenwu.indicators.models import Value
from zhenwu.projects.models import InvestmentValue


def lower(monkeypatch: pytest.MonkeyPatch, kind: str, **limits: int) -> None:
    monkeypatch.setitem(uploads.LIMITS, kind, dataclasses.replace(uploads.LIMITS[kind], **limits))


def register_rows(count: int, first: int = 0) -> list[list[Any]]:
    """`count` one-person households, each row right."""
    rows = []
    for n in range(first, first + count):
        cells = {"村/社区": "东岗村", "网格": "", "户编号": f"U{n:05d}", "住址": "一组", "户标签": "",
                 "姓名": f"测试{n}", "与户主关系": "户主", "身份证号": factories.id_number(), "电话": "",
                 "残疾": "否"}  # fmt: skip
        rows.append([cells[c] for c in household_excel.REGISTER_COLUMNS])
    return rows


def register(rows: list[list[Any]]) -> bytes:
    return crafted.sheet_bytes([household_excel.REGISTER_COLUMNS, *rows], title="名册")


def import_register(cast: Cast, data: bytes, name: str = "名册.xlsx") -> household_excel.Report:
    return household_excel.import_register(cast.user("cun01"), BytesIO(data), name, dry_run=False)


# --- a number cell openpyxl cannot read (NaN, inf) -------------------------------------------------


def test_a_nan_number_cell_in_a_register_is_named_and_nothing_is_saved(cast: Cast) -> None:
    data = crafted.set_cell_xml(register(register_rows(3)), "J3", '<c r="J3"><v>NaN</v></c>')
    report = import_register(cast, data)
    assert report.errors == ["文件“名册.xlsx”单元格J3：数值“NaN”无法读取，请改为数字或文字后重新上传。"]
    assert not report.written and not Household.objects.exists()


def test_an_infinite_number_cell_is_a_fault_of_its_row(cast: Cast) -> None:
    data = crafted.set_cell_xml(register(register_rows(2)), "J2", '<c r="J2"><v>1E999</v></c>')
    report = import_register(cast, data)
    assert report.errors == ["第2行「残疾」：请填“是”或“否”。"]
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ('<c r="D2"><v>1E999</v></c>', "第2行「面积(亩)」：「inf」不是数字。"),
        ('<c r="D2" t="inlineStr"><is><t>NaN</t></is></c>', "第2行「面积(亩)」：「NaN」不是数字。"),
        ('<c r="D2"><v>1E30</v></c>', "第2行「面积(亩)」：面积应小于100000000亩。"),
        (
            '<c r="D2"><v>99999999</v></c>',
            "第2行「面积(亩)」：按补贴标准计算的金额超过10000000000元，请核对面积。",
        ),
    ],
)
def test_an_area_that_is_not_a_finite_number_a_roll_can_hold_is_a_fault(
    cast: Cast, cell: str, message: str
) -> None:
    batch = factories.batch_paying(cast.grid0102)
    batch.rate = Decimal("999")  # the highest a batch takes is 999,999.99 元/亩
    head = batch.payments.get().household.members.get(relation="head")
    other = factories.household(cast.grid0102).members.get(relation="head")
    before = SubsidyPayment.objects.count()
    rows = [household_excel.ROLL_COLUMNS, ["东岗村", other.name, other.full_id_number(), 2]]
    data = crafted.set_cell_xml(crafted.sheet_bytes(rows), "D2", cell)
    report = household_excel.import_roll(
        cast.user("minzheng"), batch, BytesIO(data), "清册.xlsx", dry_run=False
    )
    assert report.errors == [message] and head
    assert SubsidyPayment.objects.count() == before


def test_a_nan_cell_in_a_subsidy_roll_is_named(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0102)
    head = batch.payments.get().household.members.get(relation="head")
    before = SubsidyPayment.objects.count()
    rows = [household_excel.ROLL_COLUMNS, ["东岗村", head.name, "x", 2]]
    data = crafted.set_cell_xml(crafted.sheet_bytes(rows), "D2", '<c r="D2" t="n"><v>inf</v></c>')
    report = household_excel.import_roll(
        cast.user("minzheng"), batch, BytesIO(data), "清册.xlsx", dry_run=False
    )
    assert report.errors == ["文件“清册.xlsx”单元格D2：数值“inf”无法读取，请改为数字或文字后重新上传。"]
    assert SubsidyPayment.objects.count() == before


def investment_file(client: Client, project_pk: int, cell: str) -> bytes:
    response = client.get(reverse("projects:investment-template"), {"period": "2026-08"})
    book = load_workbook(BytesIO(response.content))
    book["完成投资"]["E4"] = 600
    return crafted.set_cell_xml(crafted.book_bytes(book), "E4", cell)


def post_investments(client: Client, data: bytes, name: str = "投资.xlsx") -> Any:
    return client.post(reverse("projects:investment-upload"), {"file": SimpleUploadedFile(name, data)})


def test_a_nan_cell_in_the_investment_upload_is_named_not_a_500(cast: Cast, client: Client) -> None:
    project = make_project(cast)
    client.force_login(cast.user("jingfa"))
    response = post_investments(client, investment_file(client, project.pk, '<c r="E4"><v>NaN</v></c>'))
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件“投资.xlsx”单元格E4：数值“NaN”无法读取" in page and 'name="pending"' not in page
    assert not InvestmentValue.objects.exists()


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf", "1e30", "1E+400"])
def test_an_investment_typed_as_nan_infinite_or_huge_text_is_refused(
    cast: Cast, client: Client, text: str
) -> None:
    project = make_project(cast)
    client.force_login(cast.user("jingfa"))
    cell = f'<c r="E4" t="inlineStr"><is><t>{text}</t></is></c>'
    response = post_investments(client, investment_file(client, project.pk, cell))
    assert response.status_code == 200
    assert "第4行E列" in response.content.decode() and not InvestmentValue.objects.exists()


def test_a_nan_cell_in_the_indicator_upload_is_named(cast: Cast, catalog: Any, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    response = client.get(reverse("indicators:template"), {"org": cast.township.code, "period": f"{YEAR}-08"})
    book = load_workbook(BytesIO(response.content))
    book["填报"]["H4"] = 1
    data = crafted.set_cell_xml(crafted.book_bytes(book), "H4", '<c r="H4"><v>NaN</v></c>')
    file = SimpleUploadedFile("填报.xlsx", data)
    page = client.post(reverse("indicators:upload"), {"org": cast.township.code, "file": file})
    assert page.status_code == 200
    assert "文件“填报.xlsx”单元格H4：数值“NaN”无法读取" in page.content.decode()
    assert not Value.objects.exists()


# --- streaming: claimed dimensions, empty rows, the row limit -----------------------------------------


def test_a_sheet_claiming_a_million_rows_is_read_for_the_rows_it_has(cast: Cast) -> None:
    data = crafted.with_rows_xml(register(register_rows(3)), b"", dimension="A1:XFD1048576")
    report = import_register(cast, data)
    assert report.ok and report.written and Household.objects.count() == 3


def test_a_row_numbered_past_excels_last_row_is_refused(cast: Cast) -> None:
    far = b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>'
    report = import_register(cast, crafted.with_rows_xml(register(register_rows(1)), far))
    assert report.errors == ["文件“名册.xlsx”的行号超过 Excel 的上限(1048576行)，拒绝读取。"]
    assert not Household.objects.exists()


def test_empty_rows_are_skipped_and_not_counted_against_the_row_limit(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "register", max_rows=3)
    blank = '<row r="{0}"><c r="A{0}" s="0"/><c r="B{0}" t="inlineStr"><is><t> </t></is></c></row>'
    empty = "".join(blank.format(n) for n in range(5, 20_000)).encode()
    report = import_register(cast, crafted.with_rows_xml(register(register_rows(3)), empty))
    assert report.ok and report.written and Household.objects.count() == 3


def test_rows_past_the_limit_are_refused_and_nothing_is_saved(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "register", max_rows=3)
    report = import_register(cast, register(register_rows(4)))
    assert report.errors == ["文件“名册.xlsx”超过3行，请分批导入。"]
    assert not Household.objects.exists() and not Member.objects.exists()


def test_the_row_limit_is_written_in_wan(monkeypatch: pytest.MonkeyPatch) -> None:
    assert uploads.count_text(100_000) == "10万" and uploads.count_text(1_048_576) == "1048576"
    assert uploads.count_text(3) == "3" and uploads.count_text(20_000) == "2万"


def test_a_file_over_its_size_is_refused_by_the_importer_and_the_form(
    cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = register(register_rows(2))
    lower(monkeypatch, "register", max_bytes=len(data) - 1)
    lower(monkeypatch, "roll", max_bytes=len(data) - 1)
    report = import_register(cast, data)
    assert report.errors == [f"文件“名册.xlsx”超过{uploads.size_text(len(data) - 1)}，拒绝读取。"]
    client.force_login(cast.user("cun01"))
    page = client.post(
        reverse("households:import-register"), {"file": SimpleUploadedFile("名册.xlsx", data)}
    ).content.decode()
    assert "文件“名册.xlsx”超过" in page and not Household.objects.exists()


def test_too_many_faults_stop_the_check_and_are_not_all_listed(cast: Cast) -> None:
    bad = [["不存在村", "", f"X{n}", "", "", "某", "户主", "123", "", "否"] for n in range(1000)]
    report = import_register(cast, register(bad))
    assert len(report.errors) == uploads.MAX_LISTED_ERRORS + 1
    assert report.errors[-1] == f"错误超过{uploads.MAX_LISTED_ERRORS}处，已停止检查：请先改正以上错误再上传。"
    assert not report.written and not Household.objects.exists()


# --- the zip, before any parser --------------------------------------------------------------------


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if openpyxl is asked to open the workbook: the refusal must come first."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a file that should have been refused before")

    monkeypatch.setattr("zhenwu.web.downloads.load_workbook", refuse)


def padded(data: bytes, part: str, size: int) -> bytes:
    return crafted.rewrite(data, part, lambda _: b" " * size)


def test_a_high_ratio_part_is_refused_before_parsing(cast: Cast, no_openpyxl: None) -> None:
    data = padded(register(register_rows(1)), "xl/media/pad.xml", 20 * 1024 * 1024)
    report = import_register(cast, data)
    assert report.errors == [
        "文件“名册.xlsx”中的部件“xl/media/pad.xml”压缩比超过100倍，疑似压缩炸弹，拒绝读取。"
    ]


def test_a_workbook_too_big_once_unpacked_is_refused(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = register(register_rows(50))
    lower(monkeypatch, "register", max_unpacked=20_000)
    report = import_register(cast, data)
    assert report.errors == [f"文件“名册.xlsx”解压后超过{uploads.size_text(20_000)}，拒绝读取。"]


def test_one_part_too_big_once_unpacked_is_refused(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "register", max_part=20_000)  # the theme, 10 KB, passes; the sheet does not
    report = import_register(cast, register(register_rows(100)))
    assert report.errors == [
        f"文件“名册.xlsx”中的部件“{crafted.SHEET_PART}”解压后超过{uploads.size_text(20_000)}，拒绝读取。"
    ]


def test_a_zip_of_too_many_parts_is_refused(cast: Cast, no_openpyxl: None) -> None:
    parts = crafted.members(register(register_rows(1)))
    parts.update({f"xl/extra/{n}.xml": b"<a/>" for n in range(uploads.MAX_PARTS)})
    report = import_register(cast, crafted.zipped(parts))
    assert report.errors == [f"文件“名册.xlsx”包含的部件超过{uploads.MAX_PARTS}个，拒绝读取。"]


def test_a_central_directory_too_big_is_refused_before_zipfile_reads_it(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = crafted.members(register(register_rows(1)))
    parts.update({f"xl/extra/{n}.xml": b"<a/>" for n in range(100)})
    data = crafted.zipped(parts)
    monkeypatch.setattr(uploads, "MAX_DIRECTORY", 4_000)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile read a central directory that should have been refused before")

    monkeypatch.setattr(uploads.zipfile, "ZipFile", refuse)
    report = import_register(cast, data)
    assert report.errors == [f"文件“名册.xlsx”包含的部件超过{uploads.MAX_PARTS}个，拒绝读取。"]


def test_a_part_that_lies_about_its_size_is_refused(cast: Cast, no_openpyxl: None) -> None:
    data = crafted.declare_size(register(register_rows(50)), crafted.SHEET_PART, 100)
    report = import_register(cast, data)
    assert report.errors == ["文件“名册.xlsx”已损坏(部件大小或校验和与记录不符)，拒绝读取。"]


def test_an_xml_entity_bomb_is_refused(cast: Cast, no_openpyxl: None) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = crafted.rewrite(
        register(register_rows(1)), crafted.SHEET_PART, lambda xml: laughs + xml.split(b"?>", 1)[-1]
    )
    report = import_register(cast, data)
    assert report.errors == ["文件“名册.xlsx”含有 DTD 或实体声明，拒绝读取。"]


def test_one_row_of_too_many_cells_is_refused(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_TAGS_IN_ONE", 5_000)
    wide = b'<row r="3">' + b"<c/>" * 6_000 + b"</row>"
    report = import_register(cast, crafted.with_rows_xml(register(register_rows(1)), wide))
    assert report.errors == ["文件“名册.xlsx”中有一行(或一个部件)内容过多，拒绝读取。"]


def test_too_much_markup_in_all_is_refused(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "register", max_tags=2_000)
    report = import_register(cast, register(register_rows(60)))
    assert report.errors == ["文件“名册.xlsx”结构过于庞大(XML 标记超过2000个)，拒绝读取。"]


def test_too_many_shared_strings_are_refused(
    cast: Cast, no_openpyxl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "register", max_strings=10)
    strings = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % n for n in range(11)) + b"</sst>"
    data = crafted.rewrite(register(register_rows(1)), "xl/sharedStrings.xml", lambda _: strings)
    report = import_register(cast, data)
    assert report.errors == ["文件“名册.xlsx”的共享字符串超过10个，拒绝读取。"]


def test_an_encrypted_or_foreign_compressed_part_is_refused(cast: Cast, no_openpyxl: None) -> None:
    parts = crafted.members(register(register_rows(1)))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    report = import_register(cast, buffer.getvalue())
    assert report.errors == ["文件“名册.xlsx”不是 Excel 保存的 .xlsx 文件(压缩方式不支持)，拒绝读取。"]


def test_a_file_that_is_not_a_zip_is_refused(cast: Cast) -> None:
    report = import_register(cast, b"name,id\n")
    assert report.errors == [
        "无法打开该文件“名册.xlsx”：它不是 .xlsx 文件(无法解压)，请上传用模板填写的 Excel 文件。"
    ]


def test_a_sound_workbook_is_still_imported_whole(cast: Cast) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(household_excel.REGISTER_COLUMNS)
    for row in register_rows(5):
        sheet.append(row)
    sheet.merge_cells("A10:C10")
    report = import_register(cast, crafted.book_bytes(book))
    assert report.ok and report.written and (report.rows, report.households) == (5, 5)


# --- empty rows are left out before openpyxl parses them ----------------------------------------------


def filtered(xml: bytes) -> bytes:
    stream = uploads.WithoutEmptyRows(BytesIO(xml))
    out = b""
    while piece := stream.read(16 * 1024):
        out += piece
    return out


KEPT = [
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>',
    b'<x:row r="4" spans="1:2"><x:c r="B4"><x:v>2</x:v></x:c></x:row>',
    b"<row><c/></row>",  # no number: openpyxl counts it, so it stays
]
DROPPED = [b'<row r="2"><c r="A2" s="3"/></row>', b'<row r="3"/>', b'<row r="5" ht="20"></row>']
SHEET_XML = (
    b"<worksheet><sheetData>"
    + b"".join(d + k for d, k in zip(DROPPED, KEPT, strict=True))
    + b"</sheetData><rowBreaks/></worksheet>"
)


def test_rows_without_a_value_are_left_out_and_the_rest_kept_byte_for_byte() -> None:
    assert filtered(SHEET_XML) == (
        b"<worksheet><sheetData>" + b"".join(KEPT) + b"</sheetData><rowBreaks/></worksheet>"
    )


@settings(max_examples=50, deadline=None)
@given(chunk=st.integers(1, 200), copies=st.integers(1, 30))
def test_a_row_cut_by_a_chunks_edge_is_passed_on_whole(chunk: int, copies: int) -> None:
    xml = SHEET_XML.replace(b"</sheetData>", DROPPED[0] * copies + KEPT[0] + b"</sheetData>")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uploads, "CHUNK", chunk)
        out = filtered(xml)
    assert uploads._EMPTY_ROW.sub(b"", out) == uploads._EMPTY_ROW.sub(b"", xml)  # only empty rows differ
    assert out.count(b"<row") + out.count(b"<x:row") >= 4


def test_rows_after_a_long_run_of_empty_ones_keep_their_numbers(cast: Cast) -> None:
    blank = '<row r="{0}"><c r="A{0}" s="0"/></row>'
    empty = "".join(blank.format(n) for n in range(3, 30_000)).encode()
    bad = (
        b'<row r="30000"><c r="A30000" t="inlineStr"><is><t>\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</t></is></c>'
        b'<c r="C30000" t="inlineStr"><is><t>Z1</t></is></c></row>'
    )
    report = import_register(cast, crafted.with_rows_xml(register(register_rows(1)), empty + bad))
    assert "第30000行「村/社区」：未知的村/社区「不存在」(或不在您的管辖范围内)。" in report.errors
    assert not Household.objects.exists()
