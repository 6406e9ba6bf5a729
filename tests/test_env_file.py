"""A checkout's `.env`: the `zhenwu` command reads the configuration `make demo` wrote for the demo server,
the environment wins over it, a malformed line is named, and the tests never read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenwu import envfile

ZHENWU = [sys.executable, "-c", "from zhenwu.manage import main; main()"]
MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def run(home: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A command in a fresh interpreter, run in the checkout `home` with nothing but these variables."""
    (home / "var").mkdir(exist_ok=True)  # a checkout's var/ holds the task queue's file
    environment = {"PATH": "/usr/bin:/bin", "ZHENWU_HOME": str(home), **env}
    return subprocess.run(command, env=environment, cwd=home, capture_output=True, text=True, timeout=120)


def setting(home: Path, name: str, module: str = "zhenwu.settings", **env: str) -> str:
    result = run(home, sys.executable, "-c", f"import {module} as s; print(s.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_command_runs_on_the_checkouts_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# the demo\nDEBUG=1\n", encoding="utf-8")
    result = run(tmp_path, *ZHENWU, "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_it_the_command_still_refuses_the_development_key(tmp_path: Path) -> None:
    result = run(tmp_path, *ZHENWU, "check")
    assert result.returncode != 0
    assert "DEBUG is off but SECRET_KEY is not set" in result.stderr


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEBUG=1\nALLOWED_HOSTS=from-file\n", encoding="utf-8")
    assert setting(tmp_path, "ALLOWED_HOSTS") == "['from-file']"
    assert setting(tmp_path, "ALLOWED_HOSTS", ALLOWED_HOSTS="from-env") == "['from-env']"
    result = run(tmp_path, *ZHENWU, "check", DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_a_malformed_line_is_named_with_its_file_and_number(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n# a comment\nSECRET_KEY is secret-value\n", encoding="utf-8")
    result = run(tmp_path, *ZHENWU, "check")
    assert result.returncode != 0
    assert f"{env_file} 第3行无法识别" in result.stderr
    assert "secret-value" not in result.stderr  # the line may hold a secret: it is not echoed


def test_the_test_settings_never_read_a_developers_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEBUG=1\nDASHBOARD_CACHE_SECONDS=7\n", encoding="utf-8")
    assert setting(tmp_path, "DASHBOARD_CACHE_SECONDS") == "7"
    assert setting(tmp_path, "DASHBOARD_CACHE_SECONDS", "zhenwu.settings_test") == "300"
    assert setting(tmp_path, "DEBUG", "zhenwu.settings_test") == "False"


def test_make_demo_writes_the_demo_env_file_once(tmp_path: Path) -> None:
    make = ["make", "--no-print-directory", "-f", str(MAKEFILE), ".env"]
    assert run(tmp_path, *make).returncode == 0
    written = (tmp_path / ".env").read_text(encoding="utf-8")
    assert envfile.parse(written, ".env") == {"DEBUG": "1"}
    assert "For the demo on this machine" in written and "Production sets its own variables" in written
    (tmp_path / ".env").write_text("DEBUG=1\nALLOWED_HOSTS=mine\n", encoding="utf-8")
    assert run(tmp_path, *make).returncode == 0
    assert "ALLOWED_HOSTS=mine" in (tmp_path / ".env").read_text(encoding="utf-8")  # a developer's edit stays


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("KEY=plain", "plain"),
        ("export KEY = spaced value  # why", "spaced value"),
        ('KEY="a # kept" # dropped', "a # kept"),
        ("KEY='single $x'", "single $x"),
        ('KEY="say \\"hi\\""', 'say "hi"'),
        ("KEY=a#b", "a#b"),
        ("KEY=", ""),
    ],
)
def test_values_are_read_as_written(line: str, value: str) -> None:
    assert envfile.parse(f"# comment\n\n{line}\n", ".env") == {"KEY": value}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("just words", "第2行无法识别"),
        ("1KEY=x", "第2行无法识别"),
        ('KEY="not closed', "第2行 KEY 的值无法识别"),
        ("KEY='x' tail", "第2行 KEY 的值无法识别"),
    ],
)
def test_a_malformed_line_names_the_file_and_line(line: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"/srv/.env {message}"):
        envfile.parse(f"DEBUG=1\n{line}\n", "/srv/.env")
