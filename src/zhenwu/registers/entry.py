"""The web form of a register, built at run time from its definition, for a phone first.

Nothing about one register is written here: each field of the definition becomes a form field of its
type (choices as large buttons when there are few, numbers with the phone's number keyboard, a date
picker, a position from the phone's GPS, a photo from its camera). The browser is given what maps onto
HTML (required, min/max, pattern) and the simple `relevant` shapes (`static/registers/form.js`); the
server checks everything again in `services.create_record`, whose errors are shown by their field.
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.forms.formsets import BaseFormSet, formset_factory
from django.http import QueryDict

from zhenwu.org.models import OrgUnit
from zhenwu.org.widgets import UnitPicker, labelled, refusal
from zhenwu.web.forms import Form

from .definition import MAX_REPEAT_ROWS, Definition, Field, Repeat, row_words
from .models import Thing

# More choices than this are a dropdown: six buttons still fit a phone's screen without scrolling.
BUTTONS_UP_TO = 6
UNIT_FIELD = "_unit"
BOUND = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")
PATTERN = re.compile(r"^\s*regex\(\s*\.\s*,\s*'([^']*)'\s*\)\s*$")
# `${x} = 'v'` and `selected(${x}, 'v')`: what the browser hides and shows by itself.
EQUALS = re.compile(r"^\s*\$\{(\w[\w.-]*)\}\s*=\s*'([^']*)'\s*$")
SELECTED = re.compile(r"^\s*selected\(\s*\$\{(\w[\w.-]*)\}\s*,\s*'([^']*)'\s*\)\s*$")
XFORMS = "{http://www.w3.org/2002/xforms}"
# The buttons that add or delete a repeat's row without JavaScript: the page comes back with the change.
ADD_ROW, DELETE_ROW = "_repeat_add", "_repeat_delete"
PHOTO_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


class GeoPointWidget(forms.MultiWidget):
    """Latitude and longitude inputs; the page's 定位 button fills them from the phone."""

    template_name = "registers/geopoint_widget.html"

    def __init__(self) -> None:
        number = {"inputmode": "decimal", "step": "any"}
        super().__init__(
            [
                forms.NumberInput(attrs={**number, "placeholder": "纬度", "min": "-90", "max": "90"}),
                forms.NumberInput(attrs={**number, "placeholder": "经度", "min": "-180", "max": "180"}),
            ]
        )

    def decompress(self, value: Any) -> list[str]:
        parts = str(value or "").split()
        return [parts[0], parts[1]] if len(parts) >= 2 else ["", ""]


class GeoPointField(forms.MultiValueField):
    widget = GeoPointWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> str:
        """ "lat lon" as the XForm writes a geopoint; one half alone is left for the server to refuse."""
        return " ".join(part.strip() for part in data_list if part and part.strip())


