from typing import Any

from django import forms
from django.contrib import admin

from zhenwu import measures
from zhenwu.org.admin import ScopedAdmin, SharedTableAdmin
from zhenwu.web.forms import ModelForm

from .models import ConsistencyRule, Indicator, IndicatorSettings, LibraryIndicator, Target


class IndicatorForm(ModelForm):  # type: ignore[type-arg]
    """The source is chosen from the measures zhenwu offers; the model's clean checks the rest."""

    source = forms.ChoiceField(label="数据来源", required=False)

    class Meta:
        model = Indicator
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(f"{m.label}：{m.option_label}", m.option_choices()) for m in measures.all_measures()]
        self.fields["source"].choices = [("", "人工填报"), *measures.choices()]
        self.fields["source"].help_text = Indicator._meta.get_field("source").help_text
        self.fields["source_option"].help_text = "；".join(
            f"{label}可选 " + "、".join(f"{value}({name})" for value, name in choices)
            for label, choices in options
            if choices
        )


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    form = IndicatorForm
    list_display = ["name", "code", "unit", "kind", "department", "by_village", "source", "active"]
    list_filter = ["kind", "by_village", "active", "department"]
    search_fields = ["name", "code"]
    list_select_related = ["department"]
    ordering = ["township", "position", "code"]


@admin.register(IndicatorSettings)
class IndicatorSettingsAdmin(ScopedAdmin):
    list_display = ["township", "tolerance_points"]


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ["indicator", "org_unit", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator", "org_unit"]


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(ScopedAdmin):
    list_display = ["name", "left", "operator", "right_kind", "right", "missing", "active"]
    list_select_related = ["left", "right"]


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(SharedTableAdmin):
    list_display = ["name", "code", "group", "unit", "kind", "department_name", "source"]
    list_filter = ["group", "kind"]
    search_fields = ["name", "code"]
