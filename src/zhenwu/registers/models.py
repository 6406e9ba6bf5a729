"""Registers (台账): a township's ledgers defined by its own XLSForm workbooks, and their records.

A register is the township's; each upload of its workbook is a version, kept with the workbook, the
parsed definition and the XForm, so that a record made by an old version stays readable by that version.
Records keep their values in one JSON column (the same on SQLite and PostgreSQL). Values of fields the
definition marks personal are stored encrypted beside the record, with a masked copy in `data`.
"""

from __future__ import annotations

import ast
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from zhenwu.org.models import Department, OrgUnit, ScopeRule

from .stored import definition_from_json


class RegisterKind(models.TextChoices):
    THING = "thing", "对象台账"
    ACTIVITY = "activity", "工作记录"


class PointsAt(models.TextChoices):
    NONE = "", "无"
    HOUSEHOLD = "household", "农户"
    MEMBER = "member", "家庭成员"
    PROJECT = "project", "项目"
    CASE = "case", "事件"


# RegisterVersion pk -> its Definition: versions are immutable, so a process may keep them.
_PARSED: dict[tuple[int | None, int], Any] = {}


class Register(models.Model):
    """One ledger of a township, named by the form_id of its definition.

    The settings copied from the current version (who reads, who writes, which offices) decide access
    without reading the stored definition on every list.
    """

    township = models.ForeignKey(
        OrgUnit, verbose_name="乡镇/街道", on_delete=models.PROTECT, related_name="registers"
    )
    form_id = models.CharField("表单编号", max_length=64)
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=RegisterKind.choices)
    current_version = models.ForeignKey(
        "RegisterVersion",
        verbose_name="当前版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    readers = models.JSONField("可查看的角色", default=list, blank=True)
    writers = models.JSONField("可填报的角色", default=list, blank=True)
    offices = models.JSONField("限定站所", default=list, blank=True)
    personal = models.JSONField("个人信息字段", default=list, blank=True)
    points_at = models.CharField("关联记录", max_length=16, choices=PointsAt.choices, blank=True)
    figures = models.JSONField("统计口径", default=list, blank=True)
    # A thing register's patrol interval and the activity register whose records are the patrols (the
    # definition's `patrol_days`), kept here so the daily patrol job finds the registers it concerns.
    patrol_days = models.PositiveSmallIntegerField("巡查周期(天)", default=0)
    patrol_form = models.CharField("巡查记录台账", max_length=64, blank=True)

    # A catalog kept at the township for everyone under it: village staff and grid workers use it too.
    scope = ScopeRule(org_field="township", shared_downward=True)

    class Meta:
        verbose_name = "台账"
        verbose_name_plural = "台账"
        ordering = ["township__path", "form_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "form_id"], name="register_form_id_unique_in_township"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RegisterVersion(models.Model):
    """One loaded workbook of a register: the file, its definition (as JSON) and its XForm."""

    register = models.ForeignKey(
        Register, verbose_name="台账", on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField("版本", max_length=64)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    source = models.BinaryField("XLSForm 文件")
    definition = models.JSONField("定义")
    xform = models.TextField("XForm")
    md5 = models.CharField("XForm 的 MD5", max_length=32)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True, on_delete=models.PROTECT
    )
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    scope = ScopeRule(org_field="register__township", shared_downward=True)

    class Meta:
        verbose_name = "台账版本"
        verbose_name_plural = "台账版本"
        ordering = ["register", "loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["register", "version"], name="register_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.register.title} {self.version}"

    def parsed(self) -> Any:
        """The Definition this version was loaded with, rebuilt from its stored JSON once per process: a
        version never changes once loaded (nor is deleted), and every submission and every row of an
        import is checked against it."""
        if "_parsed" not in self.__dict__:
            # Keyed by the JSON as well: a test database rolled back may give a pk again to another form.
            key = (self.pk, hash(json.dumps(self.definition, sort_keys=True)))
            if key not in _PARSED:
                _PARSED[key] = definition_from_json(self.definition)
            self.__dict__["_parsed"] = _PARSED[key]
        return self.__dict__["_parsed"]


class Thing(models.Model):
    """One thing a thing register keeps (a lamp, a water, a plot): made by a record, updated by activities.

    `key` is its entity id, the value an activity's entity field holds (a uuid, as ODK Entities use).
    """

    register = models.ForeignKey(
        Register, verbose_name="台账", on_delete=models.PROTECT, related_name="things"
    )
    key = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(OrgUnit, verbose_name="所属单元", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name="站所", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField("名称", max_length=255)
    # The township's own number for it (路灯编号), when the register declares one: what activities and a
    # re-imported list name it by.
    identity = models.CharField("台账编号", max_length=128, blank=True, default="")
    properties = models.JSONField("当前属性", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by_record = models.OneToOneField(
        "RegisterRecord",
        verbose_name="登记记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="made_thing",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Office access is decided per register (its `offices`), not per thing: see services.may_read.
    scope = ScopeRule(org_field="unit")

    class Meta:
        verbose_name = "台账对象"
        verbose_name_plural = "台账对象"
        ordering = ["register", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "identity"],
                condition=~models.Q(identity=""),
                name="thing_identity_unique_in_register",
            )
        ]

    def __str__(self) -> str:
        return self.label


class RegisterRecord(models.Model):
    """One filled form: the values in `data` (personal ones masked), who entered it where, and by which
    version of the register's definition."""

    register = models.ForeignKey(
        Register, verbose_name="台账", on_delete=models.PROTECT, related_name="records"
    )
    version = models.ForeignKey(
        RegisterVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="records"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="所属单元", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name="站所", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instance_id = models.CharField("实例编号", max_length=64, unique=True)
    data = models.JSONField("内容", default=dict, encoder=DjangoJSONEncoder)
    personal_cipher = models.TextField("个人信息(密文)", blank=True, editable=False)
    thing = models.ForeignKey(
        Thing, verbose_name="对象", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name="农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "households.Member",
        verbose_name="家庭成员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="事件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("填报时间", auto_now_add=True)

    # Office access is decided per register (its `offices`): a village's record has no office, and the
    # 综治中心's staff must still read the register they keep.
    scope = ScopeRule(org_field="unit")

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["-entered_at", "-pk"]
        indexes = [
            models.Index(fields=["register", "-entered_at"], name="register_record_recent"),
            # A register's figures for a unit's subtree and a span (migration 0004 adds GIN on PostgreSQL).
            models.Index(fields=["register", "unit", "entered_at"], name="register_record_unit_day"),
        ]

    def logged_value(self, field: str, value: str) -> str | None:
        """How the activity log writes a logged `data` (its keys are the form's names): by the labels of
        this record's version. None for the other fields, which the log writes by their model field."""
        if field != "data":
            return None
        try:
            data = json.loads(value)
        except ValueError:
            try:
                data = ast.literal_eval(value)  # auditlog may keep a dict as Python writes it
            except (ValueError, SyntaxError):
                return None
        if not isinstance(data, dict):
            return None
        from .services import described_values  # the services import these models

        return described_values(self, data)

    def __str__(self) -> str:
        return f"{self.register.title} #{self.pk}"


class EarlierInstance(models.Model):
    """An instanceID a record was known by before an edit replaced it: ODK Collect sends an edited form
    with a new instanceID and the one it replaces as meta/deprecatedID. Kept so that a phone sending the
    earlier version again is acknowledged, not stored as a new record."""

    record = models.ForeignKey(
        RegisterRecord, verbose_name="记录", on_delete=models.CASCADE, related_name="earlier_instances"
    )
    instance_id = models.CharField("此前的实例编号", max_length=64, unique=True)
    replaced_at = models.DateTimeField("被替换时间", auto_now_add=True)

    scope = ScopeRule(org_field="record__unit")

    class Meta:
        verbose_name = "记录此前的实例编号"
        verbose_name_plural = "记录此前的实例编号"
        ordering = ["record", "replaced_at", "pk"]

    def __str__(self) -> str:
        return f"{self.record} 此前的实例 {self.instance_id}"


class DeviceKey(models.Model):
    """A password of its own for one user's phone, so that ODK Collect need not hold the account's password.

    Only the key's SHA-256 is kept: the key itself is shown once, when it is made, in the Collect QR code.
    A key is long and random, so a fast hash is enough (and a submission does not pay for Argon2).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="device_keys"
    )
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    # The first characters, so that a user can tell which key a phone holds without the key being kept.
    prefix = models.CharField("密钥开头", max_length=8, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "设备密钥"
        verbose_name_plural = "设备密钥"
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class RecordImport(models.Model):
    """One Excel import of a register's records: the import itself is the logged write. Its records,
    and the things they made or changed, are written in bulk without a log line each; each record
    still says who entered it and when, and a thing's timeline lists them."""

    register = models.ForeignKey(
        Register, verbose_name="台账", on_delete=models.PROTECT, related_name="imports"
    )
    version = models.ForeignKey(
        RegisterVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name="导入单位", on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField("记录数")
    created_things = models.PositiveIntegerField("新登记对象数", default=0)
    updated_things = models.PositiveIntegerField("更新对象数", default=0)
    at = models.DateTimeField("导入时间", auto_now_add=True)

    scope = ScopeRule(org_field="unit")

    class Meta:
        verbose_name = "台账导入记录"
        verbose_name_plural = "台账导入记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.register.title} 导入{self.rows}条"
