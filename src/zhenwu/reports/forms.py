from __future__ import annotations

from django import forms
from django.utils import timezone

from .kinds import KINDS

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


class ReportChoiceForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=KIND_CHOICES, initial="half-year")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = timezone.localdate().year