class RowForm(Form):
    """One row of a repeat; its fields are added for each row by `__init__`."""

    def __init__(self, *args: Any, built: dict[str, forms.Field], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(copy.deepcopy(built))


class RecordForm(Form):
    """The fields are added by `record_form`; what a field was made from is kept for the template.

    A repeat is a Django formset under the repeat's name: its rows' inputs are named
    "outputs-0-what", "outputs-1-what"… with "outputs-TOTAL_FORMS" counting them.
    """

    definition: Definition
    unit_choices: list[OrgUnit]
    photo_types: dict[str, str]
    repeats: dict[str, BaseFormSet]  # type: ignore[type-arg]
    # For each repeat, the formset row each entered row came from (rows left blank are not sent).
    row_origin: dict[str, list[int]]

    def is_valid(self) -> bool:
        main = super().is_valid()
        return all([main, *(rows.is_valid() for rows in self.repeats.values())])

    def values(self) -> dict[str, Any]:
        """The entered values as a submitted XForm has them: text, a space between chosen names; a
        repeat's rows as a list of such dicts, a row where nothing was entered left out."""
        values = _entered(self, self.definition.fields)
        self.row_origin = {}
        for repeat in self.definition.repeats:
            rows, origin = [], []
            for index, row in enumerate(self.repeats[repeat.name].forms):
                entered = _entered(row, repeat.fields)
                if entered:
                    rows.append(entered)
                    origin.append(index)
            self.row_origin[repeat.name] = origin
            if rows:
                values[repeat.name] = rows
        return values

    def unit(self) -> OrgUnit | None:
        if UNIT_FIELD not in self.fields:
            return self.unit_choices[0] if self.unit_choices else None
        chosen = str(self.cleaned_data.get(UNIT_FIELD) or "")
        return next((u for u in self.unit_choices if str(u.pk) == chosen), None)

    def unit_field(self) -> forms.BoundField | None:
        return self[UNIT_FIELD] if UNIT_FIELD in self.fields else None

    def photos(self) -> dict[str, UploadedFile]:
        return {
            item.name: self.cleaned_data[item.name]
            for item in self.definition.fields
            if item.type == "image" and self.cleaned_data.get(item.name)
        }

    def show_errors(self, error: ValidationError) -> None:
        """The server's refusal put next to the field it names, a repeat row's on that row; anything
        else above the form."""
        for name, messages in error.message_dict.items():
            place = self.definition.repeat_place(name)
            if place is not None:
                repeat, index, item = place
                origin = getattr(self, "row_origin", {}).get(repeat.name, [])
                if index < len(origin):
                    row = self.repeats[repeat.name].forms[origin[index]]
                    for message in messages:
                        row.add_error(item.name if item.name in row.fields else None, message)
                    continue
            name = UNIT_FIELD if name == "unit" and UNIT_FIELD in self.fields else name
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    @property
    def error_count(self) -> int:
        """The places to correct, the repeats' rows included."""
        count = len(self.errors)
        for rows in self.repeats.values():
            count += sum(len(row.errors) for row in rows.forms) + len(rows.non_form_errors())
        return count

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        from zhenwu.cases.services import accept_photo

        for name, upload in list(cleaned.items()):
            if isinstance(upload, UploadedFile) and name in self.definition.fields_by_name:
                try:
                    # A HEIC photo is kept as the JPEG it becomes.
                    cleaned[name], self.photo_types[name] = accept_photo(upload)
                except ValidationError as error:
                    for message in error.message_dict.get("photos", error.messages):
                        self.add_error(name, message)
        return cleaned


def _entered(form: forms.Form, fields: tuple[Field, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    cleaned = getattr(form, "cleaned_data", {})
    for item in fields:
        if item.name not in form.fields or item.type == "image":
            continue
        value = cleaned.get(item.name)
        if isinstance(value, list | tuple):
            value = " ".join(value)
        if value not in (None, ""):
            values[item.name] = str(value).strip()
    return values


@dataclass(frozen=True)
class Item:
    """One row of the form page: an input, or a note, or a value the form works out itself."""

    kind: str  # "input" | "note" | "computed"
    field: Field
    bound: forms.BoundField | None = None
    prefix: str = ""  # "outputs-0-" for a field of a repeat's row (its siblings are named so)
    siblings: frozenset[str] = frozenset()

    @property
    def rule(self) -> dict[str, str]:
        rule = relevant_rule(self.field)
        if rule and rule["field"] in self.siblings:
            return {**rule, "field": self.prefix + rule["field"]}
        return rule

    @property
    def name(self) -> str:
        """The name of its input (or what it would be): "qty", "outputs-1-qty"."""
        return self.prefix + self.field.name


@dataclass(frozen=True)
class RepeatRow:
    """One row of a repeat on the page: its number (1 for the first) and its items."""

    number: int
    index: str  # its formset index, or "__prefix__" in the empty row the page copies
    form: forms.Form
    items: list[Item]


@dataclass(frozen=True)
class Section:
    group: str
    items: list[Item]

    label: str
    repeat: Repeat | None = None
    rows: list[RepeatRow] = field(default_factory=list)
    empty: RepeatRow | None = None  # the row "添加一项" copies
    formset: BaseFormSet | None = None  # type: ignore[type-arg]

    @property
    def rule(self) -> dict[str, str]:
        """A repeat's own relevant, as form.js reads it (a field's is on the field)."""
        return relevant_rule(self.repeat) if self.repeat is not None else {}


def record_form(
    definition: Definition,
    *,
    units: list[OrgUnit],
    thing_search: str = "",
    data: Any = None,
    files: Any = None,
    initial: dict[str, Any] | None = None,
) -> RecordForm:
    """The form of `definition`; `units` are those the user may enter for (a choice when more than one),
    `thing_search` the URL where an activity's entity field looks up the things it may name."""
    built: dict[str, forms.Field] = {}
    if len(units) > 1:
        built[UNIT_FIELD] = forms.ChoiceField(
            label="所属单元",
            choices=[(str(u.pk), label) for u, label in labelled(units)],
            required=True,
            widget=UnitPicker,
            error_messages={"invalid_choice": refusal("所属单元")},
        )
    for item in definition.fields:
        made = _form_field(definition, item, thing_search)
        if made is not None:
            built[item.name] = made
    form = RecordForm(data=data, files=files, initial=initial)
    # Added to the instance, not as class attributes: a field may be named like a method ("values").
    form.fields.update(built)
    form.definition = definition
    form.unit_choices = units
    form.photo_types = {}
    form.repeats = {repeat.name: _rows(definition, repeat, data, files) for repeat in definition.repeats}
    form.row_origin = {}
    return form


def _rows(definition: Definition, repeat: Repeat, data: Any, files: Any) -> BaseFormSet:  # type: ignore[type-arg]
    """The repeat's rows as a formset; a new form starts with one empty row."""
    built = {f.name: made for f in repeat.fields if (made := _form_field(definition, f, "")) is not None}
    rows = formset_factory(
        RowForm, extra=1, max_num=MAX_REPEAT_ROWS, absolute_max=MAX_REPEAT_ROWS, validate_max=True
    )
    return rows(data=data, files=files, prefix=repeat.name, form_kwargs={"built": built})


def changed_rows(data: QueryDict) -> QueryDict | None:
    """The posted form with a row added to or deleted from a repeat, when the page's 添加一项 or 删除
    button was pressed without JavaScript (the script does both in the page); None otherwise. A deleted
    row's successors move up one place, so that the rows stay numbered from 0."""
    added, deleted = data.get(ADD_ROW, ""), data.get(DELETE_ROW, "")
    if not added and not deleted:
        return None
    changed = data.copy()
    changed.pop(ADD_ROW, None)
    changed.pop(DELETE_ROW, None)
    if added:
        key = f"{added}-TOTAL_FORMS"
        total = _count(changed.get(key))
        changed[key] = str(min(total + 1, MAX_REPEAT_ROWS))
        return changed
    prefix, _, index = deleted.rpartition("-")
    key = f"{prefix}-TOTAL_FORMS"
    total, gone = _count(changed.get(key)), _count(index)
    if not prefix or gone >= total:
        return changed
    for name in list(changed):
        found = re.fullmatch(rf"{re.escape(prefix)}-(\d+)-(.+)", name)
        if found is None or int(found.group(1)) < gone:
            continue
        values = changed.getlist(name)
        del changed[name]
        if int(found.group(1)) > gone:
            changed.setlist(f"{prefix}-{int(found.group(1)) - 1}-{found.group(2)}", values)
    changed[key] = str(total - 1)
    return changed


def _count(text: Any) -> int:
    return int(text) if str(text or "").isdigit() else 0


def _form_field(definition: Definition, item: Field, thing_search: str) -> forms.Field | None:
    if item.type in ("note", "calculate") or item.read_only:
        return None
    common: dict[str, Any] = {"label": item.label or item.name, "help_text": item.hint, "required": False}
    if definition.kind == "activity" and item.name == definition.entity_id_field and thing_search:
        # A search box (static/registers/picker.js), not a list of every thing: a township has 1,055 lamps.
        # Without JavaScript the exact 编号 typed here names the thing (services.RecordChecks.named).
        made: forms.Field = forms.CharField(
            max_length=200, widget=forms.TextInput(attrs=_picker(thing_search)), **common
        )
    elif item.type == "select_one":
        choices = [(c.name, c.label or c.name) for c in item.choices]
        if len(choices) <= BUTTONS_UP_TO:
            made = forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect(attrs={"class": "buttons"}), **common
            )
        else:
            made = forms.ChoiceField(choices=[("", "请选择"), *choices], **common)
    elif item.type == "select_multiple":
        choices = [(c.name, c.label or c.name) for c in item.choices]
        made = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "buttons"}), **common
        )
    elif item.type in ("integer", "decimal"):
        attrs = (
            {"inputmode": "numeric", "step": "1"}
            if item.type == "integer"
            else {"inputmode": "decimal", "step": "any"}
        )
        made = forms.CharField(widget=forms.NumberInput(attrs={**attrs, **_bounds(item)}), **common)
    elif item.type == "date":
        made = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    elif item.type == "geopoint":
        made = GeoPointField(**common)
    elif item.type == "image":
        attrs = {"accept": "image/*", "capture": "environment"}
        made = forms.FileField(widget=forms.FileInput(attrs=attrs), **common)
    else:
        attrs = _pattern(item)
        made = forms.CharField(max_length=2000, widget=forms.TextInput(attrs=attrs), **common)
    made.widget.attrs.update(_browser_checks(item))
    return made


