"""The case engine: case types and categories (data), cases, their immutable events, photos,
rectification notices, grid workers' visits, and Open311 API keys."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from zhenwu.org.models import Department, OrgUnit, ScopeRule

from . import georeport, states
from .states import State


class DayCountChoice(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class CaseType(models.Model):
    """A kind of case with its deadline rules: grid event, hazard, petition, hotline, disclosure.

    Installation-wide data, edited in the admin site: the statutes behind the deadlines are national.
    """

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    prefix = models.CharField("编号前缀", max_length=4, help_text="事件编号的字母前缀，如 WG")
    deadline_days = models.PositiveSmallIntegerField(
        "办理期限(天)", null=True, blank=True, help_text="留空表示逐件设定期限(如热线工单)"
    )
    deadline_count = models.CharField(
        "期限计算", max_length=8, choices=DayCountChoice.choices, default=DayCountChoice.CALENDAR
    )
    acceptance_days = models.PositiveSmallIntegerField(
        "受理期限(天)", null=True, blank=True, help_text="收到后须在此期限内决定是否受理"
    )
    extension_days = models.PositiveSmallIntegerField(
        "可延期(天)", default=0, help_text="0 表示不得延期；延期只能一次"
    )
    has_levels = models.BooleanField("分级处置", default=False, help_text="一级网格内、二级村、三级乡镇")
    intake_department_code = models.CharField(
        "乡镇受理站所编码", max_length=32, blank=True, help_text="乡镇一级收件的站所编码，如综治中心 zzzx"
    )
    open311 = models.BooleanField("对外开放(Open311)", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "事件类型"
        verbose_name_plural = "事件类型"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension_allowed(self) -> bool:
        return self.extension_days > 0


class CaseCategory(models.Model):
    case_type = models.ForeignKey(
        CaseType, verbose_name="事件类型", on_delete=models.PROTECT, related_name="categories"
    )
    code = models.SlugField("编码", max_length=48, unique=True, help_text="也是 Open311 的 service_code")
    name = models.CharField("名称", max_length=32)
    order = models.PositiveSmallIntegerField("排序", default=0)
    open311_attributes = models.JSONField(
        "Open311 附加字段",
        default=list,
        blank=True,
        help_text=(
            "公众通过 Open311 上报此类事件时须/可填写的附加字段（GeoReport v2 的 service definition），如 "
            '[{"code": "kind", "datatype": "singlevaluelist", "required": true, "description": "垃圾种类", '
            '"values": [{"key": "household", "name": "生活垃圾"}]}]；datatype 可为 string、number、datetime、'
            "text、singlevaluelist、multivaluelist。"
        ),
    )

    class Meta:
        verbose_name = "事件类别"
        verbose_name_plural = "事件类别"
        ordering = ["case_type__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "name"], name="case_category_name_unique_in_type")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            georeport.attribute_definitions(self.open311_attributes)
        except ValueError as fault:
            raise ValidationError({"open311_attributes": str(fault)}) from None

    @property
    def open311_definition(self) -> list[georeport.Attribute]:
        """The attributes Open311 clients are asked for (checked when saved, so read without a fault)."""
        return georeport.attribute_definitions(self.open311_attributes)


# The levels of a case: who handles it (一级 inside the grid, 二级 the village, 三级 the township).
LEVEL_NAMES = {1: "一级事件", 2: "二级事件", 3: "三级事件"}
LEVEL_UNITS = {1: "网格", 2: "村级", 3: "乡镇"}
# Room for the longest rule in the escalation job's look-back (reminders.LOOKBACK): 20 working days are
# at most about six weeks, holidays included.
MAX_OVERDUE_DAYS = 20


class EscalationRule(models.Model):
    """自动升级: an open case of `case_type` at `from_level` (any level when empty) that has been overdue
    for `overdue_days` working days moves up to the unit of `to_level`, once per rule, by the system.

    Installation-wide data with the case types, edited in the admin site; a rule is switched off (启用),
    not deleted, so that `zhenwu init` does not bring a standard rule back.
    """

    case_type = models.ForeignKey(
        CaseType, verbose_name="事件类型", on_delete=models.CASCADE, related_name="escalation_rules"
    )
    from_level = models.PositiveSmallIntegerField(
        "原级别",
        null=True,
        blank=True,
        choices=[(1, "一级(网格)"), (2, "二级(村级)")],
        help_text="留空表示任何级别(不分级处置的类型须留空)",
    )
    overdue_days = models.PositiveSmallIntegerField(
        "超期工作日",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OVERDUE_DAYS)],
        help_text=f"超过办理期限(导入的事件自导入时起)满多少个工作日后升级，1—{MAX_OVERDUE_DAYS}",
    )
    to_level = models.PositiveSmallIntegerField("升级至", choices=[(2, "村级(二级)"), (3, "乡镇(三级)")])
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "自动升级规则"
        verbose_name_plural = "自动升级规则"
        ordering = ["case_type__order", "from_level", "overdue_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "from_level"], name="escalation_rule_once_per_level"
            ),
            models.CheckConstraint(
                condition=models.Q(from_level__isnull=True) | models.Q(to_level__gt=models.F("from_level")),
                name="escalation_rule_goes_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_type}：{self.describe()}"

    def describe(self) -> str:
        """The rule in words, as the case's event names it: 超期2个工作日自动升级：一级事件→村级."""
        source = LEVEL_NAMES[self.from_level] if self.from_level else "任何级别"
        return f"超期{self.overdue_days}个工作日自动升级：{source}→{LEVEL_UNITS[self.to_level]}"

    def clean(self) -> None:
        if self.from_level is not None and self.to_level is not None and self.to_level <= self.from_level:
            raise ValidationError({"to_level": "升级后的级别须高于原级别。"})
        if self.from_level is not None and self.case_type_id and not self.case_type.has_levels:
            raise ValidationError({"from_level": f"{self.case_type.name}不分级处置，原级别请留空。"})
        duplicate = EscalationRule.objects.filter(case_type_id=self.case_type_id, from_level=self.from_level)
        if self.case_type_id and duplicate.exclude(pk=self.pk).exists():
            raise ValidationError({"from_level": "该类型的这一级别已有自动升级规则。"})


