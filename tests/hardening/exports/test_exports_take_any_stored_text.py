"""Every export and report writer takes whatever text is already stored: a member named "B测试\\x07铃", a
case, a project, a note and a narrative entry with a bell or a direction override, written before the
door was checked, come out of every Excel, Word, Markdown and HTML download, and out of `zhenwu report`."""

from __future__ import annotations

from io import BytesIO, StringIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.conftest import Cast
from zhenwu.cases.models import Case
from zhenwu.households.models import Household, Member, SubsidyBatch
from zhenwu.indicators.models import Value
from zhenwu.projects.models import Project
from zhenwu.reports.models import NarrativeEntry

pytestmark = pytest.mark.usefixtures("full_demo")
BAD = "B测试\x07铃\u202egpj.exe"  # (PostgreSQL cannot store a NUL at all; SQLite can, and Word drops it)


def store_bad_text(cast: Cast) -> None:
    """Written past every check, as text stored before them would be."""
    village_member = Member.objects.filter(household__org_unit__path__startswith=cast.village01.path)
    Member.objects.filter(pk__in=village_member.values("pk")[:3]).update(name=BAD)
    Household.objects.filter(org_unit__path__startswith=cast.village01.path).update(address=BAD)
    Case.objects.filter(org_unit__path__startswith=cast.township.path).update(title=BAD, description=BAD)
    Project.objects.update(name=BAD)
    Value.objects.filter(org_unit=cast.township).update(note=BAD)
    entry = NarrativeEntry.objects.filter(org_unit=cast.township).first()
    assert entry is not None
    NarrativeEntry.objects.filter(org_unit=cast.township).update(title=BAD, text=BAD)


def readable(content: bytes) -> str:
    """The text of a download as its reader sees it: every cell of a workbook, every paragraph and table
    cell of a Word file, or the file itself."""
    if content[:2] != b"PK":
        return content.decode()
    with ZipFile(BytesIO(content)) as archive:
        is_workbook = "xl/workbook.xml" in archive.namelist()
    if is_workbook:
        book = load_workbook(BytesIO(content))
        return "".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    document = Document(BytesIO(content))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "".join([p.text for p in document.paragraphs] + cells)


def test_every_download_takes_stored_control_characters(cast: Cast, client: Client) -> None:
    store_bad_text(cast)
    batch = SubsidyBatch.objects.first()
    assert batch is not None
    t, v = cast.township.code, cast.village01.code
    downloads = {
        "minzheng": [
            reverse("households:export-register", args=[t]),
            reverse("households:export-register", args=[v]),
            reverse("households:export-register", args=[cast.grid0101.code]),
            reverse("households:batch-export", args=[batch.pk]),
        ],
        "leader": [
            f"{reverse('indicators:export')}?org={t}",
            f"{reverse('projects:dispatch')}?format=xlsx",
            f"{reverse('cases:bulletin', args=[t])}?format=docx",
            f"{reverse('cases:bulletin', args=[t])}?format=xlsx",
            f"{reverse('cases:ranking', args=[t])}?format=docx",
            f"{reverse('cases:ranking', args=[t])}?format=xlsx",
            *(f"{reverse('reports:download')}?org={t}&kind=annual&year=2026&format={f}"
              for f in ("docx", "md", "html")),
        ],
        "jingfa": [
            f"{reverse('indicators:template')}?org={t}",
            reverse("projects:investment-template"),
        ],
    }  # fmt: skip
    shown = 0
    for username, urls in downloads.items():
        client.force_login(cast.user(username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = readable(response.content)
            assert "\x07" not in text and "\u202e" not in text, url
            shown += "B测试铃" in text
    assert shown >= 8  # the downloads that print a member, case, project or entry
    client.force_login(cast.user("minzheng"))
    full = client.post(reverse("households:export-register", args=[v]), {"reason": "核对名册"})
    assert full.status_code == 200 and "B测试铃" in readable(full.content)


def test_the_report_command_takes_them_too(cast: Cast, tmp_path: Path) -> None:
    store_bad_text(cast)
    for name in ("report.docx", "report.md"):
        call_command("report", "annual", "--org", "示范镇", "--year", "2026", "--out",
                     str(tmp_path / name), stdout=StringIO())  # fmt: skip
        assert "B测试铃" in readable((tmp_path / name).read_bytes())