def _picker(thing_search: str) -> dict[str, str]:
    return {
        "data-thing-search": thing_search,
        "autocomplete": "off",
        "spellcheck": "false",
        "placeholder": "输入编号或名称查找",
        "role": "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
    }


def thing_text(thing: Thing) -> str:
    """How a thing is shown among the choices: its name and 编号."""
    return f"{thing.label}（{thing.identity}）" if thing.identity else thing.label


def _browser_checks(item: Field) -> dict[str, str]:
    # A select_one of buttons or a checkbox group cannot be `required` as a whole in HTML; the server says.
    if item.required and item.type not in ("select_one", "select_multiple", "geopoint", "image"):
        return {"required": "required"}
    return {}


def _bounds(item: Field) -> dict[str, str]:
    """min/max from constraints like `. >= 0 and . <= 120`; anything more is left to the server."""
    found: dict[str, str] = {}
    for part in re.split(r"\s+and\s+", item.constraint or ""):
        bound = BOUND.match(part)
        if bound is None:
            return {}
        found["min" if bound.group(1) == ">=" else "max"] = bound.group(2)
    return found


def _pattern(item: Field) -> dict[str, str]:
    found = PATTERN.match(item.constraint or "")
    if found is None:
        return {}
    expression = found.group(1)
    # HTML matches the whole value; XPath's regex() matches anywhere unless anchored.
    if not (expression.startswith("^") and expression.endswith("$")):
        return {}
    return {"pattern": expression[1:-1], "title": item.constraint_message or "格式不正确"}


