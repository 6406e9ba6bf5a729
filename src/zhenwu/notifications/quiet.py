"""Quiet hours: the part of the night (Beijing time) in which nothing is pushed but urgent notifications.

A window is written "22:00-07:00"; one that ends before it starts runs over midnight. An empty value, or
one that starts and ends at the same minute, means no quiet hours. No Django import: the settings check
and the delivery job both read a window through `parse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class BadQuietHours(ValueError):
    pass


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def end_of_quiet(self, local: datetime) -> datetime | None:
        """When the quiet hours around `local` (a time in Beijing) end, or None when `local` is outside
        them. The answer keeps `local`'s time zone."""
        now = local.time().replace(second=0, microsecond=0)
        if self.start < self.end:
            inside = self.start <= now < self.end
            ends_tomorrow = False
        else:  # over midnight: 22:00-07:00 is 22:00..24:00 and 00:00..07:00
            inside = now >= self.start or now < self.end
            ends_tomorrow = now >= self.start
        if not inside:
            return None
        day = local.date() + timedelta(days=1 if ends_tomorrow else 0)
        return datetime.combine(day, self.end, tzinfo=local.tzinfo)

    def describe(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse(value: str) -> QuietHours | None:
    """The window in `value` ("22:00-07:00"), or None for no quiet hours; BadQuietHours says what is
    wrong with a value that cannot be read."""
    if not value.strip():
        return None
    found = _WINDOW.match(value)
    if found is None:
        raise BadQuietHours(f"免打扰时段“{value}”应写作“开始-结束”，如 22:00-07:00。")
    hours_minutes = [int(part) for part in found.groups()]
    try:
        start = time(hours_minutes[0], hours_minutes[1])
        end = time(hours_minutes[2], hours_minutes[3])
    except ValueError:
        raise BadQuietHours(f"免打扰时段“{value}”中的时间无效：小时为 0-23，分钟为 00-59。") from None
    return None if start == end else QuietHours(start, end)
