"""The monthly review (月研判) says what it means: an investment lag is a gap between two rates, in
个百分点, with the time progress it is measured against in brackets; dates are written as reports
write them."""

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.projects.conftest import WAN, make_project
from zhenwu.core.periods import Period
from zhenwu.projects import services
from zhenwu.projects.models import Milestone, Stage


def test_an_investment_lag_is_stated_in_percentage_points_below_the_time_progress(cast: Cast) -> None:
    late = make_project(cast, "滞后项目", stage=Stage.UNDER_CONSTRUCTION)
    services.record_investment(cast.user("jingfa"), late, Period(2026, 10), 300 * WAN)
    (line,) = services.monthly_review(cast.user("leader"), Period(2026, 10), today=date(2026, 11, 23))
    assert line.reasons == ["完成年度计划投资的25.0%，低于序时进度（83.3%）58.3个百分点"]


def test_the_points_are_the_difference_of_the_percentages_as_printed(cast: Cast) -> None:
    # 8,800,800 of 12,000,000 is 73.34%, printed 73.3%; 11 of 12 months is 91.67%, printed 91.7%.
    # Unrounded the gap is 18.33 points (18.3), but the reader sees 91.7 − 73.3 = 18.4.
    late = make_project(cast, "滞后项目", stage=Stage.UNDER_CONSTRUCTION)
    services.record_investment(cast.user("jingfa"), late, Period(2026, 11), Decimal("8800800"))
    (line,) = services.monthly_review(cast.user("leader"), Period(2026, 11), today=date(2026, 12, 2))
    assert line.reasons == ["完成年度计划投资的73.3%，低于序时进度（91.7%）18.4个百分点"]


def test_an_overdue_milestone_writes_its_date_without_leading_zeros(cast: Cast) -> None:
    late = make_project(cast, "滞后项目", stage=Stage.UNDER_CONSTRUCTION, planned_investment=0)
    Milestone.objects.create(project=late, name="施工许可", position=1, planned_date=date(2026, 9, 1))
    (line,) = services.monthly_review(cast.user("leader"), Period(2026, 10), today=date(2026, 11, 23))
    assert line.reasons == ["节点“施工许可”计划9月1日完成，已逾期83天"]


def test_the_review_page_states_the_lag_in_percentage_points(cast: Cast, client: Client) -> None:
    late = make_project(cast, "滞后项目", stage=Stage.UNDER_CONSTRUCTION)
    services.record_investment(cast.user("jingfa"), late, Period(2026, 10), 300 * WAN)
    client.force_login(cast.user("leader"))
    page = client.get(reverse("projects:review"), {"period": "2026-10"}).content.decode()
    assert "完成年度计划投资的25.0%，低于序时进度（83.3%）58.3个百分点" in page
    assert "低于序时进度83.3%" not in page
