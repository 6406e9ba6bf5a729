"""What each periodic job did when it last ran, for `zhenwu jobs` and the admin."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    name = models.CharField("任务", max_length=64)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", null=True, blank=True)  # None while running (or killed)
    summary = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "任务运行记录"
        verbose_name_plural = "任务运行记录"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]

    def __str__(self) -> str:
        from .registry import job  # the registry reads every app's tasks, which read the models

        found = job(self.name)
        title = found.title if found else self.name
        return f"{title}（{timezone.localtime(self.started_at):%Y-%m-%d %H:%M}开始）"

    @property
    def result_label(self) -> str:
        if self.ok is None:
            return "未完成"
        return self.summary if self.ok else f"失败：{self.summary}"
