"""The milestone job: the owner office of a project hears of each open milestone once when it is due within
7 days and once when it is overdue; a milestone done, far off, or of another office tells nobody else."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests import factories
from tests.conftest import Cast
from tests.projects.conftest import make_project
from zhenwu.jobs.services import run_job
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import Role
from zhenwu.projects import services
from zhenwu.projects.models import Milestone, Project

BEIJING = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 8, 30, tzinfo=BEIJING)


def run_on(time_machine: Any, moment: datetime) -> str:
    time_machine.move_to(moment)
    return run_job("milestone_reminders").summary


def milestone(project: Project, name: str, planned: date, done: date | None = None) -> Milestone:
    return Milestone.objects.create(project=project, name=name, planned_date=planned, actual_date=done)


def said(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, kind=Kind.MILESTONE)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_a_milestone_is_said_once_as_coming_and_once_as_overdue_to_its_office_only(
    cast: Cast, time_machine: Any
) -> None:
    project = make_project(cast, "东岗村冷链物流园")
    milestone(project, "主体封顶", date(2026, 12, 4))
    second = factories.user(Role.DEPARTMENT_STAFF, cast.township, cast.jingfa_department)

    # 26 November: 8 days ahead, not yet due soon.
    assert run_on(time_machine, at(11, 26)) == "提醒 0 人次(0 个节点)"
    assert run_on(time_machine, at(11, 27)) == "提醒 2 人次(1 个节点)"
    assert said("jingfa") == ["东岗村冷链物流园：节点“主体封顶”即将到期"]
    [coming] = Notification.objects.filter(recipient=second)
    assert coming.body == "节点“主体封顶”计划12月4日完成，还有7天。"
    assert coming.link == f"/projects/{project.pk}/"

    for day in (28, 30):
        run_on(time_machine, at(11, day))
    run_on(time_machine, at(12, 4))  # due today: still coming
    assert len(said("jingfa")) == 1

    run_on(time_machine, at(12, 5))
    assert said("jingfa") == [
        "东岗村冷链物流园：节点“主体封顶”即将到期",
        "东岗村冷链物流园：节点“主体封顶”已逾期",
    ]
    assert (
        Notification.objects.filter(recipient=second)
        .first()
        .body.startswith(  # type: ignore[union-attr]
            "节点“主体封顶”计划12月4日完成，已逾期1天"
        )
    )
    for nobody in ("admin", "leader", "minzheng", "cun01", "wangge01", "xian", "outsider"):
        assert said(nobody) == [], nobody


def test_running_twice_says_nothing_twice(cast: Cast, time_machine: Any) -> None:
    project = make_project(cast)
    milestone(project, "立项", date(2026, 11, 20))
    milestone(project, "开工", date(2026, 11, 25))
    run_on(time_machine, at(11, 23))
    made = Notification.objects.count()
    assert made == 2
    assert run_on(time_machine, at(11, 23)) == "提醒 0 人次(0 个节点)"
    assert Notification.objects.count() == made


def test_done_and_far_off_milestones_and_other_offices_projects_say_nothing_to_this_office(
    cast: Cast, time_machine: Any
) -> None:
    mine = make_project(cast, "经发办的项目")
    milestone(mine, "已完成的", date(2026, 11, 20), done=date(2026, 11, 19))
    milestone(mine, "下个月的", date(2026, 12, 20))
    theirs = make_project(cast, "民政办的项目", department=cast.minzheng_department)
    milestone(theirs, "逾期的", date(2026, 11, 20))

    run_on(time_machine, at(11, 23))

    assert said("jingfa") == []
    assert said("minzheng") == ["民政办的项目：节点“逾期的”已逾期"]


def test_a_milestone_moved_to_another_date_is_said_again(cast: Cast, time_machine: Any) -> None:
    step = milestone(make_project(cast), "竣工验收", date(2026, 11, 25))
    run_on(time_machine, at(11, 23))
    step.planned_date = date(2026, 11, 27)
    step.save()
    run_on(time_machine, at(11, 23))
    assert len(said("jingfa")) == 2


def test_the_job_reads_only_the_open_milestones_near_today(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    """Incremental: milestones done, long overdue or far off are not read, however many there are."""
    project = make_project(cast)
    for n in range(30):
        milestone(project, f"旧节点{n}", date(2026, 9, 1))  # overdue for months: left to the pages
        milestone(project, f"远节点{n}", date(2027, 3, 1))
        milestone(project, f"完成{n}", date(2026, 11, 25), done=date(2026, 11, 1))
    with django_assert_max_num_queries(3):
        assert services.remind_milestones(at(11, 23)) == "提醒 0 人次(0 个节点)"
