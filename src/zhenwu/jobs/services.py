"""Running the periodic jobs and saying how they ran."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.exceptions import TaskLockedException

from .models import JobRun
from .registry import Job, job, jobs

log = logging.getLogger(__name__)

# How far ahead the next run is looked for: the rarest schedule is monthly.
HORIZON = timedelta(days=62)


class UnknownJob(LookupError):
    def __init__(self, name: str) -> None:
        known = "、".join(j.name for j in jobs()) or "无"
        super().__init__(f"没有名为“{name}”的任务。现有任务：{known}")


def run_job(name: str, now: datetime | None = None) -> JobRun:
    """Run the job `name` for the moment `now` and record the run. A failure is recorded and raised again,
    so that the queue retries it."""
    found = job(name)
    if found is None:
        raise UnknownJob(name)
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    try:
        summary = found.function(now or timezone.now())
    except Exception as error:
        _finish(run, ok=False, summary=f"{type(error).__name__}: {error}"[:2000])
        raise
    _finish(run, ok=True, summary=summary)
    return run


def run_scheduled(name: str) -> None:
    """The scheduler's entry: one run at a time in the whole installation (workers on several machines
    share the queue's lock); a run the lock turns away is left to the one running."""
    try:
        with HUEY.lock_task(f"job-{name}"):
            run_job(name)
    except TaskLockedException:
        log.info("job %s is already running elsewhere", name)


def _finish(run: JobRun, ok: bool, summary: str) -> None:
    run.finished_at = timezone.now()
    run.ok = ok
    run.summary = summary
    run.save(update_fields=["finished_at", "ok", "summary"])


@dataclass(frozen=True)
class JobState:
    job: Job
    last: JobRun | None
    next_run: datetime | None


def job_states(now: datetime | None = None) -> list[JobState]:
    now = now or timezone.now()
    return [JobState(j, JobRun.objects.filter(name=j.name).first(), next_run(j, now)) for j in jobs()]


def next_run(found: Job, now: datetime) -> datetime | None:
    """The first minute after `now` the job's schedule names."""
    local = timezone.localtime(now)
    moment = local.replace(second=0, microsecond=0, tzinfo=None) + timedelta(minutes=1)
    end = moment + HORIZON
    while moment < end:
        if found.schedule.matches(moment):
            return timezone.make_aware(moment)
        moment += timedelta(minutes=1)
    return None