class Channel(models.TextChoices):
    WEB = "web", "平台录入"
    GRID_APP = "grid_app", "网格员上报"
    API = "api", "接口"
    OPEN311 = "open311", "Open311"
    HOTLINE = "hotline", "热线转办"
    VISIT = "visit", "来信来访"


# Channels through which the public itself reports: a case taken in through one is public from the start
# (the reporter published it). Every other case is private until staff mark it public.
PUBLIC_CHANNELS = frozenset({Channel.OPEN311})


class CaseQuerySet(models.QuerySet["Case"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Case]:
        objs = list(objs)
        for case in objs:
            case.fill_county_code()
        return super().bulk_create(objs, *args, **kwargs)

    def open(self) -> CaseQuerySet:
        return self.filter(state__in=[s.value for s in states.OPEN_STATES])

    def overdue(self, now: Any = None) -> CaseQuerySet:
        """Open past the deadline as of `now`. A case imported from a ledger counts only from its import
        on: before it, nobody here could have acted on it, so no figure of the past calls it overdue."""
        now = now or timezone.now()
        return (
            self.open()
            .filter(deadline__lt=now)
            .filter(models.Q(imported_at__isnull=True) | models.Q(imported_at__lte=now))
        )

    def received_between(self, start: Any, end: Any) -> CaseQuerySet:
        return self.filter(received_at__gte=start, received_at__lt=end).exclude(state=State.MERGED)


class Case(models.Model):
    """One thing to be handled. It happens at `org_unit` (scope) and is handled by `handling_unit`.

    Scope: everyone whose subtree holds the place sees the case. Office staff see their township's cases
    (no department field narrows it), because the 综治中心 dispatches everything and an office must find
    a case handed to it; who may *act* on a case is narrower and decided in `services.parties`.
    """

    case_type = models.ForeignKey(
        CaseType, verbose_name="类型", on_delete=models.PROTECT, related_name="cases"
    )
    category = models.ForeignKey(
        CaseCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField("标题", max_length=80)
    description = models.TextField("内容")
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="发生地", on_delete=models.PROTECT, related_name="cases"
    )
    # The county of the place (`OrgUnit.county_code`), copied so that a scope's queries name the county
    # they read without a join: the indexes that lead with it read one county's cases however many
    # counties share the table (docs/scale.md). A case never changes county.
    county_code = models.CharField("所属县编码", max_length=32, editable=False)
    place = models.CharField("地点", max_length=120, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    level = models.PositiveSmallIntegerField("级别", default=1)
    handling_unit = models.ForeignKey(
        OrgUnit, verbose_name="承办单元", on_delete=models.PROTECT, related_name="handled_cases"
    )
    handling_department = models.ForeignKey(
        Department,
        verbose_name="承办站所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    state = models.CharField("状态", max_length=16, choices=[(s.value, states.LABELS[s]) for s in State])
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.WEB)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = models.CharField("反映人", max_length=32, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True)
    reporter_email = models.EmailField("电子邮件", blank=True, default="", db_default="")
    external_number = models.CharField("外部工单号", max_length=40, blank=True)
    source = models.CharField("来源", max_length=40, blank=True, help_text="如：12345 市民热线")
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    acceptance_deadline = models.DateTimeField("受理期限", null=True, blank=True)
    deadline = models.DateTimeField("办理期限", null=True, blank=True)
    extended = models.BooleanField("已延期", default=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolved_cases",
    )
    verified_at = models.DateTimeField("销号时间", null=True, blank=True)
    resolution = models.TextField("办理结果/答复", blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复于",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    version = models.PositiveIntegerField("版本", default=1)
    public = models.BooleanField(
        "公开",
        default=False,
        db_default=False,
        help_text=(
            "在 Open311 公开接口上展示(去除个人信息后)。公众经 Open311 上报的事件默认公开，其余默认不公开。"
        ),
    )
    # A link the reporter gave (Open311 media_url): kept and shown back, never fetched by the server.
    media_url = models.URLField("媒体链接", max_length=500, blank=True, default="", db_default="")
    attributes = models.JSONField("附加字段", null=True, blank=True, default=None)
    # Set on a case brought in from a township's ledger (台账) with its real dates; its deadlines are
    # computed from those dates, but it is overdue only from this moment on (see `overdue_counts_at`).
    imported_at = models.DateTimeField("导入时间", null=True, blank=True, default=None)
    ledger_number = models.CharField(
        "台账编号", max_length=40, blank=True, default="", db_default="", help_text="乡镇台账中的原编号"
    )

    objects = CaseQuerySet.as_manager()
    scope = ScopeRule(org_field="org_unit", department_field=None, county_field="county_code")

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件"
        ordering = ["-received_at", "-pk"]
        constraints = [
            # A case without its county would drop out of every list and figure: refuse it loudly.
            models.CheckConstraint(condition=~models.Q(county_code=""), name="case_county_code_set"),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="case_received"),
            # A scope's count of cases (the list's 共 N 件) reads its county's entries alone, and few bytes.
            models.Index(fields=["county_code", "org_unit"], name="case_county_place"),
            # A scope's cases over a time, newest first: its list and a large scope's figures of a month
            # read its county's entries alone.
            models.Index(
                fields=["county_code", "received_at"],
                include=["org_unit", "state", "resolved_at", "deadline"],
                name="case_county_received",
            ),
            # A ledger's re-import looks its numbers up among the type's imported cases.
            models.Index(
                fields=["case_type", "ledger_number"],
                condition=~models.Q(ledger_number=""),
                name="case_ledger_number",
            ),
            # Counting a scope's open or overdue cases reads this index alone, not a heap page per case
            # (on PostgreSQL; `imported_at` rides along for the rule that an import is overdue from then on),
            # and only its county's open cases; the jobs, which read every county's, read the next one.
            models.Index(
                fields=["county_code", "state", "deadline", "org_unit"],
                include=["imported_at"],
                name="case_county_state_deadline",
            ),
            models.Index(
                fields=["state", "deadline", "org_unit"],
                include=["imported_at"],
                name="case_state_deadline_place",
            ),
            # A place's cases over a time (figures of a month; similar reports of the last days). A scope's
            # counts received, resolved and on time read this index alone (the county its scope names too).
            models.Index(
                fields=["org_unit", "received_at"],
                include=["state", "resolved_at", "deadline", "county_code"],
                name="case_place_received_cover",
            ),
            # The public feed reads the few public cases of a window among a county's million private ones.
            models.Index(
                fields=["received_at"], condition=models.Q(public=True), name="case_public_received"
            ),
            # The escalation job reads the few cases imported lately (overdue from their import on).
            models.Index(
                fields=["imported_at"], condition=models.Q(imported_at__isnull=False), name="case_imported"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def fill_county_code(self) -> None:
        if not self.county_code and self.org_unit_id is not None:
            self.county_code = self.org_unit.county_code

    def validate_constraints(self, exclude: Any = None) -> None:
        # The county is no one's input (it follows the place, on save): the database's check is enough.
        super().validate_constraints(exclude={*(exclude or ()), "county_code"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_county_code()
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.case_type.prefix}{self.pk:07d}" if self.pk else "(新)"

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def state_label(self) -> str:
        return states.LABELS[self.state_enum]

    @property
    def is_open(self) -> bool:
        return states.is_open(self.state_enum)

    @property
    def outcome(self) -> str:
        return states.outcome(self.state_enum).value

    @property
    def imported(self) -> bool:
        return self.imported_at is not None

    def overdue_counts_at(self, now: Any) -> bool:
        """Whether deadlines may be held against the case at `now`: an imported case only from its import
        on (the rule of `CaseQuerySet.overdue`)."""
        return self.imported_at is None or self.imported_at <= now

    def is_overdue(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return (
            self.is_open and self.deadline is not None and now > self.deadline and self.overdue_counts_at(now)
        )

    def is_due_soon(self, now: Any = None) -> bool:
        """即将超期: open, not yet overdue, and due within 24 hours."""
        now = now or timezone.now()
        if not self.is_open or self.deadline is None or now > self.deadline:
            return False
        return (self.deadline - now).total_seconds() <= 24 * 3600

    def is_acceptance_overdue(self, now: Any = None) -> bool:
        """受理超期: neither accepted nor rejected by the acceptance deadline (petitions: 15 days)."""
        now = now or timezone.now()
        waiting = self.state in (State.REPORTED, State.ESCALATED)
        return (
            waiting
            and self.acceptance_deadline is not None
            and now > self.acceptance_deadline
            and self.overdue_counts_at(now)
        )

    def on_time(self) -> bool:
        return self.resolved_at is not None and (self.deadline is None or self.resolved_at <= self.deadline)


# The one name of every action a case event records: the transitions' own, and the steps that are not
# transitions. The case page and the activity log (an event's name) read it; tests/activity checks that
# every action the code records is here.
EVENT_ACTION_LABELS = {
    "report": "上报",
    "notice": "签发整改通知书",
    "publish": "设为公开",
    "unpublish": "取消公开",
    **{action: transition.label for action, transition in states.TRANSITIONS.items()},
}


class CaseEvent(models.Model):
    """One step in a case's life. Appended, never changed: a database trigger refuses updates."""

    case = models.ForeignKey(Case, verbose_name="事件", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=16)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人姓名", max_length=64, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    details = models.JSONField("明细", default=dict, blank=True)

    class Meta:
        verbose_name = "事件记录"
        verbose_name_plural = "事件记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.action_label}（{timezone.localtime(self.at):%Y-%m-%d %H:%M}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("事件记录不可修改。")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        return EVENT_ACTION_LABELS.get(self.action, self.action)

    @property
    def to_state_label(self) -> str:
        return states.LABELS[State(self.to_state)]


def photo_path(instance: CasePhoto, filename: str) -> str:
    # The stored name is random: the uploader's file name says nothing we trust, and guessing none helps.
    extension = "png" if instance.content_type == "image/png" else "jpg"
    return f"cases/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, verbose_name="事件", on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        CaseEvent,
        verbose_name="事件记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="photos",
    )
    image = models.FileField("照片", upload_to=photo_path)
    content_type = models.CharField("类型", max_length=16)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    scope = ScopeRule(org_field="case__org_unit")

    class Meta:
        verbose_name = "事件照片"
        verbose_name_plural = "事件照片"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        if self.pk is None:
            return f"{self.case.number} 新照片"
        position = CasePhoto.objects.filter(case_id=self.case_id, pk__lte=self.pk).count()
        return f"{self.case.number} 第{position}张"


class RectificationNotice(models.Model):
    """整改通知书 for a safety hazard: numbered per township and year, with a deadline."""

    case = models.OneToOneField(Case, verbose_name="事件", on_delete=models.PROTECT, related_name="notice")
    township = models.ForeignKey(OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    addressee = models.CharField("被通知单位/个人", max_length=80)
    requirements = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    issued_at = models.DateTimeField("签发时间", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "整改通知书"
        verbose_name_plural = "整改通知书"
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "serial"], name="notice_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"安整改〔{self.year}〕{self.serial}号"


class VisitTarget(models.TextChoices):
    HOUSEHOLD = "household", "农户"
    PLACE = "place", "场所"


class Visit(models.Model):
    """A grid worker's visit (走访) to a household or a place in their grid."""

    grid = models.ForeignKey(OrgUnit, verbose_name="网格", on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT, related_name="visits"
    )
    target_kind = models.CharField("对象类型", max_length=16, choices=VisitTarget.choices)
    target = models.CharField("走访对象", max_length=80)
    note = models.TextField("情况记录", blank=True)
    visited_at = models.DateTimeField("走访时间", default=timezone.now)

    scope = ScopeRule(org_field="grid")

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_at", "-pk"]
        indexes = [models.Index(fields=["grid", "visited_at"], name="visit_grid_time")]

    def __str__(self) -> str:
        return f"{self.target} {timezone.localdate(self.visited_at):%Y-%m-%d}"


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


class Open311Key(models.Model):
    """An Open311 client's key: requests posted with it become cases of `township`."""

    township = models.ForeignKey(
        OrgUnit, verbose_name="乡镇", on_delete=models.PROTECT, related_name="open311_keys"
    )
    name = models.CharField("客户端名称", max_length=64)
    key = models.CharField("API key", max_length=64, unique=True, default=new_api_key)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    scope = ScopeRule(org_field="township")

    class Meta:
        verbose_name = "Open311 接口密钥"
        verbose_name_plural = "Open311 接口密钥"

    def __str__(self) -> str:
        return f"{self.township} · {self.name}"
