"""Expression evaluation checked against forms in the spirit of pyxform's own test forms.

Each form below is zhenwu's own XLSForm table, written for a township's work, with the expression
shapes and the function coverage of a pyxform test form (named in its docstring). Each is loaded
through `definition.read_definition` (pyxform parses it and makes the XForm), then its constraints,
relevants, calculations and defaults are evaluated by `expressions` for chosen values, and the results
are compared with what the ODK XForms specification (getodk.github.io/xforms-spec, "XPath Functions")
and the ODK documentation of form functions (docs.getodk.org/form-operators-functions) say.

Where the specification leaves a choice open, zhenwu answers as ODK Collect does, because the server
re-checks records that Collect has already accepted: `regex()` is a whole match, a field that is empty
is false as a condition, and a blank is skipped by `sum()`, `max()` and `min()`.
"""

# The forms are written as tables, a row per line, as a township admin sees them.
# ruff: noqa: E501

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from tests.registers.workbooks import Rows, workbook
from zhenwu.registers.definition import Definition, DefinitionError, read_definition
from zhenwu.registers.expressions import check_record, computed_values, evaluate, is_true

TODAY = date(2026, 11, 18)  # the suite's frozen day: a Wednesday
EPOCH_DAYS_TODAY = (TODAY - date(1970, 1, 1)).days  # 20775


def load(survey: Rows, choices: Rows | None = None, form_id: str = "xpath_form") -> Definition:
    sheets: dict[str, Rows] = {"survey": survey, "settings": [["form_id", "version"], [form_id, "1"]]}
    if choices:
        sheets["choices"] = choices
    return read_definition(workbook(sheets), f"{form_id}.xlsx")


def relevant(form: Definition, name: str, values: dict[str, Any]) -> bool:
    field = form.field(name)
    return is_true(field.relevant, values, form, current=name, today=TODAY)


def holds(form: Definition, name: str, values: dict[str, Any]) -> bool:
    """Whether the field's constraint holds for the record `values`."""
    field = form.field(name)
    return is_true(field.constraint, values, form, current=name, today=TODAY)


def computed(form: Definition, values: dict[str, Any]) -> dict[str, object]:
    return computed_values(form, values, TODAY)


# ---------------------------------------------------------------------------------------------------
# 1. Skip logic and constraints


def member_form() -> Definition:
    """A village's resident register.

    Inspired by pyxform's tests/example_xls/tutorial.xls (ages asked in months or in years by a yes/no,
    a question relevant by sex and an age range), widgets.xls (an integer below a bound, a decimal
    between two, a date not before `today()`, a select_multiple whose constraint is `not()` of two
    `selected()`) and xlsform_spec_test.xlsx (a group skipped by `not(selected(...))`, a note relevant
    when `regex()` recognises an e-mail address).
    """
    return load(
        [
            ["type", "name", "label", "relevant", "constraint", "constraint_message", "required"],
            ["select_one yes_no", "moved_out", "已迁出", "", "", "", "yes"],
            ["begin_group", "person", "人员情况", "not(selected(${moved_out}, 'yes'))", "", "", ""],
            ["text", "name", "姓名", "", "string-length(.) >= 2", "姓名至少两个字", "yes"],
            ["select_one sex", "sex", "性别", "", "", "", "yes"],
            ["select_one yes_no", "adult", "满18周岁", "", "", "", "yes"],
            ["integer", "age_months", "月龄", "${adult} = 'no'", ". <= 216", "未成年人月龄不超过216", "yes"],
            ["integer", "age_years", "年龄", "${adult}='yes'", ". >= 18 and . < 120", "成年人年龄为18到119岁", "yes"],
            ["select_one yes_no", "pregnant", "是否怀孕", "${sex}='female' and ${age_years}>=15 and ${age_years}<=49", "", "", ""],
            ["text", "email", "电子邮箱", "", "", "", ""],
            ["note", "email_note", "已填写电子邮箱", "regex(${email}, '[a-z0-9._-]+@[a-z0-9-]+(\\.[a-z0-9-]+)+')", "", "", ""],
            ["select_multiple aid", "aids", "享受的帮扶", "", "not(selected(., 'none') and count-selected(.) > 1)", "选了“无”就不能再选其他", ""],
            ["integer", "rooms", "住房间数", "", ". < 10", "", ""],
            ["decimal", "plot", "承包地（亩）", "", ". > 0.5 and . < 30", "", ""],
            ["end_group", "", "", "", "", "", ""],
            ["date", "next_visit", "下次走访", "", ". >= today()", "下次走访不能早于今天", ""],
        ],
        [
            ["list_name", "name", "label"],
            ["yes_no", "yes", "是"],
            ["yes_no", "no", "否"],
            ["sex", "male", "男"],
            ["sex", "female", "女"],
            ["aid", "medical", "医疗救助"],
            ["aid", "school", "教育资助"],
            ["aid", "none", "无"],
        ],
        "member",
    )  # fmt: skip


