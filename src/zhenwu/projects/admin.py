from django.contrib import admin

from zhenwu.org.admin import ScopedAdmin, SharedTableAdmin
from zhenwu.web.forms import ModelForm

from .models import InvestmentLead, Project, ScheduleStep, ScheduleTemplate


class ProjectAdminForm(ModelForm):
    far_future_fields = frozenset({"completion_date"})  # a plan, years ahead


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    form = ProjectAdminForm
    list_display = ["name", "category", "stage", "department", "org_unit", "plan_year"]
    list_filter = ["stage", "category", "plan_year"]
    search_fields = ["name"]
    list_select_related = ["department", "org_unit"]
    readonly_fields = ["stage"]  # stages change through the project page, which keeps their history


@admin.register(InvestmentLead)
class InvestmentLeadAdmin(ScopedAdmin):
    list_display = ["investor", "sector", "stage", "department", "org_unit"]
    list_filter = ["stage"]
    list_select_related = ["department", "org_unit"]
    readonly_fields = ["stage", "project"]


class ScheduleStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ScheduleStep
    extra = 1


@admin.register(ScheduleTemplate)
class ScheduleTemplateAdmin(SharedTableAdmin):
    inlines = [ScheduleStepInline]
