"""The demo's safety office (应急管理办) has an account, `anquan`, whose day shows the office's work:
the hazards it holds wait on its to-do list and fill its office's case list, and it keeps the office's
registers."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.demo_snapshot import load_demo
from zhenwu.cases.models import Case
from zhenwu.notifications.todo import TodoKind, todo_list
from zhenwu.org.models import Role
from zhenwu.registers.models import RegisterRecord


def test_the_safety_office_account_works_at_the_township_in_its_office(cast: Cast) -> None:
    anquan = cast.user("anquan")
    assert anquan.role == Role.DEPARTMENT_STAFF and anquan.org_unit == cast.township
    assert anquan.department is not None and anquan.department.name == "应急管理办"


def test_the_hazards_the_office_holds_wait_on_its_to_do_list_and_fill_its_case_list(
    cast: Cast, client: Client
) -> None:
    load_demo()
    anquan = cast.user("anquan")
    held = Case.objects.filter(case_type__code="hazard", handling_department=anquan.department)
    assert held.open().count() >= 10
    waiting = [item for item in todo_list(anquan).items if item.key.startswith("case:")]
    kinds = {item.kind for item in waiting}
    assert {TodoKind.ACCEPT, TodoKind.HANDLE} <= kinds
    ids = {int(item.key.split(":")[1]) for item in waiting}
    assert set(held.filter(pk__in=ids).values_list("pk", flat=True)) == ids  # all of them the office's
    client.force_login(anquan)
    page = client.get(reverse("cases:case-list"), {"my_office": "on"})
    assert page.status_code == 200
    listed = list(page.context["page"].object_list)
    assert listed and all(case.handling_department_id == anquan.department_id for case in listed)
    assert any(case.case_type.code == "hazard" for case in listed)


def test_the_office_keeps_its_registers_in_the_demo(cast: Cast) -> None:
    load_demo()
    anquan = cast.user("anquan")
    assert RegisterRecord.objects.filter(entered_by=anquan, department=anquan.department).count() >= 10