MEMBER = {
    "moved_out": "no",
    "name": "王秀英",
    "sex": "female",
    "adult": "yes",
    "age_years": "32",
    "aids": "medical school",
    "rooms": "3",
    "plot": "2.5",
    "next_visit": "2026-11-25",
}


def test_pyxform_makes_the_xform_with_the_forms_expressions() -> None:
    form = member_form()
    assert "selected( /data/moved_out , 'yes')" in form.xform
    assert form.field("age_years").relevant == "(not(selected(${moved_out}, 'yes'))) and (${adult}='yes')"
    assert check_record(form, MEMBER, TODAY) == {}


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        # a group's relevant applies to every field in it: not(true()) is false
        ("name", {"moved_out": "yes"}, False),
        ("name", {"moved_out": "no"}, True),
        ("name", {}, True),  # selected('', 'yes') is false: an unanswered question hides nothing
        ("age_months", {"adult": "no"}, True),
        ("age_months", {"adult": "yes"}, False),
        ("age_years", {"adult": "yes"}, True),
        ("age_years", {}, False),
        ("pregnant", {"sex": "female", "adult": "yes", "age_years": "15"}, True),
        ("pregnant", {"sex": "female", "adult": "yes", "age_years": "49"}, True),
        ("pregnant", {"sex": "female", "adult": "yes", "age_years": "50"}, False),
        ("pregnant", {"sex": "male", "adult": "yes", "age_years": "30"}, False),
        # a blank number compares false (NaN), so the question stays hidden until the age is given
        ("pregnant", {"sex": "female", "adult": "yes"}, False),
        ("email_note", {"email": "wang@example.cn"}, True),
        ("email_note", {"email": "wang at example"}, False),
        # regex() is an exact and complete match (ODK docs; Collect's Pattern.matches)
        ("email_note", {"email": "邮箱 wang@example.cn"}, False),
    ],
)
def test_relevant_shows_a_question_as_the_spec_says(
    name: str, values: dict[str, Any], expected: bool
) -> None:
    assert relevant(member_form(), name, values) is expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("name", "王五", True),
        ("name", "王", False),
        ("age_months", "216", True),
        ("age_months", "217", False),
        ("age_years", "18", True),
        ("age_years", "17", False),
        ("age_years", "120", False),
        ("aids", "medical school", True),
        ("aids", "none", True),
        ("aids", "medical none", False),
        ("rooms", "9", True),
        ("rooms", "10", False),
        ("plot", "0.5", False),
        ("plot", "0.51", True),
        ("plot", "29.99", True),
        ("plot", "30", False),
        ("next_visit", "2026-11-18", True),
        ("next_visit", "2026-11-17", False),
        ("next_visit", "2027-01-01", True),
    ],
)
def test_constraints_hold_as_the_spec_says(name: str, value: str, expected: bool) -> None:
    assert holds(member_form(), name, {**MEMBER, name: value}) is expected


def test_a_broken_constraint_is_named_with_its_own_message_and_hidden_questions_are_not_checked() -> None:
    form = member_form()
    assert check_record(form, {**MEMBER, "aids": "none school"}, TODAY) == {"aids": "选了“无”就不能再选其他"}
    assert check_record(form, {**MEMBER, "next_visit": "2026-11-01"}, TODAY) == {
        "next_visit": "下次走访不能早于今天"
    }
    moved = {"moved_out": "yes", "name": "王", "age_years": "3"}
    assert check_record(form, moved, TODAY) == {}


# ---------------------------------------------------------------------------------------------------
# 2. Calculations and dynamic defaults


