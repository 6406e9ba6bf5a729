"""How indicator figures read on a page: thousands separated, percentages at one decimal, signed points.

Every filter rounds through `core.numbers.round_half_up`, as the API, the Excel export and the report do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhenwu.core.numbers import format_fixed, format_grouped, format_percent
from zhenwu.core.progress import percent_of

register = template.Library()
DASH = "—"


@register.filter
def amount(value: Decimal | None, places: int = 4) -> str:
    """Thousands separated, at most `places` decimals, trailing zeros dropped."""
    return DASH if value is None else format_grouped(value, int(places))


@register.filter
def percent(share: Decimal | None) -> str:
    """A share (0.733) as a percentage ("73.3%")."""
    shown = percent_of(share)
    return DASH if shown is None else format_percent(shown)


@register.filter
def pct(percentage: Decimal | None) -> str:
    """A percentage already computed (73.3) as "73.3%"."""
    return DASH if percentage is None else format_percent(percentage)


def _signed(value: Decimal) -> str:
    text = format_fixed(value, 1)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


@register.filter
def points(value: Decimal | None) -> str:
    return DASH if value is None else _signed(value)


@register.filter
def yoy(row: Any) -> str:
    change = row.progress.yoy_percent
    if change is None:
        return DASH
    return f"{_signed(change)}个百分点" if row.indicator.is_rate else f"{_signed(change)}%"


@register.filter
def chart_height(count: int) -> int:
    """Enough height for one bar pair per indicator."""
    return max(240, 28 * int(count) + 80)
