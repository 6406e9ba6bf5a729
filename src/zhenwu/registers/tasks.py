"""The registers' jobs, calling the app's services. `clean_pending_parts` is a plain function run by
`zhenwu register-clean-parts` (each batch may enqueue the next); `patrols_due` is a periodic job."""

from __future__ import annotations

from datetime import datetime

from zhenwu.jobs.registry import Schedule, periodic

from . import media, patrols


def clean_pending_parts() -> media.Cleaned:
    """Daily: delete the photos of split ODK Collect submissions whose last part never came (older than
    REGISTERS_PENDING_PARTS_DAYS). One batch; `more` on the result says whether to run again."""
    return media.clean_pending_parts()


@periodic("patrols_due", "台账巡查到期提醒", Schedule(minute="30", hour="8"))
def patrols_due(now: datetime) -> str:
    """Every morning: the things of registers with a patrol interval not patrolled within it."""
    return patrols.remind_patrols(now)
