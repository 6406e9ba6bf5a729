"""A register's figures (统计口径): what its settings declare, computed over the records a user may see.

Each figure counts, sums, averages or counts the distinct values of one field over the rows of a
register, narrowed by an XLSForm filter:

* an activity register's rows are its records, in a span of dates. A record's date is its register's
  *date field* — the first required `date` field of the current definition (巡查日期, 走访日期) — and,
  for a record that holds none (one made by an older version), the day it was entered;
* a thing register's rows are its things as they stand now (路灯总数, 损坏路灯): each thing's current
  properties, read through the field that saves to them, else through the record that registered it.
  A thing counts from the day it was registered: a span only sets the day the count is taken.

Filters of the plain shapes township workbooks write (`${x} = 'v'`, `${x} != 'v'`, `selected(${x},
'v')`, a number compared, several joined by `and`) run in the database as JSON lookups; any other
expression is evaluated in Python on each row with `expressions.is_true`, which is slower but the same
answer. Either way a figure comes back with the rows it was computed from, so a page can link its number
to them.

A sum or average of a field inside a repeat (产出的数量) is over the repeat's items: the filter is read in
each item (`${unit} = 'ton'` of the same item, `${campaign_type}` of its record), and the figure's rows are
the records with an item that counts. Items live inside a JSON list, so these figures are computed in
Python, record by record, by each record's own version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Case, Count, DecimalField, Q, QuerySet, Sum, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, NullIf
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from zhenwu.core.numbers import format_count, format_money, format_percent, format_plain
from zhenwu.org import scope
from zhenwu.org.models import OrgUnit

from . import expressions, services
from .definition import FIGURE_KEYS, RATIO_TERM, Definition, FigureSpec, MethodSpec
from .models import Register, RegisterVersion

NUMBER = DecimalField(max_digits=30, decimal_places=6)
NUMERIC_TYPES = ("integer", "decimal")
QUOTED = r"'([^']*)'|\"([^\"]*)\""
FIELD = r"\$\{(\w+)\}"
COMPARISON = re.compile(rf"^{FIELD}\s*(=|!=|<=|>=|<|>)\s*(?:{QUOTED}|(-?\d+(?:\.\d+)?))$")
SELECTED = re.compile(rf"^selected\(\s*{FIELD}\s*,\s*(?:{QUOTED})\s*\)$")
AND = re.compile(r"\s+and\s+")
# What narrows a register's page to a figure's rows; `sentence` names the 主要做法 sentence whose filter
# narrows the figure further.
QUERY_KEYS = ("figure", "sentence", "unit", "start", "end")
LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


@dataclass(frozen=True)
class Span:
    """The days a figure covers, both included; None leaves that side open."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Computed:
    """One figure's value and the rows (records, or things) it was computed from."""

    spec: FigureSpec
    value: Decimal | None
    rows: QuerySet[Any]

    @property
    def text(self) -> str:
        return figure_text(self.value, self.spec.unit, zero=self.spec.zero)


@dataclass
class Breakdown:
    """A register's figures for a unit and, one row each, for the units directly under it."""

    unit: OrgUnit
    span: Span
    total: list[Computed]
    rows: list[tuple[OrgUnit, list[Computed]]] = field(default_factory=list)


def figure_text(value: Decimal | None, unit: str, *, zero: bool = False) -> str:
    """'1055盏', '33.68万元', '31.4%', '—' when there is nothing to average; '零人' for a figure stated
    even when it is 0 (a report's "零赴省")."""
    if value is None:
        return "—"
    if zero and value == 0:
        return f"零{unit}"
    if unit == "元":
        return format_money(value)
    if unit == "%":
        return format_percent(value)
    return format_count(value, unit) if unit else format_plain(value, 2)


# --- reading the definition ----------------------------------------------------------------------------


def definition_of(register: Register) -> Definition | None:
    """The current definition, parsed once per loaded version object (a page reads it per figure)."""
    version = register.current_version
    if version is None:
        return None
    if not hasattr(version, "_parsed_for_figures"):
        version._parsed_for_figures = version.parsed()  # type: ignore[attr-defined]
    return version._parsed_for_figures  # type: ignore[attr-defined,no-any-return]


def saved_as(definition: Definition | None) -> dict[str, str]:
    """Field name -> the thing's property it is kept under: its `save_to`; when no field saves, a thing
    keeps every value under the field's own name (see services._update_things)."""
    if definition is None:
        return {}
    saved = {f.name: f.save_to for f in definition.fields if f.save_to}
    return saved or {f.name: f.name for f in definition.fields if f.type != "note"}


