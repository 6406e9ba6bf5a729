"""The three ways a month's values are entered, behind one small interface, so that each rule about
entry is proved the way a user meets it: the entry form, an Excel upload, and the REST API."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse, reverse_lazy
from openpyxl import Workbook

from zhenwu.indicators.excel import FIRST_ROW, HEADERS, SHEET
from zhenwu.indicators.models import Indicator
from zhenwu.org.models import OrgUnit

PERIOD = "2026-10"  # the latest month that has ended on the tests' clock (2026-11-18)


@dataclass(frozen=True)
class XmlNumber:
    """A numeric cell whose stored text is written as is ("1e400", "NaN"): what another program may
    put in a workbook, which openpyxl itself never writes."""

    text: str


@dataclass
class Answer:
    path: EntryPath
    status: int
    body: str
    sent: dict[str, Any] = field(default_factory=dict)  # what the path sends again to confirm

    def says(self, message: str, at: int | None = None) -> bool:
        """The message is shown; with `at`, beside the `at`th value entered."""
        return self.path.says(self, message, at)

    @property
    def asks_to_confirm(self) -> bool:
        return self.path.asks_to_confirm(self)

    def confirm(self, client: Client) -> Answer:
        return self.path.confirm(client, self)

    def completed(self, client: Client) -> Answer:
        """An upload's dry run confirmed as it stands (the form and the API save at once)."""
        return self.confirm(client) if 'name="pending"' in self.body else self


Row = tuple[Indicator, object] | tuple[Indicator, object, str]


class EntryPath:
    name = ""

    def enter(self, client: Client, unit: OrgUnit, rows: list[Row], period: str = PERIOD) -> Answer:
        raise NotImplementedError

    def confirm(self, client: Client, answer: Answer) -> Answer:
        raise NotImplementedError

    def says(self, answer: Answer, message: str, at: int | None) -> bool:
        raise NotImplementedError

    def asks_to_confirm(self, answer: Answer) -> bool:
        raise NotImplementedError


def _note(row: Row) -> str:
    return row[2] if len(row) > 2 else ""  # type: ignore[misc]


class FormPath(EntryPath):
    name = "form"
    url = reverse("indicators:entry")

    def enter(self, client: Client, unit: OrgUnit, rows: list[Row], period: str = PERIOD) -> Answer:
        data = {"org": unit.code, "period": period}
        for row in rows:
            data[f"v{row[0].pk}"], data[f"n{row[0].pk}"] = str(row[1]), _note(row)
        response = client.post(self.url, data)
        sent = {"data": data, "ids": [row[0].pk for row in rows]}
        return Answer(self, response.status_code, response.content.decode(), sent)

    def confirm(self, client: Client, answer: Answer) -> Answer:
        key = re.search(r'name="confirm" value="([^"]*)"', answer.body)
        assert key, "the page asks for no confirmation"
        response = client.post(self.url, {**answer.sent["data"], "confirm": key[1]})
        return Answer(self, response.status_code, response.content.decode(), answer.sent)

    def says(self, answer: Answer, message: str, at: int | None) -> bool:
        page = unescape(answer.body)
        if at is None:
            return message in page
        start = page.index(f'id="id_v{answer.sent["ids"][at]}"')
        return message in page[start : page.index("</tr>", start)]

    def asks_to_confirm(self, answer: Answer) -> bool:
        return 'name="confirm"' in answer.body and "确认无误，保存" in answer.body


class ExcelPath(EntryPath):
    name = "excel"
    url = reverse("indicators:upload")

    def enter(self, client: Client, unit: OrgUnit, rows: list[Row], period: str = PERIOD) -> Answer:
        response = client.post(self.url, {"org": unit.code, "file": workbook(unit, rows, period)})
        return Answer(self, response.status_code, response.content.decode(), {"org": unit.code})

    def confirm(self, client: Client, answer: Answer) -> Answer:
        pending = re.search(r'name="pending" value="([^"]*)"', answer.body)
        assert pending, "the page has no confirmation"
        response = client.post(self.url, {"org": answer.sent["org"], "pending": pending[1]})
        return Answer(self, response.status_code, response.content.decode(), answer.sent)

    def says(self, answer: Answer, message: str, at: int | None) -> bool:
        items = [unescape(re.sub(r"<[^>]+>", "", i)) for i in re.findall(r"<li[^>]*>(.*?)</li>", answer.body)]
        if at is None:
            return any(message in i for i in items) or message in unescape(answer.body)
        return any(f"第{FIRST_ROW + at}行" in i.partition("：")[0] and message in i for i in items)

    def asks_to_confirm(self, answer: Answer) -> bool:
        return 'name="pending"' in answer.body and "已核对以上提醒，确认导入" in answer.body


PLACEHOLDER = 987654.125


def workbook(unit: OrgUnit, rows: list[Row], period: str = PERIOD) -> SimpleUploadedFile:
    """A filled template as a township clerk sends it back: the period in B2, one row per value."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["指标填报表"])
    sheet.append(["期间", period])
    sheet.append(HEADERS)
    raw = []
    for indicator, amount, *note in rows:
        if isinstance(amount, XmlNumber):
            raw.append(amount.text)
            amount = PLACEHOLDER + len(raw)
        cells = [indicator.code, indicator.name, indicator.unit, unit.code, unit.name, None, None, amount]
        sheet.append([*cells, note[0] if note else ""])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("填报.xlsx", _patched(buffer.getvalue(), raw))


def _patched(data: bytes, raw: list[str]) -> bytes:
    if not raw:
        return data
    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            for number, text in enumerate(raw, start=1):
                content = content.replace(
                    f"<v>{PLACEHOLDER + number}</v>".encode(), f"<v>{text}</v>".encode()
                )
            target.writestr(item, content)
    return out.getvalue()


class ApiPath(EntryPath):
    name = "api"
    url = reverse_lazy("api:indicator-values")

    def enter(self, client: Client, unit: OrgUnit, rows: list[Row], period: str = PERIOD) -> Answer:
        values = [{"code": row[0].code, "value": row[1], "note": _note(row)} for row in rows]
        return self.send(client, {"org": unit.code, "period": period, "values": values, "confirm": False})

    def send(self, client: Client, body: dict[str, Any], **headers: Any) -> Answer:
        response = client.post(self.url, json.dumps(body), content_type="application/json", **headers)
        return Answer(self, response.status_code, response.content.decode(), body)

    def confirm(self, client: Client, answer: Answer) -> Answer:
        return self.send(client, {**answer.sent, "confirm": True})

    def says(self, answer: Answer, message: str, at: int | None) -> bool:
        if at is None:
            return message in answer.body
        body = json.loads(answer.body)
        found = body["warnings"] if answer.status == 409 else body["errors"]
        return any(message in m for m in found.get(f"values[{at}].value", []))

    def asks_to_confirm(self, answer: Answer) -> bool:
        return answer.status == 409


PATHS = [FormPath(), ExcelPath(), ApiPath()]
by_every_path = pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
