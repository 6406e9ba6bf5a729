"""Households and their members, monitoring against relapse into poverty, benefits and subsidies.

Identity numbers and phones are never stored in clear: each is kept encrypted (`*_cipher`), with a
masked copy for display (`*_masked`) and, for identity numbers, a keyed blind index for exact search and
for the rule that one person is in one household only. Birth date and gender are derived from the number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhenwu.org.models import OrgUnit, ScopeRule

from . import crypto


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class LeftReason(models.TextChoices):
    """Why a member left the register (销户): the record is kept, closed from the day."""

    DIED = "died", "死亡"
    MOVED_OUT = "moved_out", "迁出"


class ClosedReason(models.TextChoices):
    """Why a household was closed: every member gone (each closed on their own day), or moved away whole."""

    NO_MEMBERS = "no_members", "成员均已死亡或迁出"
    MOVED_OUT = "moved_out", "整户迁出"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def open_on(self, day: date) -> HouseholdQuerySet:
        """Households on the register at the end of `day`: a household closed on `day` no longer is."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def open(self) -> HouseholdQuerySet:
        """On the register now (a close date is never after today)."""
        return self.filter(closed_on__isnull=True)

    def with_head_name(self) -> HouseholdQuerySet:
        head = Member.objects.filter(household=models.OuterRef("pk"), relation=Relation.HEAD)
        return self.annotate(
            head_name=models.Subquery(head.values("name")[:1]),
            member_count=models.Subquery(
                Member.objects.filter(household=models.OuterRef("pk"), left_on__isnull=True)
                .values("household")
                .annotate(n=models.Count("pk"))
                .values("n")[:1]
            ),
        )


class Household(models.Model):
    """One household (户) on the register of a village, placed in a grid when its grid is known."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属村/网格", on_delete=models.PROTECT)
    number = models.CharField("户编号", max_length=32, unique=True)
    address = models.CharField("住址", max_length=128, blank=True)
    lifted_out = models.BooleanField("脱贫户", default=False)
    left_behind_elderly = models.BooleanField("留守老人", default=False)
    left_behind_children = models.BooleanField("留守儿童", default=False)
    closed_on = models.DateField("销户日期", null=True, blank=True)
    closed_reason = models.CharField("销户原因", max_length=16, choices=ClosedReason.choices, blank=True)
    closed_note = models.CharField("销户说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()
    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = "农户"
        verbose_name_plural = "农户"
        ordering = ["number"]

    def __str__(self) -> str:
        """张三户（东岗村）, as staff name a household; its number while it has no head."""
        head = getattr(self, "head_name", None)
        if head is None and self.pk:
            head = self.members.filter(relation=Relation.HEAD).values_list("name", flat=True).first()
        return f"{head}户（{self.org_unit.name}）" if head else f"{self.number}（{self.org_unit.name}）"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class MemberQuerySet(models.QuerySet["Member"]):
    def present_on(self, day: date) -> MemberQuerySet:
        """Members on the register at the end of `day`: one who died or left on `day` no longer is."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def present(self) -> MemberQuerySet:
        """On the register now (a leaving date is never after today)."""
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("姓名", max_length=32)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    id_number_cipher = models.TextField("身份证号(密文)", editable=False)
    id_number_index = models.CharField("身份证号索引", max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, editable=False)
    phone_cipher = models.TextField("电话(密文)", blank=True, editable=False)
    phone_masked = models.CharField("电话", max_length=20, blank=True, editable=False)
    disabled = models.BooleanField("残疾", default=False)
    tags = models.CharField("其他标签", max_length=64, blank=True)
    left_on = models.DateField("销户日期", null=True, blank=True)
    left_reason = models.CharField("销户原因", max_length=16, choices=LeftReason.choices, blank=True)
    left_note = models.CharField("销户说明", max_length=200, blank=True)

    objects = MemberQuerySet.as_manager()
    scope = ScopeRule(org_field="household__org_unit")

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="head"), name="one_head_per_household"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def age(self) -> int:
        """Whole years today. Pages show the age, never the birth date: with the masked number's region
        and last four digits, the birth date would give the whole identity number back."""
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def full_id_number(self) -> str:
        """The identity number in clear: only for households.services.reveal_member, which logs it."""
        return crypto.decrypt(self.id_number_cipher)

    def full_phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)


