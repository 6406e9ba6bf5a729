"""Project problems are cases of the case engine: a deadline, a handling office, a history; they show
on the dispatch sheet and, once overdue, on the monthly review."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.projects.conftest import make_project
from zhenwu.cases.models import Case
from zhenwu.core.periods import Period
from zhenwu.projects import services
from zhenwu.projects.models import Stage


def test_a_problem_is_a_case_with_the_deadline_asked_for(cast: Cast) -> None:
    project = make_project(cast, stage=Stage.UNDER_CONSTRUCTION)
    due = timezone.localdate() + timedelta(days=10)
    problem = services.raise_problem(
        cast.user("jingfa"), project, title="征地未完成", description="两户未签约", category="land", due=due
    )
    case = Case.objects.get(pk=problem.case.pk)
    assert case.case_type.code == "project_problem" and case.category.name == "用地"
    assert timezone.localtime(case.deadline).date() == due
    assert case.handling_department is not None and case.handling_department.code == "jfb"
    assert case.events.count() == 1 and case.is_open


def test_a_problem_due_today_or_earlier_is_refused(cast: Cast) -> None:
    project = make_project(cast)
    with pytest.raises(ValidationError, match="解决时限应晚于今天"):
        services.raise_problem(
            cast.user("jingfa"),
            project,
            title="x",
            description="y",
            category="land",
            due=timezone.localdate(),
        )


def test_open_problems_are_on_the_dispatch_sheet_and_overdue_ones_on_the_review(
    cast: Cast, client: Client
) -> None:
    project = make_project(cast, stage=Stage.UNDER_CONSTRUCTION)
    problem = services.raise_problem(
        cast.user("jingfa"), project, title="资金未到位", description="专项债未拨付", category="funds",
        due=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    lines = services.dispatch_sheet(cast.user("leader"), timezone.localdate())
    assert [c.pk for c in lines[0].problems] == [problem.case.pk]
    Case.objects.filter(pk=problem.case.pk).update(deadline=timezone.now() - timedelta(days=1))
    review = services.monthly_review(cast.user("leader"), Period(2026, 10), today=date(2026, 11, 23))
    assert any("资金未到位" in r and "已超期" in r for r in review[0].reasons)


def test_the_project_page_raises_and_lists_problems(cast: Cast, client: Client) -> None:
    project = make_project(cast, stage=Stage.UNDER_CONSTRUCTION)
    client.force_login(cast.user("jingfa"))
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"title": "施工许可未办结", "description": "消防审查未回复", "category": "approval", "due": due}
    page = client.post(
        reverse("projects:project-problem", args=[project.pk]), data, follow=True
    ).content.decode()
    assert f"已为项目“{project.name}”登记问题XM" in page and "施工许可未办结" in page
