"""Register figures an indicator can be bound to (化解村级债务 from the debt resolutions, 路灯总数 from
the lamp register): the option names the figure as `<form_id>:<figure name>`, looked up in the
township of the unit measured.

An indicator's measure has one kind and one quantity, and figures differ in both: an activity's count
or sum runs from 1 January (cumulative), a thing register's count is how things stand (level); a figure
in 元 is money. So the figures are offered under four sources, `registers.figure` (cumulative counts
and amounts other than money) and its money and level siblings, each listing only the figures that fit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.measures import COUNT, MONEY, MONEY_UNITS, Measure, Measured, Records
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import figures
from .definition import FigureSpec
from .models import Register

SOURCES = [
    # key, label, kind, quantity
    ("registers.figure", "台账统计口径(累计)", "cumulative", COUNT),
    ("registers.figure_money", "台账统计口径(累计金额)", "cumulative", MONEY),
    ("registers.level", "台账统计口径(期末数)", "level", COUNT),
    ("registers.level_money", "台账统计口径(期末金额)", "level", MONEY),
]


def kind_of(register: Register, spec: FigureSpec) -> str:
    """Things are counted as they stand; an average is of the span, not added month to month."""
    return "level" if register.kind == "thing" or spec.aggregate == "avg" else "cumulative"


def quantity_of(spec: FigureSpec) -> str:
    return MONEY if spec.unit in MONEY_UNITS else COUNT


def source_of(register: Register, spec: FigureSpec) -> str:
    """The measure a figure is offered under."""
    kind, quantity = kind_of(register, spec), quantity_of(spec)
    return next(key for key, _, k, q in SOURCES if k == kind and q == quantity)


def option(register: Register, spec: FigureSpec) -> str:
    return f"{register.form_id}:{spec.name}"


def _options(kind: str, quantity: str) -> Callable[[], list[tuple[str, str]]]:
    def offered() -> list[tuple[str, str]]:
        found: dict[str, str] = {}
        for register in Register.objects.order_by("form_id", "township__path"):
            for spec in figures.specs(register):
                if kind_of(register, spec) == kind and quantity_of(spec) == quantity:
                    found.setdefault(option(register, spec), f"{register.title}：{spec.label}")
        return sorted(found.items())

    return offered


def compute(unit: OrgUnit, period: Period, chosen: str, memo: dict[object, object]) -> Measured:
    """The figure for `unit` from 1 January to the end of the period, in 元 when it is money."""
    form_id, _, name = chosen.partition(":")
    township = unit.township()
    register = Register.objects.filter(township=township, form_id=form_id).first() if township else None
    spec = figures.spec_named(register, name) if register else None
    if register is None or spec is None:
        return Measured(None, Records("台账", "registers:register-list"))
    span = figures.Span(date(period.year, 1, 1), period.end_date())
    rows = figures.rows_for(scope.WHOLE_UNIT, register, unit, span)
    computed = figures.compute(register, spec, rows)
    value = computed.value
    if value is not None and spec.unit in MONEY_UNITS:
        value = value * MONEY_UNITS[spec.unit]  # a figure kept in 万元 measured in 元
    query = (("township", register.township.code), *figures.query_of(computed, unit, span))
    label = f"{register.title}：{spec.label}"
    return Measured(value, Records(label, "registers:record-list", (register.form_id,), tuple(query)))


def register() -> None:
    measures.register(
        *(
            Measure(
                key, label, kind, quantity, compute, option_label="台账指标", options=_options(kind, quantity)
            )
            for key, label, kind, quantity in SOURCES
        )
    )