def date_field(definition: Definition | None) -> str:
    """The field that dates a record: the first required `date` field, or "" (the day it was entered)."""
    if definition is None:
        return ""
    return next((f.name for f in definition.fields if f.type == "date" and f.required), "")


def spec_named(register: Register, name: str, sentence: str = "") -> FigureSpec | None:
    """The figure `name`; within the 主要做法 sentence `sentence`, narrowed by the sentence's filter."""
    spec = next((spec for spec in specs(register) if spec.name == name), None)
    if spec is None or not sentence:
        return spec
    definition = definition_of(register)
    method = next((m for m in definition.methods if m.name == sentence), None) if definition else None
    return within(spec, method) if method is not None else None


def within(spec: FigureSpec, method: MethodSpec) -> FigureSpec:
    """The figure over the records that meet the sentence's filter as well as its own."""
    if not method.filter:
        return spec
    both = [f"({f})" if " or " in f else f for f in (method.filter, spec.filter) if f.strip()]
    return replace(spec, filter=" and ".join(both))


def specs(register: Register) -> list[FigureSpec]:
    """The figures the register's current version declares (copied onto the register when loaded)."""
    return [_spec(item) for item in register.figures]


def _spec(item: dict[str, Any]) -> FigureSpec:
    values: dict[str, Any] = {key: str(item.get(key, "")) for key in FIGURE_KEYS if key != "zero"}
    return FigureSpec(**values, zero=bool(item.get("zero", False)))


# --- the rows a figure counts ---------------------------------------------------------------------------


def rows_for(user: Any, register: Register, unit: OrgUnit, span: Span) -> QuerySet[Any]:
    """The records (or, for a thing register, things) `user` may see, in `unit`'s subtree and `span`."""
    if register.kind == "thing":
        things = services.things_for(user, register).filter(unit__path__startswith=unit.path)
        if span.end is not None:
            things = things.filter(created_by_record__entered_at__lt=_day_start(span.end + timedelta(days=1)))
        return things
    records = services.records_for(user, register).filter(unit__path__startswith=unit.path)
    return records.filter(dated(date_field(definition_of(register)), span))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def dated(name: str, span: Span) -> Q:
    """Records in the span by their date field, or by the day they were entered when they hold none."""
    entered = Q()
    if span.start is not None:
        entered &= Q(entered_at__gte=_day_start(span.start))
    if span.end is not None:
        entered &= Q(entered_at__lt=_day_start(span.end + timedelta(days=1)))
    if not name:
        return entered
    # ISO dates compare as text; the key is read as text on both databases.
    day = KeyTextTransform(name, "data")
    dated = Q(IsNull(day, False)) & ~Q(Exact(day, ""))
    on_day = Q()
    if span.start is not None:
        on_day &= Q(GreaterThanOrEqual(day, span.start.isoformat()))
    if span.end is not None:
        on_day &= Q(LessThanOrEqual(day, span.end.isoformat()))
    return (dated & on_day) | (~dated & entered)


def _column(register: Register, definition: Definition | None, name: str) -> str:
    """Where a field's value lies: a record's `data`; a thing's `properties` when the field is kept
    there, else the data of the record that registered it."""
    if register.kind != "thing":
        return "data"
    return "properties" if name in saved_as(definition) else "created_by_record__data"


def _key(register: Register, definition: Definition | None, name: str) -> str:
    if register.kind != "thing":
        return name
    return saved_as(definition).get(name, name)


def _text(register: Register, definition: Definition | None, name: str) -> Cast:
    # Cast, so that lookups on it are plain text lookups and not the JSON key's own (which would read
    # the compared value as JSON).
    key = KeyTextTransform(_key(register, definition, name), _column(register, definition, name))
    return Cast(key, TextField())


# --- the filter ----------------------------------------------------------------------------------------


def narrowed(
    register: Register, rows: QuerySet[Any], expression: str, *, in_database: bool = True
) -> QuerySet[Any]:
    """`rows` that meet `expression`: in the database when it is of a plain shape, else row by row."""
    if not expression.strip():
        return rows
    definition = definition_of(register)
    if in_database and definition is not None:
        where = _pushed(register, definition, expression)
        if where is not None:
            annotations, q = where
            return rows.annotate(**annotations).filter(q)
    return rows.filter(pk__in=_kept_in_python(register, rows, expression))


