"""Indicators, their annual targets and monthly values, and the consistency rules between them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhenwu import measures
from zhenwu.core.numbers import format_grouped
from zhenwu.org.models import Department, OrgKind, OrgUnit, ScopeRule, code_validator

VALUE_DIGITS = 20
VALUE_PLACES = 4


class IndicatorKind(models.TextChoices):
    CUMULATIVE = "cumulative", "累计值(年内累加)"
    LEVEL = "level", "时点值(期末数)"
    RATE = "rate", "比率"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class Indicator(models.Model):
    """A measured quantity a township reports: 固定资产投资, 参保人数, 办结率 …"""

    township = models.ForeignKey(
        OrgUnit, verbose_name="乡镇/街道", on_delete=models.PROTECT, related_name="indicators",
        limit_choices_to={"kind": OrgKind.TOWNSHIP},
    )  # fmt: skip
    department = models.ForeignKey(
        Department, verbose_name="责任站所", on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField("编码", max_length=32, validators=[code_validator])
    name = models.CharField("名称", max_length=64)
    unit = models.CharField("计量单位", max_length=16, help_text="元、万元、亿元、人、亩、吨、% …")
    kind = models.CharField(
        "类型", max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.CUMULATIVE
    )
    direction = models.CharField("方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(
        "小数位数", default=2, validators=[MaxValueValidator(VALUE_PLACES)]
    )
    by_village = models.BooleanField(
        "按村填报", default=False, help_text="勾选后各村/社区分别填报，乡镇数可由各村汇总。"
    )
    numerator = models.ForeignKey(
        "self", verbose_name="分子指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="比率由两个指标相除得出时填写；留空则比率直接填报。",
    )  # fmt: skip
    denominator = models.ForeignKey(
        "self", verbose_name="分母指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        "数据来源", max_length=64, blank=True,
        help_text="留空为人工填报；选择后由平台的记录自动计算(如低保金发放、事件办结率)，不能再手工填报。",
    )  # fmt: skip
    source_option = models.CharField(
        "来源范围", max_length=64, blank=True, help_text="所选来源需要时填写，如事件类型、救助类型。"
    )
    position = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    # Villages and grids read their township's catalog; office staff see their own office's indicators.
    scope = ScopeRule(org_field="township", department_field="department", shared_downward=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["township", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"], name="indicator_code_unique_in_township")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_rate(self) -> bool:
        return self.kind == IndicatorKind.RATE

    @property
    def is_computed_rate(self) -> bool:
        return self.is_rate and self.numerator_id is not None and self.denominator_id is not None

    @property
    def measure(self) -> measures.Measure | None:
        """What the indicator is bound to: its values are computed from records, never typed."""
        return measures.get(self.source) if self.source else None

    @property
    def is_computed(self) -> bool:
        """Computed from other values or from records, so never entered by hand."""
        return self.is_computed_rate or bool(self.source)

    def clean(self) -> None:
        if self.department_id and self.township_id and self.department.township_id != self.township_id:
            raise ValidationError({"department": "责任站所不属于该乡镇。"})
        has_parts = (self.numerator_id is not None, self.denominator_id is not None)
        if any(has_parts) and not all(has_parts):
            raise ValidationError("分子指标和分母指标须同时填写，或同时留空。")
        if all(has_parts) and not self.is_rate:
            raise ValidationError({"kind": "只有比率指标可以由分子、分母计算。"})
        if self.source:
            self._clean_source(has_parts)

    def _clean_source(self, has_parts: tuple[bool, bool]) -> None:
        measure = self.measure
        if measure is None:
            raise ValidationError({"source": f"未知的数据来源“{self.source}”。"})
        if any(has_parts):
            raise ValidationError({"source": "由分子、分母计算的比率不能再绑定数据来源。"})
        if measure.kind != self.kind:
            kind = IndicatorKind(measure.kind).label
            raise ValidationError({"kind": f"数据来源“{measure.label}”是{kind}，指标类型应与之一致。"})
        if not measure.fits_unit(self.unit):
            raise ValidationError({"unit": f"计量单位“{self.unit}”与数据来源“{measure.label}”不符。"})
        options = dict(measure.option_choices())
        if measure.option_label and self.source_option not in options:
            raise ValidationError({"source_option": f"请选择{measure.option_label}。"})
        if not measure.option_label and self.source_option:
            raise ValidationError({"source_option": f"数据来源“{measure.label}”不需要来源范围。"})


class IndicatorSettings(models.Model):
    """How a township measures its indicators against time progress."""

    township = models.OneToOneField(
        OrgUnit, verbose_name="乡镇/街道", on_delete=models.CASCADE, related_name="indicator_settings",
        limit_choices_to={"kind": OrgKind.TOWNSHIP},
    )  # fmt: skip
    tolerance_points = models.DecimalField(
        "序时进度容差(百分点)", max_digits=4, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
        help_text="落后序时进度不超过此百分点的指标仍计为达到序时进度；默认 0，即落后即计为落后。",
    )  # fmt: skip

    scope = ScopeRule(org_field="township")

    class Meta:
        verbose_name = "指标考核设置"
        verbose_name_plural = "指标考核设置"

    def __str__(self) -> str:
        return f"{self.township}指标考核设置"


class Target(models.Model):
    """An org unit's annual target for an indicator, optionally phased through the year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="单元", on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("全年目标", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    phasing = models.JSONField(
        "月度进度安排", null=True, blank=True,
        help_text="季节性指标：12 个月末应完成的累计百分比，如 5,10,…,100；留空按月均匀。",
    )  # fmt: skip

    scope = ScopeRule(org_field="org_unit", department_field="indicator__department")

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "org_unit", "year"], name="one_target_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年 {self.indicator}"

    def phasing_shares(self) -> list[Decimal] | None:
        """The phasing as cumulative shares of the year (0.05 … 1), or None for a straight line."""
        if not self.phasing:
            return None
        return [Decimal(str(p)) / 100 for p in self.phasing]


