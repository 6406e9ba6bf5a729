"""The demo's projects: enough of every stage and category, overdue milestones, leads, a review."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.demo_snapshot import load_demo
from zhenwu.core.periods import Period
from zhenwu.org.models import User
from zhenwu.projects import services
from zhenwu.projects.models import Category, InvestmentLead, InvestmentValue, Project, Stage


def test_the_demo_has_thirty_projects_ten_leads_and_projects_behind(db: None) -> None:
    load_demo()
    leader = User.objects.get(username="leader")
    assert Project.objects.count() >= 30 and InvestmentLead.objects.count() == 10
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Project.objects.values_list("category", flat=True)) == set(Category.values)
    assert InvestmentValue.objects.exists()
    today = timezone.localdate()
    projects = services.with_details(services.projects_for(leader))
    assert services.overdue_milestones(projects, today)
    assert services.monthly_review(leader, Period.latest_complete(today))
    call_command("demo", stdout=StringIO())
    assert Project.objects.count() == 32  # loading twice changes nothing
