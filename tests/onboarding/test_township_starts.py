"""A real township starts: from an empty install to its first report.

河口镇 starts using zhenwu on 10 September 2026. Its admin runs `zhenwu init`, becomes the first account,
imports the org tree and the people, the indicator workbook (catalog, targets, January–August values), the
hazard, petition and grid-event ledgers, the household register, the monitoring list and the 低保 grants —
the files in tests/fixtures/township/, as the township keeps them — and a leader, logged in through the
first-login link the import gave, downloads the 1-8月 report. Every imported figure is in it, as the files
say, read here from the files themselves and not from what was stored.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document as WordDocument
from openpyxl import load_workbook
from time_machine import TimeMachineFixture

from tests.fixtures.township import township as t
from tests.fixtures.township.onboard import LEDGERS, onboard
from zhenwu.cases.models import CaseType
from zhenwu.onboarding import create_first_admin
from zhenwu.org import accounts
from zhenwu.org.models import OrgUnit, User
from zhenwu.reports import services as reports
from zhenwu.reports.kinds import spec_for

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "township"
STARTS = datetime(2026, 9, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SPAN = (date(2026, 1, 1), date(2026, 8, 31))


def _file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _rows(name: str, sheet: str | None = None, header_row: int = 1) -> list[dict[str, object]]:
    book = load_workbook(FILES / name, read_only=True, data_only=True)
    rows = list((book[sheet] if sheet else book.active).iter_rows(min_row=header_row, values_only=True))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(c not in (None, "") for c in row)]


def _day(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


# --- what the files say ------------------------------------------------------------------------------


def expected_indicators() -> dict[str, Decimal]:
    """Each indicator's August figure for the township: its own row of 月度数据, or its villages' sum."""
    codes = {row["名称"]: row["编码"] for row in _rows("指标台账.xlsx", "指标", header_row=3)}
    expected: dict[str, Decimal] = {}
    for row in _rows("指标台账.xlsx", "月度数据", header_row=3):
        code, august = str(codes[row["指标"]]), Decimal(str(row["8月"]))
        own = row["单位"] == t.TOWNSHIP[0]
        expected[code] = august if own else expected.get(code, Decimal(0)) + august
    return expected


def expected_cases() -> dict[str, tuple[int, int]]:
    """(received, resolved by the span's end) of each ledger."""
    found = {}
    for code, name in LEDGERS.items():
        rows = _rows(name)
        received = [r for r in rows if SPAN[0] <= _day(r["收到日期"]) <= SPAN[1]]  # type: ignore[operator]
        resolved = [r for r in received if r["办结日期"] and _day(r["办结日期"]) <= SPAN[1]]  # type: ignore[operator]
        found[code] = (len(received), len(resolved))
    return found


def expected_dibao() -> Decimal:
    """Monthly amount × the months of January–August each grant was in force."""
    total = Decimal(0)
    for row in _rows("低保发放.xlsx"):
        first = max(_day(row["起始日期"]), SPAN[0])  # type: ignore[type-var]
        last = min(_day(row["终止日期"]) or SPAN[1], SPAN[1])  # type: ignore[type-var]
        if first <= last:
            total += Decimal(str(row["月救助金额"])) * (last.month - first.month + 1)
    return total


# --- the township starts ----------------------------------------------------------------------------


@pytest.fixture
def hekou_starts(empty_install: None, time_machine: TimeMachineFixture) -> User:
    """The install as 河口镇's admin leaves it on its first day: prepared, its org, people and history in."""
    time_machine.move_to(STARTS)
    call_command("init", township=t.TOWNSHIP[0], code=t.TOWNSHIP[1], county=t.COUNTY[0],
                 county_code=t.COUNTY[1], stdout=StringIO())  # fmt: skip
    township = OrgUnit.objects.get(code=t.TOWNSHIP[1])
    admin = create_first_admin(township=township, username="hekou-admin", password="Heko-2026-start",
                               display_name="周海涛")  # fmt: skip
    onboard(admin, FILES)
    return admin


def test_the_first_report_prints_every_imported_figure(hekou_starts: User) -> None:
    township = OrgUnit.objects.get(code=t.TOWNSHIP[1])
    document = reports.compiled_report(hekou_starts, township, spec_for("m8", 2026))
    figures = {figure.key: figure.value for figure in document.figures}

    assert document.title == "河口镇2026年1—8月工作总结及下一步工作计划"
    for code, value in expected_indicators().items():
        assert figures[f"indicator:{code}:actual"] == value, code
    cases = expected_cases()
    names = dict(CaseType.objects.values_list("code", "name"))
    for code, (received, _resolved) in cases.items():
        assert figures[f"cases:type:{names[code]}"] == received, code
    assert figures["cases:received"] == sum(received for received, _ in cases.values())
    assert figures["cases:resolved"] == sum(resolved for _, resolved in cases.values())
    monitored = {row["户编号"] for row in _rows("防返贫监测对象.xlsx")}
    assert figures["households:new"] == len(monitored)
    assert figures["benefits:低保金"] == expected_dibao()
    assert document.measure_conflicts() == []


def test_a_leader_sets_a_password_from_the_link_and_downloads_the_report(hekou_starts: User) -> None:
    leader = User.objects.get(username=t.PEOPLE[1][1])  # 陈建国, 乡镇领导: user name = phone number
    assert not leader.has_usable_password()
    link = accounts.first_login_link(leader, "http://testserver")
    browser = Client()
    page = browser.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200
    password = "Hekou-Leader-2026"
    done = browser.post(page.request["PATH_INFO"], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302

    fresh = Client()
    signed_in = fresh.post("/accounts/login/", {"username": leader.username, "password": password})
    assert signed_in.status_code == 302
    word = fresh.get(
        "/reports/download/", {"org": t.TOWNSHIP[1], "kind": "m8", "year": 2026, "format": "docx"}
    )
    assert word.status_code == 200
    text = "\n".join(p.text for p in WordDocument(BytesIO(word.content)).paragraphs)
    assert "河口镇2026年1—8月工作总结" in text.replace("\n", "")
    assert "固定资产投资完成" in text and "共受理各类事件" in text


def test_the_imports_counted_what_the_files_hold(hekou_starts: User) -> None:
    township = OrgUnit.objects.get(code=t.TOWNSHIP[1])
    under = Counter(OrgUnit.objects.subtree(township).values_list("kind", flat=True))
    assert (under["village"], under["grid"]) == (len(t.VILLAGES), len(t.VILLAGES) * t.GRIDS_PER_VILLAGE)
    people = User.objects.filter(username__in=[phone for _, phone, *_ in t.PEOPLE])
    assert people.count() == len(t.PEOPLE)
