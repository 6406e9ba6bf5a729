from django.contrib import admin

from zhenwu.org.admin import SharedTableAdmin
from zhenwu.web.forms import ModelForm

from .models import CalendarDay


class CalendarDayForm(ModelForm):
    far_future_fields = frozenset({"date"})  # next year's holidays are entered in December


@admin.register(CalendarDay)
class CalendarDayAdmin(SharedTableAdmin):
    form = CalendarDayForm
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