def _pushed(
    register: Register, definition: Definition, expression: str, prefix: str = "_figure_value_"
) -> tuple[dict[str, Any], Q] | None:
    """The expression as JSON lookups, or None when one of its parts is not a plain shape. The values
    it compares are annotations named `prefix` and a number (several filters can share a query)."""
    annotations: dict[str, Any] = {}
    where = Q()
    for n, part in enumerate(AND.split(expression.strip())):
        found = _part(register, definition, part.strip(), f"{prefix}{n}")
        if found is None:
            return None
        annotation, q = found
        annotations[f"{prefix}{n}"] = annotation
        where &= q
    return annotations, where


def _part(register: Register, definition: Definition, part: str, alias: str) -> tuple[Any, Q] | None:
    fields = definition.fields_by_name
    selected = SELECTED.match(part)
    if selected:
        name, choice = selected.group(1), selected.group(2) or selected.group(3) or ""
        if name not in fields or fields[name].type != "select_multiple":
            return None
        # A select_multiple holds its choices space-separated, as the XForm does.
        q = (
            Q(**{alias: choice})
            | Q(**{f"{alias}__startswith": f"{choice} "})
            | Q(**{f"{alias}__endswith": f" {choice}"})
            | Q(**{f"{alias}__contains": f" {choice} "})
        )
        return _text(register, definition, name), q
    compared = COMPARISON.match(part)
    if not compared or compared.group(1) not in fields:
        return None
    name, symbol = compared.group(1), compared.group(2)
    quoted = compared.group(3) if compared.group(3) is not None else compared.group(4)
    number = compared.group(5)
    numeric = fields[name].type in NUMERIC_TYPES
    text = _text(register, definition, name)
    if number is not None and numeric:
        # XPath compares numbers; an empty value is NaN, which nothing equals, and NaN != 3 holds.
        value = Cast(NullIf(text, Value("")), NUMBER)
        if symbol == "!=":
            return value, Q(**{f"{alias}__isnull": True}) | ~Q(**{alias: Decimal(number)})
        return value, Q(**{f"{alias}__{LOOKUPS[symbol]}": Decimal(number)})
    if quoted is not None and not numeric and symbol in ("=", "!="):
        # A missing value is "" in the instance: it differs from any choice.
        empty = Q(**{f"{alias}__isnull": True}) | Q(**{alias: ""})
        if symbol == "=" and quoted and connection.vendor == "postgresql":
            # JSON containment, which the GIN index on the column serves (migration 0004).
            column, key = _column(register, definition, name), _key(register, definition, name)
            return text, Q(**{f"{column}__contains": {key: quoted}})
        if symbol == "=":
            return text, Q(**{alias: quoted}) if quoted else empty
        if not quoted:
            return text, ~empty
        return text, Q(**{f"{alias}__isnull": True}) | ~Q(**{alias: quoted})
    return None


def _kept_in_python(register: Register, rows: QuerySet[Any], expression: str) -> list[int]:
    """The pks of rows whose values meet the expression, each evaluated by its own version."""
    today = timezone.localdate()
    definitions: dict[int, Definition] = {}
    kept = []
    for pk, version, values in _values(register, rows):
        if version not in definitions:
            definitions[version] = _version(version)
        definition = definitions[version]
        try:
            if expressions.is_true(expression, values, definition, today=today):
                kept.append(pk)
        except expressions.ExpressionError:
            continue  # a filter that cannot be read on this row does not count it
    return kept


def _version(pk: int) -> Definition:
    return RegisterVersion.objects.get(pk=pk).parsed()


def _values(register: Register, rows: QuerySet[Any]) -> Iterable[tuple[int, int, dict[str, Any]]]:
    """(pk, version pk, the values a filter reads) of each row: a thing's are the values it was
    registered with, its current properties written over the fields that save to them."""
    if register.kind != "thing":
        yield from rows.values_list("pk", "version_id", "data").iterator()
        return
    saved = {key: name for name, key in saved_as(definition_of(register)).items()}
    found = rows.values_list("pk", "created_by_record__version_id", "created_by_record__data", "properties")
    for pk, version, data, properties in found.iterator():
        values = dict(data or {})
        values.update({saved[key]: value for key, value in (properties or {}).items() if key in saved})
        yield pk, version, values


# --- computing ----------------------------------------------------------------------------------------


def in_repeat(register: Register, spec: FigureSpec) -> bool:
    """Whether the figure sums or averages a field of a repeat's items."""
    definition = definition_of(register)
    found = definition.any_field.get(spec.field) if definition is not None and spec.field else None
    return found is not None and bool(found.repeat)