def tally_form() -> Definition:
    """A campaign's tally sheet with calculations and dynamic defaults.

    Inspired by pyxform's tests/test_dynamic_default.py (a default mixing `if()` on a relative path with
    arithmetic and `int()`; `if()` on a reference giving one of two strings), tests/fixtures/lexer_cases.py
    (the DYNAMIC cases: `concat()` around `if()` with both kinds of quotes, constants with `-`, `mod`,
    `div` and `*` and their precedence, a `concat()` that makes a date), tests/test_bug_round_calculation.py
    (`round()` of a decimal to 0 places), tests/example_xls/calculate.xls (a constant sum, and `if()`
    comparing a calculation with itself), tests/test_typed_calculates.py (a calculation on an integer
    field, `concat()` of literals) and tests/test_settings.py (`string-length()` of a literal with two
    spaces).
    """
    return load(
        [
            ["type", "name", "label", "calculation", "default"],
            ["text", "kind", "活动类型", "", ""],
            ["text", "pilot", "是否试点村", "", ""],
            ["integer", "teams", "出动队伍", "", "if(../pilot = 'yes', 3, 5) + 10 - int(1.8)"],
            ["integer", "people", "出动人数", "", ""],
            ["decimal", "amount", "经费（元）", "", ""],
            ["calculate", "heading", "", "concat(if(../kind = \"整治\", '环境整治', \"宣传\"), \"活动记录\")", ""],
            ["calculate", "size", "", "if(${teams} < 10, '小型', '大型')", ""],
            ["calculate", "six", "", "4+2", ""],
            ["calculate", "check", "", "if(${six}=${six}, '一致', '不一致')", ""],
            ["calculate", "rounded", "", "round(${amount}, 0)", ""],
            ["calculate", "name", "", "concat('镇', '务')", ""],
            ["integer", "two", "二", "6 div 3", ""],
            ["calculate", "minus", "", "9 - 4", ""],
            ["calculate", "modulo", "", "6 mod 4", ""],
            ["calculate", "div_minus", "", "8 div 4 - 5", ""],
            ["calculate", "precedence", "", "3 + 2 * 5", ""],
            ["calculate", "mixed", "", "2 + 5 - 3 * 4 div 5 mod 7", ""],
            ["calculate", "date_text", "", "concat('2026-11', '-18')", ""],
            ["integer", "length", "长度", "", "string-length('镇务  平台')"],
            ["calculate", "per_head", "", "${amount} div ${people}", ""],
            ["calculate", "later", "", "${per_head} * 2", ""],
        ],
        form_id="tally",
    )  # fmt: skip


def test_calculations_give_what_xpath_gives() -> None:
    values = computed(tally_form(), {"kind": "整治", "pilot": "yes", "amount": "2.5", "people": "4"})
    assert values["teams"] == "12"  # if() gives 3, and 3 + 10 - int(1.8) is 12
    assert values["heading"] == "环境整治活动记录"
    assert values["size"] == "大型"
    assert values["six"] == "6"
    assert values["check"] == "一致"
    assert values["rounded"] == "3"  # half rounds up
    assert values["name"] == "镇务"
    assert values["two"] == "2"
    assert values["minus"] == "5"
    assert values["modulo"] == "2"
    assert values["div_minus"] == "-3"
    assert values["precedence"] == "13"
    # 3 * 4 div 5 = 2.4; 2.4 mod 7 = 2.4; 2 + 5 - 2.4 in IEEE doubles, as XPath 1.0 numbers are
    assert values["mixed"] == str(2 + 5 - 2.4)
    assert values["date_text"] == "2026-11-18"
    assert values["length"] == "6"
    assert values["per_head"] == "0.625"
    assert values["later"] == "1.25"  # a calculation may use one made before it
    assert computed(tally_form(), {"kind": "宣传"})["heading"] == "宣传活动记录"


def test_a_dynamic_default_reads_its_relative_path_and_fills_only_a_field_not_given() -> None:
    form = tally_form()
    assert computed(form, {"pilot": "no"})["teams"] == "14"
    assert computed(form, {"pilot": "yes", "teams": "3"})["teams"] == "3"


def test_a_calculation_on_a_blank_number_is_blank_not_zero() -> None:
    # docs.getodk.org "Empty values in math": a blank is NaN, and NaN is kept, not turned into 0
    values = computed(tally_form(), {"people": "4"})
    assert values["per_head"] == "" and values["later"] == "" and values["rounded"] == ""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 div 0", math.inf),
        ("-1 div 0", -math.inf),
        ("-7 mod 3", -1.0),  # the sign of the dividend, as XPath's mod (truncating division)
        ("7 mod -3", 1.0),
        ("0.1 + 0.2", 0.1 + 0.2),  # XPath 1.0 numbers are doubles
        ("1 div 3", 1 / 3),
        ("- ${amount}", -2.5),
        ("${amount} - -1", 3.5),
        ("${amount} * '2'", 5.0),  # a string is converted by number()
        ("${amount} + ''", math.nan),
        ("${amount} + 'abc'", math.nan),
        ("${amount} + true()", 3.5),
    ],
)
def test_arithmetic_follows_xpath_numbers(expression: str, expected: float) -> None:
    result = evaluate(expression, {"amount": "2.5"}, tally_form(), today=TODAY)
    assert isinstance(result, float)
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string(1 div 3)", "0.3333333333333333"),
        ("string(0.1 + 0.2)", "0.30000000000000004"),
        ("string(2.50 * 2)", "5"),
        ("string(0 div 0)", "NaN"),
        ("string(1 div 0)", "Infinity"),
        ("string(-1 div 0)", "-Infinity"),
        ("string(1 = 1)", "true"),
        ("concat(1 div 4, '|', 10 div 2, '|', false())", "0.25|5|false"),
    ],
)
def test_numbers_become_strings_as_xpath_writes_them(expression: str, expected: str) -> None:
    assert evaluate(expression, {}, tally_form(), today=TODAY) == expected


