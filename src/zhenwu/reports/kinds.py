"""The kinds of work report and the span of time each covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhenwu.core.periods import Period

QUARTER_WORDS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


@dataclass(frozen=True)
class ReportKind:
    code: str  # q1 … q4, half-year, annual: the CLI's and the URL's word
    label: str
    first_month: int  # the span that counts of events (cases, households) starts here
    last_month: int  # indicators are year to date up to the end of this month


KINDS = {
    "q1": ReportKind("q1", "一季度工作总结", 1, 3),
    "q2": ReportKind("q2", "二季度工作总结", 4, 6),
    "q3": ReportKind("q3", "三季度工作总结", 7, 9),
    "q4": ReportKind("q4", "四季度工作总结", 10, 12),
    "half-year": ReportKind("half-year", "上半年工作总结", 1, 6),
    "annual": ReportKind("annual", "年度工作总结", 1, 12),
}


@dataclass(frozen=True)
class ReportSpec:
    """One report: its kind and year."""

    kind: ReportKind
    year: int

    @property
    def period(self) -> Period:
        return Period(self.year, self.kind.last_month)

    @property
    def start(self) -> date:
        return date(self.year, self.kind.first_month, 1)

    @property
    def end(self) -> date:
        return self.period.end_date()

    @property
    def span_words(self) -> str:
        """How the report names its own span: 上半年, 一季度, 今年以来 (annual: 全年)."""
        if self.kind.code == "half-year":
            return "上半年"
        if self.kind.code == "annual":
            return "全年"
        return QUARTER_WORDS[int(self.kind.code[1])]

    @property
    def next_words(self) -> str:
        """The coming span the plans are for."""
        if self.kind.code == "half-year":
            return "下半年"
        if self.kind.code == "annual" or self.kind.code == "q4":
            return f"{self.year + 1}年"
        return QUARTER_WORDS[int(self.kind.code[1]) + 1]

    @property
    def next_span(self) -> tuple[date, date]:
        if self.kind.code in ("annual", "q4"):
            return date(self.year + 1, 1, 1), date(self.year + 1, 12, 31)
        if self.kind.code == "half-year":
            return date(self.year, 7, 1), date(self.year, 12, 31)
        first = self.kind.last_month + 1
        return date(self.year, first, 1), Period(self.year, first + 2).end_date()

    def title(self, unit_name: str) -> str:
        code = self.kind.code
        if code == "half-year":
            return f"{unit_name}{self.year}年上半年工作总结及下半年工作计划"
        if code == "annual":
            return f"{unit_name}{self.year}年度工作总结及{self.year + 1}年工作计划"
        return f"{unit_name}{self.year}年{self.span_words}工作总结和{self.next_words}工作计划"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.kind.code}"


def spec_for(kind: str, year: int) -> ReportSpec:
    """The spec for a kind's code; a clear message for an unknown one."""
    if kind not in KINDS:
        raise ValueError(f"未知的报告类型“{kind}”，可选：{'、'.join(KINDS)}。")
    return ReportSpec(KINDS[kind], year)
