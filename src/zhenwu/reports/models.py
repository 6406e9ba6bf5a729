"""Narrative entries offices write for a report period, and the compiler's choice of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhenwu.org.models import Department, OrgUnit, ScopeRule

from .kinds import KINDS


class Section(models.TextChoices):
    HIGHLIGHTS = "highlights", "工作亮点"
    METHODS = "methods", "主要做法"
    PROBLEMS = "problems", "存在问题"
    PLANS = "plans", "下阶段计划"


KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


def kind_label(code: str) -> str:
    """一季度工作总结 for "q1"; a custom span ("span:3-8") as 3-8月工作总结."""
    if code in KINDS:
        return KINDS[code].label
    return f"{code.removeprefix('span:')}月工作总结"


class NarrativeEntry(models.Model):
    """A short titled paragraph an office writes for one unit's report of one period."""

    department = models.ForeignKey(
        Department, verbose_name="站所", on_delete=models.PROTECT, related_name="narrative_entries"
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("报告类型", max_length=16, choices=KIND_CHOICES)
    section = models.CharField("部分", max_length=16, choices=Section.choices)
    title = models.CharField("标题", max_length=60)
    text = models.TextField("内容", max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit", department_field="department")

    class Meta:
        verbose_name = verbose_name_plural = "报告素材"
        ordering = ["section", "department__code", "pk"]
        indexes = [models.Index(fields=["org_unit", "year", "kind"])]

    def __str__(self) -> str:
        return self.title


class ReportDraft(models.Model):
    """The compiler's choice and order of entries for one report: kept when the draft is regenerated."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("报告类型", max_length=16, choices=KIND_CHOICES)
    entry_ids = models.JSONField("选用的素材(按顺序)", default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编写人", on_delete=models.PROTECT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = verbose_name_plural = "报告稿"
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "kind"], name="one_draft_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年{kind_label(self.kind)}"


class ReportOutline(models.Model):
    """The compiler's arrangement of one township's reports of one kind (reports/outline.py): kept from
    year to year and across regeneration."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("报告类型", max_length=16)  # a kind's code, or "span:3-8" (outline.outline_kind)
    sections = models.JSONField("各部分的指标(按顺序)", default=dict)
    dismissed = models.JSONField("不用的指标", default=list)
    leads = models.JSONField("引导语", default=dict)
    placement = models.JSONField("素材位置(按顺序)", default=list)
    labels = models.JSONField("指标名称", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编排人", on_delete=models.PROTECT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = verbose_name_plural = "报告提纲"
        constraints = [models.UniqueConstraint(fields=["org_unit", "kind"], name="one_outline_per_kind")]

    def __str__(self) -> str:
        return f"{self.org_unit} {kind_label(self.kind)}提纲"


class EntryRequest(models.Model):
    """The compiler's call for narrative entries (素材征集): the offices asked to write their entries for
    one unit's report of one period, by a day. An office has answered once it has written an entry for
    that report; until then the request is on its staff's to-do list."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("报告类型", max_length=16, choices=KIND_CHOICES)
    due_on = models.DateField("截止日期")
    departments = models.ManyToManyField(
        Department, verbose_name="征集站所", blank=True, related_name="+", help_text="不选为全部站所"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="征集人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("征集时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = verbose_name_plural = "素材征集"
        ordering = ["-year", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "kind"], name="one_entry_request_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year} {self.get_kind_display()}素材征集"
