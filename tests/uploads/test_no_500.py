"""No upload answers a 500, and none is half-saved: every importer, fed workbooks of random cells (text
with control and odd characters, huge and tiny numbers, NaN and inf, booleans, dates, formulas), merged
cells, wrong or extra sheets and shuffled headers, either refuses with a message or imports the whole
file. Some rows are drawn from valid values, so that clean imports happen too."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

from tests.conftest import Cast
from tests.households import factories
from tests.indicators.conftest import YEAR, Catalog
from tests.projects.conftest import make_project
from tests.uploads import crafted
from zhenwu.households import excel as household_excel
from zhenwu.households.models import Household, Member, SubsidyPayment
from zhenwu.indicators.models import Value
from zhenwu.projects.models import InvestmentValue

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters openpyxl can write (XML 1.0 has no place for most C0 controls), the rest of them included:
# tab, newline, C1 controls, zero-width and right-to-left marks, full-width digits, CJK.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)).filter(lambda c: not ILLEGAL_CHARACTERS_RE.match(c)),
    max_size=40,
)
HOSTILE_TEXT = st.sampled_from(
    ["NaN", "nan", "inf", "-Infinity", "1e400", "1E+30", "٣", "²", "9" * 5000, "=1/0", " ", "\t\n",
     "\u202e户主", "０.５", "1,000", "-0", "0.001", "户主", "是", "东岗村", "999999999999999999999"]
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),  # openpyxl writes nan and inf as they are
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12),
)
CELL = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    TEXT,
    HOSTILE_TEXT,
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001 (as in a cell)
    st.builds(lambda n: f"=SUM(A1:A{n})", st.integers(1, 9)),  # a formula: no cached value
)


@st.composite
def mess(draw: st.DrawFn, book: Workbook) -> Workbook:
    """Sheet-level trouble on top of the cells: a merge, a renamed or extra sheet, a cleared header."""
    sheet = book.worksheets[0]
    if draw(st.booleans()):
        top = draw(st.integers(1, 6))
        sheet.merge_cells(start_row=top, start_column=1, end_row=top + draw(st.integers(0, 2)), end_column=3)
    trouble = draw(st.sampled_from(["none", "none", "rename", "extra_first", "clear_header"]))
    if trouble == "rename":
        sheet.title = draw(st.sampled_from(["Sheet1", "名册 ", "完成投资2", "填报x"]))
    elif trouble == "extra_first":
        book.create_sheet("说明", 0).append(["这是说明"])
    elif trouble == "clear_header":
        for cell in sheet[draw(st.integers(1, 3))]:
            put(cell, None)
    return book


def put(cell: Any, value: Any) -> None:
    if not isinstance(cell, MergedCell):  # only a merge's first cell holds a value
        cell.value = value


def workbook_bytes(book: Workbook) -> bytes:
    try:
        return crafted.book_bytes(book)
    except Exception:  # openpyxl refuses some cell values on save; the file is then never sent
        return b""


# --- the household register and the subsidy roll -----------------------------------------------------


@st.composite
def register_row(draw: st.DrawFn) -> list[Any]:
    if draw(st.booleans()):
        return draw(st.lists(CELL, max_size=12))
    good = {"村/社区": draw(st.sampled_from(["东岗村", "西河村", "990101001001"])), "网格": "",
            "户编号": f"H{draw(st.integers(0, 30))}", "住址": draw(TEXT), "户标签": "",
            "姓名": draw(st.sampled_from(["张三", "李四"])),
            "与户主关系": draw(st.sampled_from(["户主", "子女"])),
            "身份证号": factories.id_number(), "电话": "", "残疾": "否"}  # fmt: skip
    row = [good[c] for c in household_excel.REGISTER_COLUMNS]
    if draw(st.booleans()):
        row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
    return row


@st.composite
def register_file(draw: st.DrawFn) -> bytes:
    book = Workbook()
    sheet = book.active
    header = list(household_excel.REGISTER_COLUMNS)
    if draw(st.booleans()):
        random.Random(draw(st.integers())).shuffle(header)
    sheet.append(header)
    for row in draw(st.lists(register_row(), max_size=8)):
        sheet.append(row)
    return workbook_bytes(draw(mess(book)))


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), SubsidyPayment.objects.count()


@FUZZ
@given(data=register_file(), dry_run=st.booleans())
def test_any_register_is_refused_with_a_message_or_written_whole(
    cast: Cast, data: bytes, dry_run: bool
) -> None:
    before = counts()
    report = household_excel.import_register(cast.user("cun01"), BytesIO(data), "名册.xlsx", dry_run=dry_run)
    after = counts()
    if report.written:
        assert report.ok and not dry_run
        assert after[0] - before[0] == report.households and after[1] - before[1] == report.rows
    else:
        assert after == before
        assert report.errors or dry_run


@st.composite
def roll_file(draw: st.DrawFn, people: list[tuple[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(household_excel.ROLL_COLUMNS)
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            sheet.append(draw(st.lists(CELL, max_size=6)))
            continue
        name, number = draw(st.sampled_from(people))
        area = draw(st.one_of(CELL, st.sampled_from(["2.5", "10", "0.75"])))
        sheet.append(["东岗村", name, number, area])
    return workbook_bytes(draw(mess(book)))


def test_any_roll_is_refused_with_a_message_or_written_whole(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0102)
    heads = [factories.household(cast.grid0101).members.get(relation="head") for _ in range(3)]
    people = [(m.name, m.full_id_number()) for m in heads] + [("某人", "123")]

    @FUZZ
    @given(data=roll_file(people))
    def run(data: bytes) -> None:
        before = counts()
        report = household_excel.import_roll(
            cast.user("minzheng"), batch, BytesIO(data), "清册.xlsx", dry_run=False
        )
        after = counts()
        if report.written:
            assert report.ok and after[2] - before[2] == report.households
        else:
            assert after == before and report.errors

    run()


# --- the projects' investment and the indicators' values, through their pages --------------------------


@st.composite
def filled_template(draw: st.DrawFn, template: Callable[[], bytes], first_value: tuple[int, int]) -> bytes:
    """The downloaded `template` with its first value (row, column) filled and random cells changed."""
    book = load_workbook(BytesIO(template()))
    sheet = book.worksheets[0]
    row, column = first_value
    for _ in range(draw(st.integers(0, 3))):  # cells anywhere, the head included
        put(sheet.cell(draw(st.integers(1, row + 3)), draw(st.integers(1, column + 2))), draw(CELL))
    put(sheet.cell(row, column), draw(st.one_of(CELL, st.sampled_from([600, "650.5", 0]))))
    for _ in range(draw(st.integers(0, 3))):
        sheet.append(draw(st.lists(CELL, max_size=column + 2)))
    return workbook_bytes(draw(mess(book)))


def confirmed(client: Client, url: str, page: str, extra: dict[str, str]) -> None:
    """A preview's confirmation saves or refuses; never a 500."""
    if 'name="pending"' in page:
        pending = page.split('name="pending" value="')[1].split('"')[0]
        response = client.post(url, {**extra, "pending": pending})
        assert response.status_code in (200, 302)


