"""An auditor reads the log as staff speak: each record named in Chinese, each action by its Chinese name,
times in Beijing time, empty values as —, and numbers as the pages write them."""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import act, image_upload, make_case
from tests.conftest import Cast
from tests.registers.helpers import load
from tests.registers.test_entry import inspection
from zhenwu.activity.services import acting_as, changes_of
from zhenwu.cases.models import CaseEvent, CasePhoto
from zhenwu.core.periods import Period
from zhenwu.indicators import services as indicators
from zhenwu.indicators.models import Indicator, Value
from zhenwu.registers.models import RegisterRecord
from zhenwu.registers.services import create_record


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _entry_of(model: type, pk: int) -> LogEntry:
    content_type = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(content_type=content_type, object_pk=str(pk)).latest("timestamp")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_resolved_case_and_its_photo_read_in_chinese_and_beijing_time(
    cast: Cast, types: dict, client: Client
) -> None:
    cun01 = cast.user("cun01")
    with acting_as(cast.user("wangge01")):
        case = make_case(cast.user("wangge01"), cast.grid0101, level=2)
    with acting_as(cun01):
        act(cun01, case, "accept")
        case = act(cun01, case, "resolve", note="已清运", photos=[image_upload("PNG")])
    photo = CasePhoto.objects.get(case=case)
    event = CaseEvent.objects.get(case=case, action="resolve")
    local = f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}"
    utc = f"{event.at.astimezone(UTC):%H:%M}"

    client.force_login(cast.user("admin"))
    page = _text(client.get(reverse("activity:entry-list")).content.decode())
    assert f"事件照片：{case.number} 第1张" in page
    assert "object (" not in page

    entry = _entry_of(CasePhoto, photo.pk)
    detail = _text(client.get(reverse("activity:entry-detail", args=[entry.pk])).content.decode())
    assert f"事件记录 — {case.number} 办结（{local}）" in detail
    assert f"上传时间 — {timezone.localtime(photo.uploaded_at):%Y-%m-%d %H:%M}" in detail
    assert "resolve" not in detail and f" {utc}" not in detail and "None" not in detail


def test_every_empty_value_before_a_record_existed_reads_as_a_dash(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    entry = _entry_of(type(case), case.pk)
    rows = changes_of(entry)
    assert rows and all(before == "—" for _, before, _ in rows)
    assert all("None" not in before + after for _, before, after in rows)
    shown = dict((field, after) for field, _, after in rows)
    assert shown["状态"] == "上报" and shown["承办人"] == "—"


def test_an_indicator_value_of_1000_reads_as_the_page_writes_it(cast: Cast, client: Client) -> None:
    invest = Indicator.objects.create(
        township=cast.township, department=cast.jingfa_department, code="gyzc", name="工业投资", unit="万元"
    )
    jingfa = cast.user("jingfa")
    typed = [indicators.Entry(invest, cast.township, Decimal("1E+3"))]
    with acting_as(jingfa):
        assert indicators.save_entries(jingfa, Period(2026, 10), typed, confirmed=True).saved
    value = Value.objects.get(indicator=invest)
    created = _entry_of(Value, value.pk)
    typed = [indicators.Entry(invest, cast.township, Decimal("1000.5"))]
    with acting_as(jingfa):
        assert indicators.save_entries(jingfa, Period(2026, 10), typed, confirmed=True).saved
    changed = _entry_of(Value, value.pk)

    client.force_login(cast.user("admin"))
    page = _text(client.get(reverse("activity:entry-list")).content.decode())
    assert "指标数值：示范镇 2026年10月 工业投资：1,000" in page
    assert "E+" not in page
    first = _text(client.get(reverse("activity:entry-detail", args=[created.pk])).content.decode())
    assert "数值 — 1,000" in first and "1000.00" not in first and "E+" not in first
    second = _text(client.get(reverse("activity:entry-detail", args=[changed.pk])).content.decode())
    assert "数值 1,000 1,000.5" in second


def test_a_time_written_by_hand_as_utc_text_reads_in_beijing_time(cast: Cast) -> None:
    with acting_as(cast.user("admin")):
        entry = LogEntry.objects.log_create(
            cast.village01,
            action=LogEntry.Action.UPDATE,
            changes={"下次提醒": ["2026-11-17T23:06:00+00:00", "None"], "面积": ["1E+3", "2.50"]},
        )
    assert entry is not None
    assert changes_of(entry) == [("下次提醒", "2026-11-18 07:06", "—"), ("面积", "1,000", "2.5")]


def test_a_register_records_values_are_logged_by_their_labels(cast: Cast) -> None:
    """The log keeps a record's form data under the form's names (code, state): it shows their labels."""
    register = load(cast, inspection()).register
    record = create_record(cast.user("wangge01"), register, {"code": "AB123", "state": "good", "people": 3})
    rows = {label: after for label, _, after in changes_of(_entry_of(RegisterRecord, record.pk))}
    assert (
        "点位编号：AB123" in rows["内容"]
        and "现场状态：良好" in rows["内容"]
        and "在场人数：3" in rows["内容"]
    )
    assert not re.search(r"\b(code|state|people)\b", rows["内容"])


def test_a_change_made_by_the_system_opens_from_the_records_history(
    cast: Cast, types: dict, client: Client
) -> None:
    """A record's history lists every change of it, also those no user of the township made: each opens;
    a record of another township's stays closed."""
    case = make_case(None, cast.grid0101)  # made by no user, as the demo's loading and the jobs make
    entry = _entry_of(type(case), case.pk)
    assert entry.actor is None
    client.force_login(cast.user("admin"))
    assert client.get(reverse("activity:entry-detail", args=[entry.pk])).status_code == 200
    client.force_login(cast.other_admin)
    assert client.get(reverse("activity:entry-detail", args=[entry.pk])).status_code == 404
