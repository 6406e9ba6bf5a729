from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import Cast
from zhenwu.projects.models import Category, Project, ScheduleStep, ScheduleTemplate, Stage

WAN = Decimal(10000)


def make_project(
    cast: Cast, name: str = "测试产业项目", stage: str = Stage.SIGNED, **extra: object
) -> Project:
    fields: dict[str, object] = {
        "name": name, "category": Category.INDUSTRY, "stage": stage, "total_investment": 5000 * WAN,
        "plan_year": 2026, "planned_investment": 1200 * WAN, "leader": "钱镇长",
        "department": cast.jingfa_department, "org_unit": cast.village01,
    }  # fmt: skip
    fields.update(extra)
    return Project.objects.create(**fields)


@pytest.fixture
def template(db: None) -> ScheduleTemplate:
    template = ScheduleTemplate.objects.create(name="测试模板")
    for n, (name, days) in enumerate([("立项", 5), ("开工", 10), ("竣工验收", 3)], start=1):
        ScheduleStep.objects.create(template=template, position=n, name=name, working_days=days)
    return template


TODAY = date(2026, 11, 23)
