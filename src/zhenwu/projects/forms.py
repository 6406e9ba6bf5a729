"""Forms for projects and leads: choices narrowed to the user's scope, amounts typed in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind
from zhenwu.org.widgets import UnitChoiceField
from zhenwu.web.forms import Form, ModelForm

from .models import FollowUpKind, InvestmentLead, LeadStage, Project, ScheduleTemplate, Stage
from .services import PROBLEM_CATEGORIES

WAN = Decimal(10000)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class ScopedChoicesMixin:
    """Narrow the unit and office choices to what the user may see."""

    def narrow(self, user: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["org_unit"].limit_to(user)
        fields["department"].queryset = scope.scoped(user, Department.objects.all())
        if user.department_id:
            fields["department"].queryset = Department.objects.filter(pk=user.department_id)


PROJECT_UNITS = [OrgKind.TOWNSHIP, OrgKind.VILLAGE]  # where a project or a lead is kept


def unit_field() -> UnitChoiceField:
    return UnitChoiceField(
        "所在单元", kinds=PROJECT_UNITS, required=True, empty_label="请选择", to_field_name=None
    )


class WanField(forms.DecimalField):
    """Money typed in 万元 (as offices count it), kept in 元."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=Decimal(0), **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        amount = super().clean(value)
        return None if amount is None else amount * WAN


class ProjectForm(ScopedChoicesMixin, ModelForm):  # type: ignore[type-arg]
    total_investment = WanField(label="总投资(万元)")
    org_unit = unit_field()
    planned_investment = WanField(label="年度计划投资(万元)")

    class Meta:
        model = Project
        fields = [
            "name", "category", "provincial_key", "city_key", "county_key", "total_investment", "plan_year",
            "planned_investment", "land_area", "land_status", "leader", "department", "org_unit", "location",
            "description",
        ]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow(user)
        if self.instance.pk:
            for name in ("total_investment", "planned_investment"):
                self.initial[name] = getattr(self.instance, name) / WAN


class LeadForm(ScopedChoicesMixin, ModelForm):  # type: ignore[type-arg]
    intended_investment = WanField(label="意向投资额(万元)")
    org_unit = unit_field()

    class Meta:
        model = InvestmentLead
        fields = [
            "investor",
            "sector",
            "intended_investment",
            "leader",
            "department",
            "org_unit",
            "description",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow(user)


class StageForm(Form):
    to_stage = forms.ChoiceField(label="新阶段", choices=Stage.choices)
    date = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="原因(跨越或退回阶段时必填)", required=False, max_length=200)


class InvestmentForm(Form):
    period = forms.CharField(label="月份", widget=forms.DateInput(attrs={"type": "month"}))
    amount = WanField(label="本年累计完成投资(万元)")
    note = forms.CharField(label="备注", required=False, max_length=200)


class ScheduleForm(Form):
    far_future_fields = frozenset({"completion"})
    template = forms.ModelChoiceField(label="倒排模板", queryset=ScheduleTemplate.objects.all())
    completion = forms.DateField(label="计划竣工日期", widget=DATE)


class MilestoneDoneForm(Form):
    actual_date = forms.DateField(label="实际完成日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class ProgressNoteForm(Form):
    this_week = forms.CharField(label="本周进展", widget=forms.Textarea(attrs={"rows": 2}))
    next_week = forms.CharField(label="下周计划", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(Form):
    date = forms.DateField(label="日期", widget=DATE)
    kind = forms.ChoiceField(label="方式", choices=FollowUpKind.choices)
    note = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))
    to_stage = forms.ChoiceField(
        label="推进到", required=False,
        choices=[("", "不变"), *[(s.value, s.label) for s in LeadStage if s != LeadStage.LANDED]],
    )  # fmt: skip


class ProblemForm(Form):
    title = forms.CharField(label="问题", max_length=60)
    description = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label="类别", choices=[(code, name) for code, name in PROBLEM_CATEGORIES])
    due = forms.DateField(label="解决时限", widget=DATE)