# ---------------------------------------------------------------------------------------------------
# 3. Selects, cascades and comparisons


def road_form() -> Definition:
    """A road repair record choosing a village by zone.

    Inspired by pyxform's tests/example_xls/cascading_select_test_equivalent.xls (a select per zone,
    each relevant by the zone chosen, and a calculate choosing among them by nested `if()`),
    xml_escaping.xls (a relevant comparing two fields with `<`), tests/test_bind_conversions.py and
    tests/test_translations.py (`string-length(.)` constraints with their messages) and the ODK docs'
    jr:choice-name and selected-at examples.
    """
    return load(
        [
            ["type", "name", "label", "relevant", "constraint", "constraint_message::中文 (zh)", "calculation"],
            ["select_one zone", "zone", "片区", "", "", "", ""],
            ["select_one east", "v_east", "东片村", "${zone}='east'", "", "", ""],
            ["select_one west", "v_west", "西片村", "${zone}='west'", "", "", ""],
            ["calculate", "village", "", "", "", "", "if(${zone}='east', ${v_east}, if(${zone}='west', ${v_west}, '未选片区'))"],
            ["calculate", "village_name", "", "", "", "", "if(${zone}='east', jr:choice-name(${v_east}, '${v_east}'), jr:choice-name(${v_west}, '${v_west}'))"],
            ["integer", "planned", "计划米数", "", "", "", ""],
            ["integer", "done", "完成米数", "", "", "", ""],
            ["note", "behind", "进度落后", "${done} < ${planned}", "", "", ""],
            ["text", "contractor", "施工单位", "", "string-length(.) > 5", "施工单位名称过短", ""],
            ["text", "code", "工程编号", "", "string-length(.) > 1", "编号过短", ""],
            ["select_multiple works", "works", "工程内容", "", "count-selected(.) <= 3", "至多选三项", ""],
            ["calculate", "first_work", "", "", "", "", "selected-at(${works}, 0)"],
            ["calculate", "second_work", "", "", "", "", "selected-at(${works}, 1)"],
            ["calculate", "fifth_work", "", "", "", "", "selected-at(${works}, 4)"],
            ["calculate", "first_label", "", "", "", "", "jr:choice-name(selected-at(${works}, 0), '${works}')"],
            ["calculate", "work_count", "", "", "", "", "count-selected(${works})"],
        ],
        [
            ["list_name", "name", "label::中文 (zh)", "label::English (en)"],
            ["zone", "east", "东片", "East"],
            ["zone", "west", "西片", "West"],
            ["east", "v01", "一村", "Village 1"],
            ["east", "v02", "二村", "Village 2"],
            ["west", "v03", "三村", "Village 3"],
            ["works", "harden", "硬化", "Hardening"],
            ["works", "widen", "拓宽", "Widening"],
            ["works", "lights", "路灯", "Lights"],
            ["works", "drain", "边沟", "Drains"],
        ],
        "road",
    )  # fmt: skip


def test_a_cascade_chooses_by_nested_if_and_names_the_choice_by_its_label() -> None:
    form = road_form()
    east = computed(form, {"zone": "east", "v_east": "v02"})
    assert (east["village"], east["village_name"]) == ("v02", "二村")
    west = computed(form, {"zone": "west", "v_west": "v03"})
    assert (west["village"], west["village_name"]) == ("v03", "三村")
    assert computed(form, {})["village"] == "未选片区"
    assert computed(form, {"zone": "east", "v_east": "v99"})["village_name"] == ""  # no such choice
    assert relevant(form, "v_west", {"zone": "west"}) and not relevant(form, "v_east", {"zone": "west"})


def test_selected_at_counts_from_zero_and_choice_name_gives_the_label() -> None:
    values = computed(road_form(), {"works": "widen lights drain"})
    assert values["first_work"] == "widen"
    assert values["second_work"] == "lights"
    assert values["fifth_work"] == ""  # an index past the end gives the empty string
    assert values["first_label"] == "拓宽"
    assert values["work_count"] == "3"
    assert computed(road_form(), {})["work_count"] == "0"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"planned": "900", "done": "1000"}, False),  # compared as numbers, not as text ("1000" < "900")
        ({"planned": "1000", "done": "900"}, True),
        ({"planned": "1000", "done": ""}, False),  # a blank is NaN: every comparison with it is false
        ({"planned": "", "done": ""}, False),
    ],
)
def test_a_relational_comparison_compares_numbers(values: dict[str, str], expected: bool) -> None:
    assert relevant(road_form(), "behind", values) is expected


