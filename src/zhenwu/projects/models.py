"""Key projects (重点项目), their stages, milestones and investment; investment leads (招商引资)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from zhenwu.core.numbers import format_money
from zhenwu.org.models import Department, OrgUnit, ScopeRule

MONEY = {"max_digits": 16, "decimal_places": 2}


class Category(models.TextChoices):
    INDUSTRY = "industry", "产业"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    LIVELIHOOD = "livelihood", "民生"
    URBAN = "urban", "城建"
    RURAL = "rural", "农业农村"


class Stage(models.TextChoices):
    """The "五个一批" stages, in the order a project goes through them."""

    PLANNED = "planned", "谋划"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    COMPLETED = "completed", "竣工"
    IN_PRODUCTION = "in_production", "投产"


STAGE_ORDER = [s.value for s in Stage]
ACTIVE_STAGES = [Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION]


class LandStatus(models.TextChoices):
    NONE = "none", "无需用地"
    ACQUIRING = "acquiring", "征地中"
    ACQUIRED = "acquired", "已征地"
    SUPPLIED = "supplied", "已供地"


class Project(models.Model):
    name = models.CharField("项目名称", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    provincial_key = models.BooleanField("省重点", default=False)
    city_key = models.BooleanField("市重点", default=False)
    county_key = models.BooleanField("县重点", default=False)
    stage = models.CharField("阶段", max_length=24, choices=Stage.choices, default=Stage.PLANNED)
    total_investment = models.DecimalField("总投资(元)", validators=[MinValueValidator(0)], **MONEY)
    plan_year = models.PositiveSmallIntegerField("计划年度")
    planned_investment = models.DecimalField("年度计划投资(元)", validators=[MinValueValidator(0)], **MONEY)
    land_area = models.DecimalField("用地面积(亩)", max_digits=10, decimal_places=2, null=True, blank=True)
    land_status = models.CharField(
        "用地状态", max_length=16, choices=LandStatus.choices, default=LandStatus.NONE
    )
    leader = models.CharField("责任领导", max_length=32, help_text="包联的班子成员")
    department = models.ForeignKey(
        Department, verbose_name="责任站所", on_delete=models.PROTECT, related_name="projects"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所在单元", on_delete=models.PROTECT, related_name="projects"
    )
    location = models.CharField("建设地点", max_length=100, blank=True)
    description = models.TextField("建设内容", blank=True)
    completion_date = models.DateField("计划竣工日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeRule(org_field="org_unit", department_field="department")

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["-plan_year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def level_labels(self) -> list[str]:
        return [
            label
            for flag, label in ((self.provincial_key, "省"), (self.city_key, "市"), (self.county_key, "县"))
            if flag
        ]


class StageChange(models.Model):
    """Each stage a project entered, when, and why when it skipped or went back."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=24, choices=Stage.choices)
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"
        ordering = ["date", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.project.name}：{self.get_to_stage_display()}（{self.date:%Y-%m-%d}）"


