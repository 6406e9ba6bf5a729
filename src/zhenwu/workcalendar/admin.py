from django.contrib import admin

from zhenwu.org.admin import SharedTableAdmin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(SharedTableAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
