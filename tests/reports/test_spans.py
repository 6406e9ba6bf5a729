"""A report for any span of months or days (自定义时段), titled as such reports are, refused with a
message naming the field when it cannot be made, from the command line and the page alike."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhenwu.core.periods import Period
from zhenwu.org.models import User
from zhenwu.reports.kinds import SpanError, span_spec, spec_for

NOVEMBER_18 = date(2026, 11, 18)  # the suite's frozen clock


@pytest.mark.parametrize(
    ("first", "last", "title", "start", "end"),
    [
        ("2024-01", "2024-08", "示范镇2024年1—8月工作情况", date(2024, 1, 1), date(2024, 8, 31)),
        ("2026-01", "2026-09", "示范镇2026年前三季度工作情况", date(2026, 1, 1), date(2026, 9, 30)),
        ("2026-01", "2026-10", "示范镇2026年1—10月工作情况", date(2026, 1, 1), date(2026, 10, 31)),
        ("2026-07", "2026-09", "示范镇2026年三季度工作情况", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-05", "2026-05", "示范镇2026年5月工作情况", date(2026, 5, 1), date(2026, 5, 31)),
        (
            "2026-03-15",
            "2026-08-20",
            "示范镇2026年3月15日—8月20日工作情况",
            date(2026, 3, 15),
            date(2026, 8, 20),
        ),
        ("2025-01", "2025-12", "示范镇2025年度工作情况", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_a_span_over_is_titled_by_its_months_or_days(
    first: str, last: str, title: str, start: date, end: date
) -> None:
    spec = span_spec(first, last, NOVEMBER_18)
    assert spec.title("示范镇") == title
    assert (spec.start, spec.end, spec.until, spec.in_progress) == (start, end, end, False)
    assert spec.next_words == "下一步"


def test_a_span_not_yet_over_is_titled_to_date_and_counts_to_the_day_it_is_made() -> None:
    spec = span_spec("2026-01", "2026-12", NOVEMBER_18)
    assert spec.title("示范镇") == "示范镇2026年截至目前工作情况"
    assert (spec.until, spec.span_words) == (NOVEMBER_18, "今年以来")
    assert spec.period == Period(2026, 10)  # November's values are due by 5 December
    later = span_spec("2026-07", "2026-12", NOVEMBER_18)
    assert (later.title("示范镇"), later.span_words) == ("示范镇2026年7月以来工作情况", "7月以来")


def test_a_span_ending_inside_a_month_takes_the_indicators_of_the_last_whole_month() -> None:
    spec = span_spec("2026-03-15", "2026-08-20", NOVEMBER_18)
    assert spec.period == Period(2026, 7) and spec.indicator_words == "1—7月"


def test_the_named_kinds_are_spans_of_the_same_spec_and_name_months_with_the_em_dash() -> None:
    m8 = spec_for("m8", 2026, NOVEMBER_18)
    assert m8.title("示范镇") == "示范镇2026年1—8月工作总结及下一步工作计划"
    assert (m8.start, m8.end) == (span_spec("2026-01", "2026-08", NOVEMBER_18).start, date(2026, 8, 31))
    # a custom span of a named kind's months reads the narrative entries written for that kind
    assert span_spec("2026-01", "2026-08", NOVEMBER_18).entry_kind == "m8"
    assert span_spec("2026-07", "2026-09", NOVEMBER_18).entry_kind == "q3"


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2026-09", "2026-08", "from", "开始时间(2026-09-01)晚于结束时间(2026-08-31)"),
        ("2025-11", "2026-02", "to", "结束时间须与开始时间在同一年内"),
        ("2027-01", "2027-08", "from", "2027年1—8月尚未开始"),
        ("2026-13", "2026-12", "from", "开始时间“2026-13”不是有效的日期"),
        ("2026-01", "八月", "to", "结束时间“八月”无法识别"),
        ("", "2026-08", "from", "请填写开始时间"),
    ],
)
def test_a_span_that_cannot_be_reported_is_refused_naming_the_field(
    first: str, last: str, field: str, message: str
) -> None:
    with pytest.raises(SpanError, match=re.escape(message)) as refused:
        span_spec(first, last, NOVEMBER_18)
    assert refused.value.field == field


# --- the command line and the page --------------------------------------------------------------------


@pytest.mark.usefixtures("full_demo")
def test_the_cli_writes_a_report_from_a_month_to_another(db: None, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    stdout = StringIO()
    call_command("report", "--from", "2026-01", "--to", "2026-08", "--org", "示范镇", "--out", str(out),
                 stdout=stdout)  # fmt: skip
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == "示范镇2026年1—8月工作情况"
    assert "四、下一步工作计划" in paragraphs
    assert "1—8月共受理各类事件" in "\n".join(paragraphs)
    assert "示范镇2026年1—8月工作情况" in stdout.getvalue()


@pytest.mark.usefixtures("full_demo")
def test_the_cli_refuses_a_span_naming_its_flag(db: None) -> None:
    with pytest.raises(CommandError, match="--from：开始时间"):
        call_command("report", "--from", "2026-09", "--to", "2026-08", "--org", "示范镇", stdout=StringIO())
    with pytest.raises(CommandError, match="只能给出一种"):
        call_command(
            "report", "q1", "--from", "2026-01", "--to", "2026-03", "--org", "示范镇", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="--year"):
        call_command("report", "q1", "--org", "示范镇", stdout=StringIO())


@pytest.fixture
def admin_client(db: None, client: Client) -> Client:
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.usefixtures("full_demo")
def test_the_page_makes_a_custom_span_and_its_downloads_keep_it(admin_client: Client) -> None:
    page = admin_client.get("/reports/?org=990101001&kind=span&from=2026-01&to=2026-09").content.decode()
    assert "示范镇2026年前三季度工作情况" in page
    assert '<option value="span" selected>自定义时段</option>' in page
    assert "kind=span&amp;from=2026-01-01&amp;to=2026-09-30&amp;format=docx" in page
    response = admin_client.get(
        "/reports/download/?org=990101001&kind=span&from=2026-01-01&to=2026-09-30&format=md"
    )
    assert response.content.decode().startswith("# 示范镇2026年前三季度工作情况")


@pytest.mark.usefixtures("full_demo")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-09&to=2026-08", "开始时间(2026-09-01)晚于结束时间(2026-08-31)"),
        ("from=2025-11&to=2026-02", "结束时间须与开始时间在同一年内"),
        ("from=2027-01&to=2027-03", "2027年一季度尚未开始"),
        ("from=&to=2026-08", "请填写开始时间"),
    ],
)
def test_the_page_refuses_a_span_on_its_field_in_chinese(
    admin_client: Client, query: str, message: str
) -> None:
    response = admin_client.get(f"/reports/?org=990101001&kind=span&{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="report-preview"' not in page
