"""The kinds of work report, the span of time each covers, and what the day a report is generated
changes: a span not yet over is named as to date, and monthly figures are those of the latest month
whose values were due by then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from zhenwu.core.periods import Period

BEIJING = ZoneInfo("Asia/Shanghai")
# A month's indicator and investment values are due by this day of the next month: the indicators app's
# ENTRY_DEADLINE_DAY, kept here so that this module needs no Django (a test holds the two together).
ENTRY_DEADLINE_DAY = 5

QUARTER_WORDS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


@dataclass(frozen=True)
class ReportKind:
    code: str  # q1 … q4, half-year, annual, m2 … m11 (1-2月 … 1-11月): the CLI's and the URL's word
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
    # 1-2月 … 1-11月: a township that starts mid-year, or a leader asking in September, reports the
    # months to date, as townships' "1-8月份工作总结" do.
    **{f"m{month}": ReportKind(f"m{month}", f"1-{month}月工作总结", 1, month) for month in range(2, 12)},
}


@dataclass(frozen=True)
class ReportSpec:
    """One report: its kind and year, and the day it is generated (its 成文日期)."""

    kind: ReportKind
    year: int
    generated_on: date

    @property
    def start(self) -> date:
        return date(self.year, self.kind.first_month, 1)

    @property
    def end(self) -> date:
        return Period(self.year, self.kind.last_month).end_date()

    @property
    def in_progress(self) -> bool:
        """Generated on or before the span's last day: its figures are to date, not for the span."""
        return self.generated_on <= self.end

    @property
    def until(self) -> date:
        """The last day dated records (cases, households) are counted to."""
        return min(self.end, self.generated_on)

    @property
    def period(self) -> Period:
        """The month indicators and investment are year to date to: the span's last month once its
        values were due, else the latest month whose values were. Values are entered up to the 5th of
        the next month, so a month whose deadline has not passed has only some of them: a report
        using it would drop the others, or state half a month's total as the month's."""
        month = self.kind.last_month
        while month > 1 and self.generated_on <= Period(self.year, month).entry_deadline(ENTRY_DEADLINE_DAY):
            month -= 1
        return Period(self.year, month)

    @property
    def span_name(self) -> str:
        """The span's name: 一季度, 上半年, 全年."""
        code = self.kind.code
        if code.startswith("q"):
            return QUARTER_WORDS[int(code[1])]
        if code.startswith("m"):
            return f"1-{self.kind.last_month}月"
        return "上半年" if code == "half-year" else "全年"

    @property
    def span_words(self) -> str:
        """How the report's sentences name its span: its name once it is over, else to date (今年以来,
        四季度以来), as the figures are."""
        if not self.in_progress:
            return self.span_name
        return "今年以来" if self.kind.first_month == 1 else f"{self.span_name}以来"

    @property
    def next_words(self) -> str:
        """The coming span the plans are for."""
        if self.kind.code == "half-year":
            return "下半年"
        if self.kind.code == "annual" or self.kind.code == "q4":
            return f"{self.year + 1}年"
        if self.kind.code.startswith("m"):
            return "下一步"
        return QUARTER_WORDS[int(self.kind.code[1]) + 1]

    @property
    def next_span(self) -> tuple[date, date]:
        if self.kind.code in ("annual", "q4"):
            return date(self.year + 1, 1, 1), date(self.year + 1, 12, 31)
        if self.kind.code == "half-year" or self.kind.code.startswith("m"):
            return date(self.year, self.kind.last_month + 1, 1), date(self.year, 12, 31)
        first = self.kind.last_month + 1
        return date(self.year, first, 1), Period(self.year, first + 2).end_date()

    def title(self, unit_name: str) -> str:
        code = self.kind.code
        if code == "half-year":
            return f"{unit_name}{self.year}年上半年工作总结及下半年工作计划"
        if code == "annual":
            return f"{unit_name}{self.year}年度工作总结及{self.year + 1}年工作计划"
        if code.startswith("m"):
            return f"{unit_name}{self.year}年{self.span_name}工作总结及下一步工作计划"
        return f"{unit_name}{self.year}年{self.span_name}工作总结和{self.next_words}工作计划"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.kind.code}"


def spec_for(kind: str, year: int, generated_on: date | None = None) -> ReportSpec:
    """The spec for a kind's code, generated today unless told; a clear message for an unknown kind or
    a span that has not begun (its report could state nothing)."""
    if kind not in KINDS:
        raise ValueError(f"未知的报告类型“{kind}”，可选：{'、'.join(KINDS)}。")
    spec = ReportSpec(KINDS[kind], year, generated_on or datetime.now(BEIJING).date())
    if spec.generated_on < spec.start:
        span = "年度" if kind == "annual" else f"年{spec.span_name}"
        raise ValueError(f"{year}{span}尚未开始，还不能生成报告。")
    return spec
