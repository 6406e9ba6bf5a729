"""Each role's home page shows its own work under a title that names it; only those who lead get the
领导驾驶舱, and nobody gets a panel for work their role does not do."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.cases import services as case_services
from zhenwu.cases.models import Case, CaseType


@pytest.fixture
def grid_event(cast: Cast, types: dict[str, CaseType]) -> Case:
    """An open grid event in 东岗村第1网格 (wangge01's grid, cun01's village)."""
    return case_services.create_case(
        None,
        case_type=types["grid_event"],
        category=types["grid_event"].categories.get(name="环境卫生"),
        title="路口垃圾堆放待清运",
        description="路口垃圾堆放",
        org_unit=cast.grid0101,
    )


def _home(client: Client, cast: Cast, role: str) -> str:
    client.force_login(cast.user(role))
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _title(page: str) -> str:
    return page.split('<h1 id="home-title">', 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_a_leader_and_the_admin_get_the_dashboard(cast: Cast, client: Client, role: str) -> None:
    page = _home(client, cast, role)
    assert _title(page) == "领导驾驶舱"
    assert "进入领导驾驶舱" in page and 'id="todo-panel"' in page


def test_a_grid_worker_gets_their_grid_with_the_quick_report(
    cast: Cast, client: Client, grid_event: Case
) -> None:
    page = _home(client, cast, "wangge01")
    assert _title(page) == "我的网格"
    assert "领导驾驶舱" not in page
    assert 'id="quick-report" href="/cases/report/"' in page
    assert 'id="todo-panel"' in page
    assert "本网格未办结事件" in page and grid_event.title in page
    assert 'id="home-indicators"' not in page  # a grid worker enters no indicator


def test_village_staff_get_their_village(cast: Cast, client: Client, grid_event: Case) -> None:
    page = _home(client, cast, "cun01")
    assert _title(page) == "本村工作"
    assert "领导驾驶舱" not in page and 'id="quick-report"' not in page
    assert "本村未办结事件" in page and grid_event.title in page
    assert 'id="home-indicators"' in page


def test_a_village_does_not_see_another_villages_cases(cast: Cast, client: Client, grid_event: Case) -> None:
    page = _home(client, cast, "cun02")
    assert _title(page) == "本村工作"
    assert grid_event.title not in page


@pytest.mark.parametrize(("role", "office"), [("jingfa", "经发办"), ("minzheng", "民政办")])
def test_office_staff_get_their_office(
    cast: Cast, client: Client, grid_event: Case, role: str, office: str
) -> None:
    page = _home(client, cast, role)
    assert _title(page) == f"{office}工作"
    assert "领导驾驶舱" not in page
    assert 'id="home-indicators"' in page and "交办本站所的事件" in page
    assert grid_event.title not in page  # held by the grid, not assigned to the office
    assert "my_office=on" in page


def test_office_staff_see_the_cases_assigned_to_their_office(
    cast: Cast, client: Client, grid_event: Case
) -> None:
    grid_event.handling_unit = cast.township
    grid_event.handling_department = cast.jingfa_department
    grid_event.save()
    assert grid_event.title in _home(client, cast, "jingfa")
    assert grid_event.title not in _home(client, cast, "minzheng")


def test_the_county_viewer_gets_the_county_overview(cast: Cast, client: Client) -> None:
    page = _home(client, cast, "xian")
    assert _title(page) == "全县概况"
    assert "领导驾驶舱" not in page and "查看全县概况" in page
    assert 'id="todo-panel"' not in page and 'id="home-cases"' not in page and 'id="quick-report"' not in page
