from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The installation's job runs, for its operators (superusers): what ran, when, and what it said."""

    list_display = ["name", "started_at", "finished_at", "ok", "summary"]
    list_filter = ["name", "ok"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
