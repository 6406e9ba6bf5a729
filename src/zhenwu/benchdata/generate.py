"""One run of the generator: each county, then each kind of record, one transaction per county."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
    counties: list[tree.County]
    counts: dict[str, int]
    seconds: float
    password: str = tree.PASSWORD
    county_seconds: list[float] = field(default_factory=list)

    @property
    def county(self) -> tree.County:
        """The first county: the only one unless `--counties` asked for more."""
        return self.counties[0]


def nth_county_code(number: int) -> str:
    """The n-th county's code. The first keeps COUNTY_CODE; the others follow it under the same
    prefix ("9701"), so a province-wide query is one path prefix, `path LIKE '9701%'`."""
    return COUNTY_CODE if number == 1 else f"{COUNTY_CODE[:4]}{number:02d}"


def nth_county_name(number: int) -> str:
    return COUNTY_NAME if number == 1 else f"基准{number}县"


def account_prefix(number: int) -> str:
    """Usernames of the n-th county: the first county's are today's (county, t01admin, …), the others
    carry the county's number (c02county, c02t01admin, …), usernames being unique across the tree."""
    return "" if number == 1 else f"c{number:02d}"


def county_seed(seed: int, number: int) -> int:
    """Each county draws its own cases; the first one with `seed`, as a one-county run does."""
    return seed if number == 1 else seed * 1000 + number


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
    counties: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Write `counties` counties of `scale` each; returns what was written.

    With one county it is `county_code`; with more, `nth_county_code(n)` side by side.
    They are roots of the tree, as a county is (the tree has no province level; docs/scale.md). Each
    county is its own transaction, so a long run keeps the counties it finished.

    Does not check that the database is empty (the command does, see `refuse_unless_empty`): tests
    generate into their own county beside the fixed cast, with ids above the cast's.
    """
    if counties < 1:
        raise ValueError("县的数量至少为1。")
    say = progress or (lambda _: None)
    started = time.monotonic()
    clock = Clock(until, scale.years)
    sink = Sink(connection)
    with transaction.atomic():
        holidays.load()  # the real public holidays, if the table is still empty
        case_types = case_catalog.install()
    calendar = work_calendar(clock.start.date() - timedelta(days=30), clock.today + timedelta(days=900))
    catalog = cases.Catalog(
        types={t.code: t for t in case_types},
        categories={
            t.code: list(CaseCategory.objects.filter(case_type=t).order_by("pk")) for t in case_types
        },
        calendar=calendar,
    )
    used_id_numbers: set[str] = set()  # a person's identity number is unique across the counties
    written, county_seconds = [], []
    for n in range(1, counties + 1):
        code, name = (county_code, county_name) if counties == 1 else (nth_county_code(n), nth_county_name(n))
        if counties > 1:
            say(f"第 {n}/{counties} 个县：{name}({code})")
        county_started = time.monotonic()
        county = _one_county(
            sink, scale, clock, catalog, code, name, account_prefix(n), county_seed(seed, n),
            used_id_numbers, lambda label: say(f"{label}：{time.monotonic() - started:.1f}s"),
        )  # fmt: skip
        written.append(county)
        county_seconds.append(round(time.monotonic() - county_started, 1))
    forget_everything()
    if sink.is_postgres:
        sink.analyze()
        say(f"VACUUM ANALYZE：{time.monotonic() - started:.1f}s")
    return Outcome(written, dict(sink.counts), time.monotonic() - started, county_seconds=county_seconds)


def _one_county(
    sink: Sink,
    scale: Scale,
    clock: Clock,
    catalog: cases.Catalog,
    code: str,
    name: str,
    prefix: str,
    seed: int,
    used_id_numbers: set[str],
    say: Callable[[str], None],
) -> tree.County:
    with transaction.atomic():
        county = tree.build(sink, scale, clock, code, name, account_prefix=prefix)
        say("组织架构与账户")
        calendar = catalog.calendar
        steps: list[tuple[str, Callable[[], None]]] = [
            ("事件", lambda: cases.generate(sink, clock, county, catalog, scale.cases_per_township, seed)),
            ("指标", lambda: indicators.generate(sink, clock, county, scale.indicators_per_township, seed)),
            (
                "项目",
                lambda: projects.generate(sink, clock, county, calendar, scale.projects_per_township, seed),
            ),
            (
                "农户",
                lambda: households.generate(
                    sink, clock, county, scale.households_per_township, seed, used=used_id_numbers
                ),
            ),
        ]
        for label, step in steps:
            step()
            say(label)
        sink.reset_sequences(m for label in APPS for m in apps.get_app_config(label).get_models())
    return county
