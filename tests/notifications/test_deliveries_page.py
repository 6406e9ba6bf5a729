"""/notifications/deliveries/: the township admin sees the failed and waiting deliveries of the users in
their township, with the reason in Chinese; nobody else sees any (404), another township's admin sees
none of them, and a system administrator sees all."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, Delivery, DeliveryState, Kind
from zhenwu.org.models import Role, User

from .conftest import choose, message, reachable


def failed_for(
    user: User, key: str, reason: str = "邮件服务器 127.0.0.1:25 拒绝连接(服务未启动或端口不对)。"
) -> Delivery:
    choose(user, Kind.DEADLINE, Channel.EMAIL)
    services.notify([user], message(key))
    item = Delivery.objects.get(notification__key=key, notification__recipient=user)
    Delivery.objects.filter(pk=item.pk).update(state=DeliveryState.FAILED, attempts=8, last_error=reason)
    return item


@pytest.fixture
def deliveries(cast: Cast) -> dict[str, Delivery]:
    outsider = factories.user(Role.VILLAGE_STAFF, cast.other_village)
    inside = reachable(cast.user("cun01"), email="li@town.example.cn")
    waiting_user = reachable(cast.user("wangge01"), email="wu@town.example.cn")
    choose(waiting_user, Kind.DEADLINE, Channel.EMAIL)
    services.notify([waiting_user], message("waiting"))
    return {
        "inside": failed_for(inside, "inside"),
        "waiting": Delivery.objects.get(notification__key="waiting"),
        "outside": failed_for(outsider, "outside"),
    }


def shown(client: Client, query: str = "") -> set[int]:
    page = client.get(f"/notifications/deliveries/{query}")
    assert page.status_code == 200
    body = page.content.decode()
    return {d.pk for d in Delivery.objects.all() if f'id="delivery-{d.pk}"' in body}


def test_the_admin_sees_the_failed_and_waiting_deliveries_of_the_township(
    cast: Cast, client: Client, deliveries: dict[str, Delivery]
) -> None:
    client.force_login(cast.user("admin"))

    assert shown(client) == {deliveries["inside"].pk, deliveries["waiting"].pk}
    assert shown(client, "?state=failed") == {deliveries["inside"].pk}
    assert shown(client, "?state=pending") == {deliveries["waiting"].pk}
    page = client.get("/notifications/deliveries/").content.decode()
    assert "拒绝连接(服务未启动或端口不对)" in page and "李东岗" in page


def test_another_townships_admin_sees_none_of_them_and_cannot_resend(
    cast: Cast, client: Client, deliveries: dict[str, Delivery]
) -> None:
    client.force_login(cast.other_admin)

    assert shown(client) == {deliveries["outside"].pk}
    assert client.post(f"/notifications/deliveries/{deliveries['inside'].pk}/resend/").status_code == 404
    assert Delivery.objects.get(pk=deliveries["inside"].pk).state == DeliveryState.FAILED


@pytest.mark.parametrize("role", ["cun01", "wangge01", "leader", "jingfa", "xian"])
def test_nobody_but_an_admin_reaches_the_page(
    cast: Cast, client: Client, deliveries: dict[str, Delivery], role: str
) -> None:
    client.force_login(cast.user(role))

    assert client.get("/notifications/deliveries/").status_code == 404
    assert client.post(f"/notifications/deliveries/{deliveries['inside'].pk}/resend/").status_code == 404
    assert "发送情况" not in client.get("/notifications/").content.decode()


def test_a_system_administrator_sees_every_township(
    client: Client, deliveries: dict[str, Delivery], django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "correct-horse-battery")
    client.force_login(root)

    assert shown(client) == {d.pk for d in deliveries.values()}


def test_the_page_reads_its_rows_in_a_few_queries(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        failed_for(factories.user(Role.GRID_WORKER, cast.grid0101), f"k{n}")
    client.force_login(cast.user("admin"))

    with django_assert_max_num_queries(8):
        assert len(shown(client)) == 20
