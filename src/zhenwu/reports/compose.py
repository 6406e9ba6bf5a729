"""Compose a work report from figures the other apps' services computed.

No queries here: `ReportFigures` carries what `services.gather` loaded, and `compose` turns it into a
`Document` in the wording township reports use. Every number is a `Figure` with its computation and
sources, so the preview can link it and a returned draft can be compared back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zhenwu.core.numbers import (
    format_count,
    format_fixed,
    format_growth,
    format_money,
    format_percent,
    format_plain,
    format_points,
)
from zhenwu.core.progress import Status
from zhenwu.documents.model import Attachment, Document, Figure, Piece, Source, Style, Table

from .kinds import ENTRY_DEADLINE_DAY, ReportSpec

if TYPE_CHECKING:
    from zhenwu.cases.services import FigureReport
    from zhenwu.households.services import HouseholdCount, Money, SubsidyFigure
    from zhenwu.indicators.services import ProgressRow
    from zhenwu.projects.services import ProjectCounts, ReviewLine
    from zhenwu.registers.figures import RegisterLine

    from .catalogue import Gathered
    from .methods import Overdue

# A report's arrangement of 工作成效: sub-section code -> the catalogue entry keys it prints, in order.
Outline = dict[str, list[str]]

MONEY_UNITS = {"亿元": Decimal(10) ** 8, "万元": Decimal(10) ** 4}
STAGE_LABELS = {
    "planned": "谋划",
    "signed": "签约",
    "started": "开工",
    "under_construction": "在建",
    "completed": "竣工",
    "in_production": "投产",
}
SECTIONS = ("highlights", "methods", "problems", "plans")
INDICATOR_TABLE = "主要经济指标完成情况表"


@dataclass(frozen=True)
class Entry:
    """A narrative entry an office wrote for the period, as the compiler chose it."""

    id: int
    section: str  # highlights | methods | problems | plans
    title: str
    text: str
    office: str = ""
    subsection: str = ""  # where the compiler placed it in 工作成效 ("" = 其他重点工作)


@dataclass(frozen=True)
class Coming:
    """A milestone due in the coming span."""

    project_id: int
    project: str
    milestone: str
    planned: date


@dataclass
class ReportFigures:
    spec: ReportSpec
    unit_name: str
    unit_code: str
    indicators: list[ProgressRow] = field(default_factory=list)
    projects: ProjectCounts | None = None
    review: list[ReviewLine] = field(default_factory=list)
    coming: list[Coming] = field(default_factory=list)
    cases: FigureReport | None = None
    new_monitored: HouseholdCount | None = None
    eliminated: HouseholdCount | None = None
    monitored: HouseholdCount | None = None  # under monitoring at the span's end (or the report's day)
    benefits: list[tuple[str, str, Money]] = field(default_factory=list)  # (kind, label, money)
    subsidies: list[tuple[int, str, SubsidyFigure]] = field(default_factory=list)  # (batch id, name, fig)
    entries: list[Entry] = field(default_factory=list)
    registers: list[RegisterLine] = field(default_factory=list)  # each register's figures, as stated
    more: Gathered | None = None  # the catalogue's other figures (catalogue.Gathered)
    overdue: Overdue | None = None  # what is late beside warnings and the review (reports/methods.py)


def chinese_ordinal(n: int) -> str:
    """一, 二 … 十, 十一 … 九十九: the counting words of headings (（一）) and of “一是……二是……”."""
    digits = "零一二三四五六七八九"
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def date_words(day: date, year: bool = True) -> str:
    """'2026年12月2日': Arabic numerals without leading zeros, as GB/T 9704-2012 writes 成文日期."""
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


# --- figures ------------------------------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    return format_plain(value)


def quantity_text(value: Decimal, unit: str, places: int | None = None) -> str:
    """An indicator's value as a report writes it: money in 万元/亿元, rates in % (at `places` decimals,
    the indicator's own, when given: 96.77%), else a count."""
    if unit in MONEY_UNITS:
        return format_money(value * MONEY_UNITS[unit])
    if unit == "%":
        return format_percent(value) if places is None else f"{format_fixed(value, places)}%"
    return format_count(value, unit)


