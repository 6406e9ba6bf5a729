"""The catalogue of figures: every figure zhenwu can state about a unit over a report's span, as a named
entry a report's outline picks by key.

An entry has a stable key ("cases.type:grid_event", "register:street_lamp:total"), a Chinese label, the
work sub-section it belongs to (经济指标 … 其他工作), and its default sentence in the wording township
reports use ("新增防返贫监测对象8户27人", "排查整治安全隐患405件"), made of clauses whose numbers are
`Figure`s with their computation and the pages of their records.

No queries here: `services.gather` calls the owning apps' services (and `registers.figures`) once, and
`entries` turns what they computed into entries, each figure computed in one place. An entry is listed only
when it has something to say (a count of nothing is no figure). `default_outline` orders every entry by
sub-section; the composer prints the entries an outline names, section by section.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zhenwu.core.numbers import format_count
from zhenwu.documents.model import Figure, Piece, Source
from zhenwu.registers.definition import SECTIONS

from .compose import (
    STAGE_LABELS,
    ReportFigures,
    _name,
    _year_to,
    count_figure,
    date_words,
    indicator_pieces,
    measure_key,
    money_figure,
    rate_figure,
)

if TYPE_CHECKING:
    from zhenwu.cases.services import FigureReport, Figures
    from zhenwu.households.services import HouseholdCount, TagCounts
    from zhenwu.indicators.services import ProgressRow
    from zhenwu.projects.services import ProblemFigures, ProjectInvestment

# The sub-sections of 工作成效, in the order a report gives them (code -> title).
SECTION_TITLES: dict[str, str] = dict(SECTIONS)

# Where an office's work is reported, by the standard office codes (a township's own codes fall to 其他).
OFFICE_SECTIONS = {
    "jfb": "economy",
    "czs": "economy",
    "nyb": "rural",
    "yjb": "safety",
    "zzzx": "governance",
    "mzb": "livelihood",
    "sbs": "livelihood",
    "shb": "livelihood",
    "dzb": "other",
}
# Case types by the work they are: hazards are safety's, project problems projects', the rest governance.
CASE_SECTIONS = {"hazard": "safety", "project_problem": "projects", "disclosure": "other"}
# Words of an indicator's name that file it with projects and investment whatever office keeps it.
PROJECT_WORDS = ("招商", "项目")
LEAD_LABELS = {"intent": "意向", "negotiating": "洽谈", "signed": "签约", "landed": "落地"}
CATEGORY_LABELS = {
    "industry": "产业",
    "infrastructure": "基础设施",
    "livelihood": "民生",
    "urban": "城建",
    "rural": "农业农村",
}
MONITORING_LABELS = {"unstable": "脱贫不稳定户", "marginal": "边缘易致贫户", "sudden": "突发严重困难户"}
BENEFIT_UNITS = {"dibao": "低保", "tekun": "特困供养"}


@dataclass
class Gathered:
    """What the catalogue needs beyond the report's first figures, as the owning apps' services made it."""

    cases: FigureReport | None = None  # as they stood at the end of the span
    case_types: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (code, pk)
    case_categories: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # name -> (code, type, pk)
    visits: dict[str, int] = field(default_factory=dict)  # grid workers' visits by target kind
    investments: list[ProjectInvestment] = field(default_factory=list)
    by_category: dict[str, list[ProjectInvestment]] = field(default_factory=dict)
    leads: dict[str, list[Any]] = field(default_factory=dict)  # stage -> leads, as they stood
    problems: ProblemFigures | None = None
    monitored: dict[str, HouseholdCount] = field(default_factory=dict)  # category -> count at the end
    monitoring_visits: int = 0
    tags: TagCounts | None = None
    in_force: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (kind, (户, 人)) at the end


@dataclass(frozen=True)
class CatalogueEntry:
    """One named figure (or a few that are said together) in its default sentence.

    The sentence is `lead` and the clauses joined by "，". A clause whose figure states a measure already
    stated earlier in the report is left out when composed (see `sentence`); entries of one `group`
    printed one after another make one paragraph, `group_lead` said once before them."""

    key: str
    label: str
    section: str
    clauses: tuple[tuple[Piece, ...], ...]
    lead: str = ""
    group: str = ""
    group_lead: str = ""
    joiner: str = "，"

    @property
    def figures(self) -> list[Figure]:
        return [p for clause in self.clauses for p in clause if isinstance(p, Figure)]

    def sentence(self, stated: set[str]) -> list[Piece]:
        """The entry's words without the clauses already stated (measure names without their span), and
        marks its own measures stated; [] when nothing is left."""
        kept = [clause for clause in self.clauses if not _restates(clause, stated)]
        if not kept:
            return []
        for clause in kept:
            stated |= _measures(clause)
        pieces: list[Piece] = [self.lead] if self.lead else []
        for n, clause in enumerate(kept):
            pieces += (["，"] if n else []) + list(clause)
        return pieces


def _restates(clause: Sequence[Piece], stated: set[str]) -> bool:
    """A clause states a measure already stated, and nothing else: a total its parts need ("共21个，其中
    谋划项目4个…") is kept with them."""
    figures = [p for p in clause if isinstance(p, Figure)]
    return bool(_measures(clause) & stated) and all(f.measure for f in figures)


def _measures(clause: Sequence[Piece]) -> set[str]:
    return {p.measure.split("@", 1)[0] for p in clause if isinstance(p, Figure) and p.measure}


def entry(
    key: str,
    label: str,
    section: str,
    *clauses: Sequence[Piece],
    lead: str = "",
    group: str = "",
    group_lead: str = "",
    joiner: str = "，",
) -> CatalogueEntry:
    return CatalogueEntry(
        key, label, section, tuple(tuple(c) for c in clauses), lead, group or key, group_lead, joiner
    )


# --- the catalogue ------------------------------------------------------------------------------------


def entries(figures: ReportFigures) -> list[CatalogueEntry]:
    """Every entry with a value for the report's unit and span, in the default order: by sub-section,
    indicators first, then the records' figures."""
    found = [
        *_indicators(figures),
        *_projects(figures),
        *_leads(figures),
        *_cases(figures),
        *_visits(figures),
        *_households(figures),
        *_benefits(figures),
        *_subsidies(figures),
        *_registers(figures),
    ]
    order = {section: n for n, section in enumerate(SECTION_TITLES)}
    return sorted(found, key=lambda e: order[e.section])  # stable: each section keeps the order above


def default_outline(found: Iterable[CatalogueEntry]) -> dict[str, list[str]]:
    """Each sub-section's entry keys, in the catalogue's order: the outline until a compiler arranges one."""
    outline: dict[str, list[str]] = {section: [] for section in SECTION_TITLES}
    for item in found:
        outline[item.section].append(item.key)
    return outline


def paragraphs(chosen: Sequence[CatalogueEntry], stated: set[str]) -> list[list[Piece]]:
    """The chosen entries as paragraphs: a run of one group's entries is one paragraph."""
    made: list[list[Piece]] = []
    group, current = "", []  # type: tuple[str, list[Piece]]
    for item in chosen:
        words = item.sentence(stated)
        if not words:
            continue
        if current and item.group == group:
            current += [item.joiner, *words]
            continue
        if current:
            made.append([*current, "。"])
        group, current = item.group, [item.group_lead, *words] if item.group_lead else list(words)
    if current:
        made.append([*current, "。"])
    return made


# --- indicators ---------------------------------------------------------------------------------------


def indicator_section(row: ProgressRow) -> str:
    """An indicator's sub-section: what it is bound to, else its name (招商, 项目), else its office."""
    indicator = row.indicator
    source, option = indicator.source or "", indicator.source_option or ""
    if source.startswith("projects."):
        return "projects"
    if source.startswith("cases."):
        return CASE_SECTIONS.get(option, "governance")
    if source.startswith("households.new_monitored"):
        return "rural"
    if source.startswith("households."):
        return "livelihood"
    if any(word in indicator.name for word in PROJECT_WORDS):
        return "projects"
    return OFFICE_SECTIONS.get(indicator.department.code, "other")


def _indicators(figures: ReportFigures) -> list[CatalogueEntry]:
    rows = [row for row in figures.indicators if row.progress.actual is not None]
    rows.sort(key=lambda r: (r.indicator.position, r.indicator.code))
    # Indicators are the year's to date: in a span that starts later (三季度, 7—8月) they say so, apart
    # from the span's own figures.
    spec = figures.spec
    lead = "" if spec.from_new_year else f"{spec.indicator_words}累计，"
    return [
        entry(
            f"indicator:{row.indicator.code}",
            row.indicator.name,
            indicator_section(row),
            indicator_pieces(row, figures.unit_code),
            group=f"indicators:{indicator_section(row)}:{row.indicator.department.name}",
            group_lead=lead,
            joiner="；",
        )
        for row in rows
    ]


# --- projects and investment leads --------------------------------------------------------------------


def _projects(figures: ReportFigures) -> list[CatalogueEntry]:
    counts, spec, more = figures.projects, figures.spec, figures.more or Gathered()
    found: list[CatalogueEntry] = []
    source = (Source("重点项目", "projects:dashboard", (), (("org", figures.unit_code),)),)
    if counts is not None and counts.by_stage:
        total = sum(counts.by_stage.values())
        in_library = measure_key("projects.in_library", "", *_year_to(spec.period))
        pieces: list[Piece] = [
            "纳入项目库的重点项目共",
            count_figure(total, "个", "期末项目库中各阶段项目之和", source, "projects:total", in_library),
            "，其中",
        ]
        stages = [(s, counts.by_stage.get(s, 0)) for s in STAGE_LABELS if counts.by_stage.get(s, 0)]
        for n, (stage, count) in enumerate(stages):
            label = STAGE_LABELS[stage]
            how = f"{spec.period.full_label}末处于{label}阶段"
            pieces += [
                "、" if n else "",
                f"{label}项目",
                count_figure(count, "个", how, source, f"projects:stage:{stage}"),
            ]
        found.append(entry("projects.library", "项目库中的重点项目", "projects", pieces))
    if counts is not None:
        moved = [
            ("signed", "新签约项目", counts.signed_this_year),
            ("started", "新开工项目", counts.started_this_year),
            ("completed", "竣工项目", counts.completed_this_year),
        ]
        for key, label, projects in moved:
            if projects:
                how = f"{spec.period.full_label}进入该阶段的项目"
                sources = _project_sources(projects)
                clauses: list[list[Piece]] = [
                    [count_figure(len(projects), "个", how, sources, f"projects:{key}")]
                ]
                if key == "signed" and counts.signed_investment:
                    total = counts.signed_investment
                    how = "这些项目的总投资之和"
                    clauses.append(["总投资", money_figure(total, how, sources, "projects:signed:total")])
                found.append(
                    entry(
                        f"projects.{key}",
                        label,
                        "projects",
                        *clauses,
                        lead=label,
                        group="projects.moved",
                        group_lead=f"{spec.period.full_label}，",
                    )
                )
        if counts.planned_investment:
            share = counts.completed_investment * 100 / counts.planned_investment
            found.append(
                entry(
                    "projects.investment",
                    "重点项目投资",
                    "projects",
                    [
                        "重点项目年度计划投资",
                        money_figure(
                            counts.planned_investment,
                            "今年计划项目的年度计划投资之和",
                            source,
                            "projects:planned",
                        ),
                    ],
                    [
                        "累计完成投资",
                        money_figure(
                            counts.completed_investment,
                            f"各项目{spec.period.full_label}累计完成投资之和",
                            source,
                            "projects:completed",
                        ),
                    ],
                    [
                        "完成年度计划的",
                        rate_figure(share, "完成投资 ÷ 年度计划投资", source, "projects:completion"),
                    ],
                )
            )
    if counts is not None and counts.large:
        how = f"{spec.period.full_label}末项目库中总投资1亿元及以上的项目"
        large = count_figure(len(counts.large), "个", how, _project_sources(counts.large), "projects:large")
        label = "总投资亿元以上的项目"
        found.append(entry("projects.large", label, "projects", [label, large]))
    found += _project_categories(figures, more)
    found += _each_project(figures, more)
    found += _problems(figures, more)
    return found


def _project_sources(projects: Iterable[Any]) -> tuple[Source, ...]:
    return tuple(Source(p.name, "projects:project-detail", (p.pk,)) for p in projects)


def _project_categories(figures: ReportFigures, more: Gathered) -> list[CatalogueEntry]:
    found = []
    label = figures.spec.period.full_label
    for category, investments in more.by_category.items():
        name = CATEGORY_LABELS.get(category, category)
        done = sum((i.completed for i in investments), Decimal(0))
        sources = _project_sources(i.project for i in investments)
        key = f"projects.category:{category}"
        clauses: list[list[Piece]] = [
            [count_figure(len(investments), "个", f"今年计划的{name}类项目", sources, f"{key}:count")]
        ]
        if done:
            how = f"这些项目{label}累计完成投资之和"
            clauses.append(["完成投资", money_figure(done, how, sources, f"{key}:completed")])
        found.append(
            entry(
                key,
                f"{name}类项目",
                "projects",
                *clauses,
                lead=f"{name}类项目",
                group="projects.category",
                group_lead="分类别看，",
                joiner="；",
            )
        )
    return found


def _each_project(figures: ReportFigures, more: Gathered) -> list[CatalogueEntry]:
    found = []
    label = figures.spec.period.full_label
    for investment in more.investments:
        project = investment.project
        if not investment.completed:
            continue
        sources = _project_sources([project])
        key = f"projects.project:{project.pk}"
        clauses: list[list[Piece]] = []
        if investment.planned:
            plan = money_figure(investment.planned, "项目的年度计划投资", sources, f"{key}:planned")
            clauses.append(["年度计划投资", plan])
        done = money_figure(investment.completed, f"{label}累计完成投资(月报)", sources, f"{key}:completed")
        clauses.append(["完成投资", done])
        if investment.planned:
            share = investment.completed * 100 / investment.planned
            how = "完成投资 ÷ 年度计划投资"
            clauses.append(["占年度计划的", rate_figure(share, how, sources, f"{key}:completion")])
        found.append(
            entry(
                key,
                project.name,
                "projects",
                *clauses,
                lead=project.name,
                group="projects.each",
                joiner="；",
            )
        )
    return found


def _problems(figures: ReportFigures, more: Gathered) -> list[CatalogueEntry]:
    problems = more.problems
    if problems is None or not problems.raised:
        return []
    spec = figures.spec
    sources = tuple(Source(c.title, "cases:case-detail", (c.pk,)) for c in problems.raised)
    clauses: list[list[Piece]] = [
        [
            "收集项目建设问题",
            count_figure(
                len(problems.raised),
                "个",
                f"{spec.span_words}登记的项目问题",
                sources,
                "projects.problems:raised",
            ),
        ],
    ]
    if problems.solved:
        solved = tuple(Source(c.title, "cases:case-detail", (c.pk,)) for c in problems.solved)
        how = f"其中到{spec.until:%Y-%m-%d}已办结或核查销号的"
        clauses.append(
            ["协调解决", count_figure(len(problems.solved), "个", how, solved, "projects.problems:solved")]
        )
    return [entry("projects.problems", "项目建设问题", "projects", *clauses)]


def _leads(figures: ReportFigures) -> list[CatalogueEntry]:
    more = figures.more or Gathered()
    found = []
    for stage, leads in more.leads.items():
        if not leads or stage == "landed":
            continue
        label = LEAD_LABELS.get(stage, stage)
        sources = tuple(Source(lead.investor, "projects:lead-detail", (lead.pk,)) for lead in leads)
        how = f"{figures.spec.until:%Y-%m-%d}处于{label}阶段的招商线索"
        key = f"leads.stage:{stage}"
        money = sum((lead.intended_investment for lead in leads), Decimal(0))
        clauses: list[list[Piece]] = [[count_figure(len(leads), "个", how, sources, f"{key}:count")]]
        if money:
            clauses.append(
                ["意向投资", money_figure(money, "这些线索的意向投资额之和", sources, f"{key}:investment")]
            )
        found.append(
            entry(
                key,
                f"{label}招商项目",
                "projects",
                *clauses,
                lead=f"{label}项目",
                group="leads",
                group_lead="招商引资储备项目中，",
                joiner="；",
            )
        )
    return found


# --- cases and visits ---------------------------------------------------------------------------------


def _case_source(figures: ReportFigures, type_pk: int | None = None) -> tuple[Source, ...]:
    spec = figures.spec
    query = (("unit", figures.unit_code), ("start", spec.start.isoformat()), ("end", spec.until.isoformat()))
    if type_pk is not None:
        query += (("case_type", str(type_pk)),)
    return (Source(f"{spec.span_words}受理的事件", "cases:case-list", (), query),)


def _cases(figures: ReportFigures) -> list[CatalogueEntry]:
    more = figures.more or Gathered()
    report = more.cases
    if report is None or not report.total.received:
        return []
    total, source, spec = report.total, _case_source(figures), figures.spec
    span = (spec.start, spec.until)
    as_of = f"(办结数截至{spec.until:%Y-%m-%d})"
    received: list[Piece] = [
        f"{spec.span_words}共受理各类事件",
        count_figure(total.received, "件", "期内受理的事件(合并的重复件不计)", source, "cases:received"),
    ]
    types = [(name, f) for name, f in report.by_type if f.received]
    if len(types) > 1:
        received.append("，其中")
        for n, (name, f) in enumerate(types):
            received += [
                "、" if n else "",
                _name(name),
                count_figure(f.received, "件", f"{name}受理数", source, f"cases:type:{name}"),
            ]
    found = [entry("cases.received", "受理事件", "governance", received)]
    resolved: list[list[Piece]] = [
        [
            "已办结",
            count_figure(
                total.resolved, "件", f"期内受理且已办结或核查销号{as_of}", source, "cases:resolved"
            ),
        ]
    ]
    if total.resolution_rate is not None:
        resolved.append(
            ["办结率", rate_figure(total.resolution_rate, "办结数 ÷ 受理数", source, "cases:rate")]
        )
    resolved.append(
        ["按期办结", count_figure(total.on_time, "件", "在办理期限内办结", source, "cases:on_time")]
    )
    if total.on_time_rate is not None:
        how = "按期办结数 ÷ 受理数"
        resolved.append(["按期办结率", rate_figure(total.on_time_rate, how, source, "cases:on_time_rate")])
    found.append(entry("cases.resolved", "事件办结", "governance", *resolved))
    for name, figures_of_type in types:
        found.append(_case_type(figures, name, figures_of_type, span, more))
    found += _case_categories(figures, report, more)
    return found


def _case_type(
    figures: ReportFigures, name: str, f: Figures, span: tuple[Any, Any], more: Gathered
) -> CatalogueEntry:
    code, pk = more.case_types.get(name, (name, None))
    source = _case_source(figures, pk)
    key = f"cases.type:{code}"
    hazard = code == "hazard"
    unit = "个" if hazard else "件"

    def measured(what: str) -> str:
        return measure_key(f"cases.{what}", code, *span)

    clauses: list[list[Piece]] = [
        [
            "排查整治安全隐患" if hazard else f"{_name(name)}受理",
            count_figure(f.received, unit, f"{name}受理数", source, f"{key}:received", measured("received")),
        ]
    ]
    if f.resolved:
        how = f"期内受理且到{span[1]:%Y-%m-%d}已办结或核查销号"
        words = "已整改销号" if hazard else "办结"
        clauses.append(
            [words, count_figure(f.resolved, unit, how, source, f"{key}:resolved", measured("resolved"))]
        )
    if f.resolution_rate is not None and f.resolved:
        figure = rate_figure(f.resolution_rate, "办结数 ÷ 受理数", source, f"{key}:rate")
        clauses.append(["整改率" if hazard else "办结率", _with_measure(figure, measured("resolution_rate"))])
    if f.on_time_rate is not None and f.on_time:
        figure = rate_figure(f.on_time_rate, "按期办结数 ÷ 受理数", source, f"{key}:on_time_rate")
        clauses.append(["按期办结率", _with_measure(figure, measured("on_time_rate"))])
    section = CASE_SECTIONS.get(code, "governance")
    return entry(key, f"{name}办理情况", section, *clauses, group=f"cases.type:{section}", joiner="；")


def _with_measure(figure: Figure, measure: str) -> Figure:
    return Figure(figure.text, figure.value, figure.how, figure.sources, figure.key, measure)


def _case_categories(figures: ReportFigures, report: FigureReport, more: Gathered) -> list[CatalogueEntry]:
    found = []
    types = {code: name for name, (code, _) in more.case_types.items()}
    for name, f in report.by_category:
        if name not in more.case_categories or not f.received:
            continue
        code, type_code, type_pk = more.case_categories[name]
        source = _case_source(figures, type_pk)
        key = f"cases.category:{code}"
        type_name = types.get(type_code, "")
        clauses: list[list[Piece]] = [
            [count_figure(f.received, "件", f"{type_name}中“{name}”类受理数", source, f"{key}:received")]
        ]
        if f.resolved:
            clauses.append(
                ["办结", count_figure(f.resolved, "件", "其中已办结或核查销号", source, f"{key}:resolved")]
            )
        found.append(
            entry(
                key,
                f"{type_name}：{name}",
                CASE_SECTIONS.get(type_code, "governance"),
                *clauses,
                lead=f"{name}类",
                group=f"cases.category:{type_code}",
                group_lead=f"按类别看，{_name(type_name)}中，",
                joiner="；",
            )
        )
    return found


def _visits(figures: ReportFigures) -> list[CatalogueEntry]:
    more, spec = figures.more or Gathered(), figures.spec
    query = (("unit", figures.unit_code), ("start", spec.start.isoformat()), ("end", spec.until.isoformat()))
    source = (Source("网格员走访记录", "cases:visit-list", (), query),)
    words = {"household": ("走访农户", "户次"), "place": ("走访场所", "家次")}
    found = []
    for kind, n in more.visits.items():
        label, measure = words.get(kind, ("走访", "次"))
        key = f"cases.visits:{kind}"
        how = f"{spec.start:%Y-%m-%d}至{spec.until:%Y-%m-%d}网格员登记的走访"
        found.append(
            entry(
                key,
                f"网格员{label}",
                "governance",
                [label, count_figure(n, measure, how, source, key)],
                group="cases.visits",
                group_lead="网格员",
                joiner="，",
            )
        )
    return found


# --- households, benefits and subsidies ---------------------------------------------------------------


def _households(figures: ReportFigures) -> list[CatalogueEntry]:
    more, spec, code = figures.more or Gathered(), figures.spec, figures.unit_code
    span = (spec.start, spec.until)
    monitoring = (Source("防返贫监测对象", "households:monitoring-list", (), (("unit", code),)),)
    found = []
    for key, label, count, measured in (
        ("households.new_monitored", "新增防返贫监测对象", figures.new_monitored, "households.new_monitored"),
        ("households.eliminated", "消除风险", figures.eliminated, ""),
    ):
        if count is None or not count.households:
            continue
        households = measure_key(measured, "", *span) if measured else ""
        people = measure_key(f"{measured}_people", "", *span) if measured else ""
        old = key.replace("households.", "households:").replace("new_monitored", "new")
        found.append(
            entry(
                key,
                label,
                "rural",
                [
                    label,
                    count_figure(count.households, "户", f"期内{label}", monitoring, old, households),
                    count_figure(count.people, "人", "这些户的家庭成员", monitoring, f"{old}:people", people),
                ],
                group="households.monitoring",
            )
        )
    if figures.monitored is not None and figures.monitored.households:
        # as the records stood on the span's last day: a household whose monitoring closed later counts
        day, key = spec.until, "households.monitored"
        found.append(
            entry(
                key,
                "在监测对象",
                "rural",
                [
                    f"截至{date_words(day, False)}，共有防返贫监测对象",
                    count_figure(figures.monitored.households, "户", f"{date_words(day)}处于监测中的户",
                                 monitoring, key),
                    count_figure(figures.monitored.people, "人", "这些户的家庭成员", monitoring,
                                 f"{key}:people"),
                ],
            )
        )  # fmt: skip
    for category, count in more.monitored.items():
        label = MONITORING_LABELS.get(category, category)
        key = f"households.monitored:{category}"
        how = f"{spec.until:%Y-%m-%d}仍在监测的{label}"
        found.append(
            entry(
                key,
                f"在监测的{label}",
                "rural",
                [
                    label,
                    count_figure(count.households, "户", how, monitoring, f"{key}:households"),
                    count_figure(count.people, "人", "这些户的家庭成员", monitoring, f"{key}:people"),
                ],
                group="households.monitored",
                group_lead=f"截至{spec.until.month}月{spec.until.day}日，在监测对象中，",
                joiner="、",
            )
        )
    if more.monitoring_visits:
        how = f"{spec.start:%Y-%m-%d}至{spec.until:%Y-%m-%d}对监测户的走访记录"
        key = "households.visits"
        found.append(
            entry(
                key,
                "走访监测户",
                "rural",
                [
                    "走访监测户",
                    count_figure(more.monitoring_visits, "户次", how, monitoring, key),
                ],
                group="households.monitoring",
            )
        )
    tags = more.tags
    if tags is not None:
        registered = (Source("农户台账", "households:household-list", (), (("unit", code),)),)
        for key, label, n, section in (
            ("households.lifted_out", "脱贫户", tags.lifted_out, "rural"),
            ("households.left_behind_elderly", "留守老人户", tags.left_behind_elderly, "livelihood"),
            ("households.left_behind_children", "留守儿童户", tags.left_behind_children, "livelihood"),
        ):
            if n:
                figure = count_figure(n, "户", f"农户台账中标记为{label}的户", registered, key)
                found.append(
                    entry(
                        key,
                        label,
                        section,
                        [f"建档{label}", figure],
                        group=f"households.tags:{section}",
                        group_lead="农户台账中，",
                    )
                )
    return found


def _benefits(figures: ReportFigures) -> list[CatalogueEntry]:
    more, spec, code = figures.more or Gathered(), figures.spec, figures.unit_code
    span = (spec.start, spec.until)
    source = (Source("救助与补贴", "households:overview", (), (("unit", code),)),)
    found = []
    for kind, (households, people) in more.in_force:
        if not households:
            continue
        label = BENEFIT_UNITS.get(kind, kind)
        key = f"benefits.in_force:{kind}"
        how = f"{spec.until:%Y-%m-%d}享受{label}的"
        found.append(
            entry(
                key,
                f"{label}对象",
                "livelihood",
                [
                    f"{label}对象",
                    count_figure(
                        households,
                        "户",
                        how + "户数",
                        source,
                        f"{key}:households",
                        measure_key("households.benefit_households", kind, *span),
                    ),
                    count_figure(
                        people,
                        "人",
                        how + "家庭成员",
                        source,
                        f"{key}:people",
                        measure_key("households.benefit_people", kind, *span),
                    ),
                ],
                group="benefits.in_force",
                group_lead=f"截至{spec.until.month}月{spec.until.day}日，",
                joiner="，",
            )
        )
    for kind, label, money in figures.benefits:
        if not money.yuan:
            continue
        paid = measure_key("households.benefit_paid", kind, *span)
        how = f"{len(money.records)}条救助记录：月标准 × 期内享受月数(临时救助按次)"
        key = f"benefits.paid:{kind}"
        found.append(
            entry(
                key,
                f"发放{label}",
                "livelihood",
                [
                    f"发放{label}",
                    money_figure(money.yuan, how, source, f"benefits:{label}", paid),
                ],
                group="benefits.paid",
                joiner="，",
            )
        )
    return found


def _subsidies(figures: ReportFigures) -> list[CatalogueEntry]:
    found = []
    for batch_id, name, subsidy in figures.subsidies:
        if not subsidy.lines:
            continue
        source = (Source(name, "households:batch-detail", (batch_id,)),)
        key = f"subsidy:{batch_id}"
        found.append(
            entry(
                f"subsidies:{batch_id}",
                name,
                "rural",
                [
                    f"{name}涉及面积",
                    Figure(
                        format_count(subsidy.area, "亩"),
                        subsidy.area,
                        f"{subsidy.lines}户补贴面积之和",
                        source,
                        f"{key}:area",
                    ),
                ],
                ["应发资金", money_figure(subsidy.due, "面积 × 补贴标准，逐户相加", source, f"{key}:due")],
                ["发放率", rate_figure(subsidy.paid_rate, "已发放金额 ÷ 应发资金", source, f"{key}:rate")],
            )
        )
    return found


# --- registers ----------------------------------------------------------------------------------------


def register_section(section: str, offices: Sequence[str]) -> str:
    """The register's declared section, else its first office's, else 其他工作."""
    if section in SECTION_TITLES:
        return section
    return next((OFFICE_SECTIONS[o] for o in offices if o in OFFICE_SECTIONS), "other")


def _registers(figures: ReportFigures) -> list[CatalogueEntry]:
    """'路灯台账：路灯总数1055盏，损坏路灯12盏': each register figure an entry, a register's one sentence."""
    span = (figures.spec.start, figures.spec.until)
    found = []
    for line in figures.registers:
        section = register_section(line.section, line.offices)
        # A figure its 主要做法 sentences state is stated there: one measure, stated once.
        in_methods = {p.option for m in line.methods for p in m.pieces if not isinstance(p, str)}
        for stated in line.figures:
            if stated.option in in_methods:
                continue
            source = Source(
                f"{line.title}：{stated.label}", "registers:record-list", (line.form_id,), stated.query
            )
            key = f"register:{stated.option}"
            measured = measure_key(stated.source, stated.option, *span)
            made = Figure(stated.text, stated.value, stated.how, (source,), key, measured)
            found.append(
                entry(
                    key,
                    f"{line.title}：{stated.label}",
                    section,
                    [stated.label, made],
                    group=f"register:{line.form_id}",
                    group_lead=f"{line.title}：",
                )
            )
    return found
