"""Forms that turn what a user typed into domain values, with messages in Chinese next to the field."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from zhenwu.core.numbers import NumberInputError, parse_entered_number
from zhenwu.core.periods import Period, PeriodError, parse_period
from zhenwu.org.models import Department
from zhenwu.web import downloads
from zhenwu.web.forms import Form

from .library import LibraryRow
from .models import VALUE_PLACES, Indicator, LibraryIndicator
from .services import EntryCheck, ProgressRow


def parse_amount(raw: str, label: str, *, places: int = VALUE_PLACES, unit: str = "") -> Decimal | None:
    """A number as staff type it: "1,234.5", "１，２３４．５", "3.2万" are all accepted; blank is None."""
    try:
        return parse_entered_number(raw, label, places=places, unit=unit)
    except NumberInputError as error:
        raise ValidationError(str(error)) from None


class PeriodField(forms.CharField):
    def to_python(self, value: object) -> Period | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as error:
            raise ValidationError(str(error)) from error


class EntryForm(Form):
    """One field (and a note) per indicator the unit reports, with last month's and last year's value.

    Values far from their comparisons come back with a warning beside the field and the key of those
    warnings in `confirm`: posted again with the same key, they are saved.
    """

    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: object, indicators: list[Indicator], rows: dict[int, ProgressRow], **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.indicators = indicators
        self.rows = rows
        self.doubts: dict[str, list[str]] = {}
        self.confirm_key = ""
        for indicator in indicators:
            row = rows.get(indicator.pk)
            own = next((v for v in row.sources if v.org_unit_id == row.org_unit.pk), None) if row else None
            self.fields[f"v{indicator.pk}"] = forms.CharField(
                label=indicator.name, required=False, initial=_plain(own.value) if own else ""
            )
            self.fields[f"n{indicator.pk}"] = forms.CharField(
                label="备注", required=False, max_length=200, initial=own.note if own else ""
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for indicator in self.indicators:
            key = f"v{indicator.pk}"
            try:
                raw = str(self.data.get(key, ""))
                cleaned[key] = parse_amount(
                    raw, indicator.name, places=indicator.decimals, unit=indicator.unit
                )
            except ValidationError as error:
                self.add_error(key, error)
        return cleaned

    def entries(self) -> list[tuple[Indicator, Decimal, str]]:
        found = []
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"v{indicator.pk}")
            if value is not None:
                found.append((indicator, value, str(self.cleaned_data.get(f"n{indicator.pk}") or "").strip()))
        return found

    def show(self, check: EntryCheck) -> None:
        """Errors beside their fields; warnings too, with the key a confirmation posts back."""
        for failed, message in check.errors:
            self.add_error(failed.where if failed else None, message)
        doubts: defaultdict[str, list[str]] = defaultdict(list)
        for entry, message in check.implausible:
            doubts[entry.where].append(message)
        self.doubts, self.confirm_key = dict(doubts), check.confirm_key

    def field_pairs(self) -> list[dict[str, object]]:
        """What the template lays out per indicator: fields, warnings, last month, last year."""
        pairs = []
        for indicator in self.indicators:
            row = self.rows.get(indicator.pk)
            pairs.append(
                {
                    "indicator": indicator,
                    "value": self[f"v{indicator.pk}"],
                    "note": self[f"n{indicator.pk}"],
                    "doubts": self.doubts.get(f"v{indicator.pk}", []),
                    "last_month": row.previous_value if row else None,
                    "last_year": row.progress.last_year if row else None,
                }
            )
        return pairs


class TargetForm(Form):
    def __init__(
        self, *args: object, indicators: list[Indicator], targets: dict[int, object], **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.indicators = indicators
        for indicator in indicators:
            target = targets.get(indicator.pk)
            self.fields[f"t{indicator.pk}"] = forms.CharField(
                label=indicator.name,
                required=False,
                initial=_plain(target.value) if target else "",  # type: ignore[attr-defined]
            )
            phasing = ",".join(target.phasing) if target and target.phasing else ""  # type: ignore[attr-defined]
            self.fields[f"p{indicator.pk}"] = forms.CharField(
                label="月度进度安排", required=False, initial=phasing
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for indicator in self.indicators:
            try:
                cleaned[f"t{indicator.pk}"] = parse_amount(
                    str(self.data.get(f"t{indicator.pk}", "")), indicator.name, unit=indicator.unit
                )
            except ValidationError as error:
                self.add_error(f"t{indicator.pk}", error)
            raw = str(self.data.get(f"p{indicator.pk}", "")).strip()
            try:
                cleaned[f"p{indicator.pk}"] = _phasing(raw) if raw else None
            except ValidationError as error:
                self.add_error(f"p{indicator.pk}", error)
        return cleaned

    def targets(self) -> list[tuple[Indicator, Decimal, list[Decimal] | None]]:
        return [
            (i, value, self.cleaned_data.get(f"p{i.pk}"))  # type: ignore[misc]
            for i in self.indicators
            if (value := self.cleaned_data.get(f"t{i.pk}")) is not None
        ]

    def field_pairs(self) -> list[dict[str, object]]:
        return [
            {"indicator": i, "target": self[f"t{i.pk}"], "phasing": self[f"p{i.pk}"]} for i in self.indicators
        ]


def _phasing(raw: str) -> list[Decimal]:
    parts = [p for p in raw.replace("，", ",").replace(" ", ",").split(",") if p]
    try:
        return [Decimal(p) for p in parts]
    except InvalidOperation:
        raise ValidationError("月度进度安排应为12个以逗号分隔的百分数，如 5,10,20,…,100。") from None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class UploadForm(Form):
    file = forms.FileField(label="填好的 Excel 文件(.xlsx)")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件(可先下载模板)。")
        downloads.check_upload_size(upload, "indicator_values")
        return upload


class ExplainForm(Form):
    explanation = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class LibraryForm(Form):
    """The indicator library as a township admin picks from it: a box and an office per entry not yet
    adopted. `picks()` gives (entry, office) for each box ticked."""

    def __init__(self, *args: Any, rows: list[LibraryRow], offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.open_rows = [r for r in rows if r.adopted is None]
        for row in self.open_rows:
            code = row.entry.code
            self.fields[f"pick-{code}"] = forms.BooleanField(label=row.entry.name, required=False)
            self.fields[f"office-{code}"] = forms.ModelChoiceField(
                offices,
                label=f"{row.entry.name}的责任站所",
                required=False,
                initial=row.office.pk if row.office else None,
                empty_label="请选择",
                error_messages={"invalid_choice": "所选站所不属于本镇，请重新选择。"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = [r for r in self.open_rows if cleaned.get(f"pick-{r.entry.code}")]
        for row in picked:
            field = f"office-{row.entry.code}"
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, f"「{row.entry.name}」：请选择责任站所。")
        if not picked and not self.errors:
            raise ValidationError("请至少勾选一项指标。")
        return cleaned

    def picks(self) -> list[tuple[LibraryIndicator, Department]]:
        return [
            (r.entry, self.cleaned_data[f"office-{r.entry.code}"])
            for r in self.open_rows
            if self.cleaned_data.get(f"pick-{r.entry.code}")
        ]

    def groups(self) -> list[tuple[str, list[tuple[LibraryRow, Any, Any]]]]:
        """Rows by the library's group, each with its bound box and office field (None when adopted)."""
        grouped: dict[str, list[tuple[LibraryRow, Any, Any]]] = defaultdict(list)
        for row in self.rows:
            code = row.entry.code
            fields = (self[f"pick-{code}"], self[f"office-{code}"]) if row.adopted is None else (None, None)
            grouped[row.entry.group].append((row, *fields))
        return list(grouped.items())
