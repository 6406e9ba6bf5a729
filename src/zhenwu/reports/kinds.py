"""The span of time a work report covers, and what the day it is generated changes: a span not yet
over is named as to date, and monthly figures are those of the latest month whose values were due by
then.

A report covers any span of months or days within one year (自定义时段: 1—8月, 前三季度, 截至目前). The
kinds townships write most (q1 … q4, half-year, annual, m2 … m11) are named spans of the same spec, with
the titles those reports have (…工作总结及下半年工作计划); any other span is titled as such reports are:
"示范镇2026年1—8月工作情况".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zhenwu.core.periods import Period

BEIJING = ZoneInfo("Asia/Shanghai")
# A month's indicator and investment values are due by this day of the next month: the indicators app's
# ENTRY_DEADLINE_DAY, kept here so that this module needs no Django (a test holds the two together).
ENTRY_DEADLINE_DAY = 5

QUARTER_WORDS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
# Spans of whole months with a name of their own; other spans of months are "1—8月" with the em dash
# real reports print.
MONTH_SPAN_NAMES = {
    (1, 3): "一季度", (4, 6): "二季度", (7, 9): "三季度", (10, 12): "四季度",
    (1, 6): "上半年", (7, 12): "下半年", (1, 9): "前三季度", (1, 12): "全年",
}  # fmt: skip
SPAN_DASH = "—"
CUSTOM = "span"  # the choice of a custom span on the page, and its code's mark


class SpanError(ValueError):
    """A span that cannot be reported; `field` names the input at fault (from, to), the message is Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportKind:
    code: str  # q1 … q4, half-year, annual, m2 … m11: the CLI's and URL's word; MMDD-MMDD: a custom span
    label: str
    first_month: int  # the span that counts of events (cases, households) starts here
    last_month: int  # indicators are year to date up to the end of this month
    named: bool = True  # one of KINDS, with its own title; else a custom span (自定义时段)


KINDS = {
    "q1": ReportKind("q1", "一季度工作总结", 1, 3),
    "q2": ReportKind("q2", "二季度工作总结", 4, 6),
    "q3": ReportKind("q3", "三季度工作总结", 7, 9),
    "q4": ReportKind("q4", "四季度工作总结", 10, 12),
    "half-year": ReportKind("half-year", "上半年工作总结", 1, 6),
    "annual": ReportKind("annual", "年度工作总结", 1, 12),
    # 1-2月 … 1-11月: a township that starts mid-year, or a leader asking in September, reports the
    # months to date, as townships' "1—8月份工作总结" do.
    **{
        f"m{month}": ReportKind(f"m{month}", f"1{SPAN_DASH}{month}月工作总结", 1, month)
        for month in range(2, 12)
    },
}


def months_name(first: int, last: int) -> str:
    """一季度, 上半年, 前三季度, 全年, 8月, 1—8月."""
    if (first, last) in MONTH_SPAN_NAMES:
        return MONTH_SPAN_NAMES[(first, last)]
    return f"{first}月" if first == last else f"{first}{SPAN_DASH}{last}月"


def month_end(year: int, month: int) -> date:
    return Period(year, month).end_date()


