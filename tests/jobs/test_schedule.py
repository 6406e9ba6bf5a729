"""A job's schedule in words, and its next run as the scheduler (huey's crontab) will see it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zhenwu.jobs.registry import Job, Schedule
from zhenwu.jobs.services import next_run

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING)  # a Wednesday


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (Schedule(minute="0", hour="8", day_of_week="1"), "每周一 08:00"),
        (Schedule(minute="0", hour="8", day="1"), "每月1日 08:00"),
        (Schedule(minute="30", hour="3"), "每天 03:30"),
        (Schedule(minute="*/30"), "每30分钟"),
        (Schedule(minute="*"), "每分钟"),
        (Schedule(minute="5"), "每小时第5分"),
        (Schedule(minute="0", hour="8,14"), "每天 08:00、14:00"),
        (Schedule(minute="*/30", hour="7-21"), "每天 07:00—21:30 每30分钟"),
        (Schedule(minute="0", hour="9", day="20-31"), "每月20-31日 09:00"),
    ],
)
def test_a_schedule_says_when_in_chinese(schedule: Schedule, words: str) -> None:
    assert schedule.describe() == words


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (Schedule(minute="0", hour="8", day_of_week="1"), datetime(2026, 11, 23, 8, 0, tzinfo=BEIJING)),
        (Schedule(minute="0", hour="8", day="1"), datetime(2026, 12, 1, 8, 0, tzinfo=BEIJING)),
        (Schedule(minute="0", hour="9"), datetime(2026, 11, 19, 9, 0, tzinfo=BEIJING)),
        (Schedule(minute="*/30"), datetime(2026, 11, 18, 10, 30, tzinfo=BEIJING)),
    ],
)
def test_the_next_run_is_the_first_minute_the_schedule_names_in_beijing_time(
    schedule: Schedule, expected: datetime
) -> None:
    assert next_run(Job("x", "x", schedule, lambda now: ""), NOW) == expected
