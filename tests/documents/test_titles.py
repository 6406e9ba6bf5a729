"""A title longer than a line breaks where its sense breaks, into lines of 梯形 or 菱形 shape, never
inside a word or a number and never leaving one character alone (GB/T 9704-2012 7.3.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.documents.titles import characters_per_line, text_width, title_lines

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_titles() -> list[str]:
    """Each real report's title: its first line that names a 工作总结 (the web page's chrome comes first)."""
    titles = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        titles.append(next(line for line in lines if "工作总结" in line))
    return titles


def test_a_22pt_title_line_holds_20_characters_of_the_156_mm_type_area() -> None:
    assert characters_per_line(22) == 20  # 442.2 pt ÷ 21.75 pt (22 pt less the body's 0.25 pt)
    assert characters_per_line(16) == 28  # the body's 28 characters a line, the same way


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        # the case: never "…下半年工作 / 计划"
        ("示范镇2026年上半年工作总结暨下半年工作计划", ["示范镇2026年上半年工作总结", "暨下半年工作计划"]),
        ("示范镇2026年上半年工作总结及下半年工作计划", ["示范镇2026年上半年工作总结", "及下半年工作计划"]),
        ("城关镇2026年1-8月工作总结及下一步工作计划", ["城关镇2026年1-8月工作总结", "及下一步工作计划"]),
        (
            "中共示范镇委员会示范镇人民政府关于2026年上半年工作情况的报告",
            ["中共示范镇委员会示范镇人民政府", "关于2026年上半年工作情况的报告"],
        ),
        (
            "示范镇人民政府关于进一步加强安全生产隐患排查整治工作的通知",
            ["示范镇人民政府关于进一步", "加强安全生产隐患排查整治工作的通知"],
        ),
        ("示范镇2026年度工作总结及2027年工作计划", ["示范镇2026年度工作总结及2027年工作计划"]),  # 19 wide
        ("安全生产隐患整改通知书", ["安全生产隐患整改通知书"]),
    ],
)
def test_titles_of_zhenwus_reports_and_notices_break_at_their_sense_boundaries(
    title: str, lines: list[str]
) -> None:
    assert title_lines(title) == lines


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_the_real_reports_titles_break_before_their_conjunction_longer_line_first() -> None:
    broken = {title: title_lines(title) for title in corpus_titles()}
    assert broken == {
        "乡镇2024年上半年城乡治理工作总结及下半年工作计划": [
            "乡镇2024年上半年城乡治理工作总结",
            "及下半年工作计划",
        ],
        # 20 characters would fill the line from edge to edge: a title leaves room, so it breaks too
        "乡镇2022年第一季度工作总结和第二季度工作计划": ["乡镇2022年第一季度工作总结", "和第二季度工作计划"],
    }


def test_a_line_that_would_fill_the_type_area_is_broken() -> None:
    title = "示范镇二〇二六年上半年工作总结及下步计划"  # 20 characters
    assert text_width(title) == 20 and len(title_lines(title)) == 2


def test_a_number_with_its_year_or_month_stays_on_one_line() -> None:
    # the only breaks that fit the line fall in or next to 2026年; the number stays whole
    lines = title_lines("示范镇示范镇示范镇示范镇示范镇2026年度工作总结")
    assert not any(line.endswith(("20", "202")) or line.startswith(("26", "6年", "年")) for line in lines)
    assert any("2026年" in line for line in lines)


title_text = st.text(
    alphabet="示范镇年月工作总结计划及和关于的报告一二三四上下半安全生产0123456789-、", max_size=60
)


@given(title_text)
def test_any_title_comes_back_whole_in_lines_that_fit_with_no_character_alone(title: str) -> None:
    lines = title_lines(title)
    assert "".join(lines) == title
    if len(lines) > 1:
        assert all(text_width(line) <= characters_per_line() - 1 for line in lines)
        assert all(len(line) >= 2 for line in lines)
