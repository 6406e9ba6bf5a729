from django.contrib import admin

from zhenwu.org.admin import ScopedAdmin

from .models import ConsistencyRule, Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ["name", "code", "unit", "kind", "department", "by_village", "active"]
    list_filter = ["kind", "by_village", "active", "department"]
    search_fields = ["name", "code"]
    list_select_related = ["department"]
    ordering = ["township", "position", "code"]


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ["indicator", "org_unit", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator", "org_unit"]


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(ScopedAdmin):
    list_display = ["name", "left", "operator", "right_kind", "right", "missing", "active"]
    list_select_related = ["left", "right"]
