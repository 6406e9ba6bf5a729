"""The admin site, in Chinese, for township admins to manage their tree, offices and accounts.

Every queryset goes through the scope module, choices of units and offices are narrowed to the admin's
subtree, and nothing is deleted: units are kept for the records on them, accounts are deactivated.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from zhenwu.web.forms import CheckedTextMixin, ModelForm

from . import scope, services
from .models import Department, OrgUnit, ScopeRule, User

# Read the activity log at /activity/: the library's admin would offer a delete button the database refuses.
admin.site.unregister(LogEntry)
admin.site.site_header = "镇务管理后台"
admin.site.site_title = "镇务管理后台"
admin.site.index_title = "组织机构、站所与用户"


class TownshipAdminOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Township admins (and system administrators) open it; nobody deletes. Text is checked as on every
    other form (`web.forms`)."""

    form = ModelForm

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope.is_township_admin(request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedAdmin(TownshipAdminOnly):
    """Township admins see and edit only their subtree."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope.scoped(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related_scope = getattr(db_field.related_model, "scope", None)
        if isinstance(field, ModelChoiceField) and isinstance(related_scope, ScopeRule):
            field.queryset = scope.scoped(request.user, field.queryset)
        return field


class SharedTableAdmin(TownshipAdminOnly):
    """Installation-wide reference tables (holidays, case types) that every township admin keeps up.

    They hang on no unit, so there is no subtree to narrow to; nobody deletes a row others rely on.
    """


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    fields = ["kind", "code", "name", "parent"]
    ordering = ["path"]

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        actor = request.user  # type: ignore[assignment]
        if change:
            services.update_org_unit(obj, code=obj.code, name=obj.name, actor=actor)  # type: ignore[arg-type]
        else:
            saved = services.create_org_unit(
                kind=obj.kind,
                code=obj.code,
                name=obj.name,
                parent=obj.parent,
                actor=actor,  # type: ignore[arg-type]
            )
            obj.pk = saved.pk

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a unit to another parent would move every record under it: not an admin-form edit.
        return ["kind", "parent"] if obj is not None else []


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name", "code", "township"]
    list_filter = ["township"]
    search_fields = ["name", "code"]
    list_select_related = ["township"]


class ZhenwuUserCreationForm(CheckedTextMixin, UserCreationForm):  # type: ignore[type-arg]
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        model = User
        fields = ("username", "display_name", "role", "org_unit", "department")


class ZhenwuUserChangeForm(CheckedTextMixin, UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined,misc]
        model = User


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    add_form = ZhenwuUserCreationForm
    form = ZhenwuUserChangeForm
    list_display = ["username", "display_name", "role", "org_unit", "department", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    list_select_related = ["org_unit", "department"]
    ordering = ["username"]
    actions = ["unlock_accounts"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份与角色", {"fields": ("display_name", "phone", "role", "org_unit", "department")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *fieldsets,
        ("系统权限", {"fields": ("is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("身份与角色", {"fields": ("display_name", "role", "org_unit", "department")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        obj.is_staff = obj.may_use_admin_site()
        super().save_model(request, obj, form, change)

    @admin.action(description="解除所选账户的登录锁定")
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            axes_reset(username=user.username)
        self.message_user(request, f"已解除 {queryset.count()} 个账户的锁定。", messages.SUCCESS)
