"""Production settings refuse to start unsafe; the safe configuration loads."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenwu import settings as production
from zhenwu.settings import DEFAULT_SECRET_KEY, env_bool, refuse_unsafe_production

GOOD_KEY = "k" * 50


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import zhenwu.settings in a fresh interpreter with exactly these variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import zhenwu.settings"], env={**clean, **env}, capture_output=True, text=True
    )


def test_it_refuses_the_default_secret_key_without_debug() -> None:
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="zhenwu.example")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_an_empty_allowed_hosts_without_debug() -> None:
    result = load_settings(DEBUG="0", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_it_starts_with_a_real_key_and_hosts() -> None:
    assert load_settings(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="zhenwu.example").returncode == 0


def test_debug_mode_runs_on_development_defaults() -> None:
    assert load_settings(DEBUG="1").returncode == 0


@pytest.mark.parametrize(
    ("key", "hosts", "message"),
    [
        (DEFAULT_SECRET_KEY, ["a"], "SECRET_KEY is not set"),
        ("", ["a"], "SECRET_KEY is not set"),
        ("short", ["a"], "shorter than 32"),
        (GOOD_KEY, [], "ALLOWED_HOSTS is empty"),
    ],
)
def test_unsafe_production_values_are_named(key: str, hosts: list[str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        refuse_unsafe_production(False, key, hosts)


def test_a_misspelt_boolean_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("DEBUG", False)


def test_production_hashes_passwords_with_argon2_and_secures_cookies() -> None:
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from zhenwu import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)",
        ],
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "a", "SECURE_COOKIES": ""},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "False"], result.stderr


def test_cached_values_of_one_database_never_answer_for_another() -> None:
    demo = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/zhenwu/var/zhenwu.sqlite3"}
    county = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432, "NAME": "zhenwu"}
    other_county = {**county, "NAME": "zhenwu_bench"}
    prefixes = {production.cache_key_prefix(db) for db in (demo, county, other_county)}
    assert len(prefixes) == 3
    assert production.cache_key_prefix(dict(county)) == production.cache_key_prefix(county)
