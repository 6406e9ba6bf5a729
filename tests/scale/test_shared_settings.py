"""What the environment makes of the cache, the sessions and the file storage of several app servers:
Redis for the cache on a database apart from the queue's, sessions in the database, and any Django storage
backend for uploaded files, each read by a fresh process as a server reads its settings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.processes import environment
from zhenwu.settings import redis_cache_url

SHOW = """
import json
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
cache = settings.CACHES["default"]
print(json.dumps({
    "cache": cache["BACKEND"], "location": cache["LOCATION"], "prefix": cache["KEY_PREFIX"],
    "queue": settings.HUEY["huey_class"], "sessions": settings.SESSION_ENGINE,
    "storage": type(storage).__module__ + "." + type(storage).__name__,
    "storage_location": str(getattr(storage, "location", "")),
}))
"""


def settings_of(**env: str) -> dict[str, str]:
    """The settings a server started with `env` (DEBUG off, the test secrets) would run on."""
    script = f"import django; django.setup(); {SHOW}"
    child = environment(DJANGO_SETTINGS_MODULE="zhenwu.settings", DEBUG="0", **env)
    for name in ("REDIS_URL", "REDIS_CACHE_URL", "FILE_STORAGE", "FILE_STORAGE_OPTIONS"):
        if name not in env:
            child.pop(name, None)
    done = subprocess.run([sys.executable, "-c", script], env=child, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def refusal_of(**env: str) -> str:
    child = environment(DJANGO_SETTINGS_MODULE="zhenwu.settings", DEBUG="0", **env)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=child, capture_output=True, text=True
    )
    assert done.returncode != 0
    return done.stderr.strip().splitlines()[-1]


def test_one_machine_keeps_the_file_cache_and_the_media_root(tmp_path: object) -> None:
    found = settings_of(ZHENWU_VAR=str(tmp_path), MEDIA_ROOT=f"{tmp_path}/media")
    assert found["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["location"] == f"{tmp_path}/cache"
    assert found["queue"] == "huey.SqliteHuey"
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["storage_location"] == f"{tmp_path}/media"


def test_with_redis_the_cache_is_redis_on_the_next_database_and_sessions_stay_in_the_database() -> None:
    found = settings_of(REDIS_URL="redis://127.0.0.1:6379/0", DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["location"] == "redis://127.0.0.1:6379/1"
    assert found["queue"] == "huey.RedisHuey"
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    # The prefix names the database, as the file cache's does: two installs may share one Redis.
    other = settings_of(REDIS_URL="redis://127.0.0.1:6379/0", DATABASE_URL="sqlite:////tmp/y.sqlite3")
    assert found["prefix"] != other["prefix"]


@pytest.mark.parametrize(
    ("queue", "cache"),
    [
        ("redis://cache.local", "redis://cache.local/1"),
        ("redis://:secret@cache.local:6380/4", "redis://:secret@cache.local:6380/5"),
        ("rediss://cache.local:6379/0?ssl_cert_reqs=none", "rediss://cache.local:6379/1?ssl_cert_reqs=none"),
    ],
)
def test_the_cache_takes_the_database_after_the_queue_s(queue: str, cache: str) -> None:
    assert redis_cache_url(queue) == cache


def test_a_queue_url_whose_database_cannot_be_told_asks_for_the_cache_s_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REDIS_CACHE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="REDIS_CACHE_URL"):
        redis_cache_url("unix:///run/redis/redis.sock?db=0")
    monkeypatch.setenv("REDIS_CACHE_URL", "unix:///run/redis/redis.sock?db=3")
    assert redis_cache_url("unix:///run/redis/redis.sock?db=0") == "unix:///run/redis/redis.sock?db=3"


def test_file_storage_selects_any_django_storage_backend_with_its_options() -> None:
    found = settings_of(
        FILE_STORAGE="django.core.files.storage.InMemoryStorage",
        FILE_STORAGE_OPTIONS='{"location": "uploads", "base_url": "/never-served/"}',
    )
    assert found["storage"] == "django.core.files.storage.memory.InMemoryStorage"
    assert found["storage_location"].endswith("uploads")


@pytest.mark.parametrize(
    ("options", "message"),
    [("{bucket", "FILE_STORAGE_OPTIONS is not valid JSON"), ('["zhenwu"]', "must be a JSON object")],
)
def test_bad_storage_options_stop_the_server_with_their_name(options: str, message: str) -> None:
    assert message in refusal_of(FILE_STORAGE_OPTIONS=options)
