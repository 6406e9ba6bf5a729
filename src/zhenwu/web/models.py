"""What the site keeps for itself rather than for a township: the keys of submissions a phone may retry."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class SubmissionKey(models.Model):
    """A submission's idempotency key and the answer it was given, so a retry is answered the same.

    The key is the phone's (a UUID it made); it is only unique per user, so one user can never read or
    block another's answer. A row exists only for a submission that succeeded: it is written in the
    same transaction as what the submission made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("幂等键", max_length=64)
    fingerprint = models.CharField("提交内容摘要", max_length=64)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    status = models.PositiveSmallIntegerField("应答状态码")
    location = models.CharField("跳转地址", max_length=500, blank=True)
    body = models.JSONField("应答内容", null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "提交幂等键"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user}的提交 {self.key}"
