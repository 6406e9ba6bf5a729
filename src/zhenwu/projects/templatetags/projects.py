from decimal import Decimal

from django import template

from zhenwu.core.numbers import format_money, format_percent

register = template.Library()


@register.filter
def money(yuan: Decimal | None) -> str:
    """As reports write money: 万元 below 1 亿, 亿元 with two decimals above."""
    return "—" if yuan is None else format_money(yuan)


@register.filter
def share(value: Decimal | None) -> str:
    return "—" if value is None else format_percent(value * 100)
