"""A full export of identity numbers and phones is a confirmed POST with a reason, logged like a reveal; a
plain download is masked for everyone."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.households import factories
from zhenwu.households.models import PersonalDataAccess


def test_a_full_export_asks_for_a_reason_and_logs_it(cast: Cast, client: Client) -> None:
    household = factories.household(cast.grid0101)
    head = household.members.get(relation="head")
    url = reverse("households:export-register", args=[cast.village01.code])
    client.force_login(cast.user("cun01"))
    masked = load_workbook(BytesIO(client.get(url).content)).active
    assert head.id_number_masked in [c.value for c in masked["H"]]
    ask = client.get(url, {"full": "1"})
    assert ask.status_code == 200 and "导出事由" in ask.content.decode()
    too_short = client.post(url, {"reason": "要"})
    assert too_short.status_code == 200 and "确认导出" in too_short.content.decode()
    assert not PersonalDataAccess.objects.exists()
    full = load_workbook(BytesIO(client.post(url, {"reason": "向县民政局报送名册"}).content)).active
    assert head.full_id_number() in [c.value for c in full["H"]]
    logged = PersonalDataAccess.objects.get()
    assert (logged.actor, logged.reason) == (cast.user("cun01"), "向县民政局报送名册")
    assert logged.what.startswith("导出含完整身份证号的名册")


def test_a_user_who_may_not_see_full_numbers_gets_no_full_export(cast: Cast, client: Client) -> None:
    factories.household(cast.grid0101)
    url = reverse("households:export-register", args=[cast.village01.code])
    client.force_login(cast.user("leader"))
    assert client.get(url, {"full": "1"}).status_code == 404
    assert client.post(url, {"reason": "想看看完整号码"}).status_code == 404
    assert not PersonalDataAccess.objects.exists()