def test_string_length_constraints_use_their_chinese_messages() -> None:
    form = road_form()
    errors = check_record(
        form, {"contractor": "宏达建设", "code": "7", "works": "harden widen lights drain"}, TODAY
    )
    assert errors == {"contractor": "施工单位名称过短", "code": "编号过短", "works": "至多选三项"}
    assert check_record(form, {"contractor": "县宏达建设有限公司", "code": "G7"}, TODAY) == {}


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("${zone} = 'east'", {"zone": "east"}, True),
        ("${zone} != 'east'", {"zone": ""}, True),
        ("${planned} = 900", {"planned": "900.0"}, True),  # a number: compared as numbers
        ("${planned} = '900'", {"planned": "900.0"}, False),  # a string: compared as strings
        ("${planned} = ${done}", {"planned": "900", "done": "900"}, True),
        ("${planned} > '5'", {"planned": "900"}, True),  # relational: both are numbers
        ("'abc' < 'abd'", {}, False),  # strings are not numbers: NaN compares false
        ("${planned} = true()", {"planned": "0"}, True),  # a non-empty node is true
        ("${planned} = false()", {"planned": ""}, True),  # an empty field is false, as Collect reads it
        ("${code}", {"code": ""}, False),
        ("${code}", {"code": "G7"}, True),
        ("not(${code})", {"code": ""}, True),
        ("${code} or ${contractor}", {"code": "", "contractor": "x"}, True),
        ("${code} and ${contractor}", {"code": "G7", "contractor": ""}, False),
        ("boolean(${code})", {"code": ""}, False),
        ("boolean('false')", {}, True),  # any non-empty string is true
        ("boolean(0)", {}, False),
        ("boolean(0 div 0)", {}, False),
    ],
)
def test_comparisons_and_truth_follow_the_spec(
    expression: str, values: dict[str, str], expected: bool
) -> None:
    assert is_true(expression, values, road_form(), today=TODAY) is expected


# ---------------------------------------------------------------------------------------------------
# 4. Dates


def hazard_form() -> Definition:
    """A hazard found on an inspection, with a rectification deadline.

    Inspired by pyxform's widgets.xls (a date constrained by `today()`), tests/fixtures/lexer_cases.py
    (date and date-time literals, arithmetic on `decimal-date-time()`) and tests/test_trigger.py
    (`decimal-date-time()` of a reference), with the date arithmetic the ODK spec defines: number()
    reads a date as days since 1970-01-01, so dates are compared, added to and subtracted.
    """
    return load(
        [
            ["type", "name", "label", "constraint", "constraint_message", "calculation", "default"],
            ["date", "found_on", "发现日期", ". <= today() and . >= today() - 30", "发现日期须在近30天内", "", "today()"],
            ["date", "deadline", "整改期限", ". > ${found_on}", "整改期限须晚于发现日期", "", ""],
            ["calculate", "days", "", "", "", "${deadline} - ${found_on}", ""],
            ["calculate", "due", "", "", "", "date(${found_on} + 15)", ""],
            ["calculate", "due_text", "", "", "", "format-date(${deadline}, '%Y年%n月%e日')", ""],
            ["calculate", "padded", "", "", "", "format-date(${deadline}, '%y/%m/%d')", ""],
            ["calculate", "weekday", "", "", "", "format-date(${deadline}, '%a %b')", ""],
            ["calculate", "overdue", "", "", "", "if(today() > ${deadline}, 'yes', 'no')", ""],
            ["calculate", "age_days", "", "", "", "int(today() - ${found_on})", ""],
            ["calculate", "as_days", "", "", "", "decimal-date-time(${deadline})", ""],
            ["calculate", "found_days", "", "", "", "number(${found_on})", ""],
        ],
        form_id="hazard_dates",
    )  # fmt: skip


def test_a_date_default_and_date_constraints() -> None:
    form = hazard_form()
    assert computed(form, {})["found_on"] == "2026-11-18"
    assert holds(form, "found_on", {"found_on": "2026-10-19"})  # today() - 30
    assert not holds(form, "found_on", {"found_on": "2026-10-18"})
    assert not holds(form, "found_on", {"found_on": "2026-11-19"})
    assert holds(form, "deadline", {"found_on": "2026-11-10", "deadline": "2026-11-11"})
    assert not holds(form, "deadline", {"found_on": "2026-11-10", "deadline": "2026-11-10"})
    # across a month and a year: dates compare as dates, not as text or as broken-up numbers
    assert holds(form, "deadline", {"found_on": "2026-12-31", "deadline": "2027-01-01"})


