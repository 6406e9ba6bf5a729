"""Text is clean at the door: a control character, a direction override or an invisible-only value is
refused next to its field, in Chinese, by every form, the API and every importer, and nothing is saved."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

import zhenwu
from tests.conftest import Cast
from tests.households import factories
from tests.households.test_import import register_row, workbook
from zhenwu.cases.models import Case, CaseCategory
from zhenwu.core.text import BIDI_CONTROLS, ZERO_WIDTH, printable, text_problem
from zhenwu.households import excel as households_excel
from zhenwu.households.models import Household, Member
from zhenwu.web.forms import CheckedTextMixin

BELL, RLO, ZWSP = "\x07", "\u202e", "\u200b"


VISIBLE = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=30)
UNFIT = st.sampled_from(
    [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
    + sorted(BIDI_CONTROLS)
)


@given(VISIBLE, UNFIT, st.integers(0, 30))
def test_a_control_or_direction_character_anywhere_is_refused(text: str, unfit: str, at: int) -> None:
    assert text_problem(text[:at] + unfit + text[at:], multiline=True)


@given(VISIBLE)
def test_visible_text_passes(text: str) -> None:
    assert text_problem(text) == "" and text_problem(f"{text}\n{text}", multiline=True) == ""


@given(st.text(st.sampled_from([*sorted(ZERO_WIDTH), " ", "\u3000"]), min_size=1))
def test_a_value_of_only_invisible_characters_is_refused(value: str) -> None:
    assert text_problem(value).startswith("只有空白或不可见的字符")


@given(st.text())
def test_printable_text_is_taken_by_excel_and_reads_in_its_own_direction(value: str) -> None:
    shown = printable(value)
    Workbook().active["A1"] = shown  # openpyxl refuses what Excel cannot hold
    assert not set(shown) & BIDI_CONTROLS


@pytest.mark.parametrize(
    ("value", "multiline", "said"),
    [
        (f"B测试{BELL}铃", False, "含有不可见的控制字符(U+0007)"),
        ("发票\u202egpj.exe", False, "含有改变文字方向的控制字符(U+202E)"),
        (ZWSP * 3, False, "只有空白或不可见的字符"),
        ("第一行\n第二行\t缩进", True, ""),
        ("第一行\n第二行", False, "含有不可见的控制字符(换行)"),
        ("正常的中文 text 123", False, ""),
    ],
)
def test_the_problem_is_named(value: str, multiline: bool, said: str) -> None:
    problem = text_problem(value, multiline=multiline)
    assert problem.startswith(said) if said else problem == ""


def test_every_form_of_zhenwu_checks_its_text() -> None:
    for module in pkgutil.walk_packages(zhenwu.__path__, "zhenwu."):
        if module.name.endswith(("forms", "admin", "number_check")):
            importlib.import_module(module.name)
    found = [f for f in _subclasses(forms.BaseForm) if f.__module__.startswith("zhenwu.")]
    assert len(found) > 30
    assert [f.__qualname__ for f in found if not issubclass(f, CheckedTextMixin)] == []


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_a_case_title_of_invisible_characters_or_with_a_bell_is_refused(
    cast: Cast, client: Client, types: object
) -> None:
    client.force_login(cast.user("wangge01"))
    before = Case.objects.count()
    category = CaseCategory.objects.filter(case_type__code="grid_event").first()
    assert category is not None
    for title, said in ((ZWSP * 4, "只有空白或不可见的字符"), (f"垃圾{BELL}", "含有不可见的控制字符")):
        page = client.post(reverse("cases:case-create"), {
            "case_type": category.case_type_id, "category": category.pk, "title": title,
            "description": "村口垃圾", "org_unit": cast.grid0101.pk,
        }).content.decode()  # fmt: skip
        assert f"“标题”{said}" in page
    assert Case.objects.count() == before


def test_a_member_name_with_a_bell_and_a_nul_are_refused_in_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    for name, said in ((f"B测试{BELL}铃", "含有不可见的控制字符"), ("张\x00三", "含有空字符(NUL)")):
        response = client.post(reverse("households:household-add"), {
            "household-number": "T001", "household-address": "一组1号",
            "household-org_unit": cast.grid0101.pk, "head-name": name,
            "head-id_number": "990777198005170013", "head-relation": "head",
        })  # fmt: skip
        page = response.content.decode()
        assert said in page and "不允许是用空字符串" not in page
    assert not Household.objects.filter(number="T001").exists()


def test_the_api_refuses_a_bell_in_a_case_title_naming_the_field(
    cast: Cast, client: Client, types: object
) -> None:
    client.force_login(cast.user("wangge01"))
    before = Case.objects.count()
    body = {"case_type": "grid_event", "category": "grid_event-sanitation", "title": f"垃圾{BELL}",
            "description": "村口\n垃圾", "org_unit": cast.grid0101.code}  # fmt: skip
    response = client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "不可见的控制字符" in response.json()["errors"]["title"][0]
    assert Case.objects.count() == before


def test_an_import_names_the_row_and_column_of_a_bad_character(cast: Cast) -> None:
    rows = [
        register_row("A001", f"张{RLO}大", "户主", factories.id_number()),
        register_row("A002", "李四", "户主", factories.id_number(), 住址=ZWSP * 2),
    ]
    book, before = workbook(households_excel.REGISTER_COLUMNS, rows), Member.objects.count()
    report = households_excel.import_register(cast.user("cun01"), book, "r.xlsx", dry_run=False)
    errors = "；".join(report.errors)
    assert "第2行「姓名」：含有改变文字方向的控制字符(U+202E)" in errors
    assert "第3行「住址」：只有空白或不可见的字符" in errors
    assert Member.objects.count() == before
