"""GET /api/v1/notifications (the caller's own, paginated, ?unread=1) and POST
/api/v1/notifications/{id}/read, described by the OpenAPI schema."""

from __future__ import annotations

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import User

from .conftest import message


def api(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_list_gives_the_callers_notifications_paginated(cast: Cast) -> None:
    user = cast.user("wangge01")
    for n in range(3):
        services.notify([user], message(f"k{n}", title=f"提醒{n}"))
    services.notify([cast.user("cun01")], message("theirs", title="别人的"))
    services.notify([user], message("b", kind=Kind.BULLETIN, title="通报", attachment=("通报.docx", b"PK")))

    page = api(user).get("/api/v1/notifications", {"limit": 2}).json()

    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    newest = page["results"][0]
    bulletin = Notification.objects.get(key="b")
    assert newest == {
        "id": bulletin.pk,
        "kind": "bulletin",
        "kind_label": "一周一通报",
        "title": "通报",
        "body": "请在 11月19日 17:00 前办结。",
        "link": "/cases/1/",
        "urgent": False,
        "created_at": newest["created_at"],
        "read_at": None,
        "attachment": f"/notifications/{bulletin.pk}/attachment/",
    }
    everything = api(user).get("/api/v1/notifications").json()
    assert "别人的" not in str(everything)


def test_read_marks_one_and_unread_lists_the_rest(cast: Cast) -> None:
    user = cast.user("wangge01")
    services.notify([user], message("a", title="甲"))
    services.notify([user], message("b", title="乙"))
    first = Notification.objects.get(key="a")
    client = api(user)

    answer = client.post(f"/api/v1/notifications/{first.pk}/read")
    again = client.post(f"/api/v1/notifications/{first.pk}/read")

    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert again.json()["read_at"] == answer.json()["read_at"], "reading twice changes nothing"
    unread = client.get("/api/v1/notifications", {"unread": "1"}).json()
    assert [row["title"] for row in unread["results"]] == ["乙"]


def test_another_users_notification_answers_404(cast: Cast) -> None:
    services.notify([cast.user("cun01")], message())
    theirs = Notification.objects.get()

    answer = api(cast.user("admin")).post(f"/api/v1/notifications/{theirs.pk}/read")

    assert answer.status_code == 404 and answer.json()["detail"] == "记录不存在或无权查看。"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_bad_filter_is_a_400_in_chinese_and_no_token_a_401(cast: Cast) -> None:
    answer = api(cast.user("cun01")).get("/api/v1/notifications", {"unread": "perhaps"})

    assert answer.status_code == 400 and "unread" in answer.json()["errors"]
    assert APIClient().get("/api/v1/notifications").status_code == 401
    assert APIClient().post("/api/v1/notifications/1/read").status_code == 401


def test_the_schema_documents_the_notifications_api(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))

    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    assert set(paths["/api/v1/notifications"]) == {"get"}
    assert set(paths["/api/v1/notifications/{id}/read"]) == {"post"}
    listed = paths["/api/v1/notifications"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"unread", "limit", "offset"}
    assert "404" in paths["/api/v1/notifications/{id}/read"]["post"]["responses"]
