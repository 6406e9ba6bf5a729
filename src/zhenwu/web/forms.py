"""The base of every form in zhenwu: text and dates are checked at the door.

A value with a control character, a bidirectional override, or nothing visible is refused next to its
field, in Chinese (`core.text.text_problem`); tabs and line breaks are text only in a multi-line field (a
Textarea). A date before 2000 or more than a year ahead is refused unless the form names the field
among its plans (`far_future_fields`). Every form of the project derives from `Form` or `ModelForm`
here (a test enforces it), so a new form cannot forget.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from zhenwu.core.periods import date_problem
from zhenwu.core.text import text_problem


class CheckedTextMixin:
    """Adds the text and date checks to a form's own validation, whatever its `clean` does."""

    # Date fields that are plans and may lie years ahead; any other date is at most a year ahead.
    far_future_fields: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own refusal of NUL reads "不允许是用空字符串" in its Chinese: say what is wrong.
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            for validator in field.validators:
                if isinstance(validator, ProhibitNullCharactersValidator):
                    validator.message = f"“{field.label or name}”含有空字符(NUL)，请删除后重新填写。"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        cleaned: dict[str, Any] | None = getattr(self, "cleaned_data", None)
        if cleaned is None:
            return
        today = timezone.localdate()
        for name, field in list(self.fields.items()):  # type: ignore[attr-defined]
            value = cleaned.get(name)
            if isinstance(field, forms.CharField) and isinstance(value, str):
                problem = text_problem(value, multiline=isinstance(field.widget, forms.Textarea))
            elif isinstance(field, forms.DateField) and isinstance(value, date):
                problem = date_problem(value, today, far_future=name in self.far_future_fields)
            else:
                continue
            if problem:
                self.add_error(name, f"“{field.label or name}”{problem}。")  # type: ignore[attr-defined]


class Form(CheckedTextMixin, forms.Form):
    pass


class ModelForm(CheckedTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
