"""The counts, the dispatch sheet, the monthly review and the API, against independent counts."""

from datetime import date
from io import BytesIO

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.projects.conftest import WAN, make_project
from zhenwu.core.periods import Period
from zhenwu.projects import services
from zhenwu.projects.models import Milestone, Project, Stage, StageChange


def test_report_counts_come_from_stage_changes_in_the_period(cast: Cast) -> None:
    a, b, c = (
        make_project(cast, "甲"),
        make_project(cast, "乙"),
        make_project(cast, "丙", org_unit=cast.other_village),
    )
    changes = [
        (a, Stage.STARTED, date(2026, 3, 1)),
        (b, Stage.STARTED, date(2025, 12, 1)),
        (c, Stage.STARTED, date(2026, 3, 1)),
        (b, Stage.SIGNED, date(2026, 2, 1)),
    ]
    for project, stage, day in changes:
        StageChange.objects.create(project=project, to_stage=stage, date=day)
    counts = services.project_counts(cast.user("leader"), cast.township, Period(2026, 6))
    assert [p.name for p in counts.started_this_year] == ["甲"]  # 乙 started last year; 丙 is out of scope
    assert [p.name for p in counts.signed_this_year] == ["乙"]
    mine = Project.objects.filter(org_unit__path__startswith=cast.township.path)
    assert counts.total_investment == sum(p.total_investment for p in mine)


def test_projects_signed_bring_their_total_investment_and_large_ones_are_counted(cast: Cast) -> None:
    big = make_project(cast, "甲", total_investment=21000 * WAN)
    edge = make_project(cast, "乙", total_investment=10000 * WAN)
    small = make_project(cast, "丙", total_investment=9999 * WAN)
    later = make_project(cast, "丁", total_investment=30000 * WAN)
    for project, stage, day in [
        (big, Stage.SIGNED, date(2026, 1, 12)),
        (small, Stage.SIGNED, date(2026, 2, 18)),
        (edge, Stage.STARTED, date(2025, 5, 1)),
        (later, Stage.SIGNED, date(2026, 7, 1)),  # after June: neither signed nor in the library yet
    ]:
        StageChange.objects.create(project=project, to_stage=stage, date=day)
    counts = services.project_counts(cast.user("leader"), cast.township, Period(2026, 6))
    assert counts.signed_investment == 21000 * WAN + 9999 * WAN
    assert [p.name for p in counts.large] == ["甲", "乙"]  # 1亿 and more, biggest first


def test_the_funnel_counts_projects_that_reached_each_stage() -> None:
    funnel = dict(services.funnel({"planned": 3, "signed": 2, "under_construction": 4, "in_production": 1}))
    assert funnel == {"谋划": 10, "签约": 7, "开工": 5, "在建": 5, "竣工": 1, "投产": 1}


def test_the_dispatch_sheet_lists_active_projects_with_their_week(cast: Cast, client: Client) -> None:
    active = make_project(cast, "在建甲", stage=Stage.UNDER_CONSTRUCTION)
    make_project(cast, "谋划乙", stage=Stage.PLANNED)
    week = services.week_of(date(2026, 11, 23))
    services.save_progress_note(cast.user("jingfa"), active, week, "主体封顶", "外立面施工", "缺少用工")
    Milestone.objects.create(project=active, name="主体完工", position=1, planned_date=date(2026, 11, 1))
    client.force_login(cast.user("leader"))
    response = client.get(reverse("projects:dispatch"), {"week": "2026-11-23", "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert [r[1] for r in rows] == ["在建甲"]
    assert rows[0][7:10] == ("主体封顶", "外立面施工", "缺少用工")
    assert "主体完工" in rows[0][10]
    assert "2026年11月23日" in sheet["A1"].value


def test_the_monthly_review_names_projects_behind_with_reasons(cast: Cast) -> None:
    late = make_project(cast, "滞后项目", stage=Stage.UNDER_CONSTRUCTION)
    services.record_investment(cast.user("jingfa"), late, Period(2026, 10), 300 * WAN)
    Milestone.objects.create(
        project=late, name="施工许可", position=1, planned_date=date(2026, 9, 1), note="手续未齐"
    )
    on_time = make_project(cast, "正常项目", stage=Stage.UNDER_CONSTRUCTION)
    services.record_investment(cast.user("jingfa"), on_time, Period(2026, 10), 1000 * WAN)
    lines = services.monthly_review(cast.user("leader"), Period(2026, 10), today=date(2026, 11, 23))
    assert [line.project.name for line in lines] == ["滞后项目"]
    assert any("施工许可" in r and "手续未齐" in r for r in lines[0].reasons)
    assert any("25.0%" in r and "83.3%" in r for r in lines[0].reasons)


def test_the_api_lists_projects_with_computed_fields_and_filters(cast: Cast, client: Client) -> None:
    project = make_project(cast, "接口项目", stage=Stage.UNDER_CONSTRUCTION)
    Milestone.objects.create(project=project, name="开工", position=1, planned_date=date(2020, 1, 1))
    make_project(cast, "外镇项目", org_unit=cast.other_village)
    client.force_login(cast.user("leader"))
    rows = client.get(reverse("api:project-list"), {"stage": "under_construction"}).json()
    assert [r["name"] for r in rows] == ["接口项目"]
    assert rows[0]["overdue_milestones"] == ["开工"] and rows[0]["planned_investment"] == "12000000.00"
    assert client.get(reverse("api:project-list"), {"org": cast.other_village.code}).status_code == 404
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/projects" in schema["paths"]
