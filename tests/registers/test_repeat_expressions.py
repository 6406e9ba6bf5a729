"""Expressions over a record with a repeat, as XLSForm and the XForms spec define them: each row of the
repeat is one element of the instance, `${sibling}` inside the repeat reads the same row (pyxform writes
`../sibling`), and `sum(${qty})` or `count(${outputs})` outside it read every row."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

from tests.registers.repeats import campaign, outputs
from tests.registers.workbooks import workbook
from zhenwu.registers.definition import Definition, read_definition
from zhenwu.registers.expressions import (
    _rewritten,
    build_instance,
    check_record,
    computed_values,
    evaluate,
    expression_error,
    relevant_values,
    rows_where,
)

TODAY = date(2026, 11, 18)
XFORMS = "{http://www.w3.org/2002/xforms}"


def form() -> Definition:
    return read_definition(workbook(campaign()), "活动.xlsx")  # type: ignore[arg-type]


def record(*rows: tuple[str, str, str]) -> dict[str, object]:
    return {"day": "2026-11-01", "title": "集中清洁日", "people": "40", "outputs": outputs(*rows)}


def test_a_right_record_with_two_rows_has_no_errors() -> None:
    assert check_record(form(), record(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy")), TODAY) == {}


def test_each_row_is_checked_and_named_by_the_repeat_its_row_and_its_field() -> None:
    values = record(("垃圾", "3.5", "ton"), ("宣传单", "0", "copy"), ("", "x", "box"))
    assert check_record(form(), values, TODAY) == {
        "outputs-1-qty": "产出第2项「数量」：数量须大于0",
        "outputs-2-what": "产出第3项「名称」：此项必填。",
        "outputs-2-qty": "产出第3项「数量」：请填写数字。",
        "outputs-2-unit": "产出第3项「单位」：“box”不是可选的选项。",
    }


def test_calculations_run_in_each_row_and_sums_and_counts_outside_read_every_row() -> None:
    values = computed_values(form(), record(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy")), TODAY)
    assert [row["tons"] for row in values["outputs"]] == ["3.5", "0"]  # type: ignore[index]
    assert (values["total_tons"], values["output_count"]) == ("3.5", "2")


def test_relevant_inside_a_row_reads_that_rows_sibling() -> None:
    rows = outputs(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"))
    rows[0]["remark"], rows[1]["remark"] = "填埋场", "不该保存"
    kept = relevant_values(form(), {**record(), "outputs": rows}, TODAY)
    assert kept["outputs"] == [
        {"what": "垃圾", "qty": "3.5", "unit": "ton", "remark": "填埋场", "tons": "3.5"},
        {"what": "宣传单", "qty": "200", "unit": "copy", "tons": "0"},
    ]


def test_a_record_without_rows_keeps_no_list_and_counts_none() -> None:
    kept = relevant_values(form(), record(), TODAY)
    assert "outputs" not in kept and kept["output_count"] == "0"


def test_a_repeat_that_is_not_relevant_keeps_no_rows() -> None:
    sheets = campaign()
    sheets["survey"][4][6] = "${people} > 0"
    definition = read_definition(workbook(sheets), "活动.xlsx")  # type: ignore[arg-type]
    values = {**record(("垃圾", "0", "ton")), "people": "0"}
    assert check_record(definition, values, TODAY) == {}
    assert "outputs" not in relevant_values(definition, values, TODAY)


def test_the_instance_holds_one_element_per_row_as_the_xform_does() -> None:
    definition = form()
    root = build_instance(definition, record(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy")))
    shape = ["day", "title", "people", "outputs", "outputs", "total_tons", "output_count"]
    assert [child.tag for child in root] == shape
    assert [row.findtext("qty") for row in root.findall("outputs")] == ["3.5", "200"]
    # pyxform's own instance: the same elements (its jr:template row aside) in the same order.
    model = ET.fromstring(definition.xform).find(f".//{XFORMS}model/{XFORMS}instance")
    assert model is not None
    theirs = next(iter(model))
    assert [child.tag.removeprefix(XFORMS) for child in theirs if not child.tag.endswith("meta")] == shape


def test_references_are_rewritten_as_pyxform_writes_them_in_its_binds() -> None:
    definition = form()
    binds = {
        bind.get("nodeset"): bind.get("calculate")
        for bind in ET.fromstring(definition.xform).iter(f"{XFORMS}bind")
    }

    def bare(text: str) -> str:
        return "".join(text.replace("xf:cond(", "if(").replace("xf:", "").split())

    tons, total = definition.any_field["tons"], definition.field("total_tons")
    assert bare(_rewritten(tons.calculation, definition, tons)) == bare(binds["/data/outputs/tons"] or "")
    assert bare(_rewritten(total.calculation, definition, total)) == bare(binds["/data/total_tons"] or "")
    assert bare(binds["/data/outputs/tons"] or "") == "if(../unit='ton',../qty,0)"


def test_position_and_indexed_repeat_read_a_rows_number_and_another_rows_value() -> None:
    sheets = campaign()
    sheets["survey"].insert(
        10, ["calculate", "number", "", "", "", "", "", "concat('第', position(..), '项')"]
    )
    definition = read_definition(workbook(sheets), "活动.xlsx")  # type: ignore[arg-type]
    values = computed_values(definition, record(("垃圾", "3", "ton"), ("宣传单", "200", "copy")), TODAY)
    assert [row["number"] for row in values["outputs"]] == ["第1项", "第2项"]  # type: ignore[index]
    two = record(("垃圾", "3", "ton"), ("宣传单", "200", "copy"))
    assert evaluate("indexed-repeat(${what}, ${outputs}, 2)", two, definition) == "宣传单"
    assert evaluate("indexed-repeat(${what}, ${outputs}, 3)", two, definition) == ""


def test_a_condition_outside_the_repeat_on_its_field_holds_when_any_row_meets_it() -> None:
    two = record(("垃圾", "3", "ton"), ("宣传单", "200", "copy"))
    assert evaluate("${qty} > 100", two, form()) is True
    assert evaluate("${qty} > 1000", two, form()) is False


def test_rows_where_reads_a_condition_in_each_row() -> None:
    two = record(("垃圾", "3", "ton"), ("宣传单", "200", "copy"), ("渣土", "2", "ton"))
    assert [row["what"] for row in rows_where("${unit} = 'ton'", two, form(), "qty", TODAY)] == [
        "垃圾",
        "渣土",
    ]
    assert [row["what"] for row in rows_where(". > 100", two, form(), "qty", TODAY)] == ["宣传单"]


def test_an_expression_in_a_repeat_is_checked_on_an_empty_row_when_the_form_is_loaded() -> None:
    definition = form()
    assert expression_error("${qty} * 2", definition, "tons") == ""
    assert "语法有误" in expression_error("${qty} * (", definition, "tons")


def test_a_repeats_relevant_that_cannot_be_read_is_reported_on_the_repeat_not_raised() -> None:
    sheets = campaign()
    sheets["survey"][4][6] = "regex('x', ${title})"  # the title is the pattern: "(" does not compile
    definition = read_definition(workbook(sheets), "活动.xlsx")  # type: ignore[arg-type]
    errors = check_record(definition, {**record(("垃圾", "3", "ton")), "title": "("}, TODAY)
    assert list(errors) == ["outputs"] and errors["outputs"].startswith("无法检查「产出」：")


def test_a_sum_over_the_rows_skips_an_empty_item_as_xpath_sum_skips_blanks() -> None:
    """`xpath.py`'s number rules: sum() skips a blank value, so an item whose 数量 is not filled in yet
    leaves the total of the others (not "", as the first evaluation over repeats gave)."""
    values = record(("垃圾", "3", "ton"), ("渣土", "", "ton"), ("宣传单", "200", "copy"))
    computed = computed_values(form(), values, TODAY)
    assert [row["tons"] for row in computed["outputs"]] == ["3", "", "0"]  # type: ignore[index]
    assert computed["total_tons"] == "3"
    assert evaluate("sum(${qty})", values, form()) == 203.0
    assert evaluate("count-non-empty(${qty})", values, form()) == 2.0


def test_position_and_indexed_repeat_are_in_the_library_and_want_nodes() -> None:
    definition = form()
    assert expression_error("position(..) = 1", definition, "qty") == ""
    assert expression_error("indexed-repeat(${what}, ${outputs}, 1) != ''", definition, "title") == ""
    assert "position()的参数须指向重复组的一项" in expression_error("position('a') = 1", definition, "qty")
    assert "须有3个参数" in expression_error("indexed-repeat(${what}, ${outputs})", definition, "title")