def test_date_arithmetic_counts_days_since_1970() -> None:
    values = computed(hazard_form(), {"found_on": "2026-11-10", "deadline": "2026-12-03"})
    assert values["days"] == "23"
    assert values["due"] == "2026-11-25"
    assert values["overdue"] == "no"
    assert values["age_days"] == "8"
    assert values["found_days"] == str(EPOCH_DAYS_TODAY - 8)
    assert values["as_days"] == str(EPOCH_DAYS_TODAY + 15)
    assert computed(hazard_form(), {"deadline": "2026-11-17"})["overdue"] == "yes"


def test_format_date_writes_the_spec_identifiers_with_chinese_names() -> None:
    values = computed(hazard_form(), {"found_on": "2026-11-10", "deadline": "2027-01-05"})
    assert values["due_text"] == "2027年1月5日"
    assert values["padded"] == "27/01/05"
    assert values["weekday"] == "周二 1月"  # 5 January 2027 is a Tuesday
    assert computed(hazard_form(), {"found_on": ""})["due"] == ""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("date(0)", "1970-01-01"),
        ("date(20775)", "2026-11-18"),
        ("date(20775.9)", "2026-11-18"),  # the fraction of a day is dropped
        ("date(-1)", "1969-12-31"),
        ("date('2026-11-18')", "2026-11-18"),
        ("date(today() + 7)", "2026-11-25"),
        ("today() - 7 < '2026-11-12'", True),
        ("today() = '2026-11-18'", True),
        ("number('2026-11-18')", float(EPOCH_DAYS_TODAY)),
        ("decimal-date-time('2026-11-18T12:00:00+00:00')", EPOCH_DAYS_TODAY + 0.5),
        ("decimal-date-time('2026-11-18T08:00:00+08:00')", float(EPOCH_DAYS_TODAY)),
        ("format-date-time('2026-11-18T09:05:03+08:00', '%H:%M:%S %h点')", "09:05:03 9点"),
        ("format-date('', '%Y')", ""),
    ],
)
def test_date_functions(expression: str, expected: object) -> None:
    assert evaluate(expression, {}, hazard_form(), today=TODAY) == expected


# ---------------------------------------------------------------------------------------------------
# 5. Numbers and strings


def ledger_form() -> Definition:
    """A debt ledger's figures and codes, with the number and string functions of the ODK spec.

    Inspired by pyxform's tests/fixtures/lexer_cases.py (`ends-with()` with both kinds of quotes, node
    paths subtracted from each other and a constant), tests/test_dynamic_default.py (`int()`),
    tests/test_repeat.py (`starts-with()`, `sum()`), tests/test_external_instances.py (`contains()`) and
    the ODK docs' coalesce/once/number/round examples.
    """
    return load(
        [
            ["type", "name", "label", "calculation"],
            ["text", "creditor", "债权人", ""],
            ["text", "code", "债务编号", ""],
            ["decimal", "locked", "锁定金额", ""],
            ["decimal", "resolved", "已化解", ""],
            ["calculate", "balance", "", "${locked} - coalesce(${resolved}, 0)"],
            ["calculate", "share", "", "round(coalesce(${resolved}, 0) div ${locked} * 100, 1)"],
            ["calculate", "first_seen", "", "once(${creditor})"],
            ["begin_group", "g", "分组", ""],
            ["integer", "f", "数量", ""],
            ["integer", "t4", "数量2", ""],
            ["calculate", "f_minus", "", "../f - 4"],
            ["calculate", "t4_minus_f", "", "../t4 - ../f"],
            ["end_group", "", "", ""],
        ],
        form_id="ledger",
    )  # fmt: skip


def test_coalesce_turns_a_blank_into_zero_and_round_keeps_one_decimal() -> None:
    form = ledger_form()
    values = computed(form, {"locked": "4300", "resolved": "1352"})
    assert (values["balance"], values["share"]) == ("2948", "31.4")
    assert computed(form, {"locked": "4300"})["balance"] == "4300"


def test_relative_paths_in_a_group_read_their_siblings() -> None:
    values = computed(ledger_form(), {"f": "5", "t4": "7"})
    assert (values["f_minus"], values["t4_minus_f"]) == ("1", "2")


