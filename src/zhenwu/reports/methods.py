"""主要做法, 存在问题 and 下步计划: what was done, what is behind, and what comes next, from the records.

主要做法 states the activity registers' sentences ("开展爱国卫生活动12次，出动人员560人次，清理垃圾杂物
150.5吨"), grouped by the work each register declares, then the offices' chosen narrative entries. 存在问题
states the indicators' warnings, projects behind (the monthly review) and their overdue milestones, cases
past their deadline by type, hazards past their rectification deadline, households under monitoring not
visited, then the entries; 下步计划 the entries, then what those problems call for and the milestones due.
Nothing is left out silently: a list cut short says how many more there are, and a part with nothing to
state says why.

No queries: `Overdue` carries what `services.gather` loaded; every number is a `Figure` computed by the
app that owns it (registers/figures.py, cases, projects, households) and linked to its records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from zhenwu.documents.model import Document, Figure, Piece, Source, Style
from zhenwu.registers.definition import SECTIONS

from . import compose as c

if TYPE_CHECKING:
    from zhenwu.registers.figures import RegisterLine, Stated

    from .compose import Entry, ReportFigures

# The order of the works 主要做法 is arranged by: the report's sub-sections (a register's own section
# names them); a work not among them follows, in the order its registers come.
WORKS = tuple(SECTIONS.values())
HAZARD_TYPE = "hazard"  # the case type whose deadline is the rectification deadline
LISTED = 8  # projects or milestones named one by one; more are counted


@dataclass(frozen=True)
class LateMilestone:
    project_id: int
    project: str
    milestone: str
    planned: date


@dataclass
class Overdue:
    """What is late on the day the report is made, beside the indicators' warnings and the monthly
    review: overdue milestones, the case types (to tell hazards and to link a type's cases), and the
    households under monitoring not visited since `since`."""

    milestones: list[LateMilestone] = field(default_factory=list)
    case_types: dict[str, tuple[int, str]] = field(default_factory=dict)  # name -> (pk, code)
    since: date | None = None
    unvisited: int = 0


# --- 主要做法 ------------------------------------------------------------------------------------------


def methods(document: Document, figures: ReportFigures) -> None:
    """The registers' counted sentences by work, then the entries; the placeholder says why it is empty."""
    n = 0
    for work, sentences in _by_work(figures.registers):
        n += 1
        lead = f"在{work}方面，" if work else ""
        pieces: list[Piece] = [f"{c.chinese_ordinal(n)}是{lead}"]
        pieces += c._join([_sentence(line, pieces_, figures) for line, pieces_ in sentences])
        document.add(Style.BODY, *pieces)
    entries = [e for e in figures.entries if e.section == "methods"]
    for m, entry in enumerate(entries, start=n + 1):
        document.add(Style.BODY, f"{c.chinese_ordinal(m)}是{c._entry_lead(entry.title)}{entry.text.strip()}")
    if n or entries:
        return
    if any(line.declares_methods for line in figures.registers):
        why = f"{figures.spec.span_words}各活动台账没有登记开展的工作"
    else:
        why = "本单位的台账未设置主要做法句式"
    document.add(Style.BODY, f"（{why}，各站所也尚未填报本期主要做法。）")


def _by_work(lines: list[RegisterLine]) -> list[tuple[str, list[tuple[RegisterLine, tuple[object, ...]]]]]:
    grouped: dict[str, list[tuple[RegisterLine, tuple[object, ...]]]] = defaultdict(list)
    for line in lines:
        for sentence in line.methods:
            grouped[sentence.work].append((line, sentence.pieces))
    known = [w for w in WORKS if w in grouped]
    return [(w, grouped[w]) for w in [*known, *(w for w in grouped if w not in WORKS)]]


def _sentence(line: RegisterLine, pieces: Iterable[object], figures: ReportFigures) -> list[Piece]:
    return [p if isinstance(p, str) else _figure(line, p, figures) for p in pieces]  # type: ignore[arg-type]


def _figure(line: RegisterLine, stated: Stated, figures: ReportFigures) -> Figure:
    """A register's figure in a sentence, linked to its records, as `compose._register_parts` states one."""
    source = Source(f"{line.title}：{stated.label}", "registers:record-list", (line.form_id,), stated.query)
    measured = c.measure_key(stated.source, stated.option, figures.spec.start, figures.spec.until)
    return Figure(stated.text, stated.value, stated.how, (source,), f"methods:{stated.option}", measured)


# --- 存在问题 ------------------------------------------------------------------------------------------


def problems(document: Document, figures: ReportFigures) -> None:
    sentences: list[list[Piece]] = []
    warned = [(code, [(r, w) for r in figures.indicators for w in r.warnings if w.code in codes])
              for code, codes in (("behind", ("behind",)), ("yoy", ("yoy",)),
                                  ("missing", ("missing", "partial", "decrease")))]  # fmt: skip
    words = {
        "behind": "部分指标完成进度偏慢：",
        "yoy": "部分指标同比回落：",
        "missing": "部分数据报送不及时或需核实：",
    }
    for code, items in warned:
        if items:
            sentences.append([words[code], *c._warning_list(items, figures.unit_code)])
    unreported = c._unreported(figures)
    if unreported and not dict(warned)["missing"]:
        # values not reported are no proof of being on time: said even when no warning names them
        sentences.append([f"{len(unreported)}项指标{c._unreported_words(figures)}，完成进度待数据报齐后研判"])
    sentences += _projects_behind(figures)
    sentences += _cases_overdue(figures)
    sentences += _unvisited(figures)
    for entry in (e for e in figures.entries if e.section == "problems"):
        sentences.append(
            [c._entry_lead(entry.title).rstrip("。"), "。" if entry.title else "", entry.text.strip()]
        )
    for n, pieces in enumerate(sentences, start=1):
        end = "" if str(pieces[-1]).endswith("。") else "。"
        document.add(Style.BODY, f"{c.chinese_ordinal(n)}是", *pieces, end)
    if not sentences:
        # what the indicators can say (values not reported are no proof of being on time), then what
        # else was checked
        document.add(
            Style.BODY,
            c._no_problems(figures),
            "经对照项目月研判、事件办理期限、隐患整改时限和监测户走访情况，没有需要列出的问题，"
            "各站所也未填报存在问题。",
        )


def _projects_behind(figures: ReportFigures) -> list[list[Piece]]:
    """'部分项目推进滞后，逾期未完成的项目节点共3个，滞后项目情况如下：A：……；B：……': the monthly review's
    projects, and the overdue
    milestones of projects it does not review (谋划 projects)."""
    overdue = figures.overdue or Overdue()
    reviewed = {line.project.pk for line in figures.review}
    lines = [[line.project.name, "：", "；".join(line.reasons)] for line in figures.review]
    lines += [
        [m.project, "：", f"节点“{m.milestone}”计划{c.date_words(m.planned, False)}完成，已逾期"]
        for m in overdue.milestones
        if m.project_id not in reviewed
    ]
    if not lines:
        return []
    pieces: list[Piece] = ["部分项目推进滞后"]
    if overdue.milestones:
        pieces += ["，逾期未完成的项目节点共", _milestones_figure(overdue.milestones)]
    pieces += ["，滞后项目情况如下：", *c._join(lines[:LISTED], "；", "")]
    if len(lines) > LISTED:
        pieces.append(f"；另有{len(lines) - LISTED}个项目详见项目月研判")
    return [pieces]


def _milestones_figure(milestones: list[LateMilestone]) -> Figure:
    projects = dict.fromkeys((m.project_id, m.project) for m in milestones)
    sources = tuple(Source(name, "projects:project-detail", (pk,)) for pk, name in projects)
    how = "计划完成日期已过、尚未完成的项目节点（按报告生成日）"
    return c.count_figure(len(milestones), "个", how, sources, "problems:milestones_overdue")


def _cases_overdue(figures: ReportFigures) -> list[list[Piece]]:
    """'部分事件办理超期，目前仍有179件事件超期未办结，其中网格事件…': by type, the parts adding up to the
    whole; and the hazards past their rectification deadline on their own."""
    report = figures.cases
    if report is None or not report.total.overdue:
        return []
    overdue = figures.overdue or Overdue()
    pieces: list[Piece] = ["部分事件办理超期，目前仍有", overdue_figure(figures), "事件超期未办结"]
    types = [(name, f.overdue) for name, f in report.by_type if f.overdue]
    if len(types) > 1:
        pieces.append("，其中")
        for n, (name, count) in enumerate(sorted(types, key=lambda t: -t[1])):
            pieces += ["、" if n else "", c._name(name), _type_figure(figures, name, count)]
    sentences = [pieces]
    hazards = next(
        ((name, count) for name, count in types if overdue.case_types.get(name, (0, ""))[1] == HAZARD_TYPE),
        None,
    )
    if hazards is not None:
        sentences.append([
            "安全隐患整改不够及时，",
            _type_figure(figures, hazards[0], hazards[1], "处", "hazards"),
            "隐患已过整改时限仍未整改销号",
        ])  # fmt: skip
    return sentences


def overdue_figure(figures: ReportFigures) -> Figure:
    assert figures.cases is not None
    how = "未办结且已过办理期限的事件（按报告生成时）"
    return c.count_figure(figures.cases.total.overdue, "件", how, _overdue_source(figures), "cases:overdue")


def _overdue_source(figures: ReportFigures, type_name: str = "") -> tuple[Source, ...]:
    query: tuple[tuple[str, str], ...] = (("unit", figures.unit_code), ("overdue", "on"), ("counted", "on"))
    pk = (figures.overdue or Overdue()).case_types.get(type_name, (0, ""))[0]
    if pk:
        query = (*query, ("case_type", str(pk)))
    return (Source(f"超期未办结的{type_name or '事件'}", "cases:case-list", (), query),)


def _type_figure(figures: ReportFigures, name: str, count: int, unit: str = "件", key: str = "") -> Figure:
    how = f"{name}中未办结且已过办理期限的（按报告生成时）"
    return c.count_figure(count, unit, how, _overdue_source(figures, name), f"cases:overdue:{key or name}")


def _unvisited(figures: ReportFigures) -> list[list[Piece]]:
    overdue = figures.overdue
    if overdue is None or not overdue.unvisited or overdue.since is None:
        return []
    return [
        [
            "防返贫动态监测走访不够到位，",
            _unvisited_figure(figures),
            f"监测对象{c.date_words(overdue.since, False)}以来未走访",
        ]
    ]


def _unvisited_figure(figures: ReportFigures) -> Figure:
    overdue = figures.overdue
    assert overdue is not None and overdue.since is not None
    source = (Source("防返贫监测对象", "households:monitoring-list", (), (("org", figures.unit_code),)),)
    how = f"处于监测中、{c.date_words(overdue.since)}以来没有走访记录的监测户"
    return c.count_figure(overdue.unvisited, "户", how, source, "households:unvisited")


# --- 下步计划 ------------------------------------------------------------------------------------------


def plans(document: Document, figures: ReportFigures) -> None:
    """The compiler's entries, then what the problems call for, then the milestones due."""
    entries: list[Entry] = [e for e in figures.entries if e.section == "plans"]
    paragraphs: list[list[Piece]] = [[f"{c._entry_lead(e.title)}{e.text.strip()}"] for e in entries]
    behind = [r.indicator.name for r in figures.indicators for w in r.warnings if w.code == "behind"]
    if behind:
        names = "、".join(dict.fromkeys(behind))
        paragraphs.append([f"紧盯落后指标。对{names}逐项分析原因、制定追赶措施，力争尽快赶上序时进度。"])
    follow = _follow_ups(figures)
    if follow:
        paragraphs.append(["抓好问题整改。", *c._join(follow)])
    coming = _coming(figures)
    if coming:
        paragraphs.append(coming)
    for n, pieces in enumerate(paragraphs, start=1):
        document.add(Style.BODY, f"{c.chinese_ordinal(n)}是", *pieces)
    if not paragraphs:
        document.add(
            Style.BODY,
            "（各站所尚未填报下阶段工作计划，本期也没有需要跟进的落后指标、超期事件、逾期隐患和项目节点。）",
        )


def _follow_ups(figures: ReportFigures) -> list[list[Piece]]:
    overdue = figures.overdue or Overdue()
    parts: list[list[Piece]] = []
    if figures.cases is not None and figures.cases.total.overdue:
        parts.append(["对", overdue_figure(figures), "超期未办结事件逐件督办、限时销号"])
        hazards = [(name, f.overdue) for name, f in figures.cases.by_type
                   if f.overdue and overdue.case_types.get(name, (0, ""))[1] == HAZARD_TYPE]  # fmt: skip
        for name, count in hazards:
            parts.append(
                [
                    "督促",
                    _type_figure(figures, name, count, "处", "hazards"),
                    "逾期隐患限期整改，逐项复查销号",
                ]
            )
    if overdue.milestones:
        parts.append(["对", _milestones_figure(overdue.milestones), "逾期项目节点挂牌督办，倒排工期追赶进度"])
    if overdue.unvisited and overdue.since is not None:
        parts.append(["对", _unvisited_figure(figures), "未走访监测对象逐户走访核实，落实帮扶措施"])
    return parts


def _coming(figures: ReportFigures) -> list[Piece]:
    """'抓好重点项目节点。…确保A11月19日前完成“开工”，…': every milestone due, the first ones named."""
    if not figures.coming:
        return []
    # a date outside the year the plans are for (December's, in next year's plans) names its year
    plans_year = figures.spec.next_span[0].year
    items = [
        f"{m.project}{c.date_words(m.planned, m.planned.year != plans_year)}前完成“{m.milestone}”"
        for m in figures.coming[:LISTED]
    ]
    more = len(figures.coming) - LISTED
    rest = f"，另有{more}个节点按计划推进" if more > 0 else ""
    return ["抓好重点项目节点。倒排工期、挂图作战，确保" + "，".join(items) + rest + "。"]
