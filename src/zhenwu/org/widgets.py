"""The unit picker: one field for every form in which a user chooses an org unit.

The choices are the user's subtree only (`scope.visible_units`), each shown by its name and the names
above it inside the user's scope (东岗村 › 第1网格); the value sent is the unit's code, so that links
carrying ?unit=<code> keep working, but nobody has to type or read a code. The widget is a plain
<select> that works without JavaScript and on any phone; web/unit-picker.js adds a search box over it
that narrows the list as a name is typed. A code outside the subtree, sent by hand, is refused with the
same words as a code that does not exist, so that nobody learns what lies outside their scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from zhenwu.web.forms import Form

from . import scope
from .models import PATH_SEPARATOR, OrgUnit

STEP = " › "  # between a unit's name and the names above it


def refusal(label: str) -> str:
    return f"“{label}”：所选单位不存在或不在您的范围内，请从列表中选择。"


class UnitPicker(forms.Select):
    """A <select> of units by name and path, marked for web/unit-picker.js.

    It renders its options in one pass rather than through a template per option: a county viewer's
    picker holds thousands of units, and the pages that carry one are list pages.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-unit-picker": "", **(attrs or {})})

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) == chosen else "", text) for key, text in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class _UnitChoices(ModelChoiceIterator):
    """The units in path order, each labelled with the names above it that the user also sees."""

    field: UnitChoiceField

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        names: dict[str, str] = {}
        top: int | None = None
        for unit in self.field.tree.only("code", "name", "kind", "path", "depth"):
            names[unit.path] = unit.name
            top = unit.depth if top is None else min(top, unit.depth)
            if unit.path != self.field.below_path and (
                self.field.kinds is None or unit.kind in self.field.kinds
            ):
                yield (self.choice(unit)[0], path_label(unit, names, top))

    def __len__(self) -> int:
        return self.field.queryset.count() + (self.field.empty_label is not None)


def path_label(unit: OrgUnit, names: dict[str, str], top: int) -> str:
    """东岗村 › 第1网格: the unit's name after those of the units above it, below the top of the scope.

    A name that repeats the one above it (东岗村第1网格 under 东岗村) is shortened after it."""
    codes = unit.path.split(PATH_SEPARATOR)[:-1]
    above = ["".join(f"{code}{PATH_SEPARATOR}" for code in codes[: n + 1]) for n in range(len(codes) - 1)]
    steps = [names[path] for depth, path in enumerate(above) if depth > top and path in names]
    full = [*steps, unit.name]
    shown = [full[0]] + [
        name[len(before) :] if name.startswith(before) and name != before else name
        for before, name in pairwise(full)
    ]
    return STEP.join(shown)


def labelled(units: Iterable[OrgUnit]) -> list[tuple[OrgUnit, str]]:
    """Each of `units` with its label, for a form that keeps its own list of units (a register's)."""
    units = list(units)
    names = {unit.path: unit.name for unit in units}
    top = min((unit.depth for unit in units), default=0)
    return [(unit, path_label(unit, names, top)) for unit in units]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An org unit of the user's subtree, chosen by name; `limit_to(user)` before the form is used.

    The value sent is the unit's code (what links carry); a form whose posts were always the unit's id
    (the case forms, whose posts a phone may keep offline across an upgrade) keeps `to_field_name=None`.

    `kinds` keeps the choices to some levels (a report is written for a township or a village); the
    names of the units above them are still shown.
    """

    iterator = _UnitChoices
    widget = UnitPicker

    def __init__(
        self,
        label: str = "单位",
        *,
        kinds: Iterable[str] | None = None,
        required: bool = False,
        empty_label: str | None = "全部单位",
        to_field_name: str | None = "code",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            OrgUnit.objects.none(),
            label=label,
            required=required,
            empty_label=empty_label,
            to_field_name=to_field_name,
            error_messages={"invalid_choice": refusal(label), "required": f"请选择“{label}”。"},
            **kwargs,
        )
        self.kinds = set(kinds) if kinds is not None else None
        self.tree: Any = OrgUnit.objects.none()
        self.below_path = ""

    def limit_to(self, user: Any, below: OrgUnit | None = None) -> None:
        """Offer only what `user` sees; with `below`, only the units under that one (not itself)."""
        self.tree = scope.visible_units(user).order_by("path")
        units = self.tree if self.kinds is None else self.tree.filter(kind__in=self.kinds)
        self.below_path = below.path if below is not None else ""
        if below is not None:
            self.tree = self.tree.filter(path__startswith=below.path)
            units = units.filter(path__startswith=below.path).exclude(pk=below.pk)
        self.queryset = units

    def to_python(self, value: Any) -> OrgUnit | None:
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL refuses to look for a NUL
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        unit: OrgUnit | None = super().to_python(value)
        return unit

    def __deepcopy__(self, memo: dict[int, Any]) -> UnitChoiceField:
        copied: UnitChoiceField = super().__deepcopy__(memo)
        copied.tree = self.tree
        copied.kinds = self.kinds
        copied.below_path = self.below_path
        return copied


def limit_units(form: forms.BaseForm, user: Any) -> None:
    """Narrow every unit picker of `form` to `user`'s subtree."""
    for field in form.fields.values():
        if isinstance(field, UnitChoiceField):
            field.limit_to(user)


def picker(
    user: Any,
    name: str,
    unit: OrgUnit | None,
    *,
    label: str = "单位",
    kinds: Iterable[str] | None = None,
    empty_label: str | None = "全部单位",
) -> BoundField:
    """A unit picker alone, with `unit` chosen, for a page that reads ?`name`= itself (through the
    scope, so that a unit outside it answers 404 there, as it always has)."""
    form = Form(initial={name: unit})
    field = UnitChoiceField(label, kinds=kinds, empty_label=empty_label)
    field.limit_to(user)
    form.fields[name] = field
    return form[name]
