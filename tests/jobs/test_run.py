"""Running a job records the run; `zhenwu jobs` lists every job with its last and next run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from time_machine import TimeMachineFixture

from tests.conftest import FROZEN_NOW
from zhenwu.jobs import registry
from zhenwu.jobs.models import JobRun
from zhenwu.jobs.services import UnknownJob, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs_for_test() -> Iterator[list[datetime]]:
    """Two jobs of this test only: one that counts its runs, one that fails."""
    seen: list[datetime] = []

    def count(now: datetime) -> str:
        seen.append(now)
        return f"第 {len(seen)} 次"

    def fail(now: datetime) -> str:
        raise ValueError("数据库不可用")

    hourly = registry.Schedule()
    registry.JOBS["test_count"] = registry.Job("test_count", "计数", hourly, count)
    registry.JOBS["test_fail"] = registry.Job("test_fail", "失败", hourly, fail)
    yield seen
    del registry.JOBS["test_count"], registry.JOBS["test_fail"]


def test_a_run_is_recorded_with_its_summary(jobs_for_test: list[datetime]) -> None:
    run = run_job("test_count")

    assert run.ok is True and run.summary == "第 1 次" and run.finished_at is not None
    assert JobRun.objects.get().name == "test_count"


def test_a_failed_run_is_recorded_and_raised_for_the_queue_to_retry(jobs_for_test: list[datetime]) -> None:
    with pytest.raises(ValueError):
        run_job("test_fail")

    run = JobRun.objects.get()
    assert run.ok is False and run.summary == "ValueError: 数据库不可用"
    assert run.result_label == "失败：ValueError: 数据库不可用"


def test_an_unknown_job_is_named_with_the_jobs_there_are() -> None:
    with pytest.raises(UnknownJob) as refused:
        run_job("nope")

    assert "没有名为“nope”的任务" in str(refused.value) and "clean_register_parts" in str(refused.value)


def test_the_command_lists_each_job_with_schedule_last_and_next_run(
    jobs_for_test: list[datetime], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(FROZEN_NOW, tick=False)  # the session's clock ticks on from 10:00
    call_command("jobs", "run", "test_count", stdout=StringIO())
    out = StringIO()

    call_command("jobs", stdout=out)

    lines = {line.split("\t")[0]: line.split("\t") for line in out.getvalue().splitlines()}
    assert lines["test_count"][1:] == [
        "计数",
        "每小时第0分",
        "上次 2026-11-18 10:00",
        "结果 第 1 次",
        "下次 2026-11-18 11:00",
    ]
    assert lines["clean_register_parts"][3:5] == ["上次 —", "结果 尚未运行"]


def test_the_command_runs_a_job_now_and_says_so(jobs_for_test: list[datetime]) -> None:
    out = StringIO()

    call_command("jobs", "run", "test_count", stdout=out)

    assert out.getvalue().strip() == "test_count：第 1 次"
    with pytest.raises(CommandError, match="任务 test_fail 失败：数据库不可用"):
        call_command("jobs", "run", "test_fail")
    with pytest.raises(CommandError, match="请给出任务名称"):
        call_command("jobs", "run")
