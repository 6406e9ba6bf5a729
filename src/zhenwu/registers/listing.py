"""A register's list narrowed by the user (unit, dates, a choice, words) and the same list in Excel.

The filters are a GET form so that a filtered list is a link; the export takes the same query and writes
what the page shows: labels as headers, choice labels rather than names, personal values as masked as
the page shows them (the record's `data` only ever holds the masked copies).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from zhenwu.core.text import printable_cells
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.org.widgets import UnitPicker, labelled, refusal
from zhenwu.web.forms import Form

from . import services
from .models import Register, RegisterRecord, Thing

# An export holds at most this many records: a township's year of patrols; more is narrowed first.
EXPORT_MAX = 100_000
FILTER_KEYS = ("unit", "since", "until", "choice", "q", "township")


class ListFilter(Form):
    unit = forms.ChoiceField(
        label="所属单元",
        required=False,
        widget=UnitPicker,
        error_messages={"invalid_choice": refusal("所属单元")},
    )
    since = forms.DateField(
        label="填报日期从", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    choice = forms.ChoiceField(label="选项", required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def __init__(self, data: Any, *, user: Any, register: Register) -> None:
        super().__init__(data)
        self.register = register
        units = scope.visible_units(user).filter(
            path__startswith=register.township.path,
            kind__in=[OrgKind.TOWNSHIP, OrgKind.VILLAGE, OrgKind.GRID],
        )
        self.units = {unit.code: unit for unit in units.order_by("path")}
        self.fields["unit"].choices = [("", "全部")] + [
            (u.code, label) for u, label in labelled(self.units.values())
        ]
        self.fields["choice"].choices = [("", "全部"), *choice_options(register)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "“至”的日期不能早于“填报日期从”。")
        return cleaned

    def chosen_unit(self) -> OrgUnit | None:
        return self.units.get(self.cleaned_data.get("unit") or "")


def choice_options(register: Register) -> list[tuple[str, list[tuple[str, str]]]]:
    """The single choices of the current version, grouped by field: "status=broken" → 状态：损坏."""
    version = register.current_version
    if version is None:
        return []
    groups = []
    for field in version.parsed().fields:
        if field.type == "select_one" and field.choices:
            label = field.label or field.name
            options = [(f"{field.name}={c.name}", f"{label}：{c.label or c.name}") for c in field.choices]
            groups.append((label, options))
    return groups


def list_filter(request_get: Any, user: Any, register: Register) -> ListFilter:
    form = ListFilter(request_get, user=user, register=register)
    form.is_valid()  # a wrong value is shown next to its field; the others still narrow the list
    return form


def _clean(form: ListFilter, name: str) -> Any:
    return form.cleaned_data.get(name) if name not in form.errors else None


def filtered_records(user: Any, register: Register, form: ListFilter) -> QuerySet[RegisterRecord]:
    records = services.records_for(user, register)
    unit = form.chosen_unit() if "unit" not in form.errors else None
    if unit is not None:
        records = records.filter(unit__path__startswith=unit.path)
    since, until = _clean(form, "since"), _clean(form, "until")
    if since:
        records = records.filter(entered_at__gte=_day_start(since))
    if until:
        records = records.filter(entered_at__lt=_day_start(until) + timedelta(days=1))
    choice = _clean(form, "choice") or ""
    if "=" in choice:
        name, value = choice.split("=", 1)
        records = records.filter(**{f"data__{name}": value})
    words = (_clean(form, "q") or "").strip()
    if words:
        records = records.annotate(data_text=Cast("data", TextField())).filter(_text_has("data_text", words))
    return records.order_by("-entered_at", "-pk")


def filtered_things(user: Any, register: Register, form: ListFilter) -> QuerySet[Thing]:
    things = services.things_for(user, register)
    unit = form.chosen_unit() if "unit" not in form.errors else None
    if unit is not None:
        things = things.filter(unit__path__startswith=unit.path)
    choice = _clean(form, "choice") or ""
    version = register.current_version
    if "=" in choice and version is not None:
        name, value = choice.split("=", 1)
        field = version.parsed().fields_by_name.get(name)
        if field is not None and field.save_to:
            things = things.filter(**{f"properties__{field.save_to}": value})
    words = (_clean(form, "q") or "").strip()
    if words:
        things = things.annotate(data_text=Cast("properties", TextField())).filter(
            Q(label__icontains=words) | Q(identity__icontains=words) | _text_has("data_text", words)
        )
    return things.order_by("label", "pk")


def _text_has(column: str, words: str) -> Q:
    # SQLite keeps JSON as Django wrote it, non-ASCII escaped (\u4e95); PostgreSQL's jsonb as the text.
    escaped = json.dumps(words)[1:-1]
    return Q(**{f"{column}__icontains": words}) | Q(**{f"{column}__icontains": escaped})


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def query_string(request_get: Any) -> str:
    """The filters of the page as a query, for its pager and its export link."""
    kept = [(key, request_get.get(key)) for key in FILTER_KEYS if request_get.get(key)]
    return urlencode(kept)


def export_records(register: Register, records: QuerySet[RegisterRecord]) -> bytes:
    """The filtered records as the page shows them, one row each, under the current version's labels.

    A repeat (产出, 实物) gets a sheet of its own with one row per item, each led by its record's number
    and unit, and the records' sheet says how many items each record has. A clerk totals 数量 by 单位
    in a sheet like that with a filter or a pivot table, which rows joined into one cell would not
    allow; it is also how the import template lays a repeat out.
    """
    version = register.current_version
    definition = version.parsed() if version else None
    fields = [f for f in definition.fields if f.type != "note"] if definition else []
    repeats = list(definition.repeats) if definition else []
    book = Workbook()
    sheet = book.active
    sheet.title = "记录"
    head = ["记录号", "所属单元", "对象", "填报人", "填报时间", "版本", *[f.label or f.name for f in fields]]
    sheet.append(head + [f"{repeat.title}(项数)" for repeat in repeats])
    item_sheets = {}
    for repeat in repeats:
        items = book.create_sheet(_sheet_name(repeat.title, book.sheetnames))
        items.append(["记录号", "所属单元", "第几项", *services.repeat_table(repeat, []).labels])
        item_sheets[repeat.name] = items
    for written in book.worksheets:
        for cell in written[1]:
            cell.font = Font(bold=True)
    for record in records[:EXPORT_MAX]:
        shown = {value.name: value for value in services.shown_values(record)}
        counts = []
        for repeat in repeats:
            # By the current version's columns, as the sheet's head: an older record's rows line up.
            table = services.repeat_table(repeat, record.data.get(repeat.name) or [])
            counts.append(len(table.rows))
            items = item_sheets[repeat.name]
            kinds = [f.type for f in services.repeat_columns(repeat)]
            for number, row in enumerate(table.rows, start=1):
                cells = [
                    _number(v) if kind in ("integer", "decimal") else _cell(v)
                    for kind, v in zip(kinds, row, strict=True)
                ]
                items.append(printable_cells([record.pk, record.unit.name, number, *cells]))
        sheet.append(
            printable_cells(
                [
                    record.pk,
                    record.unit.name,
                    record.thing.label if record.thing else "",
                    str(record.entered_by or ""),
                    timezone.localtime(record.entered_at).strftime("%Y-%m-%d %H:%M"),
                    record.version.version,
                    *[_cell(shown[f.name].value if f.name in shown else None) for f in fields],
                    *counts,
                ]
            )
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    """A repeat's label as a sheet may be named (31 characters, none of []:*?/\\), unlike the others."""
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "明细"
    return name if name not in taken else f"{name[:28]}({len(taken)})"


def _number(value: Any) -> Any:
    """A number field's text as a number Excel adds up; anything else as it is."""
    try:
        return Decimal(str(value)) if str(value).strip() else ""
    except InvalidOperation:
        return _cell(value)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def export_things(register: Register, things: QuerySet[Thing]) -> bytes:
    """A thing register's list as shown: each thing with its number, unit and current properties."""
    version = register.current_version
    saved = [f for f in version.parsed().fields if f.save_to] if version else []
    book = Workbook()
    sheet = book.active
    sheet.title = "对象"
    sheet.append(["名称", "编号", "所属单元", "更新时间", *[f.label or f.name for f in saved]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for thing in things.select_related("register__current_version")[:EXPORT_MAX]:
        shown = {value.name: value.value for value in services.thing_properties(thing)}
        sheet.append(
            printable_cells(
                [
                    thing.label,
                    thing.identity,
                    thing.unit.name,
                    timezone.localtime(thing.updated_at).strftime("%Y-%m-%d %H:%M"),
                    *[_cell(shown.get(f.save_to)) for f in saved],
                ]
            )
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
