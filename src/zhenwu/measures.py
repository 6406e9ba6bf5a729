"""Measures: figures zhenwu computes from its own records, each under a name an indicator can be bound to.

A township's indicator that measures something zhenwu records (低保金发放, 网格事件办结率, 在库项目数,
新增监测对象) is bound to one of these instead of being typed: its value for any month is computed from
the records, so that the dashboard, the API, the Excel export and the report print the same figure as the
records' own pages. Each app declares the measures of its records in its `measures.py` (registered when
the app is ready), through its own services; nothing here knows a record.

A measure's value for the period "1-M月" of a year is, by its kind: cumulative, over 1 January to the end
of month M; level, at the end of month M; rate, over 1 January to the end of month M.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhenwu.core.periods import Period
    from zhenwu.org.models import OrgUnit

MONEY = "money"  # in 元; an indicator kept in 万元 or 亿元 is converted
COUNT = "count"
PERCENT = "percent"

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}


@dataclass(frozen=True)
class Records:
    """The page that lists the records a measured value was computed from: a URL name and its query."""

    label: str
    route: str
    args: tuple[int | str, ...] = ()
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Measured:
    value: Decimal | None
    records: Records


@dataclass(frozen=True)
class Measure:
    key: str  # "cases.resolution_rate": how an indicator names it
    label: str  # "事件办结率"
    kind: str  # cumulative | level | rate, as an indicator's kind
    quantity: str  # MONEY | COUNT | PERCENT
    # (unit and its subtree, period, option, memo): the memo lives for one table of figures, so that
    # measures reading the same records (three case types' rates) read them once.
    compute: Callable[[OrgUnit, Period, str, dict[object, object]], Measured]
    option_label: str = ""  # what the option narrows the records to ("事件类型"); "" when it takes none
    options: Callable[[], list[tuple[str, str]]] | None = None  # (value, label) of every option

    def option_choices(self) -> list[tuple[str, str]]:
        return self.options() if self.options else []

    def fits_unit(self, unit: str) -> bool:
        """Whether an indicator kept in `unit` can show this measure."""
        if self.quantity == MONEY:
            return unit in MONEY_UNITS
        if self.quantity == PERCENT:
            return unit == "%"
        return unit not in MONEY_UNITS and unit != "%"

    def value_in(self, unit: str, unit_value: Decimal | None) -> Decimal | None:
        """A measured value in the indicator's unit (元 to 万元 or 亿元)."""
        if unit_value is None or self.quantity != MONEY:
            return unit_value
        return unit_value / MONEY_UNITS[unit]


_REGISTRY: dict[str, Measure] = {}


def register(*measures: Measure) -> None:
    for measure in measures:
        _REGISTRY[measure.key] = measure


def get(key: str) -> Measure | None:
    return _REGISTRY.get(key)


def all_measures() -> list[Measure]:
    return sorted(_REGISTRY.values(), key=lambda m: m.key)


def choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in all_measures()]
