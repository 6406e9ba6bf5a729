"""Login and logout in Chinese, lockout after five failures, CSRF on every form."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.org.demo import DEMO_PASSWORD


def login(client: Client, username: str, password: str) -> str:
    response = client.post(reverse("login"), {"username": username, "password": password}, follow=True)
    return response.content.decode()


def test_the_login_page_is_in_chinese(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "登录镇务" in page and "用户名" in page and "密码" in page


def test_a_wrong_password_is_refused_in_chinese(cast: Cast, client: Client) -> None:
    page = login(client, "cun01", "wrong-password")
    assert "请输入一个正确的" in page  # Django's own Chinese message for bad credentials
    assert "_auth_user_id" not in client.session


def test_a_right_password_logs_in_and_shows_the_users_unit(cast: Cast, client: Client) -> None:
    page = login(client, "cun01", DEMO_PASSWORD)
    assert "东岗村" in page and "村/社区工作人员" in page


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(
    cast: Cast, client: Client
) -> None:
    for _ in range(5):
        page = login(client, "cun02", "wrong-password")
    assert "账户已锁定" in page
    assert "账户已锁定" in login(client, "cun02", DEMO_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "账户已锁定" not in login(Client(), "cun01", DEMO_PASSWORD), "another account stays open"


def test_logout_ends_the_session(cast: Cast, client: Client) -> None:
    login(client, "leader", DEMO_PASSWORD)
    client.post(reverse("logout"))
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_the_home_page_shows_what_the_user_can_reach(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    page = client.get(reverse("web:home")).content.decode()
    assert "<strong>5</strong><span>网格</span>" in page
    assert "<strong>1</strong><span>村/社区</span>" in page
    client.force_login(cast.user("leader"))
    page = client.get(reverse("web:home")).content.decode()
    assert "<strong>60</strong><span>网格</span>" in page and "民政办" in page


def test_the_layout_fits_a_phone(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