def test_once_keeps_the_value_already_calculated() -> None:
    form = ledger_form()
    assert computed(form, {"creditor": "县农商行"})["first_seen"] == "县农商行"
    assert computed(form, {"creditor": "县信用社", "first_seen": "县农商行"})["first_seen"] == "县农商行"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # round(): half towards positive infinity, as XPath 1.0 and Collect; decimals as the ODK spec adds
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),
        ("round(-2.6)", -3.0),
        ("round(2.345, 2)", 2.35),
        ("round(-2.345, 2)", -2.34),
        ("round(1234.5, -2)", 1200.0),
        ("round('')", math.nan),
        # int(): the fraction dropped, towards zero
        ("int(7.9)", 7.0),
        ("int(-7.9)", -7.0),
        ("int('12')", 12.0),
        # number(): XPath 1.0's digits with an optional minus, nothing else
        ("number('12.50')", 12.5),
        ("number(' -3 ')", -3.0),
        ("number('+3')", math.nan),
        ("number('1e3')", math.nan),
        ("number('1,000')", math.nan),
        ("number(true())", 1.0),
        ("abs(-3.5)", 3.5),
        ("pow(2, 10)", 1024.0),
        ("sqrt(16)", 4.0),
        ("sqrt(-1)", math.nan),
        ("log10(1000)", 3.0),
        ("log(1)", 0.0),
        ("exp(0)", 1.0),
        ("exp10(2)", 100.0),
        ("pi()", math.pi),
        ("sin(0) + cos(0) + tan(0) + asin(0) + acos(1) + atan(0) + atan2(0, 1)", 1.0),
        ("max(3, '', 7.5, 2)", 7.5),  # a blank is skipped, as Collect does
        ("min(3, '', 7.5, 2)", 2.0),
        ("max('', '')", math.nan),
        ("max(${locked} | ${resolved})", 4300.0),
        ("sum(${locked} | ${resolved})", 5652.0),
        ("count(${locked} | ${resolved} | ${code})", 3.0),
        ("count-non-empty(${locked} | ${resolved} | ${code})", 2.0),
    ],
)
def test_number_functions(expression: str, expected: float) -> None:
    values = {"locked": "4300", "resolved": "1352", "f": "5", "t4": "7"}
    result = evaluate(expression, values, ledger_form(), today=TODAY)
    assert isinstance(result, float)
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("concat(${code})", "ZW-2026-017"),  # concat of one argument (the ODK spec allows it)
        ("concat(${code}, '：', ${creditor})", "ZW-2026-017：县农商行"),
        ("join('、', ${code} | ${creditor})", "县农商行、ZW-2026-017"),  # nodes in document order
        ("substr(${code}, 3)", "2026-017"),  # zero-based start
        ("substr(${code}, 3, 7)", "2026"),  # to the end index, not a length
        ("substr(${code}, -3)", "017"),
        ("substring-before(${code}, '-')", "ZW"),
        ("substring-after(${code}, '-')", "2026-017"),
        ("substring-after(${code}, '#')", ""),
        ("translate(${code}, '-', '/')", "ZW/2026/017"),
        ("translate('abc', 'abc', 'A')", "A"),  # characters without a counterpart are removed
        ("normalize-space('  县  农商行 ')", "县 农商行"),
        ("string-length(${creditor})", 4.0),
        ("string-length('')", 0.0),
        ("contains(${creditor}, '农商')", True),
        ("starts-with(${code}, 'ZW')", True),
        ("ends-with(${code}, '017')", True),
        ("ends-with('示范镇', \"镇\")", True),
        ("regex(${code}, '[A-Z]{2}-[0-9]{4}-[0-9]{3}')", True),
        ("regex(${code}, '[0-9]{3}')", False),  # a whole match: the pattern must cover the value
        ("boolean-from-string('true')", True),
        ("boolean-from-string('TRUE')", True),
        ("boolean-from-string('1')", True),
        ("boolean-from-string('yes')", False),
        ("string(${locked})", "4300"),
        ("coalesce(${resolved}, 'x')", "x"),
        ("coalesce('', '')", ""),
        (
            "digest('abc', 'SHA-256', 'hex')",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        ("digest('abc', 'MD5')", "kAFQmDzST7DWlj99KOF/cg=="),
        ("base64-decode('5Lmh6ZWH')", "乡镇"),
        ("if(${resolved}, 'x', 'y')", "y"),  # an empty field is a false condition
        ("if(true(), ${code}, 0)", "ZW-2026-017"),
    ],
)
def test_string_and_other_functions(expression: str, expected: object) -> None:
    values = {"code": "ZW-2026-017", "creditor": "县农商行", "locked": "4300"}
    assert evaluate(expression, values, ledger_form(), today=TODAY) == expected


# ---------------------------------------------------------------------------------------------------
# 6. What zhenwu does not evaluate is refused when the definition is loaded


