"""The 导入指标台账 page: upload, preview, confirm; the template it offers reads back without a change."""

from __future__ import annotations

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.fixtures.township import make_indicators
from tests.indicators.workbook_helpers import Hekou, build_hekou
from zhenwu.indicators import workbook
from zhenwu.indicators.models import Indicator, Value

PAGE = reverse("indicators:workbook-import")
TEMPLATE = reverse("indicators:workbook-template")


@pytest.fixture
def hekou(db: None) -> Hekou:
    return build_hekou()


def upload(client: Client, org: str, data: bytes, name: str = "指标台账.xlsx") -> str:
    response = client.post(PAGE, {"org": org, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    return response.content.decode()


def test_an_upload_is_previewed_then_saved_on_confirmation(hekou: Hekou, client: Client) -> None:
    client.force_login(hekou.admin)
    page = upload(client, hekou.township.code, make_indicators.FILE.read_bytes())
    assert 'id="upload-preview"' in page and "指标新增 16" in page and "数值新增 408" in page
    assert not Indicator.objects.filter(township=hekou.township).exists()
    pending = page.split('name="pending" value="')[1].split('"')[0]
    response = client.post(PAGE, {"org": hekou.township.code, "pending": pending}, follow=True)
    assert "指标台账：指标新增 16" in response.content.decode()
    assert Value.objects.filter(indicator__township=hekou.township).count() == 408
    logged = LogEntry.objects.filter(content_type__model="value").latest("timestamp")
    detail = client.get(reverse("activity:entry-detail", args=[logged.pk])).content.decode()
    assert "导入文件</dt><dd>指标台账.xlsx" in detail


def test_errors_are_listed_and_nothing_is_saved(hekou: Hekou, client: Client) -> None:
    client.force_login(hekou.admin)
    page = upload(client, hekou.township.code, b"PK\x03\x04 broken")
    assert 'id="upload-errors"' in page and "未导入任何数据" in page
    page = upload(client, hekou.township.code, b"x", name="台账.xls")
    assert "请上传 .xlsx 格式的 Excel 文件" in page
    forged = client.post(PAGE, {"org": hekou.township.code, "pending": "forged"})
    assert "导入已过期或被改动" in forged.content.decode()


def test_the_template_holds_the_catalog_and_reads_back_unchanged(hekou: Hekou, client: Client) -> None:
    workbook.import_workbook(
        hekou.admin, make_indicators.FILE.read_bytes(), "x.xlsx", dry_run=False, confirm=True
    )
    client.force_login(hekou.admin)
    response = client.get(TEMPLATE, {"org": hekou.township.code, "year": "2026"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == list(workbook.SHEETS)
    assert [c.value for c in book["指标"][3]] == workbook.INDICATOR_HEADERS
    assert book["目标"]["B3"].value == "固定资产投资" and book["目标"]["A4"].value == "河口镇"
    assert book["月度数据"]["A4"].value == "河口镇" and book["月度数据"]["D4"].value == 5548.5
    again = workbook.import_workbook(hekou.admin, response.content, "模板.xlsx")
    assert again.errors == [] and again.doubts == []
    counts = again.counts
    assert counts.indicators_added + counts.indicators_updated == 0
    assert counts.targets_added + counts.targets_changed == 0
    assert counts.values_added + counts.values_changed == 0 and counts.values_unchanged == 408


def test_a_village_clerk_sees_the_page_for_the_village(hekou: Hekou, client: Client) -> None:
    client.force_login(hekou.clerk)
    village = hekou.villages["李家村"]
    assert client.get(PAGE, {"org": village.code}).status_code == 200
    assert client.get(PAGE, {"org": hekou.township.code}).status_code == 404
    template = load_workbook(BytesIO(client.get(TEMPLATE, {"org": village.code}).content))
    assert [r[0] for r in template["目标"].iter_rows(min_row=4, values_only=True)] == ["李家村"]
