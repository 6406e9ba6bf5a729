"""Queued work of the jobs part: a job run now by a worker rather than by the command's own process."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task(name="jobs.run_now")
def run_now(name: str) -> None:
    services.run_job(name)
