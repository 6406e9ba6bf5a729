"""Running zhenwu's own commands in a child process against the test database, as a worker would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection


def database_url() -> str:
    """The test database (committed rows only: use it from `transaction=True` tests). SQLite's test
    database lives in this process's memory: a child needs a file of its own (`migrated_sqlite`)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def environment(**extra: Any) -> dict[str, str]:
    """The child's environment: the test settings on the test database, or on `DATABASE_URL` in `extra`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhenwu.settings_test",
        "DATABASE_URL": extra.pop("DATABASE_URL", None) or database_url(),
        **{name: str(value) for name, value in extra.items()},
    }


def migrated_sqlite(path: Path) -> str:
    """A new SQLite database file at `path` with every migration applied; its URL."""
    url = f"sqlite:///{path}"
    subprocess.run(zhenwu("migrate", "-v0"), env=environment(DATABASE_URL=url), check=True)
    return url


def zhenwu(*args: str) -> list[str]:
    return [sys.executable, "-m", "zhenwu.manage", *args]


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
        return port
