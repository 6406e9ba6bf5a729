"""A project's life: stages with their history, investment against plan, milestones back-scheduled on
the holiday table, and the overdue ones."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.projects.conftest import WAN, make_project
from zhenwu.core.periods import Period
from zhenwu.projects import services
from zhenwu.projects.models import InvestmentValue, MilestoneStatus, ScheduleTemplate, Stage
from zhenwu.workcalendar.models import CalendarDay

D = Decimal


def test_the_next_stage_needs_no_reason_and_is_kept_in_the_history(cast: Cast) -> None:
    project = make_project(cast)
    change = services.change_stage(cast.user("jingfa"), project, Stage.STARTED, date(2026, 5, 1))
    assert project.stage == Stage.STARTED and change.from_stage == Stage.SIGNED
    assert (
        LogEntry.objects.get_for_object(project).exists() or LogEntry.objects.get_for_object(change).exists()
    )


@pytest.mark.parametrize(("to_stage", "word"), [(Stage.COMPLETED, "跨越阶段"), (Stage.PLANNED, "退回")])
def test_skipping_or_going_back_needs_a_reason(cast: Cast, to_stage: str, word: str) -> None:
    project = make_project(cast)
    with pytest.raises(ValidationError, match=word):
        services.change_stage(cast.user("jingfa"), project, to_stage, date(2026, 5, 1))
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    change = services.change_stage(cast.user("jingfa"), project, to_stage, date(2026, 5, 1), "县里调整计划")
    assert change.reason == "县里调整计划"


def test_another_office_cannot_move_the_project(cast: Cast) -> None:
    project = make_project(cast, department=cast.minzheng_department)
    with pytest.raises(PermissionDenied):
        services.change_stage(cast.user("jingfa"), project, Stage.STARTED, date(2026, 5, 1))


def test_investment_completion_is_completed_over_plan(cast: Cast) -> None:
    project = make_project(cast)
    services.record_investment(cast.user("jingfa"), project, Period(2026, 8), 600 * WAN)
    money = services.investment_progress(project, Period(2026, 8))
    assert money.completion == D("0.5") and money.time_progress == D(8) / D(12)
    assert money.behind  # 50% against 66.7%: more than ten points behind


def test_investment_below_last_month_needs_a_reason_and_negative_is_refused(cast: Cast) -> None:
    project = make_project(cast)
    services.record_investment(cast.user("jingfa"), project, Period(2026, 7), 500 * WAN)
    with pytest.raises(ValidationError, match="低于7月"):
        services.record_investment(cast.user("jingfa"), project, Period(2026, 8), 400 * WAN)
    with pytest.raises(ValidationError, match="不能为负数"):
        services.record_investment(cast.user("jingfa"), project, Period(2026, 8), D(-1))
    assert InvestmentValue.objects.filter(month=8).count() == 0
    services.record_investment(cast.user("jingfa"), project, Period(2026, 8), 400 * WAN, "核减重复统计")


def test_back_scheduling_follows_the_holiday_table(cast: Cast, template: ScheduleTemplate) -> None:
    project = make_project(cast)
    completion = date(2027, 10, 14)
    plain = [
        m.planned_date
        for m in services.schedule_backwards(cast.user("jingfa"), project, template, completion)
    ]
    CalendarDay.objects.create(date=date(2027, 10, 13), kind="holiday", name="测试假日")
    moved = [
        m.planned_date
        for m in services.schedule_backwards(cast.user("jingfa"), project, template, completion)
    ]
    assert plain[-1] == moved[-1] == completion
    assert moved[1] < plain[1]  # one working day fewer before completion: the step before starts earlier
    assert all(d.weekday() < 5 for d in moved)
    assert project.milestones.count() == 3  # rescheduling replaced the open milestones


def test_a_milestone_past_its_date_without_an_actual_date_is_overdue(
    cast: Cast, template: ScheduleTemplate
) -> None:
    project = make_project(cast)
    today = timezone.localdate()  # the frozen clock's day: completion cannot be dated after it
    milestones = services.schedule_backwards(
        cast.user("jingfa"), project, template, today + timedelta(days=5)
    )
    assert milestones[0].status(today) == MilestoneStatus.OVERDUE
    services.complete_milestone(cast.user("jingfa"), milestones[0], today - timedelta(days=1))
    assert milestones[0].status(today) == MilestoneStatus.DONE
    assert milestones[-1].status(today) == MilestoneStatus.DUE_SOON


def test_the_detail_page_runs_the_whole_cycle_for_the_office(
    cast: Cast, client: Client, template: ScheduleTemplate
) -> None:
    project = make_project(cast)
    client.force_login(cast.user("jingfa"))
    url = reverse("projects:project-detail", args=[project.pk])
    client.post(
        reverse("projects:project-stage", args=[project.pk]), {"to_stage": "started", "date": "2026-05-01"}
    )
    client.post(
        reverse("projects:project-investment", args=[project.pk]), {"period": "2026-08", "amount": "600"}
    )
    client.post(
        reverse("projects:project-schedule", args=[project.pk]),
        {"template": template.pk, "completion": "2027-06-30"},
    )
    client.post(
        reverse("projects:project-progress", args=[project.pk]),
        {"this_week": "完成基础开挖", "next_week": "浇筑"},
    )
    page = client.get(url).content.decode()
    assert (
        "<strong>开工</strong>" in page
        and "600万元" in page
        and "竣工验收" in page
        and "完成基础开挖" in page
    )
    bad = client.post(
        reverse("projects:project-stage", args=[project.pk]),
        {"to_stage": "in_production", "date": "2026-06-01"},
        follow=True,
    )
    assert "跨越阶段须说明原因" in bad.content.decode()


def test_leaders_read_projects_but_the_forms_are_not_theirs(cast: Cast, client: Client) -> None:
    project = make_project(cast)
    client.force_login(cast.user("leader"))
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert project.name in page and "stage-form" not in page
    response = client.post(
        reverse("projects:project-stage", args=[project.pk]), {"to_stage": "started", "date": "2026-05-01"}
    )
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
