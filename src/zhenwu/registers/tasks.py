"""The registers' jobs: plain functions of the moment they run for that call the app's services."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import media, patrols


@periodic("clean_register_parts", "清理未收齐的 ODK 分批提交", Schedule(minute="30", hour="3"))
def clean_pending_parts(now: datetime) -> str:
    """Daily: delete the photos of split ODK Collect submissions whose last part never came (older than
    REGISTERS_PENDING_PARTS_DAYS), batch after batch until none is due."""
    cleaned = media.clean_all_pending_parts()
    return f"清理 {cleaned.folders} 份未收齐的提交(照片 {cleaned.files} 张)"


@periodic("patrols_due", "台账巡查到期提醒", Schedule(minute="30", hour="8"))
def patrols_due(now: datetime) -> str:
    """Every morning: the things of registers with a patrol interval not patrolled within it."""
    return patrols.remind_patrols(now)
