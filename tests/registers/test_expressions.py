"""XLSForm expressions evaluated over a record, in the shapes pyxform's own test forms use them."""

# The forms are written as tables, a row per line, as a township admin sees them.
# ruff: noqa: E501

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.registers.workbooks import Rows, workbook
from zhenwu.registers.definition import Definition, read_definition
from zhenwu.registers.expressions import (
    ExpressionError,
    build_instance,
    check_record,
    computed_values,
    evaluate,
    is_true,
    relevant_values,
)

TODAY = date(2026, 11, 18)  # the frozen clock of the test suite


def survey_form(survey: Rows, choices: Rows | None = None) -> Definition:
    sheets: dict[str, Rows] = {"survey": survey, "settings": [["form_id"], ["test_form"]]}
    if choices:
        sheets["choices"] = choices
    return read_definition(workbook(sheets), "test.xlsx")


def household_visit() -> Definition:
    """A visit form with groups, selects, constraints, relevant, calculate, default, geopoint, image, note."""
    return survey_form(
        [
            [
                "type", "name", "label::中文 (zh)", "label::English (en)", "hint::中文 (zh)", "required",
                "constraint", "constraint_message::中文 (zh)", "relevant", "calculation", "default",
            ],
            ["note", "intro", "请如实填写", "Fill in truthfully", "", "", "", "", "", "", ""],
            ["date", "visit_date", "走访日期", "Date", "", "yes", ". <= today()", "日期不能晚于今天", "", "", "today()"],
            ["begin_group", "household", "户情况", "Household", "", "", "", "", "", "", ""],
            ["integer", "people", "人口数", "People", "人", "yes", ". > 0 and . < 20", "人口数须在1到19之间", "", "", "1"],
            ["decimal", "income", "年收入（元）", "Income", "", "", ". >= 0", "", "", "", ""],
            ["calculate", "per_head", "", "", "", "", "", "", "", "round(${income} div ${people}, 2)", ""],
            ["select_multiple needs", "needs", "困难", "Needs", "", "", "count-selected(.) <= 2", "至多选两项", "", "", ""],
            ["text", "needs_other", "其他困难", "Other", "", "yes", "string-length(.) > 1", "", "selected(${needs}, 'other')", "", ""],
            ["end_group", "", "", "", "", "", "", "", "", "", ""],
            ["select_one yes_no", "aided", "是否已帮扶", "Aided", "", "yes", "", "", "", "", ""],
            ["begin_group", "aid", "帮扶", "Aid", "", "", "", "", "${aided} = 'yes'", "", ""],
            ["text", "measure", "帮扶措施", "Measure", "", "yes", "", "", "", "", ""],
            ["end_group", "", "", "", "", "", "", "", "", "", ""],
            ["geopoint", "location", "位置", "Location", "", "", "", "", "", "", ""],
            ["image", "photo", "照片", "Photo", "", "", "", "", "", "", ""],
            ["calculate", "level", "", "", "", "", "", "", "", "if(${per_head} < 6000, '低收入', '一般')", ""],
        ],
        [
            ["list_name", "name", "label::中文 (zh)", "label::English (en)"],
            ["needs", "medical", "医疗", "Medical"],
            ["needs", "school", "教育", "School"],
            ["needs", "other", "其他", "Other"],
            ["yes_no", "yes", "是", "Yes"],
            ["yes_no", "no", "否", "No"],
        ],
    )  # fmt: skip


GOOD = {
    "visit_date": "2026-11-17",
    "people": "4",
    "income": "20000",
    "needs": "medical school",
    "aided": "no",
    "location": "30.52 114.31 20 5",
}


def test_the_chinese_labels_are_taken_and_groups_flattened_with_their_path() -> None:
    form = household_visit()
    assert [f.name for f in form.fields][:4] == ["intro", "visit_date", "people", "income"]
    people = form.field("people")
    assert (people.label, people.hint, people.group) == ("人口数", "人", "household")
    assert form.field("intro").type == "note"
    assert form.field("needs").choices[0].label == "医疗"
    assert form.field("measure").relevant == "${aided} = 'yes'"


def test_a_right_record_has_no_errors() -> None:
    assert check_record(household_visit(), GOOD, TODAY) == {}


def test_calculations_and_defaults_are_computed() -> None:
    values = computed_values(household_visit(), {"income": "20000", "people": "3"}, TODAY)
    assert values["per_head"] == "6666.67"
    assert values["level"] == "一般"
    assert values["visit_date"] == "2026-11-18"
    assert "people" in values and values["people"] == "3"


def test_a_default_fills_only_a_field_not_given() -> None:
    assert computed_values(household_visit(), {}, TODAY)["people"] == "1"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"people": ""}, {"people": "此项必填。"}),
        ({"people": "25"}, {"people": "人口数须在1到19之间"}),
        ({"people": "2.5"}, {"people": "请填写整数。"}),
        ({"income": "很多"}, {"income": "请填写数字。"}),
        ({"income": "-5"}, {"income": "填写的值不符合要求，请检查。"}),
        ({"visit_date": "2026-11-19"}, {"visit_date": "日期不能晚于今天"}),
        ({"visit_date": "2026/11/17"}, {"visit_date": "请填写日期，格式如 2026-11-18。"}),
        ({"needs": "medical school other"}, {"needs": "至多选两项", "needs_other": "此项必填。"}),
        ({"needs": "medical food"}, {"needs": "“food”不是可选的选项。"}),
        ({"needs": "other", "needs_other": "x"}, {"needs_other": "填写的值不符合要求，请检查。"}),
        ({"aided": "maybe"}, {"aided": "“maybe”不是可选的选项。"}),
        ({"aided": "yes"}, {"measure": "此项必填。"}),
        ({"location": "north"}, {"location": "位置须写作“纬度 经度 [海拔 精度]”，如 30.52 114.31。"}),
        (
            {"location": "130 114"},
            {"location": "位置的纬度须在 -90 到 90 之间，经度须在 -180 到 180 之间。"},
        ),
    ],
)
def test_each_broken_rule_is_named_on_its_field(change: dict[str, str], errors: dict[str, str]) -> None:
    assert check_record(household_visit(), {**GOOD, **change}, TODAY) == errors