def load_with_constraint(constraint: str) -> Definition:
    return load(
        [
            ["type", "name", "label", "constraint"],
            ["integer", "n", "数量", ""],
            ["text", "t", "说明", constraint],
        ],
        form_id="refused",
    )


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("now() != ''", ["now", "today()"]),
        ("random() < 0.5", ["random", "每次"]),
        ("uuid() != ''", ["uuid", "每次"]),
        ("pulldata('a', 'b', 'c', ${n}) = 1", ["pulldata", "外部数据"]),
        ("instance('c')/root/item = 1", ["instance", "外部数据"]),
        ("distance(${t}) > 10", ["distance", "位置"]),
        ("area(${t}) > 10", ["area", "位置"]),
        ("geofence(${t}, ${t})", ["geofence", "位置"]),
        ("decimal-time(${t}) > 0.5", ["decimal-time", "时间"]),
        ("jr:itext('x') = ''", ["jr:itext", "不支持"]),
        ("checklist(1, 2, ${n}, ${t})", ["checklist", "不支持"]),
        ("substring(., 1, 2) = 'ab'", ["substring", "substr()"]),
        ("floor(${n}) = 1", ["floor", "int()"]),
        ("ceiling(${n}) = 1", ["ceiling", "int()"]),
        ("lower-case(.) = 'a'", ["lower-case", "不是 XLSForm"]),
        ("matches(., 'a')", ["matches", "regex()"]),
        ("current-date() = today()", ["current-date", "today()"]),
        ("nonexistent(.)", ["nonexistent", "不是 XLSForm"]),
    ],
)
def test_a_function_zhenwu_does_not_evaluate_is_refused_by_sheet_row_and_column(
    expression: str, words: list[str]
) -> None:
    with pytest.raises(DefinitionError) as refused:
        load_with_constraint(expression)
    message = "\n".join(refused.value.messages)
    assert message.startswith("survey表第3行「constraint」列：")
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("round(${n}, 1, 2) = 1", ["round", "1到2个参数", "3个"]),
        ("concat() = ''", ["concat", "至少1个参数"]),
        ("today(1) = ''", ["today", "不带参数"]),
        ("selected(.) ", ["selected", "2个参数"]),
        ("if (${n} > 1) then 1 else 2", ["“if”", "3个参数"]),
        ("for $i in (1, 2) return $i", ["“for”"]),
        ("${n} to 3", ["“to”"]),
        ("${n} eq 3", ["“eq”"]),
        ("${n} idiv 3", ["“idiv”"]),
        ("(1, 2) = 1", ["“,”"]),
        ("$x = 1", ["“$”"]),
        ("@id = 1", ["“@”"]),
        ("child::t = 1", ["“child”"]),
        ("${n} instance of xs:integer", ["“instance”"]),
    ],
)
def test_xpath_2_syntax_and_wrong_argument_counts_are_refused(expression: str, words: list[str]) -> None:
    with pytest.raises(DefinitionError) as refused:
        load_with_constraint(expression)
    message = "\n".join(refused.value.messages)
    assert message.startswith("survey表第3行「constraint」列：")
    for word in words:
        assert word in message


def test_every_refusal_also_covers_calculations_relevants_defaults_labels_and_figures() -> None:
    sheets: dict[str, Rows] = {
        "survey": [
            ["type", "name", "label", "relevant", "calculation", "default"],
            ["text", "t", "说明", "now() != ''", "", ""],
            ["calculate", "c", "", "", "random()", ""],
            ["date", "d", "日期", "", "", "date(now())"],
        ],
        "settings": [["form_id"], ["refused_all"]],
        "zhenwu": [["key", "value"], ["figure:n", "数 | count |  | uuid() != '' | 个"]],
    }
    with pytest.raises(DefinitionError) as refused:
        read_definition(workbook(sheets), "refused_all.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("survey表第2行「relevant」列：") and "now" in m for m in messages)
    assert any(m.startswith("survey表第3行「calculation」列：") and "random" in m for m in messages)
    assert any(m.startswith("survey表第4行「default」列：") and "now" in m for m in messages)
    assert any(m.startswith("zhenwu表第2行「value」列：") and "uuid" in m for m in messages)


def test_a_value_that_breaks_a_function_at_entry_is_a_message_on_its_field_not_a_crash() -> None:
    form = load(
        [
            ["type", "name", "label", "constraint", "calculation"],
            ["text", "when", "日期文字", "format-date(., '%Y') != '1999'", ""],
            ["calculate", "shown", "", "", "format-date(${when}, '%Y年')"],
        ],
        form_id="breaks",
    )
    assert computed(form, {"when": "下周"})["shown"] == ""
    errors = check_record(form, {"when": "下周"}, TODAY)
    assert list(errors) == ["when"] and errors["when"].startswith("无法检查此项")
    assert check_record(form, {"when": "2026-11-18"}, TODAY) == {}
