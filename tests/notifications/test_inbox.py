"""The inbox at /notifications/: the user's own notifications, newest first, unread marked; opening one
marks it read and follows its link; an attachment is its recipient's alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Kind, Notification

from .conftest import message


def test_the_inbox_lists_the_users_own_notifications_newest_first_with_unread_marked(
    cast: Cast, client: Client, time_machine: Any
) -> None:
    user, other = cast.user("cun01"), cast.user("cun02")
    services.notify([user], message("old", title="较早的提醒"))
    time_machine.move_to(timezone.now() + timedelta(hours=1))
    services.notify([user], message("new", title="新的提醒", urgent=True))
    services.notify([other], message("theirs", title="别人的提醒"))
    services.mark_read(Notification.objects.get(key="old"))
    client.force_login(user)

    page = client.get("/notifications/").content.decode()

    assert page.index("新的提醒") < page.index("较早的提醒")
    assert "别人的提醒" not in page
    new = Notification.objects.get(key="new")
    assert f'<li class="unread" id="notification-{new.pk}">' in page
    assert "紧急" in page
    unread_only = client.get("/notifications/?unread=1").content.decode()
    assert "新的提醒" in unread_only and "较早的提醒" not in unread_only


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast: Cast, client: Client) -> None:
    user = cast.user("cun01")
    services.notify([user], message(link="/cases/42/"))
    notification = user.notifications.get()
    client.force_login(user)

    answer = client.get(f"/notifications/{notification.pk}/")

    assert answer.status_code == 302 and answer["Location"] == "/cases/42/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_to_another_site_is_never_followed(cast: Cast, client: Client) -> None:
    user = cast.user("cun01")
    services.notify([user], message("a", link="https://evil.example.com/"))
    services.notify([user], message("b", link="//evil.example.com/"))
    client.force_login(user)

    for notification in user.notifications.all():
        assert client.get(f"/notifications/{notification.pk}/")["Location"] == "/notifications/"


def test_another_users_notification_is_missing_for_everyone_else(cast: Cast, client: Client) -> None:
    services.notify([cast.user("cun02")], message())
    notification = Notification.objects.get()
    client.force_login(cast.user("admin"))  # the township admin too: an inbox is private

    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert client.get(f"/notifications/{notification.pk}/attachment/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_all_can_be_marked_read_at_once(cast: Cast, client: Client) -> None:
    user, other = cast.user("cun01"), cast.user("cun02")
    for n in range(3):
        services.notify([user, other], message(f"k{n}"))
    client.force_login(user)

    answer = client.post("/notifications/read-all/", follow=True)

    assert "已将 3 条通知标为已读" in answer.content.decode()
    assert services.unread_count(user) == 0
    assert services.unread_count(other) == 3
    assert client.get("/notifications/read-all/").status_code == 405


def test_an_attachment_is_downloaded_by_its_recipient_only(cast: Cast, client: Client) -> None:
    leader, other = cast.user("leader"), cast.user("admin")
    services.notify(
        [leader],
        message(
            "bulletin:w47", kind=Kind.BULLETIN, title="第47周通报", attachment=("第47周通报.docx", b"PK docx")
        ),
    )
    notification = leader.notifications.get()
    client.force_login(leader)

    inbox = client.get("/notifications/").content.decode()
    answer = client.get(f"/notifications/{notification.pk}/attachment/")

    assert "附件：第47周通报.docx" in inbox
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"PK docx"  # type: ignore[attr-defined]
    assert "%E7%AC%AC47%E5%91%A8%E9%80%9A%E6%8A%A5.docx" in answer["Content-Disposition"]
    client.force_login(other)
    assert client.get(f"/notifications/{notification.pk}/attachment/").status_code == 404


def test_a_notification_without_an_attachment_has_none_to_download(cast: Cast, client: Client) -> None:
    user = cast.user("cun01")
    services.notify([user], message())
    client.force_login(user)

    assert client.get(f"/notifications/{user.notifications.get().pk}/attachment/").status_code == 404


def test_the_top_bar_counts_the_unread(cast: Cast, client: Client) -> None:
    user = cast.user("cun01")
    client.force_login(user)
    assert '<span class="count">' not in client.get("/notifications/").content.decode()

    for n in range(3):
        services.notify([user], message(f"k{n}"))
    page = client.get("/").content.decode()

    assert 'aria-label="通知，3 条未读">通知<span class="count">3</span></a>' in page


def test_the_inbox_reads_a_page_in_a_few_queries(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    user = cast.user("cun01")
    for n in range(40):
        services.notify([user], message(f"k{n}"))
    client.force_login(user)
    client.get("/todo/")  # the navigation's to-do count, then kept a minute, is made there

    with django_assert_max_num_queries(8):
        page = client.get("/notifications/?page=2").content.decode()

    assert "第 2 / 2 页" in page
