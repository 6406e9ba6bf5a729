"""The holiday table: public holidays and make-up working days, filled in by an admin each year."""

from __future__ import annotations

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class CalendarDay(models.Model):
    """One date that breaks the Monday-to-Friday rule, for the whole installation.

    Holidays are set by the State Council for the whole country, so the table is not per township.
    """

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("名称", max_length=32, help_text="如：春节、国庆节")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}({self.get_kind_display()})"
