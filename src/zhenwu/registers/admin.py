"""Registers in the admin site, to look at only: a register's settings come from its definition, loaded
at /registers/load/, and records are entered through services that check them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhenwu.org.admin import ScopedAdmin

from .models import Register


@admin.register(Register)
class RegisterAdmin(ScopedAdmin):
    list_display = ["title", "form_id", "kind", "township", "current_version"]
    list_filter = ["kind"]
    search_fields = ["title", "form_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
