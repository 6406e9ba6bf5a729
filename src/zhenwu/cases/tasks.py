"""The case engine's periodic jobs."""

from . import bulletin_tasks  # noqa: F401  (the weekly bulletin and the monthly ranking)