class Move(models.Model):
    """A member moved to another household, or a household moved to another village or grid (迁入/迁出):
    the record of where from, where to, when and why, shown on both households' pages."""

    member = models.ForeignKey(
        Member, verbose_name="成员", null=True, blank=True, on_delete=models.CASCADE, related_name="moves"
    )
    from_household = models.ForeignKey(
        Household, verbose_name="迁出户", on_delete=models.CASCADE, related_name="moves_out"
    )
    to_household = models.ForeignKey(
        Household, verbose_name="迁入户", on_delete=models.CASCADE, related_name="moves_in"
    )
    from_unit = models.ForeignKey(OrgUnit, verbose_name="迁出地", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, verbose_name="迁入地", on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField("迁移日期")
    reason = models.CharField("迁移原因", max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeRule(org_field="to_unit")

    class Meta:
        verbose_name = "迁移记录"
        verbose_name_plural = "迁移记录"
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        who = (
            f"{self.from_household.number}户整户"
            if self.member_id is None
            else f"{self.from_household.number}户成员"
        )
        when = f"{self.moved_on.month}月{self.moved_on.day}日"
        return f"{who}于{when}迁至{self.to_unit.name}（{self.to_household.number}户）"

    @property
    def whole_household(self) -> bool:
        return self.member_id is None


class MonitoringCategory(models.TextChoices):
    UNSTABLE = "unstable", "脱贫不稳定户"
    MARGINAL = "marginal", "边缘易致贫户"
    SUDDEN = "sudden", "突发严重困难户"


class RiskCause(models.TextChoices):
    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    SCHOOLING = "schooling", "因学"
    DISASTER = "disaster", "因灾"
    ACCIDENT = "accident", "因意外事故"
    UNSTABLE_WORK = "unstable_work", "务工就业不稳"
    NO_LABOUR = "no_labour", "缺劳动力"
    OTHER = "other", "其他"


class MonitoringState(models.TextChoices):
    MONITORED = "monitored", "监测中"
    ELIMINATION_PROPOSED = "proposed", "风险消除待审批"
    ELIMINATED = "eliminated", "风险已消除"


class MonitoringCase(models.Model):
    """A household identified as at risk (防返贫监测对象), followed until its risk is eliminated."""

    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="monitoring_cases"
    )
    category = models.CharField("监测类型", max_length=16, choices=MonitoringCategory.choices)
    identified_on = models.DateField("识别日期")
    risk_causes = models.CharField("风险类型", max_length=128, help_text="以逗号分隔的风险类型代码")
    measures = models.TextField("帮扶措施", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=MonitoringState.choices, default=MonitoringState.MONITORED
    )
    eliminated_on = models.DateField("风险消除日期", null=True, blank=True)
    elimination_reason = models.TextField("风险消除理由", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    scope = ScopeRule(org_field="household__org_unit")

    class Meta:
        verbose_name = "监测对象"
        verbose_name_plural = "监测对象"
        ordering = ["-identified_on", "-pk"]
        indexes = [
            # The households under monitoring now, which the monthly visits are due for: a few of the
            # cases ever opened, most of which are eliminated.
            models.Index(
                fields=["household"], condition=Q(state="monitored"), name="monitoring_case_monitored"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=~Q(state="eliminated"), name="one_open_monitoring_case"
            ),
            models.CheckConstraint(
                condition=~Q(state="eliminated") | Q(eliminated_on__isnull=False),
                name="eliminated_case_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.number} {self.get_category_display()}"

    def cause_labels(self) -> list[str]:
        return [RiskCause(code).label for code in self.risk_causes.split(",") if code in RiskCause.values]


class MonitoringVisit(models.Model):
    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField("走访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT)
    note = models.TextField("走访情况")

    scope = ScopeRule(org_field="case__household__org_unit")

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case.household.number} {self.visited_on:%Y-%m-%d}走访"


class IncomeCheck(models.Model):
    """The annual per-capita net income of a household, checked once a year (年度收入核查)."""

    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.CASCADE, related_name="income_checks"
    )
    year = models.PositiveSmallIntegerField("年度")
    per_capita_income = models.DecimalField(
        "人均纯收入(元)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    checked_on = models.DateField("核查日期")

    scope = ScopeRule(org_field="household__org_unit")

    class Meta:
        verbose_name = "收入核查"
        verbose_name_plural = "收入核查"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="one_income_check_a_year")]

    def __str__(self) -> str:
        return f"{self.household.number} {self.year}年收入核查"


class BenefitKind(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困供养"
    TEMPORARY = "temporary", "临时救助"


class Benefit(models.Model):
    """低保 and 特困 are paid monthly from `starts_on` to `ends_on` (open while None); 临时救助 is one-off."""

    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="benefits"
    )
    kind = models.CharField("救助类型", max_length=16, choices=BenefitKind.choices)
    monthly_amount = models.DecimalField(
        "月发放金额(元)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("终止日期", null=True, blank=True)
    amount = models.DecimalField("一次性金额(元)", max_digits=10, decimal_places=2, null=True, blank=True)
    reason = models.CharField("事由", max_length=128, blank=True)

    scope = ScopeRule(org_field="household__org_unit")

    class Meta:
        verbose_name = "救助"
        verbose_name_plural = "救助"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="temporary") & Q(amount__gt=0))
                | (~Q(kind="temporary") & Q(monthly_amount__gt=0)),
                name="benefit_amount_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="benefit_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household.number}"