def _indicator_source(row: ProgressRow, code: str) -> Source:
    n = len(row.sources)
    return Source(
        f"{row.indicator.name}：{n}条填报值与全年任务",
        "indicators:indicator-detail",
        (row.indicator.pk,),
        (("org", code), ("period", row.period.key)),
    )


def indicator_pieces(row: ProgressRow, code: str) -> list[Piece]:
    """'固定资产投资完成4.90亿元，占全年任务的52.1%，同比增长28.0%，超序时进度2.1个百分点'.

    Each figure is the one the indicator pages show (`Progress`'s shown values): the gap is the
    difference of the two percentages as printed."""
    indicator, progress = row.indicator, row.progress
    actual_value = progress.shown_actual
    assert actual_value is not None
    source = (_indicator_source(row, code),)
    key = f"indicator:{indicator.code}"
    unit = indicator.unit
    year_to = _year_to(row.period)
    bound = measure_key(indicator.source, indicator.source_option, *year_to) if indicator.source else ""
    partial = f"，{row.missing_words()}未报" if row.partial else ""
    # A rate is stated at the decimals the indicator declares (96.77% is not 96.8%); other shares
    # the report computes keep one decimal.
    places = indicator.decimals if indicator.is_rate else None
    actual = Figure(
        quantity_text(actual_value, unit, places),
        actual_value,
        f"{row.period.full_label}累计值{_plain(actual_value)}{unit}"
        + (f"(各村汇总{partial})" if row.rolled_up else ""),
        source,
        f"{key}:actual",
        bound,
    )
    not_all = [f"（{row.missing_words()}未报，合计不全）"] if row.partial else []
    if indicator.is_rate:
        pieces: list[Piece] = [indicator.name, "达", actual, *not_all]
        if progress.yoy_percent is not None:
            same = format_points(progress.yoy_percent) == "持平"
            pieces += [
                "，与去年同期" if same else "，比去年同期",
                _points_figure(progress.yoy_percent, progress, unit, source, key),
            ]
        return pieces
    lower = indicator.direction == "lower"
    verb = "完成" if indicator.kind == "cumulative" else "达"
    pieces = [indicator.name, actual] if lower else [indicator.name, verb, actual]
    pieces += not_all
    if not lower and progress.completion_percent is not None and progress.target:
        share = progress.completion_percent
        how = f"{_plain(actual_value)} ÷ 全年任务{_plain(progress.target)}{unit}"
        pieces += ["，占全年任务的", Figure(format_percent(share), share, how, source, f"{key}:completion")]
    if progress.yoy_percent is not None and progress.last_year:
        growth = progress.yoy_percent
        last_year = progress.shown_last_year or progress.last_year
        how = f"{_plain(actual_value)} ÷ 去年同期{_plain(last_year)}{unit} − 1"
        pieces += ["，", Figure(format_growth(growth), growth, how, source, f"{key}:yoy")]
    if not lower and progress.gap_points is not None and progress.time_progress_percent is not None:
        points = progress.gap_points
        done, due = progress.completion_percent, progress.time_progress_percent
        how = f"完成率{format_percent(done)} − 序时进度{format_percent(due)}"
        if not points:
            pieces += ["，与序时进度持平"]
        else:
            words = "超序时进度" if points > 0 else "低于序时进度"
            text = f"{format_fixed(abs(points), 1)}个百分点"
            pieces += ["，", words, Figure(text, points, how, source, f"{key}:gap")]
    return pieces


def _points_figure(change: Decimal, progress: Any, unit: str, source: tuple[Source, ...], key: str) -> Figure:
    how = f"{_plain(progress.shown_actual)}{unit} − 去年同期{_plain(progress.shown_last_year)}{unit}"
    return Figure(format_points(change), change, how, source, f"{key}:yoy")


def count_figure(
    n: int, measure: str, how: str, sources: tuple[Source, ...], key: str, measure_key: str = ""
) -> Figure:
    return Figure(format_count(n, measure), Decimal(n), how, sources, key, measure_key)


def money_figure(
    yuan: Decimal, how: str, sources: tuple[Source, ...], key: str, measure_key: str = ""
) -> Figure:
    return Figure(format_money(yuan), yuan, how, sources, key, measure_key)


