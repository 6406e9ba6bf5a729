"""A register's 主要做法 sentences (`methods:<name>` rows of its zhenwu sheet): what is kept, what is refused
naming sheet, row and column, and how a sentence reads when some of its figures are nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.registers.workbooks import Rows, lamps, patrol, workbook
from zhenwu.registers.definition import DefinitionError, MethodSpec, read_definition
from zhenwu.registers.figures import method_pieces


def read_with(sheets: dict[str, Rows], *rows: list[object]):  # type: ignore[no-untyped-def]
    sheets["zhenwu"].extend(list(row) for row in rows)
    return read_definition(workbook(sheets), "台账.xlsx")


def refusal(sheets: dict[str, Rows], *rows: list[object]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read_with(sheets, *rows)
    return caught.value.messages


def test_a_patrol_declares_its_sentence_with_the_work_it_belongs_to() -> None:
    definition = read_with(
        patrol(),
        ["methods:patrols", "基层治理 | 巡查路灯{patrols}，涉及路灯{lamps_patrolled}。"],
        ["methods:plain", "开展巡查{patrols}"],
    )
    assert definition.methods == (
        MethodSpec("patrols", "基层治理", "巡查路灯{patrols}，涉及路灯{lamps_patrolled}。"),
        MethodSpec("plain", "", "开展巡查{patrols}"),
    )
    assert definition.methods[0].parts == ["巡查路灯", "patrols", "，涉及路灯", "lamps_patrolled", "。"]


# The patrol's zhenwu sheet has four rows: the sentence is on row 5.
BAD: dict[str, tuple[Callable[[], dict[str, Rows]], str, str]] = {
    "a figure not declared": (
        patrol,
        "巡查路灯{patrols}，维修{repairs}",
        "zhenwu表第5行「value」列：句式“s”引用的指标“repairs”未设置（figure:repairs），"
        "可用的指标：patrols、lamps_patrolled。",
    ),
    "no figure at all": (
        patrol,
        "安全生产 | 坚持日巡查制度",
        "zhenwu表第5行「value」列：句式“s”须至少引用一个指标，如 {inspections}：主要做法写有数字的工作。",
    ),
    "an unpaired brace": (
        patrol,
        "巡查路灯{patrols，涉及{lamps_patrolled}",
        "zhenwu表第5行「value」列：句式“s”的花括号须成对，括号内只写指标名，如 {inspections}。",
    ),
    "four parts": (
        patrol,
        "安全生产 | 巡查 | {patrols} | 次",
        "zhenwu表第5行「value」列：主要做法句式须写作“工作 | 筛选条件 | 句式”（工作和筛选条件可省略），"
        "如：安全生产 | ${place_type} = 'hazchem' | 检查危化场所{inspections}。",
    ),
    "an empty sentence": (
        patrol,
        "安全生产 | ",
        "zhenwu表第5行「value」列：主要做法句式须写作“工作 | 筛选条件 | 句式”（工作和筛选条件可省略），"
        "如：安全生产 | ${place_type} = 'hazchem' | 检查危化场所{inspections}。",
    ),
    "a register of things": (
        lambda: lamps(),
        "路灯{lamps}",
        "zhenwu表第6行「value」列："
        "只有工作记录台账（kind = activity）才能设置主要做法句式：句式写开展的工作。",
    ),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_sentence_is_refused_naming_sheet_row_and_column(kind: str) -> None:
    sheets, value, message = BAD[kind]
    assert refusal(sheets(), ["methods:s", value]) == [message]


def test_a_sentence_key_without_a_name_is_refused() -> None:
    assert refusal(patrol(), ["methods:", "{patrols}"]) == [
        "zhenwu表第5行「value」列：主要做法句式须写作“工作 | 筛选条件 | 句式”（工作和筛选条件可省略），"
        "如：安全生产 | ${place_type} = 'hazchem' | 检查危化场所{inspections}。"
    ]


SENTENCE = MethodSpec(
    "s", "安全生产", "检查场所{a}，其中危化场所{b}、加油站{c}，排查隐患{d}，下达整改通知书。"
)


def test_a_sentence_reads_every_clause_when_every_figure_has_a_value() -> None:
    values = {"a": "12家次", "b": "3家次", "c": "1家次", "d": "5项"}
    assert "".join(method_pieces(SENTENCE, values)) == (
        "检查场所12家次，其中危化场所3家次、加油站1家次，排查隐患5项，下达整改通知书"
    )


def test_a_clause_whose_figure_is_nothing_is_left_out_with_its_separator() -> None:
    assert (
        "".join(method_pieces(SENTENCE, {"a": "12家次", "c": "1家次"}))
        == "检查场所12家次、加油站1家次，下达整改通知书"
    )
    assert "".join(method_pieces(SENTENCE, {"d": "5项"})) == "排查隐患5项，下达整改通知书"


def test_a_sentence_with_no_figure_left_is_not_said() -> None:
    assert method_pieces(SENTENCE, {}) == []


def test_the_values_are_placed_as_they_are_given() -> None:
    value = object()
    assert method_pieces(MethodSpec("s", "", "开展活动{a}"), {"a": value}) == ["开展活动", value]


def test_a_sentence_may_count_only_the_records_its_filter_keeps() -> None:
    definition = read_with(
        patrol(), ["methods:broken", "基层治理 | ${status} = 'broken' | 发现故障路灯{patrols}"]
    )
    assert definition.methods == (
        MethodSpec("broken", "基层治理", "发现故障路灯{patrols}", "${status} = 'broken'"),
    )


def test_a_sentence_with_a_broken_filter_is_refused_at_its_row() -> None:
    assert refusal(
        patrol(), ["methods:broken", "基层治理 | ${status = 'broken' | 发现故障路灯{patrols}"]
    ) == [
        "zhenwu表第5行「value」列：句式“broken”的筛选条件表达式“${status = 'broken'”语法有误，"
        "请检查括号、引号和运算符是否配对。"
    ]
