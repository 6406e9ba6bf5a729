"""The web form of a register, built at run time from its definition, for a phone first.

Nothing about one register is written here: each field of the definition becomes a form field of its
type (choices as large buttons when there are few, numbers with the phone's number keyboard, a date
picker, a position from the phone's GPS, a photo from its camera). The browser is given what maps onto
HTML (required, min/max, pattern) and the simple `relevant` shapes (`static/registers/form.js`); the
server checks everything again in `services.create_record`, whose errors are shown by their field.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from zhenwu.org.models import OrgUnit
from zhenwu.web.forms import Form

from .definition import Definition, Field
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


class RecordForm(Form):
    """The fields are added by `record_form`; what a field was made from is kept for the template."""

    definition: Definition
    unit_choices: list[OrgUnit]
    photo_types: dict[str, str]

    def values(self) -> dict[str, Any]:
        """The entered values as a submitted XForm has them: text, a space between chosen names."""
        values: dict[str, Any] = {}
        for item in self.definition.fields:
            if item.name not in self.fields or item.type == "image":
                continue
            value = self.cleaned_data.get(item.name)
            if isinstance(value, list | tuple):
                value = " ".join(value)
            if value not in (None, ""):
                values[item.name] = str(value).strip()
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
        """The server's refusal put next to the field it names; anything else above the form."""
        for name, messages in error.message_dict.items():
            name = UNIT_FIELD if name == "unit" and UNIT_FIELD in self.fields else name
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        from zhenwu.cases.services import validate_photo

        for name, upload in list(cleaned.items()):
            if isinstance(upload, UploadedFile) and name in self.definition.fields_by_name:
                try:
                    self.photo_types[name] = validate_photo(upload)
                except ValidationError as error:
                    for message in error.message_dict.get("photos", error.messages):
                        self.add_error(name, message)
        return cleaned


@dataclass(frozen=True)
class Item:
    """One row of the form page: an input, or a note, or a value the form works out itself."""

    kind: str  # "input" | "note" | "computed"
    field: Field
    bound: forms.BoundField | None = None

    @property
    def rule(self) -> dict[str, str]:
        return relevant_rule(self.field)


@dataclass(frozen=True)
class Section:
    group: str
    items: list[Item]

    label: str


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
            label="所属单元", choices=[(str(u.pk), u.name) for u in units], required=True
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
    return form


def _form_field(definition: Definition, item: Field, thing_search: str) -> forms.Field | None:
    if item.type in ("note", "calculate") or item.read_only:
        return None
    common: dict[str, Any] = {"label": item.label or item.name, "help_text": item.hint, "required": False}
    if definition.kind == "activity" and item.name == definition.entity_id_field and thing_search:
        # A search box (static/registers/picker.js), not a list of every thing: a township has 1,055 lamps.
        # Without JavaScript the exact 编号 typed here names the thing (services._target_thing).
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


def relevant_rule(item: Field) -> dict[str, str]:
    """The data attributes form.js reads to hide a field; a shape it does not know leaves it shown."""
    for shape, kind in ((EQUALS, "equals"), (SELECTED, "selected")):
        found = shape.match(item.relevant or "")
        if found:
            return {"field": found.group(1), "value": found.group(2), "kind": kind}
    return {}


def sections(form: RecordForm) -> list[Section]:
    """The form's rows in survey order, a fieldset for each run of fields in one group."""
    result: list[Section] = []
    labels = group_labels(form.definition)
    for item in form.definition.fields:
        if item.name in form.fields:
            row = Item("input", item, form[item.name])
        elif item.type == "note":
            row = Item("note", item)
        elif not item.label:
            continue  # a working value of the form, nothing a person reads
        else:
            row = Item("computed", item)
        if result and result[-1].group == item.group:
            result[-1].items.append(row)
        else:
            result.append(Section(item.group, [row], labels.get(item.group, item.group.rsplit("/", 1)[-1])))
    return result


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
