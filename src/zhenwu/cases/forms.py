from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, User
from zhenwu.org.widgets import UnitChoiceField, limit_units
from zhenwu.web.forms import Form

from . import states
from .models import Case, CaseCategory, CaseType, VisitTarget

STATE_CHOICES = [("", "全部状态"), ("open", "未办结(全部)")] + [
    (s.value, states.LABELS[s]) for s in states.State
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; their content is checked by the services."""

    # image/* lets an iPhone send its HEIC photos as they are (the server converts them); web/photos.js
    # shrinks a large photo in the browser before the form is sent.
    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class CoordinateField(forms.DecimalField):
    """A latitude or longitude, rounded to the 6 places kept (about 0.1 m): a phone gives more."""

    def __init__(self, label: str, limit: int) -> None:
        super().__init__(
            label=label,
            required=False,
            min_value=-limit,
            max_value=limit,
            max_digits=9,
            decimal_places=6,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )

    def to_python(self, value: Any) -> Decimal | None:
        number = super().to_python(value)
        if number is None or not number.is_finite() or abs(number) > 180:
            return number  # out of range: refused by the field's limits, never rounded
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class DuplicateConfirmation(Form):
    """The box the reporter ticks after being told the report may repeat a recent case (仍然上报)."""

    confirm_duplicate = forms.BooleanField(label="仍然上报", required=False)


class CaseFilterForm(Form):
    case_type = forms.ModelChoiceField(
        CaseType.objects.all(), label="类型", required=False, empty_label="全部类型"
    )
    state = forms.ChoiceField(label="状态", choices=STATE_CHOICES, required=False)
    unit = UnitChoiceField("发生地")
    overdue = forms.BooleanField(label="已超期", required=False)
    due_soon = forms.BooleanField(label="即将超期", required=False)
    start = forms.DateField(label="收到自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="关键词", required=False, max_length=40)
    mine = forms.BooleanField(label="我上报的", required=False)
    my_office = forms.BooleanField(label="本站所承办", required=False)
    # What a figure's link lists: the cases it counted, without the duplicates merged into their original.
    counted = forms.BooleanField(label="不含重复合并", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_units(self, user)


PLACES = [OrgKind.TOWNSHIP, OrgKind.VILLAGE, OrgKind.GRID]  # where a case happens


class CaseForm(DuplicateConfirmation):
    case_type = forms.ModelChoiceField(CaseType.objects.all(), label="事件类型", empty_label=None)
    category = forms.ModelChoiceField(CaseCategory.objects.select_related("case_type"), label="类别")
    title = forms.CharField(label="标题", max_length=80)
    description = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 4}))
    org_unit = UnitChoiceField(
        "发生地(乡镇/村/网格)", kinds=PLACES, required=True, empty_label=None, to_field_name=None
    )
    place = forms.CharField(label="具体地点", max_length=120, required=False)
    level = forms.TypedChoiceField(
        label="级别(网格事件)",
        choices=[("", "按发生地"), (1, "一级：网格内处置"), (2, "二级：村处置"), (3, "三级：乡镇处置")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    deadline_days = forms.IntegerField(
        label="办理期限(天，热线工单必填)", min_value=1, max_value=365, required=False
    )
    reporter_name = forms.CharField(label="反映人", max_length=32, required=False)
    reporter_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    external_number = forms.CharField(label="外部工单号", max_length=40, required=False)
    source = forms.CharField(label="来源", max_length=40, required=False)
    latitude = CoordinateField("纬度(可不填，照片带位置时自动填写)", 90)
    longitude = CoordinateField("经度", 180)
    photos = PhotosField(label="照片(每张不超过 5 MB，过大的照片在手机上自动缩小)", required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_units(self, user)
        self.fields["category"].label_from_instance = lambda c: f"{c.case_type.name} · {c.name}"  # type: ignore[attr-defined]
        if user.org_unit is not None:
            self.fields["org_unit"].initial = user.org_unit


class QuickReportForm(DuplicateConfirmation):
    """The grid worker's phone form: category, what is wrong, a photo; the grid is theirs."""

    category = forms.ModelChoiceField(
        CaseCategory.objects.filter(case_type__code="grid_event"), label="类别", empty_label=None
    )
    description = forms.CharField(
        label="情况描述",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：3组路口垃圾堆放两天未清运"}),
    )
    place = forms.CharField(label="地点(可不填)", max_length=120, required=False)
    latitude = CoordinateField("纬度(可不填，照片带位置时自动填写)", 90)
    longitude = CoordinateField("经度", 180)
    photos = PhotosField(label="照片", required=False)


class TransitionForm(Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit = UnitChoiceField(
        "分派到下级单元",
        kinds=[OrgKind.VILLAGE, OrgKind.GRID],
        empty_label="（不分派到下级单元）",
        to_field_name=None,
    )
    department = forms.ModelChoiceField(Department.objects.none(), label="分派到站所", required=False)
    assignee = forms.ModelChoiceField(User.objects.none(), label="指定承办人", required=False)
    duplicate_of = forms.ModelChoiceField(Case.objects.none(), label="原事件", required=False)
    photos = PhotosField(label="照片", required=False)

    def __init__(self, user: User, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].limit_to(user, below=case.handling_unit)  # type: ignore[attr-defined]
        township = case.handling_unit if case.handling_unit.kind == OrgKind.TOWNSHIP else None
        self.fields["department"].queryset = (  # type: ignore[attr-defined]
            Department.objects.filter(township=township) if township else Department.objects.none()
        )
        self.fields["assignee"].queryset = scope.scoped(  # type: ignore[attr-defined]
            user, User.objects.filter(is_active=True, org_unit__path__startswith=case.handling_unit.path)
        ).exclude(role__in=["county_viewer", ""])
        self.fields["duplicate_of"].queryset = scope.scoped(user, Case.objects.exclude(pk=case.pk))  # type: ignore[attr-defined]


class NoticeForm(Form):
    addressee = forms.CharField(label="被通知单位/个人", max_length=80)
    requirements = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))


class VisitForm(Form):
    target_kind = forms.ChoiceField(label="对象类型", choices=VisitTarget.choices)
    target = forms.CharField(label="走访对象", max_length=80)
    note = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 2}), required=False)


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form when no field matches)."""
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class LedgerImportForm(Form):
    """A case ledger (台账) to check: its case type and the file."""

    case_type = forms.ModelChoiceField(
        label="事件类型", queryset=CaseType.objects.all(), empty_label=None, to_field_name="code"
    )
    file = forms.FileField(label="台账文件(.xlsx)")

    def clean_file(self) -> Any:
        from zhenwu.web import downloads

        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        downloads.check_upload_size(upload, "case_ledger")
        return upload