def test_any_investment_upload_answers_a_page_and_saves_only_on_confirmation(
    cast: Cast, client: Client
) -> None:
    make_project(cast)
    client.force_login(cast.user("jingfa"))
    template = client.get(reverse("projects:investment-template"), {"period": "2026-08"}).content
    url = reverse("projects:investment-upload")

    @FUZZ
    @given(data=filled_template(lambda: template, (4, 5)))
    def run(data: bytes) -> None:
        before = InvestmentValue.objects.count()
        response = client.post(url, {"file": SimpleUploadedFile("投资.xlsx", data)})
        assert response.status_code == 200
        assert InvestmentValue.objects.count() == before
        confirmed(client, url, response.content.decode(), {})

    run()


def test_any_indicator_upload_answers_a_page_and_saves_only_on_confirmation(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    client.force_login(cast.user("jingfa"))
    template = client.get(reverse("indicators:template"), {"org": cast.township.code, "period": f"{YEAR}-08"})
    url = reverse("indicators:upload")
    org = {"org": cast.township.code}

    @FUZZ
    @given(data=filled_template(lambda: template.content, (4, 8)))
    def run(data: bytes) -> None:
        before = Value.objects.count()
        response = client.post(url, {**org, "file": SimpleUploadedFile("填报.xlsx", data)})
        assert response.status_code == 200
        assert Value.objects.count() == before
        confirmed(client, url, response.content.decode(), org)

    run()