class Value(models.Model):
    """An org unit's value of an indicator for a month: year to date for cumulative indicators."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="values"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="单元", on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    value = models.DecimalField("数值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    note = models.CharField("备注", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("填报时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit", department_field="indicator__department")

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "year", "month"], name="one_value_a_month"
            )
        ]
        indexes = [
            models.Index(fields=["year", "month", "indicator"], name="value_period_idx"),
            # Villages' values summed by township (the leaders' dashboard) are read from the index alone.
            models.Index(
                fields=["org_unit", "year", "month"],
                include=["indicator", "value"],
                name="value_unit_period_sum_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年{self.month}月 {self.indicator}：{format_grouped(self.value)}"


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    GE = ">=", "≥"
    GT = ">", ">"


class MissingStrategy(models.TextChoices):
    SKIP = "skip", "任一侧缺数时不校验"
    ZERO = "zero", "缺数按 0 计"
    VIOLATION = "violation", "缺数即视为不符"


class RuleRight(models.TextChoices):
    INDICATOR = "indicator", "另一指标"
    CHILDREN_SUM = "children_sum", "下级单元之和"


class ConsistencyRule(models.Model):
    """A relation that must hold between values, in the spirit of DHIS2 validation rules:
    left side, operator, right side, and what to do when a side is missing."""

    township = models.ForeignKey(
        OrgUnit, verbose_name="乡镇/街道", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("规则名称", max_length=100)
    left = models.ForeignKey(Indicator, verbose_name="左侧指标", on_delete=models.CASCADE, related_name="+")
    operator = models.CharField("关系", max_length=2, choices=Operator.choices)
    right_kind = models.CharField(
        "右侧", max_length=16, choices=RuleRight.choices, default=RuleRight.INDICATOR
    )
    right = models.ForeignKey(
        Indicator, verbose_name="右侧指标", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    missing = models.CharField(
        "缺数处理", max_length=16, choices=MissingStrategy.choices, default=MissingStrategy.SKIP
    )
    active = models.BooleanField("启用", default=True)

    scope = ScopeRule(org_field="township")

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.right_kind == RuleRight.INDICATOR and self.right_id is None:
            raise ValidationError({"right": "请选择右侧指标。"})
        if self.right_kind == RuleRight.CHILDREN_SUM and self.right_id is not None:
            raise ValidationError({"right": "右侧为下级单元之和时不选指标。"})


class ViolationState(models.TextChoices):
    OPEN = "open", "待处理"
    EXPLAINED = "explained", "已说明"
    FIXED = "fixed", "已更正"


class RuleViolation(models.Model):
    """A rule that did not hold for a unit and month, with its own life: open → explained → fixed."""

    rule = models.ForeignKey(
        ConsistencyRule, verbose_name="规则", on_delete=models.CASCADE, related_name="violations"
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单元", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    left_value = models.DecimalField(
        "左侧值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True
    )
    right_value = models.DecimalField(
        "右侧值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True
    )
    state = models.CharField(
        "状态", max_length=16, choices=ViolationState.choices, default=ViolationState.OPEN
    )
    explanation = models.TextField("情况说明", blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="说明人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    changed_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeRule(org_field="org_unit", department_field="rule__left__department")

    class Meta:
        verbose_name = "校验不符"
        verbose_name_plural = "校验不符"
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "org_unit", "year", "month"], name="one_violation_per_rule_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}：{self.org_unit} {self.year}年{self.month}月"


class LibraryIndicator(models.Model):
    """An indicator townships commonly report (常用指标库), for a township admin to pick from.

    Installation-wide, like the holiday table: `zhenwu init` installs the catalog in `library.py`, admins
    may add their county's own in the admin site, and picking one creates the township's `Indicator`.
    """

    code = models.CharField("编码", max_length=32, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=64)
    group = models.CharField("类别", max_length=16, help_text="经济发展、财政税收、农业农村 …")
    unit = models.CharField("计量单位", max_length=16)
    kind = models.CharField("类型", max_length=16, choices=IndicatorKind.choices)
    direction = models.CharField("方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(
        "小数位数", default=2, validators=[MaxValueValidator(VALUE_PLACES)]
    )
    by_village = models.BooleanField("按村填报", default=False)
    department_code = models.CharField("通常责任站所编码", max_length=32, validators=[code_validator])
    department_name = models.CharField("通常责任站所", max_length=64)
    source = models.CharField("数据来源", max_length=64, blank=True, help_text="留空为人工填报。")
    source_option = models.CharField("来源范围", max_length=64, blank=True)
    note = models.CharField("口径说明", max_length=200, blank=True)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "常用指标"
        verbose_name_plural = "常用指标库"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name