def measure_key(source: str, option: str, start: date, end: date) -> str:
    """The name two figures of one measure share: what they count, narrowed how, over which days."""
    return f"{source}:{option}@{start.isoformat()}..{end.isoformat()}"


def _year_to(period: Any) -> tuple[date, date]:
    return date(period.year, 1, 1), period.end_date()


def rate_figure(rate: Decimal, how: str, sources: tuple[Source, ...], key: str) -> Figure:
    return Figure(format_percent(rate), rate, how, sources, key)


def _join(parts: Sequence[list[Piece]], separator: str = "；", end: str = "。") -> list[Piece]:
    pieces: list[Piece] = []
    for n, part in enumerate(parts):
        if n:
            pieces.append(separator)
        pieces += part
    return [*pieces, end] if pieces else []


# --- the document -------------------------------------------------------------------------------------


def compose(
    figures: ReportFigures, outline: Outline | None = None, leads: dict[str, str] | None = None
) -> Document:
    """The report; 工作成效 prints the catalogue entries `outline` names per sub-section (code -> entry
    keys, in order), the default outline (every entry with a value) when none is given, each sub-section
    opening with the compiler's lead sentence (`leads`, code -> sentence) when it has one."""
    spec = figures.spec
    document = Document(spec.title(figures.unit_name))
    _opening(document, figures)
    _cut_off(document, figures)
    document.add(Style.HEADING1, "一、工作成效")
    _results(document, figures, outline, leads or {})
    document.add(Style.HEADING1, "二、主要做法")
    _methods(document, figures)
    document.add(Style.HEADING1, "三、存在问题")
    _problems(document, figures)
    document.add(Style.HEADING1, f"四、{spec.next_words}工作计划")
    _plans(document, figures)
    _signature(document, figures)
    _indicator_table(document, figures)
    return document


def _reported(figures: ReportFigures) -> list[ProgressRow]:
    return [row for row in figures.indicators if row.progress.actual is not None]


def _opening(document: Document, figures: ReportFigures) -> None:
    spec, rows = figures.spec, _reported(figures)
    timed = [r for r in rows if r.status in (Status.AHEAD, Status.BEHIND)]
    ahead = [r for r in timed if r.status == Status.AHEAD]
    source = (
        Source(
            "指标完成情况",
            "indicators:dashboard",
            (),
            (("org", figures.unit_code), ("period", spec.period.key)),
        ),
    )
    pieces: list[Piece] = [
        f"{spec.span_words}，{figures.unit_name}围绕年度目标任务，统筹推进经济发展、项目建设、"
        "基层治理和民生保障各项工作，经济社会发展总体平稳。"
    ]
    if timed:
        tolerance = timed[0].tolerance_points
        pieces += [
            "按序时进度考核的",
            count_figure(len(timed), "项", "有全年任务的累计指标", source, "opening:timed"),
            "主要指标中，",
            count_figure(len(ahead), "项", "完成率不低于序时进度的指标", source, "opening:ahead"),
            "达到或超过序时进度"
            + (f"（落后不超过{format_plain(tolerance, 1)}个百分点的视为达到）" if tolerance else "")
            + "。",
        ]
    pieces += _not_counted(figures, source)
    document.add(Style.BODY, *pieces)


def _unreported(figures: ReportFigures) -> list[ProgressRow]:
    return [row for row in figures.indicators if row.progress.actual is None]


def _untargeted(figures: ReportFigures) -> list[ProgressRow]:
    """Reported indicators of a year's total with no annual target: nothing to pace them against."""
    return [r for r in _reported(figures) if r.indicator.kind == "cumulative" and not r.progress.target]


def _unreported_words(figures: ReportFigures) -> str:
    """'应报未报' once the month's values were due; before (January's, early in February) '尚未报送'."""
    spec = figures.spec
    due = spec.generated_on > spec.period.entry_deadline(ENTRY_DEADLINE_DAY)
    return "应报未报" if due else "尚未报送"


