from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import template

register = template.Library()


@register.filter
def unit_rows(pairs: list[tuple[Any, Any]]) -> list[tuple[str, Any, None]]:
    return [(unit.name, figures, None) for unit, figures in pairs]


@register.filter
def name_rows(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any, None]]:
    return [(name, figures, None) for name, figures in pairs]


@register.filter
def ranked_rows(rows: list[Any]) -> list[tuple[str, Any, int | None]]:
    return [(row.unit.name, row.figures, row.rank) for row in rows]


@register.filter
def prev_week(day: date) -> str:
    return (day - timedelta(days=7)).isoformat()


@register.filter
def next_week(day: date) -> str:
    return (day + timedelta(days=7)).isoformat()


@register.filter
def prev_month(day: date) -> str:
    return (day.replace(day=1) - timedelta(days=1)).isoformat()


@register.filter
def next_day(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()