@dataclass(frozen=True)
class ReportSpec:
    """One report: its span and the day it is generated (its 成文日期). A named kind covers its whole
    months of `year`; a custom span gives its own first and last day."""

    kind: ReportKind
    year: int
    generated_on: date
    first_day: date | None = None
    last_day: date | None = None

    @property
    def start(self) -> date:
        return self.first_day or date(self.year, self.kind.first_month, 1)

    @property
    def end(self) -> date:
        return self.last_day or month_end(self.year, self.kind.last_month)

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.year, self.end.month)

    @property
    def in_progress(self) -> bool:
        """Generated on or before the span's last day: its figures are to date, not for the span."""
        return self.generated_on <= self.end

    @property
    def until(self) -> date:
        """The last day dated records (cases, households) are counted to: the span's end, or the day the
        report is generated when that comes first. Every figure is as it stood at the end of this day."""
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
    def from_new_year(self) -> bool:
        """The span starts on 1 January: its in-period figures are also the year's to date."""
        return self.start == date(self.year, 1, 1)

    @property
    def span_name(self) -> str:
        """The span's name: 一季度, 上半年, 全年, 1—8月, 3月15日—8月31日."""
        if self.kind.named:
            code = self.kind.code
            if code.startswith("q"):
                return QUARTER_WORDS[int(code[1])]
            if code.startswith("m"):
                return months_name(1, self.kind.last_month)
            return "上半年" if code == "half-year" else "全年"
        if self.whole_months:
            return months_name(self.start.month, self.end.month)
        return f"{self.start.month}月{self.start.day}日{SPAN_DASH}{self.end.month}月{self.end.day}日"

    @property
    def span_words(self) -> str:
        """How the report's sentences name its span: its name once it is over, else to date (今年以来,
        四季度以来, 7月以来), as the figures are."""
        if not self.in_progress:
            return self.span_name
        if self.from_new_year:
            return "今年以来"
        if self.kind.named:
            return f"{self.span_name}以来"
        return (
            f"{self.start.month}月以来"
            if self.start.day == 1
            else f"{self.start.month}月{self.start.day}日以来"
        )

    @property
    def indicator_words(self) -> str:
        """How year-to-date figures (indicators) are named: 1—10月, 前三季度, 全年."""
        return months_name(1, self.period.month)

    @property
    def next_words(self) -> str:
        """The coming span the plans are for."""
        if not self.kind.named or self.kind.code.startswith("m"):
            return "下一步"
        if self.kind.code == "half-year":
            return "下半年"
        if self.kind.code == "annual" or self.kind.code == "q4":
            return f"{self.year + 1}年"
        return QUARTER_WORDS[int(self.kind.code[1]) + 1]

    @property
    def next_span(self) -> tuple[date, date]:
        if not self.kind.named:
            following = self.end + timedelta(days=1)
            return following, date(following.year, 12, 31)
        if self.kind.code in ("annual", "q4"):
            return date(self.year + 1, 1, 1), date(self.year + 1, 12, 31)
        if self.kind.code == "half-year" or self.kind.code.startswith("m"):
            return date(self.year, self.kind.last_month + 1, 1), date(self.year, 12, 31)
        first = self.kind.last_month + 1
        return date(self.year, first, 1), month_end(self.year, first + 2)

    def title(self, unit_name: str) -> str:
        code = self.kind.code
        if not self.kind.named:
            return f"{unit_name}{self.year}{self._custom_title_span()}工作情况"
        if code == "half-year":
            return f"{unit_name}{self.year}年上半年工作总结及下半年工作计划"
        if code == "annual":
            return f"{unit_name}{self.year}年度工作总结及{self.year + 1}年工作计划"
        if code.startswith("m"):
            return f"{unit_name}{self.year}年{self.span_name}工作总结及下一步工作计划"
        return f"{unit_name}{self.year}年{self.span_name}工作总结和{self.next_words}工作计划"

    def _custom_title_span(self) -> str:
        """年1—8月, 年前三季度, 年度; 年截至目前 (or 年7月以来) when made before the span is over."""
        if self.in_progress:
            return "年截至目前" if self.from_new_year else f"年{self.span_words}"
        name = self.span_name
        return "年度" if name == "全年" else f"年{name}"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.kind.code}"

    @property
    def entry_kind(self) -> str:
        """The kind narrative entries are written for: a custom span of a named kind's months uses that
        kind's entries (an office writes its 1—8月 material once)."""
        if self.kind.named:
            return self.kind.code
        for kind in KINDS.values():
            if self.whole_months and (kind.first_month, kind.last_month) == (
                self.start.month,
                self.end.month,
            ):
                return kind.code
        return self.kind.code

    def query(self) -> dict[str, str]:
        """The page's and the download's parameters for this span."""
        if self.kind.named:
            return {"kind": self.kind.code, "year": str(self.year)}
        return {"kind": CUSTOM, "from": self.start.isoformat(), "to": self.end.isoformat()}


def spec_for(kind: str, year: int, generated_on: date | None = None) -> ReportSpec:
    """The spec for a kind's code, generated today unless told; a clear message for an unknown kind or
    a span that has not begun (its report could state nothing)."""
    if kind not in KINDS:
        raise ValueError(f"未知的报告类型“{kind}”，可选：{'、'.join(KINDS)}。")
    spec = ReportSpec(KINDS[kind], year, generated_on or today())
    if spec.generated_on < spec.start:
        span = "年度" if kind == "annual" else f"年{spec.span_name}"
        raise ValueError(f"{year}{span}尚未开始，还不能生成报告。")
    return spec


def today() -> date:
    return datetime.now(BEIJING).date()


_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_DAY = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
FIELD_NAMES = {"from": "开始时间", "to": "结束时间"}


def parse_bound(text: str, field: str) -> date:
    """'2024-01' or '2024-01-15' (also 2024年1月, 2024/1/15): a month is its first day for `from`, its
    last day for `to`."""
    name = FIELD_NAMES[field]
    raw = (text or "").strip()
    if not raw:
        raise SpanError(field, f"请填写{name}，如 2024-01 或 2024-01-15。")
    try:
        if match := _DAY.match(raw):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH.match(raw):
            year, month = int(match[1]), int(match[2])
            return date(year, month, 1) if field == "from" else month_end(year, month)
    except ValueError:
        raise SpanError(field, f"{name}“{raw}”不是有效的日期。") from None
    raise SpanError(field, f"{name}“{raw}”无法识别：请写作 2024-01(月份)或 2024-01-15(日期)。")


def span_spec(first: str, last: str, generated_on: date | None = None) -> ReportSpec:
    """The spec of a custom span from its first and last month or day, generated today unless told.
    Refused, naming the field: a bound not read, a start after the end, a span across two years (its
    indicators are each year's to date, so no figure could cover it), a span that has not begun."""
    start, end = parse_bound(first, "from"), parse_bound(last, "to")
    if not 2000 <= start.year <= 2100:
        raise SpanError("from", f"开始时间的年份{start.year}不在2000—2100年之间。")
    if start > end:
        raise SpanError("from", f"开始时间({start.isoformat()})晚于结束时间({end.isoformat()})。")
    if start.year != end.year:
        raise SpanError(
            "to", "结束时间须与开始时间在同一年内：主要指标按年累计，跨年的时段没有可比的累计数，请分年生成。"
        )
    last_month = end.month if end == month_end(end.year, end.month) else max(end.month - 1, 1)
    code = f"{start:%m%d}-{end:%m%d}"
    kind = ReportKind(code, "自定义时段", start.month, last_month, named=False)
    spec = ReportSpec(kind, start.year, generated_on or today(), start, end)
    if spec.generated_on < spec.start:
        done = ReportSpec(kind, start.year, end + timedelta(days=1), start, end)  # named as once over
        raise SpanError("from", f"{start.year}年{done.span_name}尚未开始，还不能生成报告。")
    return spec