def _not_counted(figures: ReportFigures, source: tuple[Source, ...]) -> list[Piece]:
    """The indicators the count of 达到序时进度 leaves out, said so: those not reported (never read as
    on time) and those without an annual target."""
    pieces: list[Piece] = []
    missing, untargeted = _unreported(figures), _untargeted(figures)
    if missing:
        how = f"{figures.spec.period.label}无填报值的指标"
        pieces += [
            "另有",
            count_figure(len(missing), "项", how, source, "opening:unreported"),
            f"指标{_unreported_words(figures)}（{'、'.join(r.indicator.name for r in missing)}），未计入。",
        ]
    if untargeted:
        names = "、".join(r.indicator.name for r in untargeted)
        pieces += [
            "另有",
            count_figure(len(untargeted), "项", "无全年任务的累计指标", source, "opening:untargeted"),
            f"指标未下达全年任务（{names}），不按序时进度考核。",
        ]
    return pieces


def _cut_off(document: Document, figures: ReportFigures) -> None:
    """'（数据截至2026年12月2日，其中主要指标为1-10月数据。）' when the figures are not the whole span's:
    the span is not over, or its last month's indicator values were not yet all due."""
    spec = figures.spec
    parts = [f"数据截至{date_words(spec.generated_on)}"] if spec.in_progress else []
    if _reported(figures) and spec.period.end_date() != spec.end:
        parts.append(f"主要指标为{spec.indicator_words}数据")
    if parts:
        document.add(Style.BODY, f"（{'，其中'.join(parts)}。）")


def _results(
    document: Document,
    figures: ReportFigures,
    outline: Outline | None = None,
    leads: dict[str, str] | None = None,
) -> None:
    """一、工作成效: each sub-section prints the catalogue entries its outline names, in that order, after
    its lead sentence, then the entries the compiler placed there; a sub-section with neither figures nor
    entries has no heading. A figure of a measure stated already (an indicator bound to the same records)
    is not stated again."""
    from . import catalogue

    found = {item.key: item for item in catalogue.entries(figures)}
    outline = catalogue.default_outline(found.values()) if outline is None else outline
    leads = leads or {}
    stated: set[str] = set()
    number = 0
    for section, title in catalogue.SECTION_TITLES.items():
        chosen = [found[key] for key in outline.get(section, ()) if key in found]
        paragraphs = catalogue.paragraphs(chosen, stated)
        placed = [e for e in figures.entries if e.section == "highlights" and e.subsection == section]
        if not paragraphs and not placed:
            continue
        number += 1
        document.add(Style.HEADING2, f"（{chinese_ordinal(number)}）{title}")
        lead = _closed(leads.get(section, ""))
        if lead and paragraphs:
            paragraphs[0] = [lead, *paragraphs[0]]
        elif lead:
            document.add(Style.BODY, lead)
        for pieces in paragraphs:
            document.add(Style.BODY, *pieces)
        for entry in placed:
            document.add(Style.BODY, entry.text, lead=_entry_lead(entry.title))
    highlights = [
        e
        for e in figures.entries
        if e.section == "highlights" and e.subsection not in catalogue.SECTION_TITLES
    ]
    if highlights:
        number += 1
        document.add(Style.HEADING2, f"（{chinese_ordinal(number)}）其他重点工作")
        for entry in highlights:
            document.add(Style.BODY, entry.text, lead=_entry_lead(entry.title))
    _absent(document, figures, wrote=bool(number))


def _absent(document: Document, figures: ReportFigures, wrote: bool) -> None:
    """Nothing is left out unsaid: a part with no records says so, rather than vanish from the report."""
    absent = [
        what
        for what, present in (
            ("填报的指标", bool(figures.indicators)),
            ("登记的重点项目", figures.projects is not None and bool(figures.projects.by_stage)),
            ("受理的事件", figures.cases is not None and bool(figures.cases.total.received)),
            ("监测、救助和补贴记录", _has_livelihood(figures)),
        )
        if not present
    ]
    if not wrote:
        document.add(Style.BODY, f"（{figures.spec.span_words}尚无{'、'.join(absent)}，也无站所素材。）")
    elif absent:
        document.add(Style.BODY, f"（{figures.spec.span_words}暂无{'、'.join(absent)}，相应情况未列。）")