def relevant_rule(item: Field | Repeat) -> dict[str, str]:
    """The data attributes form.js reads to hide a field (or a repeat's fieldset); a shape it does not
    know leaves it shown."""
    for shape, kind in ((EQUALS, "equals"), (SELECTED, "selected")):
        found = shape.match(item.relevant or "")
        if found:
            return {"field": found.group(1), "value": found.group(2), "kind": kind}
    return {}


def sections(form: RecordForm) -> list[Section]:
    """The form's rows in survey order, a fieldset for each run of fields in one group and for each
    repeat (its rows, and the empty row its 添加一项 button copies)."""
    result: list[Section] = []
    labels = group_labels(form.definition)
    for item in form.definition.items():
        if isinstance(item, Repeat):
            rows = form.repeats[item.name]
            result.append(
                Section(
                    item.group,
                    [],
                    item.title,
                    repeat=item,
                    rows=[_repeat_row(item, n, str(n - 1), row) for n, row in enumerate(rows.forms, start=1)],
                    empty=_repeat_row(item, 0, "__prefix__", rows.empty_form),
                    formset=rows,
                )
            )
            continue
        row = _item(form, item)
        if row is None:
            continue
        if result and result[-1].group == item.group and result[-1].repeat is None:
            result[-1].items.append(row)
        else:
            result.append(Section(item.group, [row], labels.get(item.group, item.group.rsplit("/", 1)[-1])))
    return result


def _item(
    form: forms.Form, item: Field, prefix: str = "", siblings: frozenset[str] = frozenset()
) -> Item | None:
    if item.name in form.fields:
        return Item("input", item, form[item.name], prefix, siblings)
    if item.type == "note":
        return Item("note", item, None, prefix, siblings)
    if not item.label:
        return None  # a working value of the form, nothing a person reads
    return Item("computed", item, None, prefix, siblings)


def _repeat_row(repeat: Repeat, number: int, index: str, form: forms.Form) -> RepeatRow:
    prefix = f"{repeat.name}-{index}-"
    siblings = frozenset(f.name for f in repeat.fields)
    items = [made for f in repeat.fields if (made := _item(form, f, prefix, siblings)) is not None]
    return RepeatRow(number, index, form, items)


def row_title(repeat: Repeat, number: int) -> str:
    """ "产出 第2项", the heading of a repeat's row on the page."""
    return row_words(repeat, number - 1)


def group_labels(definition: Definition) -> dict[str, str]:
    """Group path -> its label, read from the XForm (the definition keeps groups as paths of names)."""
    try:
        root = ElementTree.fromstring(definition.xform)
    except ElementTree.ParseError:
        return {}
    found: dict[str, str] = {}
    for group in root.iter(f"{XFORMS}group"):
        label = group.find(f"{XFORMS}label")
        ref = group.get("ref", "")
        path = ref.split("/", 2)[2] if ref.count("/") >= 2 else ""  # "/<root>/a/b" -> "a/b"
        if label is not None and label.text and path:
            found[path] = label.text.strip()
    return found


def store_photos(form: RecordForm, register_form_id: str) -> dict[str, str]:
    """Each checked photo saved under a new name (its type read from its content, not its name); the
    stored path is what the record keeps."""
    stored: dict[str, str] = {}
    for name, upload in form.photos().items():
        extension = PHOTO_EXTENSIONS.get(form.photo_types.get(name, ""), "jpg")
        path = f"registers/{register_form_id}/{uuid.uuid4().hex}.{extension}"
        stored[name] = default_storage.save(path, upload)
    return stored


def forget_photos(stored: dict[str, str]) -> None:
    """Photos of a record that was refused: nothing points at them."""
    for path in stored.values():
        default_storage.delete(path)
