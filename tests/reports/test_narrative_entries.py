"""Offices write narrative entries; the compiler picks and orders them; regenerating keeps the choice."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.conftest import Cast
from zhenwu.documents.model import Document, Style
from zhenwu.reports import services
from zhenwu.reports.kinds import spec_for
from zhenwu.reports.models import NarrativeEntry, ReportDraft

SPEC = spec_for("half-year", 2025, date(2026, 11, 18))  # the demo writes entries for this year


def write(
    client: Client, cast: Cast, title: str, section: str = "methods", office: int | None = None
) -> None:
    data = {
        "org": cast.township.code, "department": office or cast.jingfa_department.pk, "year": 2025,
        "kind": "half-year", "section": section, "title": title, "text": f"{title}的具体内容。",
    }  # fmt: skip
    response = client.post(f"/reports/entries/?org={cast.township.code}", data)
    assert response.status_code == 302, response.content.decode()


def body_after(document: Document, heading: str) -> list[str]:
    texts = [(p.style, p.text) for p in document.paragraphs]
    start = texts.index((Style.HEADING1, heading)) + 1
    end = next(i for i in range(start, len(texts)) if texts[i][0] == Style.HEADING1)
    return [t for _, t in texts[start:end]]


def test_an_office_writes_entries_and_they_appear_under_their_sections(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    write(client, cast, "坚持项目为王")
    write(client, cast, "要素保障不足", section="problems")
    report = services.compiled_report(cast.user("admin"), cast.township, SPEC)
    assert body_after(report, "二、主要做法") == ["一是坚持项目为王。坚持项目为王的具体内容。"]
    assert "要素保障不足。要素保障不足的具体内容。" in "".join(body_after(report, "三、存在问题"))


def test_office_staff_cannot_write_for_another_office(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("jingfa"))
    data = {
        "org": cast.township.code, "department": cast.minzheng_department.pk, "year": 2025,
        "kind": "half-year", "section": "methods", "title": "代写", "text": "不应保存。",
    }  # fmt: skip
    page = client.post(f"/reports/entries/?org={cast.township.code}", data).content.decode()
    assert "只能填写本站所的报告素材" in page
    assert not NarrativeEntry.objects.filter(title="代写").exists()


@pytest.fixture
def three_entries(cast: Cast, client: Client) -> list[int]:
    client.force_login(cast.user("admin"))
    for title in ("第一条做法", "第二条做法", "第三条做法"):
        write(client, cast, title)
    return list(NarrativeEntry.objects.filter(year=2025).order_by("pk").values_list("pk", flat=True))


def test_the_compiler_picks_and_orders_entries_and_regenerating_keeps_them(
    cast: Cast, client: Client, three_entries: list[int]
) -> None:
    first, _unchosen, third = three_entries
    data = {
        "kind": "half-year",
        "year": 2025,
        "entry": [first, third],
        f"order_{first}": 2,
        f"order_{third}": 1,
    }
    assert client.post(f"/reports/units/{cast.township.pk}/choose/", data).status_code == 302
    methods = body_after(services.compiled_report(cast.user("admin"), cast.township, SPEC), "二、主要做法")
    assert [m[:7] for m in methods] == ["一是第三条做法", "二是第一条做法"]
    # an office edits its entry; the draft is regenerated with the same choice and order
    client.post(
        f"/reports/entries/{first}/",
        {"department": cast.jingfa_department.pk, "year": 2025, "kind": "half-year", "section": "methods",
         "title": "第一条做法", "text": "改写后的内容。"},
    )  # fmt: skip
    methods = body_after(services.compiled_report(cast.user("admin"), cast.township, SPEC), "二、主要做法")
    assert methods == ["一是第三条做法。第三条做法的具体内容。", "二是第一条做法。改写后的内容。"]
    assert ReportDraft.objects.get(year=2025).entry_ids == [third, first]


def test_only_the_compiler_may_save_the_choice(cast: Cast, client: Client, three_entries: list[int]) -> None:
    client.force_login(cast.user("leader"))
    data = {"kind": "half-year", "year": 2025, "entry": three_entries[:1]}
    response = client.post(f"/reports/units/{cast.township.pk}/choose/", data, follow=True)
    assert "只有党政办(乡镇管理员)可以编排报告" in response.content.decode()
    assert not ReportDraft.objects.filter(year=2025).exists()
