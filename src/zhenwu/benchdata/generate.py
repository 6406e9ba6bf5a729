"""One run of the generator: the county, then each kind of record, in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db import connection, transaction

from zhenwu.cases import catalog as case_catalog
from zhenwu.cases.models import CaseCategory
from zhenwu.org.models import OrgUnit
from zhenwu.remembered import forget_everything
from zhenwu.workcalendar import demo as holidays
from zhenwu.workcalendar.services import work_calendar

from . import cases, households, indicators, projects, tree
from .scale import Clock, Scale
from .sink import Sink

COUNTY_CODE = "970101"
COUNTY_NAME = "基准县"
APPS = ["org", "cases", "indicators", "projects", "households"]


class NotEmpty(Exception):
    """The database already holds an org tree: the generator is for an empty, migrated database."""


@dataclass
class Outcome:
    county: tree.County
    counts: dict[str, int]
    seconds: float
    password: str = tree.PASSWORD


def refuse_unless_empty() -> None:
    if OrgUnit.objects.exists():
        raise NotEmpty(
            "数据库中已有组织单元：bench-data 只向空的、已迁移的数据库写入。"
            "请新建数据库并运行 zhenwu migrate 后再试。"
        )


def generate(
    scale: Scale,
    *,
    seed: int = 1,
    until: date,
    county_code: str = COUNTY_CODE,
    county_name: str = COUNTY_NAME,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Write a county of `scale` under a new county unit `county_code`; returns what was written.

    Does not check that the database is empty (the command does, see `refuse_unless_empty`): tests
    generate into their own county beside the fixed cast, with ids above the cast's.
    """
    say = progress or (lambda _: None)
    started = time.monotonic()
    clock = Clock(until, scale.years)
    sink = Sink(connection)
    with transaction.atomic():
        holidays.load()  # the real public holidays, if the table is still empty
        case_types = case_catalog.install()
        calendar = work_calendar(clock.start.date() - timedelta(days=30), clock.today + timedelta(days=900))
        county = tree.build(sink, scale, clock, county_code, county_name)
        say(f"组织架构与账户：{time.monotonic() - started:.1f}s")
        catalog = cases.Catalog(
            types={t.code: t for t in case_types},
            categories={
                t.code: list(CaseCategory.objects.filter(case_type=t).order_by("pk")) for t in case_types
            },
            calendar=calendar,
        )
        steps: list[tuple[str, Callable[[], None]]] = [
            ("事件", lambda: cases.generate(sink, clock, county, catalog, scale.cases_per_township, seed)),
            ("指标", lambda: indicators.generate(sink, clock, county, scale.indicators_per_township, seed)),
            (
                "项目",
                lambda: projects.generate(sink, clock, county, calendar, scale.projects_per_township, seed),
            ),
            ("农户", lambda: households.generate(sink, clock, county, scale.households_per_township, seed)),
        ]
        for label, step in steps:
            step()
            say(f"{label}：{time.monotonic() - started:.1f}s")
        sink.reset_sequences(m for label in APPS for m in apps.get_app_config(label).get_models())
    forget_everything()
    if sink.is_postgres:
        sink.analyze()
        say(f"VACUUM ANALYZE：{time.monotonic() - started:.1f}s")
    return Outcome(county, dict(sink.counts), time.monotonic() - started)
