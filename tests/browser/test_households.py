"""In the real browser: a village imports its register (checked first, then written), finds a household
by a full identity number, identifies it for monitoring, and reveals a number only by a logged click;
the civil affairs office approves the risk elimination and pays a subsidy batch."""

from __future__ import annotations

import os
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.households import factories
from zhenwu.households import excel
from zhenwu.households.models import MonitoringCase, PersonalDataAccess
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def register_file(tmp_path: Path, head_number: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(excel.REGISTER_COLUMNS)
    sheet.append(
        [
            "东岗村",
            "东岗村第2网格",
            "DG0001",
            "一组8号",
            "脱贫户",
            "陈一",
            "户主",
            head_number,
            "13900002222",
            "否",
        ]
    )
    sheet.append(
        ["东岗村", "东岗村第2网格", "DG0001", "", "", "陈二", "子女", factories.id_number(), "", "否"]
    )
    out = BytesIO()
    book.save(out)
    path = tmp_path / "东岗村名册.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_a_village_imports_monitors_and_reveals(
    cast: Cast, live_server: Any, page: Any, tmp_path: Path
) -> None:
    head_number = factories.id_number()
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
    page.click("nav >> text=农户")
    page.click("text=导入名册")
    page.set_input_files("#id_file", str(register_file(tmp_path, head_number)))
    page.click("button[name=check]")
    assert "检查通过：2行，1户" in page.inner_text("#import-report")
    page.set_input_files("#id_file", str(register_file(tmp_path, head_number)))
    page.click("button[name=commit]")
    assert "已导入：2行，1户" in page.inner_text("#import-report")

    page.goto(f"{live_server.url}/households/list/")
    page.fill("input[name=q]", head_number)
    page.click("text=查找")
    page.click("#household-list >> text=DG0001")
    members = page.inner_text("#member-list")
    assert "陈一" in members and head_number not in members and head_number[:6] + "********" in members
    page.screenshot(path=str(ARTIFACTS / "cun01-household.png"), full_page=True)

    page.click("a.button:has-text('纳入监测')")
    page.select_option("#id_category", "sudden")
    page.fill("#id_identified_on", str(timezone.localdate() - timedelta(days=10)))
    page.check("input[value=illness]")
    page.click("button:has-text('纳入监测')")
    assert "监测中" in page.inner_text("#case-state")
    page.fill("textarea[name=reason]", "医疗救助到位，收入稳定")
    page.fill("input[name=eliminated_on]", str(timezone.localdate()))
    page.click("text=提交审批")
    assert "风险消除待审批" in page.inner_text("#case-state")

    page.goto(f"{live_server.url}/households/list/?q=DG0001")
    page.click("#household-list >> text=DG0001")
    page.click("#member-list >> text=查看完整 >> nth=0")
    assert head_number not in page.content()
    page.click("text=确认查看")
    assert head_number in page.inner_text("#revealed")
    assert PersonalDataAccess.objects.filter(actor=cast.user("cun01")).count() == 1


def test_civil_affairs_approves_and_pays_a_batch(cast: Cast, live_server: Any, page: Any) -> None:
    case = factories.monitoring_case(cast.grid0101, identified_on=timezone.localdate() - timedelta(days=60))
    factories.services.propose_elimination(case, eliminated_on=timezone.localdate(), reason="稳定")
    batch = factories.batch_paying(cast.grid0101)
    log_in(page, live_server.url, "minzheng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/households/monitoring/{case.pk}/")
    page.click("text=同意风险消除")
    assert "风险已消除" in page.inner_text("#case-state")
    assert MonitoringCase.objects.get(pk=case.pk).state == "eliminated"
    page.goto(f"{live_server.url}/households/subsidies/")
    page.click(f"text={batch.name}")
    assert "发放率0.0%" in page.inner_text("#batch-figure")
    page.click("text=全部标记为已发放")
    assert "发放率100.0%" in page.inner_text("#batch-figure")
    page.goto(f"{live_server.url}/households/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "minzheng-households-overview.png"), full_page=True)
