"""Text extracted from a PDF: spaces around numbers and words, lines wrapped at the page edge.

The reader must find the same figures, values and subjects in "完成财税收入 1687 万元" as in
"完成财税收入1687万元", while a space between two numbers ("120 360") still separates them, and
offsets still point into the original text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reader.helpers import figures, only
from zhenwu.reader import Figure, analyse, read_file
from zhenwu.reader.clean import JOINER, make_view

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SECOND_REPORT = CORPUS / "002_8a07943ded75fe7b.txt"

# A paragraph of the second corpus report, as its web page printed it.
PARAGRAPH = (
    "一是招商引资成果丰硕。今年先后招引了万亿全屋智能家居和华邦保和2个项目,总投资3.6亿元,"
    "仅与襄城区接壤的xxx片区就已落户投资亿元以上的项目10个。二是经济实力稳步提升。"
    "预计一季度完成固定资产投资4.9个亿,同比增长28%;完成社会消费品零售总额2.55亿元,同比增长16.9%;"
    "完成规上工业产值1.28亿元,同比增长17.4%;完成一般预算收入350万元。三是重点项目稳步推进。"
    "目前我镇在库项目15个,规上企业9家,已全部开工;正在培育的规上工业企业2家(森财木业、睿新鹏电子),"
    "重点服务业企业1家。全镇共有脱贫户269户,种植茶叶6000余亩,新修道路2000余米,"
    "发放各类补助资金29万元,完成财税收入1687万元,同比增长12.5%。"
)


def pdf_like(text: str, width: int = 28) -> str:
    """The text as a PDF extractor gives it: a space either side of every number, and each
    paragraph broken into lines of `width` characters."""
    spaced = re.sub(r" ?(\d+(?:[.,]\d+)*) ?", r" \1 ", text)
    lines: list[str] = []
    for paragraph in spaced.split("\n"):
        paragraph = paragraph.strip(" ")
        lines.extend(paragraph[i : i + width] for i in range(0, max(len(paragraph), 1), width))
    return "\n".join(lines)


def reading(found: list[Figure]) -> list[tuple[Decimal | None, str | None, str, str | None]]:
    """What a figure says, apart from how it is spaced: value, unit, kind and subject."""
    return [(f.value, f.unit, f.kind, f.subject) for f in found]


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "subject"),
    [
        ("完成财税收入 1687 万元。", Decimal(16870000), "元", "财税收入"),
        ("发放 各类补助资金 29 万元。", Decimal(290000), "元", "各类补助资金"),
        ("新修道路 2000 余米。", Decimal(2000), "米", "道路"),
        ("种植茶叶 6000 余亩。", Decimal(6000), "亩", "茶叶"),
        ("全镇共有脱贫户\n269户。", Decimal(269), "户", "脱贫户"),
        ("全镇共有脱贫户\n269 户。", Decimal(269), "户", "脱贫户"),
    ],
)
def test_a_figure_spaced_or_wrapped_by_a_pdf_keeps_its_value_unit_and_subject(
    sentence: str, value: Decimal, unit: str, subject: str
) -> None:
    figure = only(sentence)
    assert (figure.value, figure.unit, figure.subject) == (value, unit, subject)
    assert sentence[figure.start : figure.end] == figure.text


def test_an_approximation_written_apart_from_its_number_is_still_approximate() -> None:
    road, tea = figures("新修道路 2000 余米，种植茶叶 6000 余亩。")
    assert (road.text, road.approx_mode) == ("2000 余米", "up")
    assert (tea.text, tea.approx_mode) == ("6000 余亩", "up")


def test_a_number_wrapped_inside_its_decimals_is_one_number() -> None:
    # "822." at the start of the line is not a list number "822、"
    figure = only("产奶 1\n822.23 吨。")
    assert (figure.value, figure.unit, figure.subject) == (Decimal("1822230"), "kg", "产奶")


def test_a_spaced_growth_is_a_growth_of_the_figure_before_it() -> None:
    amount, growth = figures("全年完成财税收入 1687 万元，同比增长 12.5 %。")
    assert (growth.kind, growth.value, growth.unit) == ("growth", Decimal("12.5"), "%")
    assert growth.subject == amount.subject == "财税收入"


def test_a_spaced_decrease_is_negative_and_a_spaced_rate_is_a_rate() -> None:
    down = figures("一般预算收入 350 万元，同比下降 3.2 %。")[1]
    assert (down.kind, down.value) == ("growth", Decimal("-3.2"))
    assert only("重大安全隐患整改率 95 %。").kind == "rate"


def test_a_spaced_ordinal_or_approximation_word_still_applies() -> None:
    assert [f.text for f in figures("排名第 3 名，共 120 户。")] == ["120 户"]
    assert only("约 200 人参加。").approx_mode == "around"
    assert only("新增就业 近 300 人。").approx_mode == "down"


def test_a_measure_word_spaced_from_its_noun_still_names_it() -> None:
    assert only("今年先后招引了 2 个 项目。").subject == "项目"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022 2023 年度对比", []),
        ("分别为 120 360 户。", ["360 户"]),
        ("张家村 120 户 360 人。", ["120 户", "360 人"]),
        ("全镇 1 2 3 个村。", ["3 个"]),
        ("完成 1687 万元 2023 年目标。", ["1687 万元"]),
    ],
)
def test_numbers_separated_by_a_space_stay_separate_numbers(text: str, expected: list[str]) -> None:
    assert [f.text for f in figures(text)] == expected


def test_a_space_between_two_numbers_is_never_joined_in_the_view() -> None:
    text = "120 360 户"
    assert make_view(text)[3] == " "


def test_a_space_inside_a_phrase_becomes_a_joiner_of_the_same_length() -> None:
    text = "发放 各类补助资金 29 万元"
    view = make_view(text)
    assert len(view) == len(text)
    assert view[2] == view[9] == view[12] == JOINER


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("一、 经济发展", 2),  # after a heading mark
        ("（一） 主要经济指标", 4),
        ("1 人口情况\n", 1),  # a bare heading number
        ("户数  120", 2),  # two spaces: a table's column gap
        ("Annual report", 6),  # words of a Latin script
    ],
)
def test_a_space_outside_a_phrase_stays_a_space(text: str, kept: int) -> None:
    assert make_view(text)[kept] == text[kept]


def test_indentation_and_blank_lines_still_end_paragraphs() -> None:
    indented = "全镇共有脱贫户\n\u3000\u3000269户。"
    assert make_view(indented)[7] == "\n"
    blank = "全镇共有脱贫户\n\n269户。"
    assert make_view(blank)[7:9] == "\n\n"
    heading = "二、脱贫攻坚\n269户脱贫。"
    assert make_view(heading)[6] == "\n"
    padded = "二、全镇经济发展和脱贫攻坚工作情况                    \n全镇共有脱贫户269户。"
    assert make_view(padded)[padded.index("\n")] == "\n"


def test_a_full_line_ending_in_a_pdf_space_is_wrapped() -> None:
    line = "今年以来，全镇上下齐心协力，工作稳步推进，完成财税收入 "
    assert len(line) == 28
    text = line + "\n1687 万元。"
    assert make_view(text)[28] == JOINER
    assert only(text).subject == "财税收入"


def test_a_short_line_before_a_figure_is_wrapped_but_not_before_a_year() -> None:
    assert make_view("全镇共有脱贫户\n269户。")[7] == JOINER
    assert make_view("某镇上半年工作总结\n2023年以来，全镇共有脱贫户269户。")[9] == "\n"


def test_a_whole_paragraph_with_pdf_spacing_reads_like_the_original() -> None:
    spaced = pdf_like(PARAGRAPH)
    assert spaced != PARAGRAPH and "\n" in spaced
    original, pdf = analyse(PARAGRAPH), analyse(spaced)
    assert reading(pdf.figures) == reading(original.figures)
    assert [f.subject for f in pdf.figures if f.value in (16870000, 290000, 269)] == [
        "脱贫户",
        "各类补助资金",
        "财税收入",
    ]
    for figure in pdf.figures:
        assert spaced[figure.start : figure.end] == figure.text


def test_a_whole_paragraph_with_pdf_spacing_raises_no_new_finding() -> None:
    original, pdf = analyse(PARAGRAPH), analyse(pdf_like(PARAGRAPH))
    assert [(f.rule, f.severity) for f in pdf.findings] == [(f.rule, f.severity) for f in original.findings]


@pytest.mark.skipif(not SECOND_REPORT.is_file(), reason=f"corpus not found at {CORPUS}")
def test_the_start_of_a_real_report_made_pdf_like_gives_the_same_figures_and_subjects() -> None:
    text = read_file(SECOND_REPORT)[:1500]
    spaced = pdf_like(text)
    original, pdf = analyse(text), analyse(spaced)
    assert len(original.figures) >= 20
    assert [(f.value, f.subject) for f in pdf.figures] == [(f.value, f.subject) for f in original.figures]
    assert [f.severity for f in pdf.findings if f.severity == "error"] == []


NAMED = ["完成财税收入", "发放各类补助资金", "新修道路", "种植茶叶", "共有脱贫户", "完成固定资产投资"]
UNITS = ["万元", "亿元", "余米", "余亩", "户", "个", "吨"]
clause = st.tuples(
    st.sampled_from(NAMED),
    st.decimals(min_value=1, max_value=99999, places=1).map(lambda d: f"{d.normalize():f}"),
    st.sampled_from(UNITS),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=99, places=1).map(lambda d: f"{d:f}")),
)


def _paragraph(clauses: list[tuple[str, str, str, str | None]]) -> str:
    parts = []
    for named, number, unit, growth in clauses:
        parts.append(f"{named}{number}{unit}" + (f"，同比增长{growth}%" if growth is not None else ""))
    return "全年" + "；".join(parts) + "。"


@settings(max_examples=200, deadline=None)
@given(st.lists(clause, min_size=1, max_size=6), st.integers(min_value=28, max_value=40))
def test_any_paragraph_with_pdf_spacing_and_wrapping_reads_like_the_original(
    clauses: list[tuple[str, str, str, str | None]], width: int
) -> None:
    text = _paragraph(clauses)
    spaced = pdf_like(text, width)
    assert reading(analyse(spaced).figures) == reading(analyse(text).figures)