def _closed(sentence: str) -> str:
    """A compiler's sentence ending as a sentence does (they often leave the full stop off)."""
    sentence = sentence.strip()
    return sentence if not sentence or sentence[-1] in "。！？；：…”）" else f"{sentence}。"


def _entry_lead(title: str) -> str:
    title = title.strip().rstrip("。")
    return f"{title}。" if title else ""


def _name(name: str) -> str:
    """A name that ends in digits ("市长热线/12345") is quoted, or its count would run into them."""
    return f"“{name}”" if name[-1:].isdigit() else name


def _has_livelihood(figures: ReportFigures) -> bool:
    return bool(
        (figures.new_monitored and figures.new_monitored.households)
        or (figures.monitored and figures.monitored.households)
        or any(m.yuan for _, _, m in figures.benefits)
        or figures.subsidies
    )


def _methods(document: Document, figures: ReportFigures) -> None:
    from . import methods  # it builds on this module's sentences

    methods.methods(document, figures)


def _problems(document: Document, figures: ReportFigures) -> None:
    from . import methods

    methods.problems(document, figures)


def _no_problems(figures: ReportFigures) -> str:
    """What the absence of problems can say: values not reported are no proof of being on time, and
    indicators with nothing to pace them against are not called on time."""
    missing = _unreported(figures)
    if missing:
        first = f"{len(missing)}项指标{_unreported_words(figures)}，完成进度待数据报齐后研判"
    elif any(r.status == Status.AHEAD for r in figures.indicators):
        first = "本期按序时进度考核的指标均达到序时进度"
    else:
        first = "本期没有按序时进度考核的指标"
    has_projects = figures.projects is not None and figures.projects.by_stage
    return f"{first}；重点项目未出现滞后。" if has_projects else f"{first}。"


def _warning_list(items: list[tuple[ProgressRow, Any]], code: str) -> list[Piece]:
    pieces: list[Piece] = []
    for n, (row, warning) in enumerate(items):
        source = (_indicator_source(row, code),)
        pieces += [
            "；" if n else "",
            row.indicator.name,
            Figure(warning.message, None, "指标预警", source, f"warning:{row.indicator.code}:{warning.code}"),
        ]
    return pieces


def _plans(document: Document, figures: ReportFigures) -> None:
    from . import methods

    methods.plans(document, figures)


def _indicator_table(document: Document, figures: ReportFigures) -> None:
    """附件: every indicator of the report in a table, those not reported said so."""
    if not figures.indicators:
        return
    headers = ("序号", "指标", "单位", "全年任务", f"{figures.spec.period.label}完成", "占全年任务",
               "同比增减", "较序时进度(百分点)")  # fmt: skip
    rows = sorted(figures.indicators, key=lambda r: (r.indicator.position, r.indicator.code))
    cells = [
        (str(n), r.indicator.name, r.indicator.unit, *_indicator_cells(r)) for n, r in enumerate(rows, 1)
    ]
    document.attachments.append(Attachment(INDICATOR_TABLE, Table(headers, tuple(cells))))


def _indicator_cells(row: ProgressRow) -> tuple[str, str, str, str, str]:
    """全年任务, 完成, 占全年任务, 同比, 较序时进度: as the sentences state them, "—" where none applies."""
    progress, none = row.progress, "—"
    target = _plain(progress.target) if progress.target is not None else none
    if progress.shown_actual is None:
        return target, "未报", none, none, none
    higher = row.indicator.direction != "lower" and not row.indicator.is_rate
    share = progress.completion_percent if higher and progress.target else None
    yoy = progress.yoy_percent
    unit = "个百分点" if row.indicator.is_rate else "%"
    gap = progress.gap_points if higher else None
    return (
        target,
        _plain(progress.shown_actual),
        none if share is None else format_percent(share),
        none if yoy is None else f"{format_fixed(yoy, 1)}{unit}",
        none if gap is None else format_fixed(gap, 1),
    )


def _signature(document: Document, figures: ReportFigures) -> None:
    """署名 and 成文日期 (GB/T 9704-2012 7.3.5): the issuing unit, and the day the report was made."""
    document.add(Style.SIGNATURE, figures.unit_name)
    document.add(Style.SIGNATURE, date_words(figures.spec.generated_on))
