"""The accounts workbook: each fault named by row and column, all or nothing; an existing account is
updated but keeps its password; new accounts get no password, only a first-login link."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.org.workbooks import accounts_book
from zhenwu.org import accounts
from zhenwu.org.models import Role, User

CLERK = ["李四", "13800000001", "东岗村", "", "村/社区工作人员", ""]


def errors_of(cast: Cast, rows: list[list[object]]) -> list[str]:
    return accounts.dry_run_accounts(cast.user("admin"), accounts_book(rows), "人员.xlsx").errors


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["", "13800000001", "东岗村", "", "村/社区工作人员", ""],
            "第3行「姓名」：不能为空。",
        ),
        (
            ["李四", "1234", "东岗村", "", "村/社区工作人员", ""],
            "第3行「手机号」：应为11位手机号码，而不是“1234”。",
        ),
        (
            ["李四", "23800000001", "东岗村", "", "村/社区工作人员", ""],
            "第3行「手机号」：应为11位手机号码，而不是“23800000001”。",
        ),
        (
            ["李四", "13800000001", "火星村", "", "村/社区工作人员", ""],
            "第3行「单位」：找不到“火星村”：请填写本单位组织机构中的名称或编码。",
        ),
        (
            ["李四", "13800000001", "外村", "", "村/社区工作人员", ""],
            "第3行「单位」：找不到“外村”：请填写本单位组织机构中的名称或编码。",
        ),
        (
            ["李四", "13800000001", "东岗村", "", "村长", ""],
            "第3行「角色」：应为乡镇管理员、乡镇领导、站所工作人员、村/社区工作人员、网格员之一，而不是“村长”。",
        ),
        (
            ["李四", "13800000001", "示范镇", "", "县级查看", ""],
            "第3行「角色」：只有系统管理员可以设置县级查看账号。",
        ),
        (
            ["李四", "13800000001", "东岗村", "", "网格员", ""],
            "第3行「角色」：网格员应设在网格一级，而“东岗村”是村/社区。",
        ),
        (
            ["李四", "13800000001", "示范镇", "", "村/社区工作人员", ""],
            "第3行「角色」：村/社区工作人员应设在村/社区一级，而“示范镇”是乡镇/街道。",
        ),
        (
            ["李四", "13800000001", "示范镇", "", "站所工作人员", ""],
            "第3行「站所」：站所工作人员须填写所属站所。",
        ),
        (
            ["李四", "13800000001", "示范镇", "不存在办", "站所工作人员", ""],
            "第3行「站所」：“不存在办”不是“示范镇”的站所。",
        ),
        (
            ["李四", "13800000001", "东岗村", "", "村/社区工作人员", "outsider"],
            "第3行「用户名」：“outsider”已被本单位以外的账号使用，请另填一个用户名。",
        ),
        (
            ["李四", "13800000001", "东岗村", "", "村/社区工作人员", "a b"],
            "第3行「用户名」：“a b”只能包含字母、数字和 @ . + - _。",
        ),
        (
            ["李\u202e四", "13800000001", "东岗村", "", "村/社区工作人员", ""],
            "第3行「姓名」：含有改变文字方向的控制字符(U+202E)，可能使显示与实际内容不符，请删除。",
        ),
    ],
)  # fmt: skip
def test_each_fault_is_named_by_row_and_column(cast: Cast, row: list[object], message: str) -> None:
    assert errors_of(cast, [row]) == [message]


def test_a_username_twice_in_the_file_names_the_earlier_row(cast: Cast) -> None:
    other = ["王五", "13800000001", "西河村", "", "村/社区工作人员", ""]
    assert errors_of(cast, [CLERK, other]) == ["第4行「用户名」：“13800000001”与第3行重复。"]


def test_one_phone_may_hold_two_roles_under_two_user_names(cast: Cast) -> None:
    grid = cast.grid0101.name
    rows = [CLERK, ["李四", "13800000001", grid, "", "网格员", "lisi-grid"]]
    assert errors_of(cast, rows) == []


def test_a_phone_typed_as_a_number_and_a_unit_by_its_code_are_read(cast: Cast) -> None:
    result = accounts.dry_run_accounts(
        cast.user("admin"),
        accounts_book([["李四", 13800000001, cast.village01.code, "", "村/社区工作人员", ""]]),
        "x",
    )
    assert result.errors == [] and result.changes[0].username == "13800000001"


def test_new_accounts_have_no_usable_password(cast: Cast) -> None:
    result = accounts.apply_accounts(cast.user("admin"), accounts_book([CLERK]), "x.xlsx")
    user = User.objects.get(username="13800000001")
    assert result.created == [user] and user.display_name == "李四" and user.role == Role.VILLAGE_STAFF
    assert not user.has_usable_password()
    for password in ("", "!", user.password):
        page = Client().post(reverse("login"), {"username": "13800000001", "password": password})
        assert page.status_code == 200 and "_auth_user_id" not in page.client.session


def test_nothing_is_saved_while_one_row_is_wrong(cast: Cast) -> None:
    bad = ["王五", "1", "西河村", "", "村/社区工作人员", ""]
    result = accounts.apply_accounts(cast.user("admin"), accounts_book([CLERK, bad]), "x.xlsx")
    assert not result.saved and not User.objects.filter(username="13800000001").exists()


def test_an_existing_account_is_updated_and_keeps_its_password(cast: Cast) -> None:
    cun01 = cast.user("cun01")
    password = cun01.password
    row = ["李东岗改", "13800000009", "西河村", "", "村/社区工作人员", "cun01"]
    dry = accounts.dry_run_accounts(cast.user("admin"), accounts_book([row]), "x.xlsx")
    assert [(c.action, c.changed) for c in dry.changes] == [("updated", ("姓名", "手机号", "单位"))]
    result = accounts.apply_accounts(cast.user("admin"), accounts_book([row]), "x.xlsx")
    assert result.created == []
    cun01.refresh_from_db()
    assert (cun01.display_name, cun01.org_unit, cun01.password) == ("李东岗改", cast.village02, password)


def test_office_staff_join_their_office_and_other_roles_note_it_as_a_warning(cast: Cast) -> None:
    rows = [
        ["赵六", "13800000002", "示范镇", "经发办", "站所工作人员", ""],
        ["钱七", "13800000003", "示范镇", "党政办", "乡镇管理员", ""],
    ]
    result = accounts.apply_accounts(cast.user("admin"), accounts_book(rows), "x.xlsx")
    assert result.warnings == ["第4行「站所」：只有站所工作人员记录所属站所，“党政办”将不记录。"]
    assert User.objects.get(username="13800000002").department == cast.jingfa_department
    new_admin = User.objects.get(username="13800000003")
    assert new_admin.department is None and new_admin.is_staff


def test_a_superuser_may_create_county_viewers(cast: Cast) -> None:
    root = User.objects.create_superuser("root-accounts", password=None)
    row = ["孙八", "13800000004", cast.county.code, "", "县级查看", ""]
    assert accounts.apply_accounts(root, accounts_book([row]), "x.xlsx").added == 1


# --- the page ----------------------------------------------------------------------------------------------


def _upload(client: Client, rows: list[list[object]]) -> accounts.AccountImportResult:
    upload = BytesIO(accounts_book(rows))
    upload.name = "人员.xlsx"
    response = client.post(reverse("org:import-accounts"), {"file": upload})
    return response.context["result"]  # type: ignore[no-any-return]


def test_after_confirming_the_admin_sees_each_link_once_and_may_download_them(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    preview = _upload(client, [CLERK])
    assert preview.added == 1 and not User.objects.filter(username="13800000001").exists()
    done = client.post(reverse("org:import-accounts"), {"pending": preview.pending})
    page = done.content.decode()
    [(user, link)] = done.context["links"]
    assert user.username == "13800000001" and link in page and "链接只在此显示一次" in page
    download = client.post(reverse("org:account-links"), {"created": done.context["created"]})
    sheet = load_workbook(BytesIO(download.content)).active
    assert [c.value for c in sheet[3]][:2] == ["李四", "13800000001"]
    assert sheet.cell(3, 5).value.startswith("http://testserver/org/first-login/")
    # The list of links is not kept: the account list never shows one.
    assert "first-login" not in client.get(reverse("org:account-list")).content.decode()


def test_the_link_list_keeps_only_accounts_in_scope_still_waiting(cast: Cast, client: Client) -> None:
    outsider_clerk = User.objects.create_user(
        "far-away", org_unit=cast.other_village, role=Role.VILLAGE_STAFF
    )
    created = accounts.sign_created([outsider_clerk, cast.user("cun01")])  # cun01 has set a password
    client.force_login(cast.user("admin"))
    download = client.post(reverse("org:account-links"), {"created": created})
    sheet = load_workbook(BytesIO(download.content)).active
    assert sheet.max_row == 2  # the headers only
    forged = client.post(reverse("org:account-links"), {"created": "forged"}, follow=True)
    assert "导入已过期或被改动，请重新上传文件。" in forged.content.decode()
