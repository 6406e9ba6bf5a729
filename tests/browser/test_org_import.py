"""In the real browser, at phone width: a township admin imports villages and grids, then accounts;
sees each new account's first-login link once; the holder opens it, sets a password and is signed in;
the admin finds the account on the accounts page and resets its password."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.org.workbooks import accounts_book, org_book
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.org.models import User

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PHONE = {"width": 390, "height": 844}


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_township_admin_imports_the_org_and_accounts_on_a_phone(
    cast: Cast, live_server: Any, page: Any, browser: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)

    org_file = tmp_path / "组织机构.xlsx"
    org_file.write_bytes(
        org_book(
            [["村", "新建村", "", "xjc", "示范镇"], ["网格", "新建村第1网格", "", "xjc-01", "新建村"]],
            [["新建办", "xjb", "示范镇"]],
        )
    )
    page.goto(f"{live_server.url}/org/accounts/")
    page.click("text=Excel 导入组织机构")
    page.set_input_files("#id_file", str(org_file))
    page.click("text=上传并预览")
    assert "新增 3 个，更名 0 个，未变 0 个" in page.inner_text("#import-preview")
    assert fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "org-import-preview-phone.png"), full_page=True)
    page.click("text=确认导入")
    assert "已导入组织架构：新增 3 个单元" in page.inner_text(".messages")

    accounts_file = tmp_path / "人员账号.xlsx"
    accounts_file.write_bytes(
        accounts_book(
            [
                ["李四", "13800000001", "新建村", "", "村/社区工作人员", ""],
                ["王五", "13800000002", "新建村第1网格", "", "网格员", ""],
            ]
        )
    )
    page.goto(f"{live_server.url}/org/accounts/import/")
    page.set_input_files("#id_file", str(accounts_file))
    page.click("text=上传并预览")
    assert "新增 2 个账号" in page.inner_text("#import-preview")
    page.click("text=确认导入")
    links = page.locator("#first-login-links input").evaluate_all("els => els.map(e => e.value)")
    assert len(links) == 2 and all("/org/first-login/" in link for link in links)
    assert fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-import-links-phone.png"), full_page=True)

    holder = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    holder.goto(links[0])
    holder.fill("#id_new_password1", "新建村-李四-2026")
    holder.fill("#id_new_password2", "新建村-李四-2026")
    holder.screenshot(path=str(ARTIFACTS / "first-login-phone.png"), full_page=True)
    holder.click("text=设置密码并登录")
    assert "李四" in holder.inner_text("header")
    holder.goto(links[0])
    assert "链接已失效" in holder.inner_text("main")
    holder.context.close()

    page.goto(f"{live_server.url}/org/accounts/?unit=xjc")
    rows = page.inner_text("#account-list")
    assert "李四" in rows and "王五" in rows and "待首次登录" in rows
    assert fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-list-phone.png"), full_page=True)
    page.click("#account-list >> text=李四")
    page.click("text=重置密码")
    assert "原密码已失效" in page.inner_text("#reset-link")
    assert not User.objects.get(username="13800000001").has_usable_password()
    page.screenshot(path=str(ARTIFACTS / "account-reset-phone.png"), full_page=True)


def test_the_import_page_lists_faults_by_row_and_column_on_a_phone(
    cast: Cast, live_server: Any, page: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    bad = tmp_path / "人员账号.xlsx"
    bad.write_bytes(
        accounts_book(
            [
                ["李四", "1380000", "东岗村", "", "村/社区工作人员", ""],
                ["王五", "13800000002", "东岗村", "", "网格员", ""],
                ["", "13800000003", "火星村", "", "村长", ""],
            ]
        )
    )
    page.goto(f"{live_server.url}/org/accounts/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("text=上传并预览")
    errors = page.inner_text("#import-errors")
    assert "文件有 5 处错误，未导入任何数据" in errors
    assert "第3行「手机号」：应为11位手机号码，而不是“1380000”。" in errors
    assert page.locator("#import-preview").count() == 0
    assert fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-import-errors-phone.png"), full_page=True)