class SubsidyKind(models.TextChoices):
    FARMLAND = "farmland", "耕地地力保护补贴"
    GRAIN = "grain", "实际种粮农民一次性补贴"
    FOREST = "forest", "生态公益林补偿"
    OTHER = "other", "其他惠农补贴"


class SubsidyBatch(models.Model):
    """One payment batch (发放批次) of a subsidy at one rate, set up by a township office."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="发放单位", on_delete=models.PROTECT)
    name = models.CharField("批次名称", max_length=64)
    kind = models.CharField("补贴类型", max_length=16, choices=SubsidyKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    rate = models.DecimalField(
        "补贴标准(元/亩)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = "补贴批次"
        verbose_name_plural = "补贴批次"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.name


class SubsidyPayment(models.Model):
    """A household's line in a batch: `amount` is area × the batch's rate, computed, never typed."""

    batch = models.ForeignKey(
        SubsidyBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="payments"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="subsidy_payments"
    )
    area = models.DecimalField("面积(亩)", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2, editable=False)
    paid_on = models.DateField("发放日期", null=True, blank=True)

    scope = ScopeRule(org_field="household__org_unit")

    class Meta:
        verbose_name = "补贴发放"
        verbose_name_plural = "补贴发放"
        ordering = ["batch", "household__number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "household"], name="one_payment_per_household_in_batch"),
            models.CheckConstraint(condition=Q(area__gt=0), name="subsidy_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.name}：{self.household.number}"

    @property
    def paid(self) -> bool:
        return self.paid_on is not None


class PersonalDataAccess(models.Model):
    """Who saw which person's full identity number or phone, or exported a register in full, and when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT)
    member = models.ForeignKey(
        Member, verbose_name="被查看人", null=True, blank=True, on_delete=models.SET_NULL
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属单元", on_delete=models.PROTECT)
    what = models.CharField("内容", max_length=64)
    reason = models.CharField("事由", max_length=200, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        at = f"（{timezone.localtime(self.at):%Y-%m-%d %H:%M}）" if self.at else ""
        return f"{self.actor}查看{self.what}{at}"


class RegisterImport(models.Model):
    """One Excel import (a village register, a subsidy roll, a monitoring list or benefit grants): the
    import itself is the logged write."""

    class Kind(models.TextChoices):
        REGISTER = "register", "农户名册"
        SUBSIDY_ROLL = "subsidy_roll", "补贴清册"
        MONITORING = "monitoring", "监测对象"
        BENEFITS = "benefits", "低保特困"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="导入单位", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    file_name = models.CharField("文件名", max_length=255)
    rows = models.PositiveIntegerField("行数")
    households = models.PositiveIntegerField("户数")
    batch = models.ForeignKey(
        SubsidyBatch, verbose_name="补贴批次", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入：{self.file_name}"


class FieldKeyCheck(models.Model):
    """The fingerprint of the FIELD_ENCRYPTION_KEY the stored identity numbers and phones were encrypted
    with (one row): a server started with another key refuses to start instead of failing on the first
    reveal or export."""

    fingerprint = models.CharField("密钥指纹", max_length=64)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "字段加密密钥校验值"
        verbose_name_plural = "字段加密密钥校验值"

    def __str__(self) -> str:
        return f"字段加密密钥 {self.fingerprint[:12]}"
