from __future__ import annotations

from django import forms
from django.utils import timezone

from zhenwu.core import uploads
from zhenwu.org.models import Department
from zhenwu.reader import read_bytes
from zhenwu.web.forms import Form, ModelForm

from .kinds import KINDS, ReportSpec, spec_for
from .models import NarrativeEntry

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


class ReportChoiceForm(Form):
    kind = forms.ChoiceField(label="报告类型", choices=KIND_CHOICES, initial="half-year")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, object]:
        """The report asked for, generated today: `cleaned_data["spec"]`."""
        data = super().clean() or {}
        if "kind" in data and "year" in data:
            try:
                data["spec"] = spec_for(data["kind"], data["year"])
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return data

    @property
    def spec(self) -> ReportSpec:
        spec: ReportSpec = self.cleaned_data["spec"]
        return spec


class EntryForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = NarrativeEntry
        fields = ["department", "year", "kind", "section", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: object, township: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].queryset = Department.objects.filter(township=township)  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class CheckBackForm(ReportChoiceForm):
    draft = forms.FileField(label="修改后的报告(.docx)")
    draft_text = ""  # the draft read by clean_draft

    def clean_draft(self) -> object:
        upload = self.cleaned_data["draft"]
        if not upload.name.lower().endswith((".docx", ".txt")):
            raise forms.ValidationError("请上传 .docx 文件(或 UTF-8 文本 .txt)。")
        # Read here, within the draft's limits, so that a refusal shows on the field.
        limit = uploads.LIMITS["report_draft"]
        try:
            self.draft_text = read_bytes(uploads.read_capped(upload, upload.name, limit), upload.name, limit)
        except uploads.UploadRefused as error:
            raise forms.ValidationError(str(error)) from None
        return upload
