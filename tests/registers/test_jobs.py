"""Patrols due: the shipped street-lamp register declares `patrol_days` = 30 | lamp_patrol, so a lamp with no
patrol record in 30 days (dated by the patrol's 日期) is reminded of, each day, to the patrol register's
writers at the lamp's unit, and to nobody else."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.conftest import Cast
from zhenwu.jobs.services import run_job
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import OrgUnit, Role
from zhenwu.registers import patrols as patrols_job
from zhenwu.registers import services
from zhenwu.registers.definition import DefinitionError, read_definition
from zhenwu.registers.library import make
from zhenwu.registers.models import Register, Thing

BEIJING = ZoneInfo("Asia/Shanghai")
LIBRARY = Path(make.__file__).resolve().parent


def at(month: int, day: int, hour: int = 8) -> datetime:
    return datetime(2026, month, day, hour, 30, tzinfo=BEIJING)


def load(cast: Cast, form_id: str) -> Register:
    source = (LIBRARY / f"{form_id}.xlsx").read_bytes()
    return services.load_definition(cast.user("admin"), cast.township, source, f"{form_id}.xlsx").register


def lamp(cast: Cast, lamps: Register, code: str, unit: OrgUnit) -> Thing:
    values = {"code": code, "place": f"{unit.name}路口", "lamp_type": "solar", "status": "normal"}
    record = services.create_record(cast.user("admin"), lamps, values, unit=unit)
    return Thing.objects.get(created_by_record=record)


def patrolled(cast: Cast, patrols: Register, thing: Thing, on: date) -> None:
    values = {
        "lamp": thing.identity,
        "visit_type": "patrol",
        "visit_date": on.isoformat(),
        "finding": "ok",
        "status": "normal",
    }
    services.create_record(cast.user("admin"), patrols, values, unit=thing.unit)


def run_on(time_machine: Any, moment: datetime) -> str:
    time_machine.move_to(moment)
    return run_job("patrols_due").summary


def told(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, kind=Kind.PATROL).order_by("pk"))


@pytest.fixture
def lamps(cast: Cast, time_machine: Any) -> dict[str, Thing]:
    """Four lamps registered on 1 October: two in 东岗村第1网格, one in its 第2网格, one at 东岗村 itself;
    the first patrolled on 20 October."""
    time_machine.move_to(at(10, 1, 10))
    register, patrols = load(cast, "street_lamp"), load(cast, "lamp_patrol")
    made = {
        "A": lamp(cast, register, "DG-0001", cast.grid0101),
        "B": lamp(cast, register, "DG-0002", cast.grid0101),
        "C": lamp(cast, register, "DG-0003", cast.grid0102),
        "D": lamp(cast, register, "DG-0004", cast.village01),
    }
    time_machine.move_to(at(10, 20, 10))
    patrolled(cast, patrols, made["A"], date(2026, 10, 20))
    return made


def test_the_street_lamp_template_declares_its_patrol() -> None:
    definition = read_definition((LIBRARY / "street_lamp.xlsx").read_bytes(), "street_lamp.xlsx")
    assert (definition.patrol_days, definition.patrol_form) == (30, "lamp_patrol")


def test_lamps_unpatrolled_for_30_days_are_told_to_the_patrols_writers_at_their_unit_only(
    cast: Cast, lamps: dict[str, Thing], time_machine: Any
) -> None:
    second_grid = factories.user(Role.GRID_WORKER, cast.grid0102)

    # Registered on 1 October: not due within its first 30 days.
    assert run_on(time_machine, at(10, 30)) == "提醒 0 人(到期未巡查 0 个对象)"
    assert run_on(time_machine, at(10, 31)) == "提醒 3 人(到期未巡查 3 个对象)"

    [worker] = told("wangge01")
    assert worker.title == "路灯台账：1个超过30天未巡查"
    assert worker.body.splitlines() == [
        "以下对象已超过30天未巡查，请安排巡查并在“路灯巡查维修记录”中登记：",
        f"DG-0002 {cast.grid0101.name}路口（从未巡查）",
    ]
    assert worker.link == f"/registers/lamp_patrol/new/?thing={lamps['B'].pk}"
    assert [n.body.splitlines()[1] for n in Notification.objects.filter(recipient=second_grid)] == [
        f"DG-0003 {cast.grid0102.name}路口（从未巡查）"
    ]
    [village] = told("cun01")
    assert village.body.splitlines()[1] == f"DG-0004 {cast.village01.name}路口（从未巡查）"
    for nobody in ("admin", "leader", "jingfa", "minzheng", "cun02", "xian", "outsider"):
        assert told(nobody) == [], nobody


def test_a_patrol_keeps_its_lamp_off_the_list_for_30_days_counted_from_its_date(
    cast: Cast, lamps: dict[str, Thing], time_machine: Any
) -> None:
    run_on(time_machine, at(11, 18))  # 20 October + 29 days: still within the 30
    assert "DG-0001" not in "".join(n.body for n in told("wangge01"))
    run_on(time_machine, at(11, 19))
    assert f"DG-0001 {cast.grid0101.name}路口（上次巡查2026-10-20）" in told("wangge01")[-1].body

    # A paper patrol typed in today, dated 15 November, counts from the 15th, not from today.
    patrolled(cast, Register.objects.get(form_id="lamp_patrol"), lamps["B"], date(2026, 11, 15))
    run_on(time_machine, at(12, 14))
    assert "DG-0002" not in told("wangge01")[-1].body
    run_on(time_machine, at(12, 15))
    assert "DG-0002 东岗村第1网格路口（上次巡查2026-11-15）" in told("wangge01")[-1].body


def test_running_twice_a_day_tells_nobody_twice_and_the_next_day_tells_again(
    cast: Cast, lamps: dict[str, Thing], time_machine: Any
) -> None:
    run_on(time_machine, at(11, 2))
    made = Notification.objects.count()
    assert made == 2  # 东岗村第2网格 has no grid worker: its lamp is due, nobody there to tell
    assert run_on(time_machine, at(11, 2, 15)) == "提醒 0 人(到期未巡查 3 个对象)"
    assert Notification.objects.count() == made
    run_on(time_machine, at(11, 3))
    assert Notification.objects.count() == 2 * made


def test_the_job_reads_the_things_in_one_query_however_many_patrols_are_stored(
    cast: Cast, lamps: dict[str, Thing], time_machine: Any, django_assert_max_num_queries: Any
) -> None:
    patrols = Register.objects.get(form_id="lamp_patrol")
    for day in range(1, 20):
        patrolled(cast, patrols, lamps["C"], date(2026, 10, day))
    time_machine.move_to(at(11, 2))
    patrols_job.remind_patrols(at(11, 2))
    # The registers, the patrol register, the due things with their last patrols, who was not told yet.
    with django_assert_max_num_queries(4):
        patrols_job.remind_patrols(at(11, 2))


def test_a_register_whose_patrol_form_is_not_loaded_is_named_in_the_summary(
    cast: Cast, time_machine: Any
) -> None:
    load(cast, "street_lamp")
    assert run_on(time_machine, at(11, 2)) == (
        "提醒 0 人(到期未巡查 0 个对象)；未找到巡查台账：路灯台账（未载入lamp_patrol）"
    )


def street_lamp_with(patrol_days: str, kind: str = "thing") -> bytes:
    book = load_workbook(LIBRARY / "street_lamp.xlsx")
    for row in book["zhenwu"].iter_rows(min_row=2):
        if row[0].value == "patrol_days":
            row[1].value = patrol_days
        if row[0].value == "kind":
            row[1].value = kind
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("三十 | lamp_patrol", "patrol_days的天数“三十”无效：应为1到366的整数"),
        ("0 | lamp_patrol", "patrol_days的天数“0”无效"),
        ("400 | lamp_patrol", "patrol_days的天数“400”无效"),
        ("30", "patrol_days须写明巡查记录台账的form_id：天数 | form_id"),
        ("30 | 路灯巡查", "patrol_days须写明巡查记录台账的form_id"),
    ],
)
def test_a_bad_patrol_setting_is_refused_naming_its_cell(value: str, message: str) -> None:
    with pytest.raises(DefinitionError) as refused:
        read_definition(street_lamp_with(value), "street_lamp.xlsx")
    assert any(m.startswith("zhenwu表第") and "「value」列：" + message in m for m in refused.value.messages)
