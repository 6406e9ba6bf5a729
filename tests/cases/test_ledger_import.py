"""A township's case ledger (台账) imported with its real dates: checks by row and column, all or nothing,
idempotent by the township's own number, counted in the real periods, never overdue for the past."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from openpyxl import Workbook

from tests import factories
from tests.hekou import Hekou, build
from zhenwu.cases import ledger, measures, services
from zhenwu.cases.models import Case, CaseEvent, CaseType
from zhenwu.cases.states import State
from zhenwu.core.periods import Period
from zhenwu.org import scope
from zhenwu.org.models import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEAD = ["编号", "标题", "类别", "来源", "所在村/社区", "网格", "地点", "反映人", "联系电话", "受理单位"]
HEAD += ["收到日期", "受理日期", "办结日期", "核查日期", "状态", "办理情况"]


def sheet(*rows: list[Any], head: list[str] = HEAD) -> bytes:
    book = Workbook()
    book.active.append(head)
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def hazard(number: str = "AQ-1", **cells: Any) -> list[Any]:
    """One ledger row, every column named in HEAD; `cells` replace columns by name."""
    values: dict[str, Any] = {
        "编号": number, "标题": "小餐馆灭火器过期", "类别": "六小场所", "来源": "日常排查",
        "所在村/社区": "李家村", "网格": "", "地点": "李家村12号", "反映人": "", "联系电话": "",
        "受理单位": "应急管理办", "收到日期": date(2026, 3, 10), "受理日期": date(2026, 3, 11),
        "办结日期": date(2026, 4, 2), "核查日期": None, "状态": "已办结", "办理情况": "已更换灭火器",
    }  # fmt: skip
    values.update(cells)
    return [values[column] for column in HEAD]


@pytest.fixture
def hekou(types: dict[str, CaseType]) -> Hekou:
    return build()


def run(hk: Hekou, type_code: str, data: bytes, *, dry_run: bool = False) -> ledger.LedgerReport:
    case_type = CaseType.objects.get(code=type_code)
    return ledger.import_ledger(hk.admin, case_type, data, "台账.xlsx", dry_run=dry_run)


def test_the_fixture_ledgers_import_whole_and_a_second_import_adds_nothing(hekou: Hekou) -> None:
    for name, code, count in [
        ("安全隐患台账.xlsx", "hazard", 60),
        ("信访台账.xlsx", "petition", 25),
        ("网格事件台账.xlsx", "grid_event", 150),
    ]:
        dry = run(hekou, code, hekou.fixture(name), dry_run=True)
        assert dry.errors == [] and dry.cases == count and not dry.written and dry.pending
        assert not Case.objects.filter(case_type__code=code).exists()
        done = run(hekou, code, hekou.fixture(name))
        assert done.errors == [] and done.written and done.cases == count
        assert Case.objects.filter(case_type__code=code, imported_at__isnull=False).count() == count
        again = run(hekou, code, hekou.fixture(name))
        assert again.errors == [] and again.cases == 0 and len(again.skipped) == count
    assert Case.objects.count() == 235
    received = Case.objects.order_by("received_at")
    assert received.first().received_at.year == 2026 and received.last().received_at < datetime(
        2026, 9, 1, tzinfo=SHANGHAI
    )


def test_an_imported_case_has_its_real_dates_and_an_event_per_dated_step(hekou: Hekou) -> None:
    row = hazard(核查日期=date(2026, 4, 8), 状态="已办结", 反映人="王大爷", 联系电话="13800001234")
    report = run(hekou, "hazard", sheet(row))
    assert report.errors == [] and report.by_state == {"已销号": 1}
    case = Case.objects.get(ledger_number="AQ-1")
    assert case.state == State.VERIFIED and case.imported
    assert case.received_at.astimezone(SHANGHAI).date() == date(2026, 3, 10)
    assert case.resolved_at.astimezone(SHANGHAI).date() == date(2026, 4, 2)
    assert case.handling_department == hekou.offices["应急管理办"]
    assert case.org_unit == hekou.villages["李家村"] and case.reporter_phone == "13800001234"
    # 30 calendar days from 10 March: the deadline is computed from the real date.
    assert case.deadline.astimezone(SHANGHAI).date() == date(2026, 4, 9) and case.on_time()
    events = list(case.events.order_by("at"))
    assert [(e.action, e.to_state) for e in events] == [
        ("report", "reported"),
        ("accept", "accepted"),
        ("resolve", "resolved"),
        ("verify", "verified"),
    ]
    assert [e.at.astimezone(SHANGHAI).date() for e in events] == [
        date(2026, 3, 10), date(2026, 3, 11), date(2026, 4, 2), date(2026, 4, 8)
    ]  # fmt: skip
    assert all(e.actor == hekou.admin and e.details["imported"] for e in events)
    assert events[2].note == "已更换灭火器" and case.resolution == "已更换灭火器"
    # The activity log records the case's creation by the importing user.
    assert LogEntry.objects.get_for_object(case).get().actor == hekou.admin


def test_a_hazard_counts_in_its_real_periods(hekou: Hekou) -> None:
    run(hekou, "hazard", sheet(hazard()))
    q1, _ = measures.type_figures(hekou.township, Period(2026, 3), "hazard", {})
    assert q1.received == 1 and q1.resolved == 0  # resolved on 2 April: after the quarter
    jan_aug, _ = measures.type_figures(hekou.township, Period(2026, 8), "hazard", {})
    assert jan_aug.received == 1 and jan_aug.resolved == 1 and jan_aug.on_time == 1
    feb, _ = measures.type_figures(hekou.township, Period(2026, 2), "hazard", {})
    assert feb.received == 0
    figures = services.case_figures(scope.WHOLE_UNIT, hekou.township, date(2026, 1, 1), date(2026, 3, 31))
    assert figures.total.received == 1


def test_an_open_imported_case_is_overdue_only_from_its_import_on(hekou: Hekou) -> None:
    """Decided: its deadline is the real one; figures of any day before the import do not call it overdue
    (nobody could act on it here), from the import on it is overdue like any other. Nothing escalates it:
    escalation is a transition a person makes, and the import makes none."""
    row = hazard(办结日期=None, 状态="办理中", 办理情况="正在协调")
    petition = hazard(
        "XF-1", 标题="反映征地补偿", 类别="土地征收", 受理单位="综治中心", 受理日期=None, 办结日期=None,
        状态="待受理",
    )  # fmt: skip
    run(hekou, "hazard", sheet(row))
    run(hekou, "petition", sheet(petition))
    case = Case.objects.get(ledger_number="AQ-1")
    waiting = Case.objects.get(ledger_number="XF-1")
    may = datetime(2026, 5, 31, 23, 0, tzinfo=SHANGHAI)
    assert case.deadline < may and not case.is_overdue(may)
    assert not waiting.is_acceptance_overdue(may) and not waiting.is_overdue(may)
    assert not Case.objects.overdue(may).exists()
    past = services.case_figures(
        scope.WHOLE_UNIT, hekou.township, date(2026, 1, 1), date(2026, 5, 31), now=may
    )
    assert past.total.overdue == 0 and past.total.received == 2
    start, end = date(2026, 1, 1), date(2026, 5, 31)
    counts = services.case_counts(scope.WHOLE_UNIT, hekou.township, start, end, now=may)
    assert counts.total.overdue == 0
    jan_may, _ = measures.type_figures(hekou.township, Period(2026, 5), "hazard", {})
    assert jan_may.overdue == 0
    # From the import on it is overdue, as the township's open work.
    assert case.is_overdue() and waiting.is_acceptance_overdue()
    assert set(Case.objects.overdue()) == {case, waiting}
    today = services.case_counts(scope.WHOLE_UNIT, hekou.township, date(2026, 1, 1), date(2026, 11, 18))
    assert today.total.overdue == 2
    # No escalation or other step was made for it: only the ledger's dated steps.
    assert list(case.events.values_list("action", flat=True)) == ["report", "accept", "start"]
    assert case.handling_unit == hekou.township and case.level == 3


def test_a_grid_event_stays_with_its_grid_unless_an_office_is_named(hekou: Hekou) -> None:
    rows = [
        hazard("WG-1", 标题="垃圾满溢", 类别="环境卫生", 网格="李家村第1网格", 受理单位=""),
        hazard("WG-2", 标题="占道经营", 类别="占道经营", 网格="990102101202-02", 受理单位="综治中心"),
    ]
    rows[1][HEAD.index("所在村/社区")] = ""
    report = run(hekou, "grid_event", sheet(*rows))
    assert report.errors == []
    first, second = Case.objects.get(ledger_number="WG-1"), Case.objects.get(ledger_number="WG-2")
    assert first.org_unit == first.handling_unit == hekou.grids["李家村第1网格"] and first.level == 1
    assert second.org_unit == hekou.grids["王庄村第2网格"]
    assert second.handling_unit == hekou.township and second.handling_department == hekou.offices["综治中心"]


def test_every_fault_is_named_by_row_and_column_and_nothing_is_written(hekou: Hekou) -> None:
    rows = [
        hazard("AQ-1"),
        hazard("AQ-1"),  # row 3
        hazard("AQ-3", 类别="台风"),
        hazard("AQ-4", **{"所在村/社区": "外村"}),
        hazard("AQ-5", 网格="李家村第9网格"),
        hazard("AQ-6", 受理单位="宣传办"),
        hazard("AQ-7", 收到日期=date(2026, 12, 1), 受理日期=None, 办结日期=None, 状态="待受理"),
        hazard("AQ-8", 受理日期=date(2026, 3, 1)),
        hazard("AQ-9", 办结日期=None),
        hazard("AQ-10", 状态="研究中"),
        hazard("AQ-11", 收到日期="三月十日"),
        hazard("AQ-12", 收到日期=None),
        hazard("AQ-13", 状态="办理中"),
        hazard("AQ-14", 联系电话="12345"),
        hazard("AQ-15", 标题=""),
        hazard("AQ-16", 收到日期=date(1999, 5, 1)),
        hazard("", 标题="没有编号"),
        hazard("AQ-18", 核查日期=date(2026, 4, 1)),
        hazard("AQ-19", 受理日期=None, 办结日期=None, 状态="已销号"),
    ]
    report = run(hekou, "hazard", sheet(*rows), dry_run=True)
    assert report.errors == [
        "第3行「编号」：与第2行编号相同：同一编号只能出现一次。",
        "第4行「类别」：安全隐患排查整治没有类别「台风」，可用：六小场所、自建房、危化品、烟花爆竹、建筑施工、交通、消防、其他。",
        "第5行「所在村/社区」：本乡镇没有村/社区「外村」(或不在您的管辖范围内)。",
        "第6行「网格」：李家村没有网格「李家村第9网格」。",
        "第7行「受理单位」：本乡镇没有站所「宣传办」。",
        "第8行「收到日期」：2026-12-01晚于今天：台账只记已发生的事。",
        "第9行「受理日期」：2026-03-01早于收到日期(2026-03-10)。",
        "第10行「办结日期」：状态为「已办结」，须填写办结日期。",
        "第11行「状态」：未知的状态「研究中」，可用：待受理、已受理、办理中、已办结、已销号、不予受理。",
        "第12行「收到日期」：「三月十日」不是日期，请写成 2026-03-10 的格式。",
        "第13行「收到日期」：收到日期不能为空。",
        "第14行「办结日期」：状态为「办理中」，不应有办结日期：请核对状态。",
        "第15行「联系电话」：电话号码应为7到20位数字(可含连字符)。",
        "第16行「标题」：标题不能为空。",
        "第17行「收到日期」：1999-05-01早于2000年，请核对。",
        "第18行「编号」：编号不能为空。",
        "第19行「核查日期」：2026-04-01早于办结日期(2026-04-02)。",
        "第20行「办结日期」：状态为「已销号」，须填写办结日期。",
        "第20行「核查日期」：状态为「已销号」，须填写核查日期。",
    ]
    assert not report.pending
    failed = run(hekou, "hazard", sheet(*rows))
    assert failed.errors == report.errors and not failed.written
    assert not Case.objects.exists()


def test_a_ledger_without_its_columns_or_rows_is_refused(hekou: Hekou) -> None:
    missing = run(hekou, "hazard", sheet(["AQ-1", "标题"], head=["编号", "标题"]))
    assert missing.errors == [
        *[f"缺少列「{column}」，请使用下载的模板。" for column in ["类别", "收到日期", "状态"]],
        "缺少列「所在村/社区」(或「网格」)，请使用下载的模板。",
    ]
    assert run(hekou, "hazard", sheet()).errors == ["文件中没有数据行。"]
    broken = run(hekou, "hazard", b"not a workbook")
    assert broken.errors and "无法打开" in broken.errors[0]


def test_headings_clerks_use_are_read_as_the_template_columns(hekou: Hekou) -> None:
    head = [{"标题": "事项", "核查日期": "回访日期", "办理情况": "办理情况/备注"}.get(c, c) for c in HEAD]
    report = run(hekou, "hazard", sheet(hazard(), head=head))
    assert report.errors == [] and report.cases == 1


def test_only_a_township_admin_imports_and_only_into_its_own_township(hekou: Hekou, cast: Any) -> None:
    clerk = factories.user(Role.VILLAGE_STAFF, hekou.villages["李家村"])
    case_type = CaseType.objects.get(code="hazard")
    refused = ledger.import_ledger(clerk, case_type, sheet(hazard()), "台账.xlsx", dry_run=True)
    assert refused.errors == ["只有乡镇管理员可以导入事件台账。"]
    # The demo township's admin cannot place a case in 河口镇's villages.
    other = ledger.import_ledger(cast.user("admin"), case_type, sheet(hazard()), "台账.xlsx", dry_run=True)
    assert other.errors[0] == "第2行「所在村/社区」：本乡镇没有村/社区「李家村」(或不在您的管辖范围内)。"


def test_a_confirmation_writes_what_the_dry_run_signed_and_a_tampered_one_nothing(hekou: Hekou) -> None:
    dry = run(hekou, "hazard", sheet(hazard(), hazard("AQ-2")), dry_run=True)
    assert dry.pending
    forged = ledger.apply_pending(hekou.admin, dry.pending[:-3] + "abc")
    assert forged.errors == ["导入已过期或被改动，请重新上传文件。"] and not Case.objects.exists()
    stranger = factories.user(Role.TOWNSHIP_ADMIN, hekou.township)
    assert ledger.apply_pending(stranger, dry.pending).errors == ["导入已过期或被改动，请重新上传文件。"]
    done = ledger.apply_pending(hekou.admin, dry.pending)
    assert done.written and done.cases == 2 and Case.objects.count() == 2
    again = ledger.apply_pending(hekou.admin, dry.pending)
    assert again.cases == 0 and again.skipped == ["AQ-1", "AQ-2"] and Case.objects.count() == 2


def test_the_same_number_in_another_type_is_another_case(hekou: Hekou) -> None:
    run(hekou, "hazard", sheet(hazard("2026-001")))
    grid = hazard("2026-001", 标题="垃圾满溢", 类别="环境卫生", 受理单位="")
    assert run(hekou, "grid_event", sheet(grid)).cases == 1
    assert CaseEvent.objects.filter(details__ledger_number="2026-001").count() == 6
    assert Case.objects.filter(received_at__lt=datetime(2026, 3, 11, tzinfo=SHANGHAI)).count() == 2


def test_a_refused_petition_is_closed_on_its_decision_day_without_being_accepted(hekou: Hekou) -> None:
    row = hazard(
        "XF-9", 标题="反映邻里纠纷", 类别="其他", 受理单位="综治中心", 办结日期=None, 状态="不予受理",
        办理情况="不属于信访事项，已告知通过诉讼解决",
    )  # fmt: skip
    assert run(hekou, "petition", sheet(row)).errors == []
    case = Case.objects.get(ledger_number="XF-9")
    assert case.state == State.REJECTED and case.accepted_at is None and not case.is_open
    assert case.resolution == "不属于信访事项，已告知通过诉讼解决"
    refusal = case.events.get(action="reject")
    assert refusal.at.astimezone(SHANGHAI).date() == date(2026, 3, 11) and refusal.note == case.resolution
