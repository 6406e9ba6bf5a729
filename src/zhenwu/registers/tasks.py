"""The registers' jobs: plain functions that call the app's services, run by `zhenwu register-clean-parts`
until the task queue comes (then each becomes a task that enqueues itself again while it has more to do)."""

from __future__ import annotations

from . import media


def clean_pending_parts() -> media.Cleaned:
    """Daily: delete the photos of split ODK Collect submissions whose last part never came (older than
    REGISTERS_PENDING_PARTS_DAYS). One batch; `more` on the result says whether to run again."""
    return media.clean_pending_parts()
