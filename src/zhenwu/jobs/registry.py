"""The periodic jobs: each app's `tasks.py` declares its jobs with `periodic`, which hands them to the task
queue's scheduler (huey) and lists them for `zhenwu jobs`.

A job is a function of the moment it runs for, returning a one-line summary in Chinese. It must be
idempotent: the scheduler may run it twice, and a worker killed in the middle has it run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

JobFunction = Callable[[datetime], str]

WEEKDAYS = "日一二三四五六"


@dataclass(frozen=True)
class Schedule:
    """A crontab line (minute hour day-of-month day-of-week), read in Beijing time."""

    minute: str = "0"
    hour: str = "*"
    day: str = "*"
    day_of_week: str = "*"

    @cached_property
    def test(self) -> Callable[[datetime], bool]:
        """huey's test of a minute (naive, Beijing time): the scheduler's own, so the listing agrees."""
        test: Callable[[datetime], bool] = crontab(self.minute, self.hour, self.day, "*", self.day_of_week)
        return test

    def matches(self, moment: datetime) -> bool:
        return self.test(moment)

    def describe(self) -> str:
        """The schedule in words: 每周一 08:00, 每月1日 08:00, 每天 08:00、14:00, 每天 07:00—21:30 每30分钟"""
        if self.minute == "*" and self.hour == "*":
            return "每分钟"
        if self.minute.startswith("*/"):
            every = f"每{self.minute[2:]}分钟"
            if self.hour == "*":
                return every
            first, _, last = self.hour.partition("-")
            if first.isdigit() and last.isdigit():
                end = 60 - int(self.minute[2:])
                return f"{self._days()} {int(first):02d}:00—{int(last):02d}:{end:02d} {every}"
            return f"{self._days()} {self.hour}时 {every}"
        if self.hour == "*":
            return f"每小时第{self.minute}分"
        hours = self.hour.split(",")
        if self.minute.isdigit() and all(hour.isdigit() for hour in hours):
            at = "、".join(f"{int(hour):02d}:{int(self.minute):02d}" for hour in hours)
        else:
            at = f"{self.hour}时{self.minute}分"
        return f"{self._days()} {at}"

    def _days(self) -> str:
        if self.day_of_week.isdigit():
            return f"每周{WEEKDAYS[int(self.day_of_week) % 7]}"
        if self.day != "*":
            return f"每月{self.day}日"
        return "每天"


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    schedule: Schedule
    function: JobFunction


JOBS: dict[str, Job] = {}


def periodic(name: str, title: str, schedule: Schedule) -> Callable[[JobFunction], JobFunction]:
    """Declare `function` the job `name`, run by the scheduler on `schedule` through `services.run_job`."""

    def declare(function: JobFunction) -> JobFunction:
        JOBS[name] = Job(name, title, schedule, function)

        def scheduled() -> None:
            from zhenwu.jobs import services

            services.run_scheduled(name)

        scheduled.__name__ = scheduled.__qualname__ = f"job_{name}"
        db_periodic_task(schedule.test, name=f"job_{name}")(scheduled)
        return function

    return declare


def jobs() -> list[Job]:
    """Every declared job, each app's `tasks.py` imported first."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    return sorted(JOBS.values(), key=lambda job: job.name)


def job(name: str) -> Job | None:
    return {job.name: job for job in jobs()}.get(name)
