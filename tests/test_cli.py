"""`zhenwu check FILE` checks a report; `zhenwu check` alone is still Django's system check."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ZHENWU = [sys.executable, "-c", "from zhenwu.manage import main; main()"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"DEBUG": "1", "PATH": "/usr/bin:/bin", "ZHENWU_ENV_FILE": ""}  # whatever .env the checkout has
    return subprocess.run([*ZHENWU, *args], capture_output=True, text=True, env=env, timeout=120)


def test_check_with_a_file_prints_the_figures_as_json(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("\ufeff预计一季度完成固定资产投资4.9个亿，同比增长28%。", encoding="utf-8")
    result = run("check", str(report), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["figures"]
    first = figures[0]
    assert first["text"] == "4.9个亿" and first["value"] == 490000000 and first["unit"] == "元"
    text = report.read_text(encoding="utf-8").removeprefix("\ufeff")
    assert all(text[f["start"] : f["end"]] == f["text"] for f in figures)


def test_check_without_a_file_runs_the_system_checks() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("name", ["missing.txt"])
def test_a_missing_file_is_reported_in_chinese(tmp_path: Path, name: str) -> None:
    result = run("check", str(tmp_path / name))
    assert result.returncode == 2 and "无法读取文件" in result.stderr
