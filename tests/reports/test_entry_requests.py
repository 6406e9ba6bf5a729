"""The compiler asks the offices for their narrative entries (素材征集) by a day; the entries page shows who
has answered; only the compiler may ask, of their own township's offices, for a day not yet past."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.conftest import Cast
from zhenwu.reports.models import EntryRequest, NarrativeEntry


@pytest.fixture(autouse=True)
def no_request_yet(db: None) -> None:
    """The package's demo (when a test before this one loaded it) asks for the annual report's entries:
    each test here starts before anyone has asked."""
    EntryRequest.objects.all().delete()


def ask(client: Client, cast: Cast, **data: Any) -> Any:
    fields = {"year": 2026, "kind": "annual", "due_on": "2026-11-30", "note": "请按时报送"}
    fields.update(data)
    return client.post(reverse("reports:entry-request", args=[cast.township.pk]), fields, follow=True)


def test_the_compiler_asks_offices_and_sees_who_has_answered(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    page = ask(client, cast, departments=[cast.jingfa_department.pk, cast.minzheng_department.pk])
    text = page.content.decode()
    assert "已征集2026年年度工作总结素材，截止2026-11-30。" in text
    request = EntryRequest.objects.get()
    assert set(request.departments.all()) == {cast.jingfa_department, cast.minzheng_department}
    NarrativeEntry.objects.create(
        department=cast.jingfa_department, org_unit=cast.township, year=2026, kind="annual",
        section="plans", title="明年计划", text="略。", author=cast.user("jingfa"),
    )  # fmt: skip
    row = client.get(reverse("reports:entry-list"), {"org": cast.township.code}).content.decode()
    table = row[row.index('id="entry-requests"') :]
    assert '<td data-label="已填写">经发办</td>' in table and '<td data-label="未填写">民政办</td>' in table
    # asked again: the same request, with its new day
    ask(client, cast, due_on="2026-12-04")
    assert EntryRequest.objects.get().due_on.isoformat() == "2026-12-04"


def test_an_office_cannot_ask(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    page = ask(client, cast).content.decode()
    assert "只有党政办(乡镇管理员)可以征集素材。" in page
    assert not EntryRequest.objects.exists()
    assert 'id="entry-request-form"' not in page


def test_a_past_day_and_another_townships_office_are_refused_naming_the_field(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    assert "截止日期不能早于今天。" in ask(client, cast, due_on="2026-11-01").content.decode()
    stranger = factories.department(cast.other_township)
    assert "征集站所：" in ask(client, cast, departments=[stranger.pk]).content.decode()
    assert "报告类型：" in ask(client, cast, kind="everything").content.decode()
    assert not EntryRequest.objects.exists()


def test_the_entry_form_starts_at_the_report_asked_for(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    page = client.get(
        reverse("reports:entry-list"), {"org": cast.township.code, "year": "2026", "kind": "q3"}
    )
    text = page.content.decode()
    assert '<option value="q3" selected>' in text
    assert f'<option value="{cast.jingfa_department.pk}" selected>' in text
