from __future__ import annotations

from django import forms
from django.utils import timezone

from zhenwu.core import uploads
from zhenwu.org.models import Department, OrgKind
from zhenwu.org.widgets import UnitChoiceField, limit_units
from zhenwu.reader import read_bytes
from zhenwu.web.forms import Form, ModelForm

from .kinds import CUSTOM, KINDS, ReportSpec, SpanError, span_spec, spec_for
from .models import EntryRequest, NarrativeEntry

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()] + [(CUSTOM, "自定义时段")]
BOUND_HELP = "月份如 2026-01，或日期如 2026-01-15"


class ReportUnitForm(Form):
    """The township or village the report is written for, chosen by name from the user's subtree.

    The page reads the unit from ?org= through the scope (out of scope is 404, as on every page); this
    form only shows the choice."""

    org = UnitChoiceField("单位", kinds=[OrgKind.TOWNSHIP, OrgKind.VILLAGE], empty_label=None)

    def __init__(self, user: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        limit_units(self, user)


class ReportChoiceForm(Form):
    """A named kind of a year, or a custom span (自定义时段) from a month or day to another."""

    kind = forms.ChoiceField(label="报告类型", choices=KIND_CHOICES, initial="half-year")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = timezone.localdate().year
        # "from" and "to" are the inputs' names, as on the command line; Python keeps "from" for itself
        for name, label in (("from", "开始"), ("to", "结束")):
            field = forms.CharField(label=label, required=False, max_length=20, help_text=BOUND_HELP)
            self.fields[name] = field
            self.fields[name].widget.attrs.update(placeholder="2026-01", size="10")

    def clean(self) -> dict[str, object]:
        """The report asked for, generated today: `cleaned_data["spec"]`; a span's errors on its field."""
        data = super().clean() or {}
        kind = data.get("kind")
        try:
            if kind == CUSTOM:
                data["spec"] = span_spec(str(data.get("from") or ""), str(data.get("to") or ""))
            elif kind and data.get("year") is None:
                if "year" not in self.errors:
                    self.add_error("year", "请填写年度。")
            elif kind:
                data["spec"] = spec_for(str(kind), int(data["year"]))  # type: ignore[call-overload]
        except SpanError as error:
            self.add_error(error.field, str(error))
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


class EntryRequestForm(ModelForm):  # type: ignore[type-arg]
    """The compiler asks offices for their entries for one report, by a day."""

    class Meta:
        model = EntryRequest
        fields = ["year", "kind", "due_on", "departments", "note"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: object, township: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["departments"].queryset = Department.objects.filter(township=township).order_by("code")  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    def validate_unique(self) -> None:
        """Asking again for the same report changes the request (`services.request_entries`)."""


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
