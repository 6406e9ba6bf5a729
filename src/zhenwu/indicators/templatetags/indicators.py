"""How indicator figures read on a page: thousands separated, shares as percentages, signed points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhenwu.core.numbers import format_percent

register = template.Library()
DASH = "—"


@register.filter
def amount(value: Decimal | None, places: int = 4) -> str:
    """Thousands separated, at most `places` decimals, trailing zeros dropped."""
    if value is None:
        return DASH
    text = f"{value:,.{int(places)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def percent(share: Decimal | None) -> str:
    return DASH if share is None else format_percent(share * 100)


def _signed(value: Decimal) -> str:
    text = format_percent(value)[:-1]  # one decimal, rounded half up as reports round
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


@register.filter
def points(value: Decimal | None) -> str:
    return DASH if value is None else _signed(value)


@register.filter
def yoy(row: Any) -> str:
    change = row.progress.yoy
    if change is None:
        return DASH
    if row.indicator.is_rate:
        return f"{_signed(change)}个百分点"
    return f"{_signed(change * 100)}%"


@register.filter
def chart_height(count: int) -> int:
    """Enough height for one bar pair per indicator."""
    return max(240, 28 * int(count) + 80)