class InvestmentValue(models.Model):
    """Investment completed this year up to the end of a month (cumulative, 元)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investments")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    amount = models.DecimalField("累计完成投资(元)", validators=[MinValueValidator(0)], **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    scope = ScopeRule(org_field="project__org_unit", department_field="project__department")

    class Meta:
        verbose_name = "完成投资"
        verbose_name_plural = "完成投资"
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="one_investment_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.project.name} {self.year}年1-{self.month}月完成投资{format_money(self.amount)}"


class MilestoneStatus(models.TextChoices):
    DONE = "done", "已完成"
    OVERDUE = "overdue", "已逾期"
    DUE_SOON = "due_soon", "即将到期"
    PENDING = "pending", "未到期"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("节点", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    planned_date = models.DateField("计划完成日期")
    actual_date = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, help_text="逾期时写明原因")

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["project", "position", "planned_date"]
        indexes = [
            # The open milestones by date: what the reminder job and the overdue counts read.
            models.Index(
                fields=["planned_date"],
                condition=models.Q(actual_date__isnull=True),
                name="milestone_open_by_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.name}：{self.name}"

    def status(self, today: date) -> str:
        if self.actual_date:
            return MilestoneStatus.DONE
        if self.planned_date < today:
            return MilestoneStatus.OVERDUE
        if (self.planned_date - today).days <= 7:
            return MilestoneStatus.DUE_SOON
        return MilestoneStatus.PENDING


class ScheduleTemplate(models.Model):
    """A list of steps with durations in working days, from which milestones are back-scheduled."""

    name = models.CharField("模板名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "倒排工期模板"
        verbose_name_plural = "倒排工期模板"

    def __str__(self) -> str:
        return self.name


class ScheduleStep(models.Model):
    template = models.ForeignKey(ScheduleTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤", max_length=50)
    working_days = models.PositiveSmallIntegerField("所需工作日")

    class Meta:
        verbose_name = "模板步骤"
        verbose_name_plural = "模板步骤"
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return f"{self.template.name} 第{self.position}步：{self.name}"


class ProgressNote(models.Model):
    """A project's line on the weekly dispatch sheet (周调度): this week's progress, next week's plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_notes")
    week = models.DateField("周(周一)")
    this_week = models.TextField("本周进展")
    next_week = models.TextField("下周计划", blank=True)
    problems = models.TextField("存在问题", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "周调度进展"
        verbose_name_plural = "周调度进展"
        constraints = [models.UniqueConstraint(fields=["project", "week"], name="one_progress_note_a_week")]

    def __str__(self) -> str:
        return f"{self.project.name} {self.week:%Y-%m-%d}当周调度"


class LeadStage(models.TextChoices):
    INTENT = "intent", "意向"
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    LANDED = "landed", "落地"


LEAD_ORDER = [s.value for s in LeadStage]


class InvestmentLead(models.Model):
    """An investor the township courts (招商引资); a landed lead becomes a project and keeps its history."""

    investor = models.CharField("投资方", max_length=100)
    sector = models.CharField("行业", max_length=50)
    intended_investment = models.DecimalField("意向投资额(元)", validators=[MinValueValidator(0)], **MONEY)
    stage = models.CharField("阶段", max_length=16, choices=LeadStage.choices, default=LeadStage.INTENT)
    leader = models.CharField("牵头领导", max_length=32)
    department = models.ForeignKey(
        Department, verbose_name="责任站所", on_delete=models.PROTECT, related_name="leads"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所在单元", on_delete=models.PROTECT, related_name="leads"
    )
    description = models.TextField("项目概况", blank=True)
    project = models.OneToOneField(
        Project, verbose_name="落地项目", null=True, blank=True, on_delete=models.PROTECT, related_name="lead"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeRule(org_field="org_unit", department_field="department")

    class Meta:
        verbose_name = "招商线索"
        verbose_name_plural = "招商线索"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.investor


class FollowUpKind(models.TextChoices):
    VISIT = "visit", "走访"
    CALL = "call", "电话"
    MEETING = "meeting", "洽谈"
    OTHER = "other", "其他"


class LeadFollowUp(models.Model):
    lead = models.ForeignKey(InvestmentLead, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField("日期")
    kind = models.CharField("方式", max_length=16, choices=FollowUpKind.choices)
    note = models.TextField("情况")
    stage_from = models.CharField(max_length=16, choices=LeadStage.choices, blank=True)
    stage_to = models.CharField(max_length=16, choices=LeadStage.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "跟进记录"
        verbose_name_plural = "跟进记录"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.lead.investor} {self.date:%Y-%m-%d}{self.get_kind_display()}"


class ProjectProblem(models.Model):
    """A problem holding a project up (遗留问题/难点). It is a case of the case engine, so it has an owner,
    a deadline, escalation and an uneditable history; this row only ties it to its project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="problems")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="project_problem")

    scope = ScopeRule(org_field="project__org_unit", department_field="project__department")

    class Meta:
        verbose_name = "项目问题"
        verbose_name_plural = "项目问题"

    def __str__(self) -> str:
        return f"{self.project.name}：{self.case}"
