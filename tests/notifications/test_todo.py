"""The to-do list (待办) of each role: what waits for them, computed from the records, within their scope;
an item leaves the list when it is done; overdue items first, then by due date; a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from tests.households import factories as hh
from zhenwu.cases import services as case_services
from zhenwu.cases.models import Case, CaseCategory, CaseType
from zhenwu.core.periods import Period
from zhenwu.households import services as households
from zhenwu.indicators import services as indicators
from zhenwu.indicators.models import Indicator
from zhenwu.notifications.todo import TodoItem, TodoKind, todo_list
from zhenwu.org.models import Department, OrgUnit
from zhenwu.projects.models import Milestone, Project
from zhenwu.reports import services as reports
from zhenwu.reports.models import NarrativeEntry

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING)  # the suite's frozen clock
ROLES = ["admin", "leader", "jingfa", "minzheng", "cun01", "cun02", "wangge01", "xian"]


def items(cast: Cast, username: str, now: datetime = NOW) -> list[TodoItem]:
    return todo_list(cast.user(username), now).items


def keyed(cast: Cast, username: str, now: datetime = NOW) -> dict[str, TodoKind]:
    return {item.key: item.kind for item in items(cast, username, now)}


def who_sees(cast: Cast, key: str) -> dict[str, TodoKind]:
    found = {}
    for username in ROLES:
        kind = keyed(cast, username).get(key)
        if kind is not None:
            found[username] = kind
    return found


@pytest.fixture
def township_matter(types: dict[str, CaseType]) -> CaseType:
    """A case type no office takes in: at the township it waits for the township admin."""
    kind = CaseType.objects.create(code="matter", name="综合事项", prefix="ZH", deadline_days=10)
    CaseCategory.objects.create(case_type=kind, code="matter-other", name="其他")
    return kind


# --- cases --------------------------------------------------------------------------------------------


def test_a_new_grid_case_waits_for_its_grid_worker_to_accept_and_for_nobody_else(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    case = make_case(None, cast.grid0101)
    assert who_sees(cast, f"case:{case.pk}") == {"wangge01": TodoKind.ACCEPT}
    (item,) = items(cast, "wangge01")
    assert item.link == f"/cases/{case.pk}/"
    assert item.kind_label == "待受理" and item.title == "路口垃圾堆放"
    assert item.due == case.deadline and not item.overdue
    assert case.number in item.detail and "东岗村第1网格" in item.detail


def test_a_village_user_never_sees_another_villages_case(cast: Cast, types: dict[str, CaseType]) -> None:
    ours = make_case(None, cast.village01)
    grid_case = make_case(None, cast.grid0101)
    act(cast.user("wangge01"), grid_case, "escalate", note="网格内无法处置")
    theirs = make_case(None, cast.village02)
    assert keyed(cast, "cun01") == {
        f"case:{ours.pk}": TodoKind.ACCEPT,
        f"case:{grid_case.pk}": TodoKind.ACCEPT,
    }
    assert keyed(cast, "cun02") == {f"case:{theirs.pk}": TodoKind.ACCEPT}


def test_a_case_moves_through_the_lists_and_leaves_them_when_verified(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    worker, village = cast.user("wangge01"), cast.user("cun01")
    case = make_case(None, cast.grid0101)
    key = f"case:{case.pk}"
    act(worker, case, "accept")
    assert who_sees(cast, key) == {"wangge01": TodoKind.HANDLE}
    act(worker, case, "start")
    assert "处置中" in next(i for i in items(cast, "wangge01") if i.key == key).detail
    act(worker, case, "resolve", note="已清运")
    # the worker who resolved it does not check their own work: the village above does
    assert who_sees(cast, key) == {"cun01": TodoKind.VERIFY}
    act(village, case, "verify")
    assert who_sees(cast, key) == {}


def test_a_case_assigned_to_a_person_waits_for_that_person_and_comes_back_when_returned(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    village, worker = cast.user("cun01"), cast.user("wangge01")
    case = make_case(None, cast.grid0101, level=2)  # in the grid, handled by the village
    key = f"case:{case.pk}"
    assert who_sees(cast, key) == {"cun01": TodoKind.ACCEPT}
    act(village, case, "accept")
    assert who_sees(cast, key) == {"cun01": TodoKind.HANDLE}
    act(village, case, "assign", assignee=worker)
    assert who_sees(cast, key) == {"wangge01": TodoKind.HANDLE}
    act(worker, case, "return", note="不属于本网格")
    assert who_sees(cast, key) == {"cun01": TodoKind.HANDLE}


def test_an_office_sees_the_cases_its_office_holds_and_the_admin_checks_its_work(
    cast: Cast, township_matter: CaseType
) -> None:
    admin, jingfa = cast.user("admin"), cast.user("jingfa")
    case = make_case(None, cast.village03, "matter", "其他")
    key = f"case:{case.pk}"
    # no office takes this type in: at the township it waits for the admin, not the leader
    assert who_sees(cast, key) == {"admin": TodoKind.ACCEPT}
    act(admin, case, "accept")
    act(admin, case, "assign", department=cast.jingfa_department)
    assert who_sees(cast, key) == {"jingfa": TodoKind.HANDLE}
    act(jingfa, case, "resolve", note="已办结")
    assert who_sees(cast, key) == {"admin": TodoKind.VERIFY}
    verify = next(i for i in items(cast, "admin") if i.key == key)
    resolved = Case.objects.get(pk=case.pk).resolved_at
    assert resolved is not None
    # three working days after the resolution: Wednesday the 18th → Monday the 23rd
    assert verify.due == datetime(2026, 11, 23, 23, 59, 59, tzinfo=BEIJING)


def test_an_office_is_not_asked_for_another_offices_case(cast: Cast, types: dict[str, CaseType]) -> None:
    hazard = make_case(None, cast.village03, "hazard", "消防")  # taken in by 应急管理办
    assert hazard.handling_department is not None and hazard.handling_department.code == "yjb"
    assert who_sees(cast, f"case:{hazard.pk}") == {}


def test_every_case_item_is_an_action_the_case_page_offers(cast: Cast, types: dict[str, CaseType]) -> None:
    for unit in (cast.grid0101, cast.village01, cast.village02, cast.grid0102):
        case = make_case(None, unit)
        act(
            cast.user("cun01") if unit.path.startswith(cast.village01.path) else cast.user("cun02"),
            case,
            "accept",
        )
        make_case(None, unit)
    wanted = {TodoKind.ACCEPT: "accept", TodoKind.HANDLE: "assign", TodoKind.VERIFY: "verify"}
    for username in ROLES:
        user = cast.user(username)
        for item in items(cast, username):
            case = case_services.get_case(user, int(item.key.split(":")[1]))
            actions = {t.action for t in case_services.allowed_transitions(user, case)}
            assert wanted[item.kind] in actions or {"start", "resolve"} & actions, (username, item)


# --- values, visits, approvals, milestones, narrative entries -----------------------------------------


def _indicator(cast: Cast, code: str, office: Department, **extra: object) -> Indicator:
    return Indicator.objects.create(
        township=cast.township, department=office, code=code, name=f"指标{code}", unit="万元", **extra
    )


def test_offices_and_villages_are_asked_for_last_months_values_until_they_enter_them(cast: Cast) -> None:
    own = _indicator(cast, "gdzc", cast.jingfa_department)
    by_village = _indicator(cast, "xzsc", cast.jingfa_department, by_village=True)
    _indicator(cast, "bound", cast.jingfa_department, source="projects.in_library", kind="level")
    _indicator(cast, "dibao", cast.minzheng_department)
    (item,) = items(cast, "jingfa")
    # October's values were due by 5 November: overdue on the 18th
    assert item.kind == TodoKind.VALUES and item.title == "2026年10月指标数据：1项未填报"
    assert item.due == datetime(2026, 11, 5, 23, 59, 59, tzinfo=BEIJING) and item.overdue
    assert item.link == f"/indicators/entry/?org={cast.township.code}&period=2026-10"
    assert "指标gdzc" in item.detail
    (village_item,) = items(cast, "cun01")
    assert village_item.title.endswith("1项未填报") and "指标xzsc" in village_item.detail
    assert [i.title for i in items(cast, "minzheng")] == ["2026年10月指标数据：1项未填报"]
    assert items(cast, "cun02")[0].link.startswith(f"/indicators/entry/?org={cast.village02.code}")
    checked = indicators.save_entries(
        cast.user("jingfa"), Period(2026, 10), [indicators.Entry(own, cast.township, Decimal(3))]
    )
    assert checked.saved
    assert items(cast, "jingfa") == []
    indicators.save_entries(
        cast.user("cun01"), Period(2026, 10), [indicators.Entry(by_village, cast.village01, Decimal(2))]
    )
    assert items(cast, "cun01") == []


def test_monitored_households_wait_for_their_monthly_visit_due_on_the_20th(cast: Cast) -> None:
    case = hh.monitoring_case(cast.grid0101, identified_on=date(2026, 9, 1))
    households.record_visit(case, visited_on=date(2026, 10, 30), note="上月走访", actor=cast.user("cun01"))
    key = f"visit:{case.pk}:2026-11"
    assert who_sees(cast, key) == {"wangge01": TodoKind.VISIT, "cun01": TodoKind.VISIT}
    (item,) = items(cast, "wangge01")
    assert item.due == datetime(2026, 11, 20, 23, 59, 59, tzinfo=BEIJING) and not item.overdue
    assert item.link == f"/households/monitoring/{case.pk}/"
    assert items(cast, "wangge01", datetime(2026, 11, 21, 9, 0, tzinfo=BEIJING))[0].overdue
    households.record_visit(
        case, visited_on=date(2026, 11, 17), note="了解就医报销", actor=cast.user("wangge01")
    )
    assert who_sees(cast, key) == {}
    # December asks again
    december = datetime(2026, 12, 2, 9, 0, tzinfo=BEIJING)
    assert [i.key for i in items(cast, "wangge01", december)] == [f"visit:{case.pk}:2026-12"]


def test_a_proposed_risk_elimination_waits_for_the_township_to_approve(cast: Cast) -> None:
    case = hh.monitoring_case(cast.grid0101, identified_on=date(2026, 3, 1))
    households.propose_elimination(
        case, eliminated_on=date(2026, 11, 15), reason="收入稳定", actor=cast.user("cun01")
    )
    key = f"approval:{case.pk}"
    assert who_sees(cast, key) == {"leader": TodoKind.APPROVAL, "minzheng": TodoKind.APPROVAL}
    (item,) = items(cast, "leader")
    assert item.due is None and not item.overdue and "拟于2026-11-15消除风险" in item.detail
    households.decide_elimination(case, approve=True, actor=cast.user("leader"))
    assert who_sees(cast, key) == {}


def _project(cast: Cast, office: Department, stage: str = "under_construction") -> Project:
    return Project.objects.create(
        name=f"{office.name}项目", category="industry", stage=stage, total_investment=1, plan_year=2026,
        planned_investment=1, leader="钱镇长", department=office, org_unit=cast.village01,
    )  # fmt: skip


def test_an_office_sees_its_projects_milestones_due_within_a_week_or_overdue(cast: Cast) -> None:
    project = _project(cast, cast.jingfa_department)
    for n, (name, planned, done) in enumerate(
        [
            ("立项", date(2026, 10, 1), date(2026, 10, 2)),
            ("用地报批", date(2026, 11, 10), None),
            ("规划许可", date(2026, 11, 25), None),
            ("开工", date(2026, 11, 26), None),
        ]
    ):
        Milestone.objects.create(
            project=project, name=name, position=n, planned_date=planned, actual_date=done
        )
    finished = _project(cast, cast.jingfa_department, stage="completed")
    Milestone.objects.create(project=finished, name="竣工验收", planned_date=date(2026, 11, 1))
    listed = items(cast, "jingfa")
    assert [(i.title, i.overdue) for i in listed] == [
        ("经发办项目：用地报批", True),
        ("经发办项目：规划许可", False),
    ]
    assert listed[0].link == f"/projects/{project.pk}/#milestones"
    for username in ("admin", "leader", "minzheng", "cun01"):
        assert items(cast, username) == []


def test_offices_asked_for_narrative_entries_see_the_request_until_they_write(cast: Cast) -> None:
    admin = cast.user("admin")
    request = reports.request_entries(
        admin, cast.township, year=2026, kind="annual", due_on=date(2026, 11, 30),
        departments=[cast.jingfa_department],
    )  # fmt: skip
    key = f"narrative:{request.pk}"
    assert who_sees(cast, key) == {"jingfa": TodoKind.NARRATIVE}
    (item,) = items(cast, "jingfa")
    assert item.title == "示范镇2026年年度工作总结素材"
    assert item.due == datetime(2026, 11, 30, 23, 59, 59, tzinfo=BEIJING)
    assert item.link == f"/reports/entries/?org={cast.township.code}&year=2026&kind=annual#entry-form"
    # an entry for another report does not answer it
    entry = NarrativeEntry(
        department=cast.jingfa_department, org_unit=cast.township, year=2026, kind="half-year",
        section="methods", title="上半年做法", text="略。",
    )  # fmt: skip
    reports.save_entry(cast.user("jingfa"), entry)
    assert who_sees(cast, key) == {"jingfa": TodoKind.NARRATIVE}
    entry = NarrativeEntry(
        department=cast.jingfa_department, org_unit=cast.township, year=2026, kind="annual",
        section="plans", title="明年计划", text="略。",
    )  # fmt: skip
    reports.save_entry(cast.user("jingfa"), entry)
    assert who_sees(cast, key) == {}
    # asked again of every office: the office that has written is done, the others are asked
    reports.request_entries(admin, cast.township, year=2026, kind="annual", due_on=date(2026, 12, 5))
    assert who_sees(cast, key) == {"minzheng": TodoKind.NARRATIVE}


def test_another_townships_request_reaches_nobody_here(cast: Cast) -> None:
    reports.request_entries(
        cast.other_admin, cast.other_township, year=2026, kind="annual", due_on=date(2026, 11, 30)
    )
    for username in ROLES:
        assert items(cast, username) == []


# --- the whole list ---------------------------------------------------------------------------------


def test_the_county_viewer_has_nothing_to_do(cast: Cast, township_matter: CaseType) -> None:
    make_case(None, cast.village01, "matter", "其他")
    make_case(None, cast.grid0101)
    hh.monitoring_case(cast.grid0101)
    _indicator(cast, "gdzc", cast.jingfa_department)
    assert items(cast, "xian") == []
    assert items(cast, "admin") and items(cast, "wangge01")


def test_overdue_items_come_first_then_by_due_date_and_undated_last(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    worker = cast.user("wangge01")
    later = make_case(None, cast.grid0101, title="十天期限", deadline_days=10)
    sooner = make_case(None, cast.grid0101, title="三天期限", deadline_days=3)
    late = make_case(
        worker, cast.grid0101, title="已超期", received_at=datetime(2026, 11, 1, 9, 0, tzinfo=BEIJING),
        backfilled=True,
    )  # fmt: skip
    visit = hh.monitoring_case(cast.grid0101)
    listed = items(cast, "wangge01")
    assert [i.key for i in listed] == [
        f"case:{late.pk}", f"visit:{visit.pk}:2026-11", f"case:{sooner.pk}", f"case:{later.pk}"
    ]  # fmt: skip
    assert [i.overdue for i in listed] == [True, False, False, False]
    # five days on, the three-day case and the visit have passed their dates too
    on = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)
    assert [i.key for i in items(cast, "wangge01", on) if i.overdue] == [
        f"case:{late.pk}", f"visit:{visit.pk}:2026-11", f"case:{sooner.pk}"
    ]  # fmt: skip


def _queries(cast: Cast, username: str) -> int:
    todo_list(cast.user(username), NOW)  # the holiday table and reference data are read once per process
    with CaptureQueriesContext(connection) as queries:
        todo_list(cast.user(username), NOW)
    return len(queries)


def _a_village_of_work(cast: Cast, village: OrgUnit, grid: OrgUnit, n: int) -> None:
    for _ in range(n):
        make_case(None, village)
        make_case(None, grid)
        hh.monitoring_case(grid)


@pytest.mark.parametrize("username", ["cun01", "wangge01", "admin", "jingfa", "leader"])
def test_the_list_costs_the_same_queries_for_three_records_or_thirty(
    cast: Cast, types: dict[str, CaseType], username: str
) -> None:
    _indicator(cast, "gdzc", cast.jingfa_department)
    _indicator(cast, "xzsc", cast.jingfa_department, by_village=True)
    _a_village_of_work(cast, cast.village01, cast.grid0101, 3)
    few = _queries(cast, username)
    _a_village_of_work(cast, cast.village01, cast.grid0101, 27)
    for case in Case.objects.filter(org_unit=cast.village01)[:10]:
        act(cast.user("cun01"), case, "accept")
    assert _queries(cast, username) == few <= 8
    assert len(items(cast, "cun01")) == 61  # thirty village cases, thirty households to visit, the values


def test_time_after_the_deadline_day_marks_values_overdue_only_then(cast: Cast) -> None:
    _indicator(cast, "gdzc", cast.jingfa_department)
    before = datetime(2026, 11, 5, 18, 0, tzinfo=BEIJING)
    after = datetime(2026, 11, 6, 0, 0, 1, tzinfo=BEIJING)
    assert [i.overdue for i in items(cast, "jingfa", before)] == [False]
    assert [i.overdue for i in items(cast, "jingfa", after)] == [True]
    # in December, November's values are asked for
    assert items(cast, "jingfa", datetime(2026, 12, 1, 8, 0, tzinfo=BEIJING))[0].title.startswith(
        "2026年11月"
    )
