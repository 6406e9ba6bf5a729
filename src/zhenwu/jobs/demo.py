"""The demo's reminders: the jobs that tell people what is due run once on the loaded township, so that the
demo's inboxes hold what the worker would have sent by now. Escalation and the bulletins are left to the
worker that `zhenwu serve` starts."""

from __future__ import annotations

from .services import run_job

REMINDERS = [
    "deadline_reminders",
    "verification_reminders",
    "milestone_reminders",
    "missing_values",
    "unvisited_households",
    "patrols_due",
]


def load() -> None:
    for name in REMINDERS:
        run_job(name)
