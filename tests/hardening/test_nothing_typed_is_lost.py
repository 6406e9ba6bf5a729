"""When another user acts on a case first, the second user's page comes back with what they typed: the
note in the form at the case's new version, or shown apart when the action no longer applies."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case

NOTE = "已联系村委会，周三前清运完毕。\n现场照片另行补充。"


def test_a_stale_action_keeps_the_note_in_the_form_at_the_new_version(
    cast: Cast, client: Client, types: object
) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    admin = cast.user("admin")
    services.transition(admin, case.pk, "accept", case.version, services.TransitionInput())
    loaded = Case.objects.get(pk=case.pk)
    # someone else adds a follow-up while this user writes why the case is resolved
    services.transition(admin, case.pk, "follow_up", loaded.version, services.TransitionInput(note="催办"))
    client.force_login(admin)
    url = reverse("cases:case-detail", args=[case.pk])
    response = client.post(url, {"action": "resolve", "version": loaded.version, "note": NOTE})
    page = response.content.decode()
    assert response.status_code == 409 and "处理（跟进记录），请刷新：您填写的内容已保留" in page
    form = page.split('data-action="resolve" open>', 1)[1].split("</form>", 1)[0]
    assert NOTE in form and f'name="version" value="{loaded.version + 1}"' in form
    resent = client.post(url, {"action": "resolve", "version": loaded.version + 1, "note": NOTE})
    assert resent.status_code == 302 and Case.objects.get(pk=case.pk).state == "resolved"


def test_a_note_for_an_action_that_no_longer_applies_is_shown_apart(
    cast: Cast, client: Client, types: object
) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    admin = cast.user("admin")
    services.transition(admin, case.pk, "accept", case.version, services.TransitionInput())
    client.force_login(admin)
    response = client.post(
        reverse("cases:case-detail", args=[case.pk]),
        {"action": "reject", "version": case.version, "note": NOTE},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "您刚才填写的说明" in page and NOTE in page.split('id="kept-note"', 1)[1]


def test_a_refused_note_comes_back_in_its_form(cast: Cast, client: Client, types: object) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    client.force_login(cast.user("admin"))
    response = client.post(
        reverse("cases:case-detail", args=[case.pk]),
        {"action": "reject", "version": case.version, "note": ""},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("cases:case-detail", args=[case.pk]),
        {"action": "verify", "version": case.version, "note": NOTE},
    )
    page = response.content.decode()
    assert response.status_code == 400 and NOTE in page
