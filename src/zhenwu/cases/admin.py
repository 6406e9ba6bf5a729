from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhenwu.org import scope
from zhenwu.org.admin import ScopedAdmin, SharedTableAdmin

from .models import CaseCategory, CaseType, EscalationRule, Open311Key


class TownshipAdminInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows township admins keep with their case type (Django's model permissions are not used); a row is
    switched off or renamed, never deleted: cases and earlier rules name it."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseCategoryInline(TownshipAdminInline):
    model = CaseCategory
    extra = 1
    fields = ["code", "name", "order", "open311_attributes"]


class EscalationRuleInline(TownshipAdminInline):
    model = EscalationRule
    extra = 0
    fields = ["from_level", "overdue_days", "to_level", "active"]


@admin.register(CaseType)
class CaseTypeAdmin(SharedTableAdmin):
    list_display = [
        "name",
        "code",
        "deadline_days",
        "deadline_count",
        "acceptance_days",
        "extension_days",
        "open311",
    ]
    inlines = [CaseCategoryInline, EscalationRuleInline]


@admin.register(Open311Key)
class Open311KeyAdmin(ScopedAdmin):
    list_display = ["name", "township", "active", "created_at"]
    list_select_related = ["township"]
    readonly_fields = ["key", "created_at"]
    fields = ["township", "name", "key", "active", "created_at"]
