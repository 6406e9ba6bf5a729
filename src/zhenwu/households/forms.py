from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms

from zhenwu.core import idcard
from zhenwu.org.models import OrgKind
from zhenwu.org.widgets import UnitChoiceField, limit_units
from zhenwu.web import downloads
from zhenwu.web.forms import Form

from . import services
from .models import (
    BenefitKind,
    ClosedReason,
    LeftReason,
    Member,
    MonitoringCategory,
    Relation,
    RiskCause,
    SubsidyKind,
)

TAGS = [
    ("", "全部"),
    ("lifted_out", "脱贫户"),
    ("monitored", "监测户"),
    ("dibao", "低保户"),
    ("tekun", "特困供养"),
    ("left_behind_elderly", "留守老人"),
    ("left_behind_children", "留守儿童"),
    ("closed", "已销户"),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input takes


class HouseholdFilterForm(Form):
    """Search and filters; a full identity number is taken only from a POST, so that it never stands in
    a URL, and so in no browser history, proxy or server access log."""

    q = forms.CharField(label="户编号、姓名或完整身份证号", required=False, max_length=32)
    tag = forms.ChoiceField(label="标签", required=False, choices=TAGS)
    unit = UnitChoiceField("村/网格", kinds=[OrgKind.VILLAGE, OrgKind.GRID], empty_label="全部")

    def __init__(self, user: Any, *args: Any, posted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.posted = posted
        limit_units(self, user)

    def clean_q(self) -> str:
        q: str = self.cleaned_data["q"].strip()
        if not self.posted and services.index_of(q) is not None:
            raise forms.ValidationError("按身份证号查找请使用页面上的查找框，号码不会出现在网址中。")
        return q

    def query_string(self) -> str:
        """The filters for the pager's links; a searched identity number is left out."""
        if not self.is_valid():
            return ""
        keep = {k: v for k, v in self.cleaned_data.items() if v}
        if unit := keep.get("unit"):
            keep["unit"] = unit.code
        if services.index_of(keep.get("q", "")) is not None:
            keep.pop("q")
        return urlencode(keep)


class NoEchoInput(forms.TextInput):
    """A typed identity number is not written back into the page when the form comes back with errors."""

    def format_value(self, value: Any) -> str | None:
        return None


class MemberForm(Form):
    name = forms.CharField(label="姓名", max_length=32)
    relation = forms.ChoiceField(label="与户主关系", choices=Relation.choices)
    id_number = forms.CharField(
        label="身份证号", max_length=24, widget=NoEchoInput, help_text="出生日期和性别由身份证号得出"
    )
    phone = forms.CharField(label="电话", max_length=24, required=False)
    disabled = forms.BooleanField(label="残疾", required=False)
    tags = forms.CharField(label="其他标签", max_length=64, required=False)

    def clean_id_number(self) -> str:
        try:
            return idcard.parse(self.cleaned_data["id_number"]).number
        except idcard.IdNumberError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self) -> str:
        try:
            return idcard.validate_phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _village_or_grid(label: str) -> UnitChoiceField:
    """Where a household lives: a village or grid of the user's, chosen by name (posted as the id)."""
    return UnitChoiceField(
        label, kinds=[OrgKind.VILLAGE, OrgKind.GRID], required=True, empty_label="请选择", to_field_name=None
    )


class HouseholdForm(Form):
    """A new household with its head; further members are added on the household's page."""

    org_unit = _village_or_grid("所属村/网格")
    number = forms.CharField(label="户编号", max_length=32)
    address = forms.CharField(label="住址", max_length=128, required=False)
    lifted_out = forms.BooleanField(label="脱贫户", required=False)
    left_behind_elderly = forms.BooleanField(label="留守老人", required=False)
    left_behind_children = forms.BooleanField(label="留守儿童", required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_units(self, user)


NOT_HEAD = [(value, label) for value, label in Relation.choices if value != Relation.HEAD]


class HouseholdEditForm(Form):
    """The head (户主), address and tags; the village or grid changes by a move, which is recorded."""

    head = forms.ModelChoiceField(label="户主", queryset=Member.objects.none(), empty_label=None)
    former_head_relation = forms.ChoiceField(
        label="原户主与新户主的关系", required=False, choices=[("", "(不更换户主时不填)"), *NOT_HEAD]
    )
    address = forms.CharField(label="住址", max_length=128, required=False)
    lifted_out = forms.BooleanField(label="脱贫户", required=False)
    left_behind_elderly = forms.BooleanField(label="留守老人", required=False)
    left_behind_children = forms.BooleanField(label="留守儿童", required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members  # type: ignore[attr-defined]


class MemberEditForm(Form):
    """A member's record corrected; the identity number and phone are typed anew only to change them."""

    name = forms.CharField(label="姓名", max_length=32)
    relation = forms.ChoiceField(label="与户主关系", choices=Relation.choices)
    id_number = forms.CharField(
        label="身份证号", max_length=24, required=False, widget=NoEchoInput,
        help_text="留空则不变；改号后出生日期和性别随之更新",
    )  # fmt: skip
    phone = forms.CharField(label="电话", max_length=24, required=False, help_text="留空则不变")
    clear_phone = forms.BooleanField(label="清除电话", required=False)
    disabled = forms.BooleanField(label="残疾", required=False)
    tags = forms.CharField(label="其他标签", max_length=64, required=False)

    def __init__(self, *args: Any, masked: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["id_number"]
        field.help_text = f"现为 {masked}；{field.help_text}"

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip()
        if not value:
            return ""
        try:
            return idcard.parse(value).number
        except idcard.IdNumberError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return idcard.validate_phone(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class MemberMoveForm(Form):
    to_household = forms.CharField(label="迁入户编号", max_length=32)
    relation = forms.ChoiceField(label="与迁入户户主关系", choices=Relation.choices)
    moved_on = forms.DateField(label="迁移日期", widget=DATE)
    reason = forms.CharField(label="迁移原因", max_length=200)


class HouseholdMoveForm(Form):
    org_unit = _village_or_grid("迁入村/网格")
    moved_on = forms.DateField(label="迁移日期", widget=DATE)
    reason = forms.CharField(label="迁移原因", max_length=200)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_units(self, user)


class MemberCloseForm(Form):
    reason = forms.ChoiceField(label="销户原因", choices=LeftReason.choices)
    left_on = forms.DateField(label="销户日期(死亡或迁出日期)", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class HouseholdCloseForm(Form):
    reason = forms.ChoiceField(label="销户原因", choices=ClosedReason.choices)
    closed_on = forms.DateField(label="销户日期", widget=DATE)
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="整户迁出时，仍在册的成员一并销户"
    )


class PeriodForm(Form):
    start = forms.DateField(label="起始日期", widget=DATE)
    end = forms.DateField(label="截止日期", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return data


class IdentifyForm(Form):
    category = forms.ChoiceField(label="监测类型", choices=MonitoringCategory.choices)
    identified_on = forms.DateField(label="识别日期", widget=DATE)
    risk_causes = forms.MultipleChoiceField(
        label="风险类型", choices=RiskCause.choices, widget=forms.CheckboxSelectMultiple
    )
    measures = forms.CharField(label="帮扶措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_identified_on(self) -> date:
        value: date = self.cleaned_data["identified_on"]
        if value > date.today():  # noqa: DTZ011 - a calendar date typed by the user
            raise forms.ValidationError("识别日期不能晚于今天。")
        return value


class VisitForm(Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    note = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 3}))


class MeasuresForm(Form):
    measures = forms.CharField(label="帮扶措施", widget=forms.Textarea(attrs={"rows": 3}))


class IncomeForm(Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    per_capita_income = forms.DecimalField(
        label="人均纯收入(元)", min_value=Decimal(0), max_digits=10, decimal_places=2
    )
    checked_on = forms.DateField(label="核查日期", widget=DATE)


class ProposeForm(Form):
    eliminated_on = forms.DateField(label="风险消除日期", widget=DATE)
    reason = forms.CharField(label="风险消除理由", widget=forms.Textarea(attrs={"rows": 3}))


class BenefitForm(Form):
    kind = forms.ChoiceField(label="救助类型", choices=BenefitKind.choices)
    starts_on = forms.DateField(label="起始日期(临时救助为发放日期)", widget=DATE)
    ends_on = forms.DateField(label="终止日期", required=False, widget=DATE)
    monthly_amount = forms.DecimalField(
        label="月发放金额(元，低保/特困)", required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    amount = forms.DecimalField(
        label="金额(元，临时救助)", required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    reason = forms.CharField(label="事由(临时救助)", required=False, max_length=128)


class BatchForm(Form):
    name = forms.CharField(label="批次名称", max_length=64)
    kind = forms.ChoiceField(label="补贴类型", choices=SubsidyKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    rate = forms.DecimalField(
        label="补贴标准(元/亩)", min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )


class PayForm(Form):
    paid_on = forms.DateField(label="发放日期", widget=DATE)


class ImportForm(Form):
    file = forms.FileField(label="Excel 文件(.xlsx)")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        # The register's limit is the larger; the importer holds a roll to its own.
        downloads.check_upload_size(upload, "register")
        return upload


class FullExportForm(Form):
    """Exporting full identity numbers and phones is confirmed with the reason, which is logged."""

    reason = forms.CharField(
        label="导出事由", min_length=4, max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：向县民政局报送低保对象名册。导出人、时间、事由和行数将被记录。",
    )  # fmt: skip