def test_a_field_that_is_not_relevant_is_neither_checked_nor_kept() -> None:
    form = household_visit()
    record = {**GOOD, "aided": "no", "measure": "", "needs_other": "?"}
    assert check_record(form, record, TODAY) == {}
    kept = relevant_values(form, {**record, "measure": "送医"}, TODAY)
    assert "measure" not in kept and "needs_other" not in kept and kept["aided"] == "no"


def test_the_instance_nests_groups_as_the_xform_does() -> None:
    root = build_instance(household_visit(), {"people": 3})
    assert root.tag == "data" and root.findtext("household/people") == "3"
    assert root.find("people") is None


# pyxform's test forms (tests/test_*.py in XLSForm/pyxform) use expressions of these shapes.


def simple() -> Definition:
    return survey_form(
        [
            ["type", "name", "label"],
            ["integer", "q1", "Q1"],
            ["text", "t2", "T2"],
            ["select_multiple fruits", "q3", "Q3"],
            ["select_one yes_no", "consent", "Consent"],
            ["decimal", "amount", "Amount"],
            ["text", "a", "A"],
        ],
        [
            ["list_name", "name", "label"],
            ["fruits", "apple", "Apple"],
            ["fruits", "banana", "Banana"],
            ["yes_no", "y", "Yes"],
            ["yes_no", "n", "No"],
        ],
    )


@pytest.mark.parametrize(
    ("expression", "values", "current", "expected"),
    [
        ("if(${q1} < 1,'A','B')", {"q1": 0}, None, "A"),
        ("if(${q1} < 1,'A','B')", {"q1": 5}, None, "B"),
        ("if(../t2 = 'test', 1, 2) + 15 - int(1.2)", {"t2": "test"}, "q1", 15),
        ("count-selected(${q3})", {"q3": "apple banana"}, None, 2),
        ("selected(${consent}, 'y')", {"consent": "y"}, None, True),
        ("not(selected(${q3}, 'apple'))", {"q3": "banana"}, None, True),
        ("string-length(${a})", {"a": "镇务"}, None, 2),
        ("string-length('abc  def')", {}, None, 8),
        ("round(${amount}, 0)", {"amount": "2.5"}, None, 3),
        ("round(${amount}, 1)", {"amount": "2.25"}, None, 2.3),
        ("concat(${a}, '-', ${q1})", {"a": "x", "q1": 3}, None, "x-3"),
        ("coalesce(${a}, 'none')", {}, None, "none"),
        ("number(${a})", {"a": "12.5"}, None, 12.5),
        ("regex(${a}, '^1[3-9][0-9]{9}$')", {"a": "13800138000"}, None, True),
        ("today()", {}, None, "2026-11-18"),
        ("${q1} * 2", {"q1": "21"}, None, 42),
    ],
)
def test_pyxform_shaped_expressions(
    expression: str, values: dict[str, Any], current: str | None, expected: object
) -> None:
    assert evaluate(expression, values, simple(), current=current, today=TODAY) == expected


@pytest.mark.parametrize(
    ("expression", "values", "current"),
    [
        ("string-length(.) > 5", {"a": "abcdef"}, "a"),
        (". > 3", {"q1": "4"}, "q1"),
        ("${q1} > 3 or ${a} = 'x'", {"q1": "", "a": "x"}, None),
        ("${t2} <= today()", {"t2": "2026-11-18"}, None),
        ("${t2} > '2026-11-01'", {"t2": "2026-11-18"}, None),
        ("${q1} = 4", {"q1": "4"}, None),
        ("${q1} != ''", {"q1": "0"}, None),
    ],
)
def test_conditions_that_hold(expression: str, values: dict[str, Any], current: str | None) -> None:
    assert is_true(expression, values, simple(), current=current, today=TODAY)


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        ("${q1} > 3", {"q1": ""}),  # a blank number compares false, as in XPath 1.0 and ODK, not an error
        ("${q1} < 3", {}),
        ("${a} > 3", {"a": "many"}),
        ("selected(${q3}, 'apple')", {"q3": "pineapple"}),
        ("${t2} > today()", {"t2": "2026-11-18"}),
    ],
)
def test_conditions_that_do_not_hold(expression: str, values: dict[str, Any]) -> None:
    assert not is_true(expression, values, simple(), today=TODAY)


def test_an_expression_that_cannot_be_read_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="语法有误"):
        evaluate("(${q1} > 3", {}, simple())
    with pytest.raises(ExpressionError, match="不存在"):
        evaluate("${nothing} > 3", {}, simple())


values_of_any_kind = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.lists(st.text(max_size=5), max_size=3),
    st.decimals(allow_nan=True),
)
FIELDS = [
    "visit_date",
    "people",
    "income",
    "needs",
    "needs_other",
    "aided",
    "measure",
    "location",
    "photo",
    "intro",
]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "unknown"]), values_of_any_kind))
def test_check_record_reports_and_never_raises(values: dict[str, object]) -> None:
    errors = check_record(VISIT, values, TODAY)
    assert set(errors) <= set(FIELDS)
    assert all(isinstance(message, str) and message for message in errors.values())


VISIT = household_visit()
