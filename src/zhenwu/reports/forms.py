from __future__ import annotations

from django import forms
from django.utils import timezone

from zhenwu.org.models import Department

from .kinds import KINDS
from .models import NarrativeEntry

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


class ReportChoiceForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=KIND_CHOICES, initial="half-year")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = timezone.localdate().year


class EntryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = NarrativeEntry
        fields = ["department", "year", "kind", "section", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: object, township: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].queryset = Department.objects.filter(township=township)  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
