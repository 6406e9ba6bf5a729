"""Notifications: what the jobs tell a user, kept in the user's inbox and delivered by the channels the user
chose. A notification is made once per recipient and key, so a job run twice tells nobody twice."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhenwu.org.models import ScopeRule


class Kind(models.TextChoices):
    DEADLINE = "deadline", "办理期限提醒"
    ESCALATION = "escalation", "超期自动升级"
    MISSING_VALUES = "missing_values", "指标数据未填报"
    MILESTONE = "milestone", "项目节点提醒"
    UNVISITED = "unvisited", "监测户本月未走访"
    VERIFICATION = "verification", "整改待核查"
    BULLETIN = "bulletin", "一周一通报"
    RANKING = "ranking", "一月一排名"
    PATROL = "patrol", "台账巡查到期"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "工作群机器人"


def attachment_path(instance: Notification, filename: str) -> str:
    return f"notifications/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    # What the notification is about, and for which moment: the same reminder is never made twice.
    key = models.CharField("标识", max_length=200)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    urgent = models.BooleanField("紧急", default=False)
    attachment = models.FileField("附件", upload_to=attachment_path, blank=True, max_length=300)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def attachment_name(self) -> str:
        """The file's own name, without the folder it is kept in."""
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One notification by one channel: tried until sent, with a growing wait between tries; one that
    keeps failing is shown to the admin and can be sent again, never dropped."""

    notification = models.ForeignKey(
        Notification, verbose_name="通知", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    state = models.CharField(
        "状态", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    last_error = models.TextField("最近的错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    # A township admin sees the deliveries of the users in their township (the failures page).
    scope = ScopeRule(org_field="notification__recipient__org_unit")

    class Meta:
        verbose_name = "通知发送"
        verbose_name_plural = "通知发送"
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification} → {self.get_channel_display()}"


class ChannelChoice(models.Model):
    """A user's choice whether notifications of `kind` reach them by `channel` (the inbox always has
    them). A cell the user never saved follows the default (`services.DEFAULT_CHANNELS`); a saved one,
    ticked or not, is the user's own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="channel_choices",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    enabled = models.BooleanField("接收", default=True)

    class Meta:
        verbose_name = "通知渠道选择"
        verbose_name_plural = "通知渠道选择"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="channel_choice_once")
        ]

    def __str__(self) -> str:
        wanted = "接收" if self.enabled else "不接收"
        return f"{self.user} {self.get_kind_display()} {self.get_channel_display()} {wanted}"
