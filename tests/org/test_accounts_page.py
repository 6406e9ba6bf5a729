"""The first-login link and the township admin's accounts page: reset, unlock, deactivate, scope."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.org import accounts, services
from zhenwu.org.models import Role, User

GOOD_PASSWORD = "河口镇-网格-2026"


def new_clerk(cast: Cast, username: str = "13800000001") -> User:
    return services.create_user(
        username=username,
        password=None,
        role=Role.VILLAGE_STAFF,
        org_unit=cast.village01,
        display_name="李四",
    )


def path_of(link: str) -> str:
    return link.removeprefix("http://testserver")


def test_the_link_sets_the_password_signs_in_and_then_no_longer_works(cast: Cast, client: Client) -> None:
    clerk = new_clerk(cast)
    link = path_of(accounts.first_login_link(clerk, "http://testserver"))
    page = client.get(link)
    assert page.status_code == 200 and "您的用户名是 <strong>13800000001</strong>" in page.content.decode()
    done = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(clerk.pk)
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD_PASSWORD)
    again = Client().get(link)
    assert again.status_code == 404 and "此首次登录链接无效、已过期或已经使用过" in again.content.decode()


def test_the_password_validators_apply_and_a_refused_password_keeps_the_link(
    cast: Cast, client: Client
) -> None:
    link = path_of(accounts.first_login_link(new_clerk(cast), "http://testserver"))
    page = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert page.context["form"].errors["new_password2"]
    assert client.get(link).status_code == 200


def test_a_password_with_a_control_character_is_refused_by_name(cast: Cast, client: Client) -> None:
    link = path_of(accounts.first_login_link(new_clerk(cast), "http://testserver"))
    odd = GOOD_PASSWORD + "\u202e"
    page = client.post(link, {"new_password1": odd, "new_password2": odd})
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert "含有改变文字方向的控制字符" in page.context["form"].errors["new_password1"][0]


def test_an_expired_or_forged_link_is_refused(cast: Cast, client: Client) -> None:
    link = path_of(accounts.first_login_link(new_clerk(cast), "http://testserver"))
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "abc/").status_code == 404
    assert client.get(reverse("org:first-login", kwargs={"token": "nonsense"})).status_code == 404


def test_no_link_works_for_an_account_with_a_password_or_deactivated(cast: Cast) -> None:
    cun01 = cast.user("cun01")  # has a password: it never had a link to use
    assert accounts.user_for_token(accounts.first_login_token(cun01)) is None
    clerk = new_clerk(cast)
    token = accounts.first_login_token(clerk)
    accounts.set_active(cast.user("admin"), clerk, False)
    assert accounts.user_for_token(token) is None


def test_first_login_link_takes_a_request_or_a_base_url(cast: Cast, rf: object) -> None:
    clerk = new_clerk(cast)
    request = rf.get(
        "/",
    )  # type: ignore[attr-defined]
    assert accounts.first_login_link(clerk, request).startswith("http://testserver/org/first-login/")
    assert accounts.first_login_link(clerk, "https://x.example/").startswith(
        "https://x.example/org/first-login/"
    )


# --- the accounts page ------------------------------------------------------------------------------------


def test_the_list_shows_accounts_in_scope_with_their_state(cast: Cast, client: Client) -> None:
    new_clerk(cast)
    client.force_login(cast.user("admin"))
    page = client.get(reverse("org:account-list")).content.decode()
    assert "李四" in page and "待首次登录" in page and "赵管理" in page
    assert "外镇管理员" not in page
    by_role = client.get(reverse("org:account-list"), {"role": Role.GRID_WORKER}).content.decode()
    assert "吴网格" in by_role and "李四" not in by_role
    by_unit = client.get(reverse("org:account-list"), {"unit": cast.village02.code}).content.decode()
    assert "周西河" in by_unit and "李东岗" not in by_unit
    outside = client.get(reverse("org:account-list"), {"unit": "OUT-V"})
    assert outside.status_code == 200 and "没有符合条件的账号" in outside.content.decode()


def test_the_list_answers_in_a_fixed_number_of_queries(
    cast: Cast, client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(10):
        new_clerk(cast, f"1380000010{n}")
    client.force_login(cast.user("admin"))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(reverse("org:account-list"))


def test_reset_shows_a_new_link_once_and_the_old_password_stops_working(cast: Cast, client: Client) -> None:
    cun01 = cast.user("cun01")
    client.force_login(cast.user("admin"))
    page = client.post(reverse("org:account-detail", kwargs={"pk": cun01.pk}), {"action": "reset"})
    [(_, link)] = page.context["links"]
    assert link in page.content.decode() and "原密码已失效" in page.content.decode()
    cun01.refresh_from_db()
    assert not cun01.has_usable_password()
    assert accounts.user_for_token(link.rsplit("/", 2)[-2]) == cun01
    entry = LogEntry.objects.filter(object_pk=str(cun01.pk)).latest("timestamp")
    assert entry.actor == cast.user("admin") and entry.changes_dict == {"账号操作": ["", "重置密码"]}
    # A second reset ends the first link.
    client.post(reverse("org:account-detail", kwargs={"pk": cun01.pk}), {"action": "reset"})
    assert accounts.user_for_token(link.rsplit("/", 2)[-2]) is None


def _lock(username: str) -> None:
    AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="t", http_accept="*/*",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip


def test_unlock_clears_the_failed_attempts(cast: Cast, client: Client) -> None:
    cun01 = cast.user("cun01")
    _lock("cun01")
    client.force_login(cast.user("admin"))
    assert "已锁定" in client.get(reverse("org:account-list"), {"q": "cun01"}).content.decode()
    detail = reverse("org:account-detail", kwargs={"pk": cun01.pk})
    assert 'value="unlock"' in client.get(detail).content.decode()
    done = client.post(detail, {"action": "unlock"}, follow=True)
    assert "已解除“李东岗”的登录锁定。" in done.content.decode()
    assert not AccessAttempt.objects.filter(username="cun01").exists()


def test_deactivate_and_reactivate_but_never_oneself(cast: Cast, client: Client) -> None:
    cun01, admin = cast.user("cun01"), cast.user("admin")
    client.force_login(admin)
    detail = reverse("org:account-detail", kwargs={"pk": cun01.pk})
    client.post(detail, {"action": "deactivate"})
    cun01.refresh_from_db()
    assert not cun01.is_active
    client.post(detail, {"action": "activate"})
    cun01.refresh_from_db()
    assert cun01.is_active
    own = client.post(
        reverse("org:account-detail", kwargs={"pk": admin.pk}), {"action": "deactivate"}, follow=True
    )
    assert "不能停用自己的账号。" in own.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_another_townships_admin_gets_404_for_these_accounts(cast: Cast, client: Client) -> None:
    cun01 = cast.user("cun01")
    client.force_login(cast.other_admin)
    detail = reverse("org:account-detail", kwargs={"pk": cun01.pk})
    assert client.get(detail).status_code == 404
    for action in ("reset", "unlock", "deactivate"):
        assert client.post(detail, {"action": action}).status_code == 404
    cun01.refresh_from_db()
    assert cun01.has_usable_password() and cun01.is_active


def test_other_roles_find_no_accounts_page(cast: Cast, client: Client) -> None:
    for role in ("leader", "jingfa", "cun01", "wangge01", "xian"):
        client.force_login(cast.user(role))
        assert client.get(reverse("org:account-list")).status_code == 404
        nav = client.get(reverse("web:home")).content.decode()
        assert "人员账号" not in nav
    client.force_login(cast.user("admin"))
    assert reverse("org:account-list") in client.get(reverse("web:home")).content.decode()


def test_a_superuser_sees_every_account_but_other_superusers_stay_listed_only_to_them(
    cast: Cast, client: Client
) -> None:
    root = User.objects.create_superuser("root-list", password=None)
    client.force_login(root)
    page = client.get(reverse("org:account-list"), {"q": "outsider"})
    assert page.status_code == 200 and "外镇管理员" in page.content.decode()


def test_hostile_filters_and_tokens_answer_without_an_error(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    for query in ({"q": "a\u202eb"}, {"unit": "OUT-G"}, {"role": "x"}, {"page": "abc"}):
        assert client.get(reverse("org:account-list"), query).status_code == 200
    # A NUL is answered before the page (and before the login is read): 400, not a server error.
    assert client.get(reverse("org:account-list"), {"q": "a\x00b"}).status_code == 400
    assert client.get("/org/first-login/a%00b/").status_code == 400


def test_the_upload_form_refuses_other_files_by_name(cast: Cast, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.user("admin"))
    for name in ("org:import-org", "org:import-accounts"):
        upload = SimpleUploadedFile("人员.csv", b"a,b")
        page = client.post(reverse(name), {"file": upload}).content.decode()
        assert "请上传 .xlsx 格式的 Excel 文件(可先下载模板)。" in page
