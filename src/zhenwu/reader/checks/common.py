"""What every check shares: the document's figures by sentence, and fair comparison of rounded figures.

A figure written "4.9亿" stands for anything that rounds to it, so comparisons use intervals: a
relation is broken only when no values consistent with the written figures satisfy it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhenwu.core.numbers import format_money
from zhenwu.reader.model import Audit, Figure

MU_IN_SQUARE_METRES = Decimal(2000) / Decimal(3)
TOTAL_WORDS = ("全镇", "全乡", "全街道", "总", "合计", "共计", "总计", "全部", "累计")


@dataclass
class Document:
    audit: Audit
    view: str
    by_sentence: dict[int, list[Figure]] = field(default_factory=dict)
    # The day the report speaks from, when the caller knows it (`zhenwu check --date`).
    dated: date | None = None

    def __post_init__(self) -> None:
        groups: dict[int, list[Figure]] = defaultdict(list)
        for figure in self.audit.figures:
            groups[figure.sentence].append(figure)
        self.by_sentence = dict(groups)

    def nearby(self, figure: Figure, before: int, after: int) -> list[Figure]:
        """Figures from `before` sentences ahead of `figure` to `after` sentences past it."""
        found: list[Figure] = []
        for index in range(max(0, figure.sentence - before), figure.sentence + after + 1):
            found.extend(self.by_sentence.get(index, ()))
        return found

    @property
    def figures(self) -> list[Figure]:
        return self.audit.figures

    def sentence_figures(self, index: int) -> list[Figure]:
        return self.by_sentence.get(index, [])

    def between(self, start: int, end: int) -> str:
        return self.view[start:end]


def has_value(figure: Figure) -> bool:
    return figure.value is not None and not figure.placeholder


def is_quantity(figure: Figure) -> bool:
    """An amount or a count, as opposed to a percentage of something."""
    return has_value(figure) and figure.kind in ("amount", "count")


def comparable(a: Figure, b: Figure) -> bool:
    return a.dimension == b.dimension and a.dimension != ""


def in_area_base(figure: Figure, value: Decimal) -> Decimal:
    """Areas compare in 亩 whichever unit they were written in."""
    if figure.unit == "平方米":
        return value / MU_IN_SQUARE_METRES
    return value


def bounds(figure: Figure) -> tuple[Decimal, Decimal]:
    """The interval of true values that the written figure is consistent with."""
    assert figure.value is not None
    value = figure.value
    # A count written as a whole number ("18个") is exact; "2.2万户" is rounded like any amount.
    half = Decimal(0) if figure.kind == "count" and figure.step == 1 else figure.step / 2
    if figure.approx_mode == "up":
        return value, value + max(figure.step, _magnitude(value))
    if figure.approx_mode == "down":
        return value - max(figure.step, _magnitude(value)), value
    if figure.approx_mode == "around":
        spread = max(figure.step, abs(value) / 10)
        return value - spread, value + spread
    return value - half, value + half


def _magnitude(value: Decimal) -> Decimal:
    """The size of the last non-zero digit: 9000 -> 1000, 150 -> 10, 3.5 -> 0.1."""
    if value == 0:
        return Decimal(1)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


def ratio_bounds(part: Figure, whole: Figure) -> tuple[Decimal, Decimal] | None:
    """Range of part ÷ whole in percent, or None when the whole may be zero."""
    part_lo, part_hi = bounds(part)
    whole_lo, whole_hi = bounds(whole)
    if whole_lo <= 0:
        return None
    return part_lo * 100 / whole_hi, part_hi * 100 / whole_lo


def percent_tolerance(figure: Figure) -> Decimal:
    """How far a stated percentage may be from the truth: one unit of its last digit, so that
    truncation (31.6 -> 31) passes as well as rounding."""
    return figure.step


def percent_bounds(figure: Figure) -> tuple[Decimal, Decimal]:
    assert figure.value is not None
    tolerance = percent_tolerance(figure)
    lo, hi = bounds(figure)
    return lo - tolerance / 2, hi + tolerance / 2


def nominal_disagrees(actual: Decimal, stated: Figure) -> bool:
    """Whether the figures as written, taken at face value, miss the stated percentage."""
    assert stated.value is not None
    return abs(actual - stated.value) > stated.step


def overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def show(figure: Figure) -> str:
    """A figure for a message: the text as written, '「4.9个亿」'."""
    return f"「{figure.text.strip()}」"


def show_value(value: Decimal, unit: str | None) -> str:
    """A computed value in the figure's unit, short: money as 万元/亿元, others to two decimals."""
    if unit == "元":
        return format_money(value)
    if unit == "kg" and abs(value) >= 1000:
        return show_value(value / 1000, "吨")
    rounded = value.quantize(Decimal("0.01")) if abs(value) < 10**6 else value.quantize(Decimal(1))
    text = f"{rounded:f}".rstrip("0").rstrip(".") if "." in f"{rounded:f}" else f"{rounded:f}"
    return f"{text}{unit or ''}"


def show_percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".") + "%"


def is_total(document: Document, figure: Figure) -> bool:
    """Whether the figure is stated as a total (全镇…, 共…, 总…)."""
    start = max(0, figure.start - 16)
    before = document.view[start : figure.start]
    return any(word in before for word in TOTAL_WORDS) or any(
        word in (figure.subject or "") for word in ("总", "全镇", "合计")
    )
