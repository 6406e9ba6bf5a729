"""How catalogue entries become 工作成效's sentences: a group's entries share a paragraph, and a clause
stating a measure already stated is left out, unless it holds parts that need it."""

from __future__ import annotations

from decimal import Decimal

from zhenwu.documents.model import Figure, Piece, Source
from zhenwu.reports.catalogue import entry, paragraphs

SOURCE = (Source("记录", "cases:case-list"),)


def figure(text: str, key: str, measure: str = "") -> Figure:
    return Figure(text, Decimal(text.rstrip("个件盏户人%")), "计算", SOURCE, key, measure)


def text(pieces: list[Piece]) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in pieces)


def test_entries_of_one_group_make_one_paragraph_with_the_groups_lead_said_once() -> None:
    lamps = entry(
        "lamps", "路灯", "rural", ["路灯总数", figure("211盏", "a")], group="g", group_lead="路灯台账："
    )
    broken = entry(
        "broken", "损坏", "rural", ["损坏路灯", figure("2盏", "b")], group="g", group_lead="路灯台账："
    )
    alone = entry("alone", "事件", "governance", ["受理", figure("5件", "c")], lead="网格事件")
    made = paragraphs([lamps, broken, alone], set())
    assert [text(p) for p in made] == ["路灯台账：路灯总数211盏，损坏路灯2盏。", "网格事件受理5件。"]


def test_a_clause_of_a_measure_already_stated_is_left_out_and_an_entry_of_nothing_else_is_dropped() -> None:
    stated = {"cases.resolution_rate:grid_event"}
    events = entry(
        "cases.type:grid_event", "网格事件", "governance",
        ["受理", figure("100件", "r")],
        ["办结率", figure("90%", "rate", "cases.resolution_rate:grid_event@2026-01-01..2026-06-30")],
        lead="网格事件",
    )  # fmt: skip
    only = entry(
        "new",
        "新增",
        "rural",
        ["新增监测对象", figure("8户", "h", "households.new_monitored@2026-01-01..2026-06-30")],
    )
    made = paragraphs([events, only], stated | {"households.new_monitored"})
    assert [text(p) for p in made] == ["网格事件受理100件。"]


def test_a_total_its_parts_need_is_kept_though_its_measure_was_stated() -> None:
    library = entry("projects.library", "项目库", "projects", [
        "重点项目共", figure("21个", "t", "projects.in_library@2026-01-01..2026-06-30"), "，其中谋划项目",
        figure("4个", "p"),
    ])  # fmt: skip
    made = paragraphs([library], {"projects.in_library"})
    assert [text(p) for p in made] == ["重点项目共21个，其中谋划项目4个。"]


def test_the_measures_an_entry_states_are_stated_for_the_entries_after_it() -> None:
    measure = "households.benefit_paid:dibao@2026-01-01..2026-06-30"
    first = entry("a", "低保金", "livelihood", ["发放低保金", figure("5件", "x", measure)])
    again = entry("b", "低保金", "livelihood", ["发放低保金", figure("5件", "y", measure)], group="other")
    stated: set[str] = set()
    assert [text(p) for p in paragraphs([first, again], stated)] == ["发放低保金5件。"]
    assert stated == {"households.benefit_paid:dibao"}
