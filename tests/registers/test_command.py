"""zhenwu register-load FILE.xlsx --org 示范镇"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import Cast
from zhenwu.manage import DASHED
from zhenwu.registers.models import Register

from .books import lamps, xlsx


def test_the_command_loads_a_definition_and_says_what(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "lamps.xlsx"
    path.write_bytes(xlsx(lamps()))
    out = StringIO()
    call_command("register_load", str(path), "--org", "示范镇", stdout=out)
    assert "路灯" in out.getvalue() and "版本 1" in out.getvalue()
    assert "对象台账" in out.getvalue() and "3 个字段" in out.getvalue()
    assert Register.objects.get().township == cast.township


def test_a_bad_file_exits_1_with_the_chinese_errors_and_changes_nothing(cast: Cast, tmp_path: Path) -> None:
    sheets = lamps()
    sheets["survey"].append(["bogus_type", "x", "某字段", "", "", "", ""])
    path = tmp_path / "lamps.xlsx"
    path.write_bytes(xlsx(sheets))
    with pytest.raises(CommandError) as refused:
        call_command("register_load", str(path), "--org", "示范镇", stdout=StringIO())
    assert refused.value.returncode == 1
    assert "未作任何更改" in str(refused.value) and "survey" in str(refused.value)
    assert not Register.objects.exists()


def test_an_unknown_township_or_file_is_named(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "lamps.xlsx"
    path.write_bytes(xlsx(lamps()))
    with pytest.raises(CommandError, match="没有乡镇/街道“无此镇”"):
        call_command("register_load", str(path), "--org", "无此镇")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("register_load", str(tmp_path / "none.xlsx"), "--org", "示范镇")


def test_the_console_script_spells_it_with_a_dash() -> None:
    assert DASHED["register-load"] == "register_load"


def test_the_console_script_exits_1_on_a_bad_file(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zhenwu.manage import main

    sheets = lamps()
    sheets["survey"].append(["bogus_type", "x", "某字段", "", "", "", ""])
    path = tmp_path / "lamps.xlsx"
    path.write_bytes(xlsx(sheets))
    # The command closes every connection when it ends, the test's own too: keep it open.
    with pytest.raises(SystemExit) as exited, mock.patch("django.db.connections.close_all"):
        main(["zhenwu", "register-load", str(path), "--org", "示范镇"])
    assert exited.value.code == 1
    assert "台账定义有误" in capsys.readouterr().err
    assert not Register.objects.exists()