def _items(register: Register, spec: FigureSpec, rows: QuerySet[Any]) -> dict[int, tuple[Decimal, int]]:
    """Row pk -> (the sum of the field over its items that meet the filter, how many hold a number); a
    row without such an item is absent."""
    today = timezone.localdate()
    definitions: dict[int, Definition] = {}
    found: dict[int, tuple[Decimal, int]] = {}
    for pk, version, values in _values(register, rows):
        if version not in definitions:
            definitions[version] = _version(version)
        definition = definitions[version]
        if spec.field not in definition.any_field:
            continue  # a version without the field
        try:
            kept = expressions.rows_where(spec.filter, values, definition, spec.field, today)
        except expressions.ExpressionError:
            continue  # a filter that cannot be read on this record does not count it
        numbers = [number for row in kept if (number := _decimal(row.get(spec.field))) is not None]
        if numbers:
            found[pk] = (sum(numbers, Decimal(0)), len(numbers))
    return found


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _of_items(spec: FigureSpec, parts: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    total, count = Decimal(0), 0
    for value, n in parts:
        total, count = total + value, count + n
    if spec.aggregate == "sum":
        return total.normalize()
    return (total / count).normalize() if count else None


def compute(
    register: Register, spec: FigureSpec, rows: QuerySet[Any], *, in_database: bool = True
) -> Computed:
    """One figure over `rows` (from `rows_for`): its value, and the rows it was computed from."""
    if spec.aggregate == "ratio":
        return _ratio(register, spec, lambda term: compute(register, term, rows, in_database=in_database))
    if in_repeat(register, spec):
        found = _items(register, spec, rows)
        return Computed(spec, _of_items(spec, found.values()), rows.filter(pk__in=list(found)))
    kept = narrowed(register, rows, spec.filter, in_database=in_database)
    if spec.aggregate == "count":
        return Computed(spec, Decimal(kept.count()), kept)
    definition = definition_of(register)
    value = _text(register, definition, spec.field)
    if spec.aggregate == "distinct":
        given = _given(register, spec, kept)
        n = given.order_by().values("_figure_target").distinct().count()
        return Computed(spec, Decimal(n), given)
    number = Cast(NullIf(value, Value("")), NUMBER)
    function = Sum if spec.aggregate == "sum" else Avg
    result = kept.order_by().aggregate(v=function(number, output_field=NUMBER))["v"]
    if result is None:
        result = Decimal(0) if spec.aggregate == "sum" else None
    return Computed(spec, None if result is None else Decimal(result).normalize(), kept)


def _ratio(register: Register, spec: FigureSpec, value_of: Any) -> Computed:
    """A ratio from the figures it names (`value_of` computes one), in percent; None when the
    denominator is 0 or one of them has no value. Its rows are the denominator's."""
    named = {s.name: s for s in specs(register)}
    found = [_term(named, term, value_of) for term in (spec.numerator, spec.denominator)]
    (numerator, _), (denominator, rows) = found
    if numerator is None or not denominator:
        return Computed(spec, None, rows)
    return Computed(spec, numerator * 100 / denominator, rows)


def _term(named: dict[str, FigureSpec], term: str, value_of: Any) -> tuple[Decimal | None, Any]:
    """A ratio's numerator or denominator: one figure's value, or one less another; and its rows."""
    found = RATIO_TERM.match(term)
    names = [n for n in (found.groups() if found else ()) if n]
    computed = [value_of(named[n]) for n in names if n in named]
    if not computed or len(computed) < len(names) or any(c.value is None for c in computed):
        return None, computed[0].rows if computed else None
    value = computed[0].value - sum((c.value for c in computed[1:]), Decimal(0))
    return value, computed[0].rows


def figures_for(
    user: Any, register: Register, unit: OrgUnit, span: Span, *, in_database: bool = True
) -> list[Computed]:
    """Every figure of the register for `unit` (and its subtree) over `span`, as `user` may see it."""
    rows = rows_for(user, register, unit, span)
    return [compute(register, spec, rows, in_database=in_database) for spec in specs(register)]


def breakdown(user: Any, register: Register, unit: OrgUnit, span: Span) -> Breakdown:
    """The figures for `unit` and for each unit directly under it (for a township, its villages): a
    grid's records count for its village.

    One query grouped by the rows' units gives every figure of every unit (each figure's filter as
    its aggregate's own condition; a distinct count's values as a second grouping, and any further
    distinct count one query of its own); the unit's figures are its units' parts added up. A page
    so reads the register's records once, not twice per figure."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("path"))
    rows = rows_for(user, register, unit, span)
    every = specs(register)
    chosen = [spec for spec in every if spec.aggregate != "ratio"]  # ratios from the others, below
    # A repeat's figure is read in Python, record by record; its rows are the records with an item
    # that counts.
    items = {n: _items(register, spec, rows) for n, spec in enumerate(chosen) if in_repeat(register, spec)}
    kept = [
        rows.filter(pk__in=list(items[n])) if n in items else narrowed(register, rows, spec.filter)
        for n, spec in enumerate(chosen)
    ]
    parts = _parts_by_unit(register, chosen, rows, items)
    held = {u for part in parts for u in part}
    paths = dict(OrgUnit.objects.filter(pk__in=held).values_list("pk", "path"))
    under = {u: next((c.pk for c in children if paths[u].startswith(c.path)), None) for u in paths}
    result = Breakdown(unit, span, [])
    for spec, part, rows_kept in zip(chosen, parts, kept, strict=True):
        total = _folded(part, dict.fromkeys(part, unit.pk)).get(unit.pk)
        result.total.append(Computed(spec, _figure(spec, total), _given(register, spec, rows_kept)))
    folded = [_folded(part, under) for part in parts]
    for child in children:
        computed = [
            Computed(spec, _figure(spec, found.get(child.pk)), _within(rows_kept, child))
            for spec, found, rows_kept in zip(chosen, folded, kept, strict=True)
        ]
        result.rows.append((child, _with_ratios(register, every, computed)))
    result.total = _with_ratios(register, every, result.total)
    return result


def _with_ratios(register: Register, every: list[FigureSpec], computed: list[Computed]) -> list[Computed]:
    """The figures in their declared order, each ratio computed from the others' values."""
    by_name = {c.spec.name: c for c in computed}
    return [
        _ratio(register, spec, lambda term: by_name[term.name])
        if spec.aggregate == "ratio"
        else by_name[spec.name]
        for spec in every
    ]


def _within(rows: QuerySet[Any], unit: OrgUnit) -> QuerySet[Any]:
    # Made when read (tests and links read few of them): a page shows a hundred cells and reads none.
    return SimpleLazyObject(lambda: rows.filter(unit__path__startswith=unit.path))  # type: ignore[return-value]


Part = tuple[Decimal, Decimal, set[Any]]  # a count or sum, the values summed, the distinct values


def _figure(spec: FigureSpec, part: Part | None) -> Decimal | None:
    """A figure's value from its added-up parts: nothing counted is 0, nothing to average is None."""
    total, n, seen = part or (Decimal(0), Decimal(0), set())
    if spec.aggregate == "distinct":
        return Decimal(len(seen))
    if spec.aggregate == "avg":
        return (total / n).normalize() if n else None
    return total if spec.aggregate == "count" or not spec.field else total.normalize()


def _given(register: Register, spec: FigureSpec, kept: QuerySet[Any]) -> QuerySet[Any]:
    """The rows a figure is computed from: for a distinct count, those that hold a value."""
    if spec.aggregate != "distinct":
        return kept
    value = _text(register, definition_of(register), spec.field)
    given = kept.annotate(_figure_target=value).exclude(_figure_target__isnull=True)
    return given.exclude(_figure_target="")


def _parts_by_unit(
    register: Register,
    chosen: list[FigureSpec],
    rows: QuerySet[Any],
    items: dict[int, dict[int, tuple[Decimal, int]]] | None = None,
) -> list[dict[int, Part]]:
    """Each figure's part in each unit that holds rows, from one query grouped by unit (and by the
    values of the first distinct count), and one more for each further distinct count. A repeat's
    figure (its number in `items`: `_items` of its records) is added up by the records' units."""
    definition = definition_of(register)
    parts: list[dict[int, Part]] = [{} for _ in chosen]
    items = items or {}
    if any(items.values()):
        units = dict(rows.order_by().values_list("pk", "unit"))
        for n, found in items.items():
            for pk, (total, count) in found.items():
                _add(parts[n], units[pk], (total, Decimal(count), set()))
    aliases: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    grouped: tuple[int, Any] | None = None  # the distinct count whose values the query groups by
    for n, spec in enumerate(chosen):
        if n in items:
            continue
        annotations, where = _condition(register, definition, rows, spec.filter, f"_figure{n}_value_")
        aliases.update(annotations)
        value = _text(register, definition, spec.field) if spec.field else None
        if spec.aggregate == "distinct" and value is not None:
            if grouped is None:
                grouped = (n, Case(When(where, then=value), default=Value(None)) if where else value)
                continue
            pairs = rows.order_by().alias(**annotations).filter(where).annotate(_figure_target=value)
            for unit, target in pairs.values_list("unit", "_figure_target").distinct():
                _add(parts[n], unit, (Decimal(0), Decimal(0), {target}))
        elif spec.aggregate == "count" or value is None:
            aggregates[f"_figure{n}_n"] = Count("pk", filter=where or None)
        else:
            number = Cast(NullIf(value, Value("")), NUMBER)
            aggregates[f"_figure{n}_s"] = Sum(number, filter=where or None, output_field=NUMBER)
            aggregates[f"_figure{n}_n"] = Count(number, filter=where or None)
    if not aggregates and grouped is None:
        return parts
    keys = ["unit"]
    found = rows.order_by().alias(**aliases)
    if grouped is not None:
        found, keys = found.annotate(_figure_target=grouped[1]), ["unit", "_figure_target"]
    for row in found.values(*keys).annotate(**aggregates) if aggregates else found.values(*keys).distinct():
        unit = row["unit"]
        if grouped is not None:
            _add(parts[grouped[0]], unit, (Decimal(0), Decimal(0), {row["_figure_target"]}))
        for n, spec in enumerate(chosen):
            if n in items or f"_figure{n}_n" not in row:
                continue
            count = Decimal(row[f"_figure{n}_n"])
            if spec.aggregate == "count" or not spec.field:
                _add(parts[n], unit, (count, Decimal(0), set()))
            else:
                _add(parts[n], unit, (Decimal(row[f"_figure{n}_s"] or 0), count, set()))
    return parts


def _add(part: dict[int, Part], unit: int, more: Part) -> None:
    """`more` added to the unit's part; a distinct count keeps only values that are there."""
    total, n, seen = part.get(unit, (Decimal(0), Decimal(0), set()))
    part[unit] = (total + more[0], n + more[1], seen | {v for v in more[2] if v not in (None, "")})


def _condition(
    register: Register, definition: Definition | None, rows: QuerySet[Any], expression: str, prefix: str
) -> tuple[dict[str, Any], Q]:
    """A figure's filter as a condition on `rows` (with the annotations it compares), as `narrowed`
    applies it: JSON lookups when of a plain shape, else the rows that meet it, evaluated in Python."""
    if not expression.strip():
        return {}, Q()
    pushed = _pushed(register, definition, expression, prefix) if definition is not None else None
    if pushed is not None:
        return pushed
    return {}, Q(pk__in=_kept_in_python(register, rows, expression))


def _folded(part: dict[int, Part], under: dict[int, int | None]) -> dict[int, Part]:
    """Each row unit's part added to the unit above it that `under` names (none: left out)."""
    found: dict[int, Part] = {}
    for unit, more in part.items():
        if (target := under.get(unit)) is not None:
            _add(found, target, more)
    return found


def by_period(
    user: Any, register: Register, name: str, unit: OrgUnit, year: int, every: str = "month"
) -> list[tuple[str, Computed]]:
    """One figure for each month (or quarter) of `year`: ("1月", figure) or ("一季度", figure)."""
    spec = spec_named(register, name)
    if spec is None:
        raise LookupError(f"台账“{register.title}”没有统计口径“{name}”。")
    months = 1 if every == "month" else 3
    found = []
    for n, first in enumerate(range(1, 13, months)):
        start = date(year, first, 1)
        after = date(year + 1, 1, 1) if first + months > 12 else date(year, first + months, 1)
        end = after - timedelta(days=1)
        label = f"{first}月" if months == 1 else f"{'一二三四'[n]}季度"
        rows = rows_for(user, register, unit, Span(start, end))
        found.append((label, compute(register, spec, rows)))
    return found


# --- the list behind a number ---------------------------------------------------------------------------


def query_of(computed: Computed, unit: OrgUnit, span: Span) -> list[tuple[str, str]]:
    """The register page's query that lists the rows behind a figure."""
    query = [("figure", computed.spec.name), ("unit", unit.code)]
    if span.start is not None:
        query.append(("start", span.start.isoformat()))
    if span.end is not None:
        query.append(("end", span.end.isoformat()))
    return query


def listed(user: Any, register: Register, params: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """`rows` of the register's page narrowed to a figure's when the query names one (figure, unit,
    start, end); a unit out of the user's scope lists nothing."""
    name = params.get("figure", "")
    spec = spec_named(register, name, params.get("sentence", "")) if name else None
    if spec is None:
        return rows
    unit = OrgUnit.objects.filter(code=params.get("unit", "")).first() or register.township
    span = Span(_date(params.get("start")), _date(params.get("end")))
    behind = compute(register, spec, rows_for(user, register, unit, span)).rows
    return rows.filter(pk__in=behind.values("pk"))


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- the register's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    label: str
    text: str
    url: str


@dataclass(frozen=True)
class Table:
    """The figures as the register's page shows them: a header, the unit's own row, one per unit under it."""

    span_words: str
    labels: list[str]
    rows: list[tuple[str, list[Cell]]]
    filtered: str  # the label of the figure the list below is narrowed to, or ""
    all_query: str  # the page's query without the figure: every record again


def page_unit(user: Any, register: Register) -> OrgUnit:
    """The unit a register's page counts for: the user's own when it lies in the register's township."""
    root = scope.scope_root(user)
    return root if root is not None and root.is_within(register.township) else register.township


def page_table(user: Any, register: Register, params: Any) -> Table | None:
    """The register's figures for the page's unit from 1 January to today, each linking to its rows."""
    if not register.figures:
        return None
    today = timezone.localdate()
    span = Span(date(today.year, 1, 1), today)
    found = breakdown(user, register, page_unit(user, register), span)
    url = reverse("registers:record-list", args=[register.form_id])
    own = [("township", register.township.code)] if params.get("township") else []

    def cells(unit: OrgUnit, computed: list[Computed]) -> list[Cell]:
        return [
            Cell(c.spec.label, c.text, f"{url}?{urlencode(own + query_of(c, unit, span))}") for c in computed
        ]

    rows = [(f"{found.unit.name}(合计)", cells(found.unit, found.total))]
    rows += [(unit.name, cells(unit, computed)) for unit, computed in found.rows]
    chosen = spec_named(register, params.get("figure", ""))
    return Table(
        span_words=f"{today.year}年1月1日至{today.month}月{today.day}日",
        labels=[f"{c.spec.label}" + (f"({c.spec.unit})" if c.spec.unit else "") for c in found.total],
        rows=rows,
        filtered=chosen.label if chosen else "",
        all_query=urlencode(own),
    )


# --- the work report -------------------------------------------------------------------------------------

AGGREGATE_WORDS = {
    "count": "{rows}的数量",
    "ratio": "{rows}：{field}",
    "sum": "{rows}的“{field}”之和",
    "avg": "{rows}的“{field}”平均值",
    "distinct": "{rows}中不同“{field}”的个数",
}


@dataclass(frozen=True)
class Stated:
    """One register figure as a report states it (no queries left to make): what it is, how it was
    computed, the register page's query that lists its rows, and the measure an indicator binds it by."""

    label: str
    text: str
    value: Decimal
    how: str
    query: tuple[tuple[str, str], ...]
    source: str  # the measure's key: registers.figure, registers.level_money …
    option: str  # <form_id>:<figure name>


@dataclass(frozen=True)
class MethodSentence:
    """A register's 主要做法 sentence as the report states it: text and figures, under the work it
    belongs to (安全生产); the clauses whose figures are nothing are left out."""

    work: str
    pieces: tuple[str | Stated, ...]


@dataclass(frozen=True)
class RegisterLine:
    title: str
    form_id: str
    figures: list[Stated]
    offices: tuple[str, ...] = ()  # the offices that keep it (codes), as its settings declare
    section: str = ""  # the report sub-section its settings name, or ""
    methods: list[MethodSentence] = field(default_factory=list)
    declares_methods: bool = False  # it has 主要做法 sentences, whether or not any is stated


def report_lines(user: Any, unit: OrgUnit, span: Span) -> list[RegisterLine]:
    """The figures of every register of the unit's township that the user may read, for the unit over
    the span, and its 主要做法 sentences made of them; a figure of nothing (0, or no value to average) is
    left out, and so is a register with none left that declares no 主要做法 sentence."""
    township = unit.township()
    if township is None:
        return []
    lines = []
    for register in services.registers_for(user).filter(township=township).order_by("title", "form_id"):
        definition = definition_of(register)
        rows = rows_for(user, register, unit, span)
        stated = {spec.name: _stated(register, spec, rows, unit, span) for spec in specs(register)}
        declared = definition.methods if definition is not None else ()
        methods = []
        for method in declared:
            values = stated
            if method.filter:  # its figures over its records: measures of their own
                named = {n for n in method.parts[1::2]}
                values = {
                    spec.name: _stated(register, spec, rows, unit, span, method)
                    for spec in specs(register)
                    if spec.name in named
                }
            found = {name: value for name, value in values.items() if value is not None}
            if pieces := method_pieces(method, found):
                methods.append(MethodSentence(method.work, tuple(pieces)))
        kept = [value for value in stated.values() if value is not None]
        if kept or declared:
            section = definition.section if definition is not None else ""
            lines.append(
                RegisterLine(
                    register.title,
                    register.form_id,
                    kept,
                    tuple(register.offices),
                    section,
                    methods,
                    bool(declared),
                )
            )
    return lines


def _stated(
    register: Register,
    spec: FigureSpec,
    rows: QuerySet[Any],
    unit: OrgUnit,
    span: Span,
    method: MethodSpec | None = None,
) -> Stated | None:
    """The figure as a report states it, None when it is nothing; within a 主要做法 sentence with a
    filter, over the records that meet it."""
    from .measures import option, source_of

    narrowed_spec = within(spec, method) if method is not None else spec
    computed = compute(register, narrowed_spec, rows)
    if computed.value is None or (not computed.value and not spec.zero):
        return None
    query = (("township", register.township.code), *query_of(computed, unit, span))
    measure = option(register, spec)
    if method is not None and method.filter:
        query = (*query, ("sentence", method.name))
        measure = f"{measure}/{method.name}"
    how = _how(register, definition_of(register), narrowed_spec, span)
    return Stated(spec.label, computed.text, computed.value, how, query, source_of(register, spec), measure)


CLAUSE_END = re.compile(r"([，；、])")


def method_pieces(method: MethodSpec, values: dict[str, Any]) -> list[Any]:
    """The sentence of `method` with each figure's value from `values` (name -> value; a figure of
    nothing is not there): a clause (between ，；、) naming a figure that is not there is left out, and
    the whole sentence when no clause with a figure is left. Pure.

    "检查场所{inspections}，其中危化场所{hazchem}，排查隐患{hazards}" with no hazchem inspections reads
    "检查场所12家次，排查隐患5项"."""
    # Each clause: the separator before it, and its pieces as (is a figure's name, text or name).
    clauses: list[tuple[str, list[tuple[bool, str]]]] = [("", [])]
    parts = method.parts
    for n, part in enumerate(parts):
        if n % 2:
            clauses[-1][1].append((True, part))
            continue
        text = part.rstrip("。") if n == len(parts) - 1 else part
        for m, piece in enumerate(CLAUSE_END.split(text)):
            if m % 2:
                clauses.append((piece, []))
            elif piece:
                clauses[-1][1].append((False, piece))
    kept = [
        (sep, items) for sep, items in clauses if items and all(v in values for named, v in items if named)
    ]
    if not any(named for _, items in kept for named, _ in items):
        return []
    pieces: list[Any] = []
    for n, (separator, items) in enumerate(kept):
        pieces += [separator] if n else []
        pieces += [values[v] if named else v for named, v in items]
    return pieces


def _how(register: Register, definition: Definition | None, spec: FigureSpec, span: Span) -> str:
    end = f"{span.end:%Y-%m-%d}" if span.end else "今天"
    if register.kind == "thing":
        rows = f"台账“{register.title}”截至{end}登记的对象(按当前属性)"
    else:
        start = f"{span.start:%Y-%m-%d}" if span.start else ""
        dated = date_field(definition)
        by = f"按“{definition.field(dated).label}”" if definition and dated else "按填报日期"
        rows = f"台账“{register.title}”{start}至{end}的记录({by})"
    if spec.filter:
        rows += f"中符合“{spec.filter}”的" + ("对象" if register.kind == "thing" else "记录")
    if spec.aggregate == "ratio":
        words = {s.name: s.label for s in specs(register)}
        named = [
            " − ".join(f"“{words.get(n, n)}”" for n in re.split(r"\s*-\s*", term))
            for term in (spec.numerator, spec.denominator)
        ]
        return AGGREGATE_WORDS["ratio"].format(rows=rows, field=f"({named[0]}) ÷ ({named[1]}) × 100%")
    label = spec.field
    found = definition.any_field.get(spec.field) if definition is not None else None
    if found is not None:
        label = found.label or spec.field
    if found is not None and found.repeat and definition is not None:
        label = f"{definition.repeats_by_name[found.repeat].title}各项的{label}"
    return AGGREGATE_WORDS[spec.aggregate].format(rows=rows, field=label)
