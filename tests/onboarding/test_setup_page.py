"""The first-run page /setup/: open only while no account exists and only with the key `zhenwu serve`
printed; it prepares the township as `zhenwu init` does and makes the first account its admin, logged
in and able to use the admin site. Bad input is refused in Chinese beside its field and changes nothing;
once an account exists the page is gone (404)."""

from __future__ import annotations

from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client

from tests.onboarding.test_init import ARGS, whole_database
from zhenwu.onboarding import prepare_township
from zhenwu.org.models import OrgUnit, Role, User
from zhenwu.web import setup

FIRST_ADMIN = {
    "display_name": "周海涛",
    "username": "zhouht",
    "password1": "hekou-river-2026",
    "password2": "hekou-river-2026",
}


def post(client: Client, key: str, **overrides: str) -> Any:
    return client.post("/setup/", {"key": key, **ARGS, **FIRST_ADMIN, **overrides})


@pytest.fixture
def key(empty_install: None) -> str:
    issued = setup.issue_key()
    assert issued is not None
    return issued


def test_setup_creates_the_township_and_its_first_admin_and_logs_them_in(client: Client, key: str) -> None:
    assert client.get(f"/setup/?key={key}").status_code == 200
    response = post(client, key)
    township = OrgUnit.objects.get(code=ARGS["code"])
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/library/?org={township.code}"
    admin = User.objects.get()
    assert (admin.username, admin.display_name, admin.role, admin.org_unit) == (
        "zhouht", "周海涛", Role.TOWNSHIP_ADMIN, township,
    )  # fmt: skip
    assert admin.is_staff and not admin.is_superuser and admin.check_password("hekou-river-2026")
    assert township.departments.count() == 7
    library = client.get(response["Location"])
    assert library.status_code == 200 and "常用指标库" in library.content.decode()
    assert "2027年的节假日表还没有" in library.content.decode()
    assert client.get("/admin/").status_code == 200  # the admin site, as the demo's admin uses it
    assert client.get("/admin/org/orgunit/").status_code == 200


def test_once_an_account_exists_the_page_is_gone_even_with_the_key(client: Client, key: str) -> None:
    post(client, key)
    assert client.get(f"/setup/?key={key}").status_code == 404
    assert Client().post("/setup/", {"key": key, **ARGS, **FIRST_ADMIN, "username": "x2"}).status_code == 404
    assert User.objects.count() == 1


@pytest.mark.parametrize("given", ["", "nonsense", "forged"])
def test_without_the_right_key_nothing_is_accepted(client: Client, key: str, given: str) -> None:
    if given == "forged":  # signed with the server's secret, but not the nonce the server issued
        given = signing.TimestampSigner(salt="zhenwu.web.setup").sign("guessed-nonce")
    before = whole_database()
    page = client.get(f"/setup/?key={given}")
    assert page.status_code == 403 and "初始化链接无效或已过期" in page.content.decode()
    assert post(client, given).status_code == 403
    assert whole_database() == before


def test_a_new_key_replaces_the_old_one(client: Client, key: str) -> None:
    setup.issue_key()
    assert client.get(f"/setup/?key={key}").status_code == 403


def test_the_form_needs_its_csrf_token(key: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, key).status_code == 403
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "hekou-river-2025"}, "两次输入的密码不一致。"),
        ({"password1": "12345678901", "password2": "12345678901"}, "密码"),
        ({"password1": "short", "password2": "short"}, "10"),
        ({"username": "周 海涛"}, "「登录用户名」只能包含字母、数字和 @ . + - _ 。"),
        ({"display_name": ""}, "请填写「管理员姓名」。"),
        ({"code": "9901021010"}, "「乡镇/街道代码」应为12位数字的统计用区划代码"),
        ({"county_code": "990103000000"}, "前6位应与县/区代码的前6位 990103 相同"),
        ({"township": "河口\u202e镇"}, "“乡镇/街道名称”含有"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_changes_nothing(
    client: Client, key: str, overrides: dict[str, str], message: str
) -> None:
    before = whole_database()
    response = post(client, key, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert whole_database() == before


def test_after_zhenwu_init_the_page_starts_filled_with_the_township(client: Client, key: str) -> None:
    prepare_township(**ARGS)
    body = client.get(f"/setup/?key={key}").content.decode()
    assert 'value="河口镇"' in body and 'value="990102000000"' in body


def test_serve_prints_the_one_time_link_while_no_account_exists(empty_install: None) -> None:
    out = StringIO()
    with (
        mock.patch("zhenwu.web.management.commands.serve.call_command"),
        mock.patch("zhenwu.web.management.commands.serve.settings") as settings,
    ):
        settings.DEBUG = True
        call_command("serve", "127.0.0.1:8000", no_jobs=True, stdout=out)
    link = next(line.strip() for line in out.getvalue().splitlines() if "/setup/?key=" in line)
    assert link.startswith("http://127.0.0.1:8000/setup/?key=")
    assert Client().get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert setup.setup_line("127.0.0.1:8000") is not None


def test_serve_prints_no_link_once_an_account_exists(cast: Any) -> None:
    assert setup.setup_line("127.0.0.1:8000") is None
    assert setup.issue_key() is None
