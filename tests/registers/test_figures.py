"""A register's figures against records counted by hand: filters in the database and in Python, sums,
averages, distinct values, things' current status, the village breakdown, spans and months, scope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.indicators.conftest import make, target
from zhenwu import measures
from zhenwu.core.periods import Period
from zhenwu.indicators import services as indicators
from zhenwu.indicators.models import IndicatorKind
from zhenwu.org.models import OrgUnit
from zhenwu.reader import analyse
from zhenwu.registers import figures, services
from zhenwu.registers.library import make as library
from zhenwu.registers.library.demo_records import demo_records
from zhenwu.registers.models import Register, RegisterRecord
from zhenwu.reports import services as reports
from zhenwu.reports.kinds import spec_for

from .books import SURVEY_HEADER, Sheets
from .helpers import admin_of, register_in

YEAR = figures.Span(date(2026, 1, 1), date(2026, 12, 31))

LIBRARY = Path(library.__file__).resolve().parent


def counted_lamps() -> Sheets:
    """Street lamps with the figures a township declares: all, broken (after patrols), solar."""
    return {
        "survey": [
            SURVEY_HEADER,
            ["text", "lamp_no", "路灯编号", "yes", "", "", ""],
            ["select_one status", "status", "状态", "yes", "", "", "status"],
            ["select_one kind", "kind", "类型", "yes", "", "", ""],
            ["integer", "power", "功率(瓦)", "", "", "", ""],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["status", "normal", "正常"],
            ["status", "broken", "损坏"],
            ["kind", "solar", "太阳能"],
            ["kind", "mains", "市电"],
        ],
        "settings": [["form_id", "form_title", "version"], ["counted_lamps", "路灯", "1"]],
        "entities": [["list_name", "label"], ["counted_lamps", "concat('路灯', ${lamp_no})"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "thing"],
            ["identity", "lamp_no"],
            ["figure:total", "路灯总数 | count |  |  | 盏"],
            ["figure:broken", "损坏路灯 | count |  | ${status} = 'broken' | 盏"],
            ["figure:solar", "太阳能路灯 | count |  | ${kind} = 'solar' | 盏"],
            ["figure:power", "总功率 | sum | power |  | 瓦"],
        ],
    }


def lamp_patrols() -> Sheets:
    """Patrols of those lamps, dated, with a cost, the tasks done and the status they leave."""
    return {
        "survey": [
            SURVEY_HEADER,
            ["text", "lamp", "路灯", "yes", "", "", ""],
            ["date", "day", "巡查日期", "yes", "", "", ""],
            ["select_one status", "status", "状态", "yes", "", "", "status"],
            ["decimal", "cost", "费用(元)", "", "", "", ""],
            ["integer", "minutes", "用时(分钟)", "", "", "", ""],
            ["select_multiple task", "tasks", "工作内容", "", "", "", ""],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["status", "normal", "正常"],
            ["status", "broken", "损坏"],
            ["task", "bulb", "换灯头"],
            ["task", "wire", "修线路"],
        ],
        "settings": [["form_id", "form_title", "version"], ["counted_patrols", "路灯巡查", "1"]],
        "entities": [["list_name", "entity_id"], ["counted_lamps", "${lamp}"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["figure:patrols", "巡查 | count |  |  | 次"],
            ["figure:broken", "发现损坏 | count |  | ${status} = 'broken' | 次"],
            ["figure:not_broken", "未损坏 | count |  | ${status} != 'broken' | 次"],
            ["figure:cost", "维修费用 | sum | cost |  | 元"],
            ["figure:minutes", "平均用时 | avg | minutes |  | 分钟"],
            ["figure:lamps", "巡查路灯 | distinct | lamp |  | 盏"],
            ["figure:long", "超过30分钟 | count |  | ${minutes} > 30 | 次"],
            ["figure:wire", "修线路 | count |  | selected(${tasks}, 'wire') | 次"],
            ["figure:costly", "高费用损坏 | sum | cost | ${status} = 'broken' and ${cost} >= 100 | 元"],
            ["figure:odd", "含灯头或长时 | count |  | selected(${tasks}, 'bulb') or ${minutes} > 30 | 次"],
        ],
    }


def lamp(cast: Cast, unit: OrgUnit, number: str, status: str = "normal", **values: Any) -> Any:
    register = register_in(cast, cast.township, counted_lamps())
    data = {"lamp_no": number, "status": status, "kind": "mains", **values}
    return services.create_record(admin_of(cast, cast.township), register, data, unit=unit)


def patrol(cast: Cast, unit: OrgUnit, number: str, day: str, status: str, **values: Any) -> RegisterRecord:
    register_in(cast, cast.township, counted_lamps())
    register = register_in(cast, cast.township, lamp_patrols())
    data = {"lamp": number, "day": day, "status": status, **values}
    return services.create_record(admin_of(cast, cast.township), register, data, unit=unit)


@pytest.fixture
def lamps(cast: Cast) -> Register:
    """Five lamps: two in village 01 (one in its grid), two in village 02, one at the township."""
    lamp(cast, cast.village01, "A1", kind="solar", power=60)
    lamp(cast, cast.grid0101, "A2", power=100)
    lamp(cast, cast.village02, "B1", kind="solar", power=40)
    lamp(cast, cast.village02, "B2", status="broken")
    lamp(cast, cast.township, "T1", power=150)
    return Register.objects.get(township=cast.township, form_id="counted_lamps")


@pytest.fixture
def patrols(cast: Cast, lamps: Register) -> Register:
    """Six patrols over three months; A1 broken then repaired, B1 broken, B2 repaired."""
    patrol(cast, cast.grid0101, "A1", "2026-03-02", "broken", cost="80.50", minutes=20, tasks="bulb")
    patrol(cast, cast.village01, "A1", "2026-03-20", "normal", cost="120", minutes=45, tasks="bulb wire")
    patrol(cast, cast.village01, "A2", "2026-04-05", "normal", minutes=10)
    patrol(cast, cast.village02, "B1", "2026-04-18", "broken", cost="200", minutes=35, tasks="wire")
    patrol(cast, cast.village02, "B2", "2026-05-09", "normal", cost="60", tasks="bulb")
    patrol(cast, cast.village02, "B1", "2025-12-30", "broken", cost="999", minutes=5)  # last year
    return Register.objects.get(township=cast.township, form_id="counted_patrols")


def values(computed: list[figures.Computed]) -> dict[str, Decimal | None]:
    return {c.spec.name: c.value for c in computed}


def test_an_activity_registers_figures_match_the_records_counted_by_hand(
    cast: Cast, patrols: Register
) -> None:
    found = values(figures.figures_for(cast.user("admin"), patrols, cast.township, YEAR))
    assert found["patrols"] == 5  # the one of 2025 is outside the year
    assert found["broken"] == 2
    assert found["not_broken"] == 3
    assert found["cost"] == Decimal("460.5")  # 80.50 + 120 + 200 + 60
    assert found["minutes"] == Decimal("27.5")  # (20 + 45 + 10 + 35) / 4: a patrol without minutes is not 0
    assert found["lamps"] == 4  # A1, A2, B1, B2
    assert found["long"] == 2  # 45 and 35
    assert found["wire"] == 2
    assert found["costly"] == Decimal("200")  # broken and at least 100
    assert found["odd"] == 4  # bulb (3) or longer than 30 (45 has bulb too; 35 adds one)


def test_each_figure_comes_with_the_records_it_counted(cast: Cast, patrols: Register) -> None:
    computed = {c.spec.name: c for c in figures.figures_for(cast.user("admin"), patrols, cast.township, YEAR)}
    broken = computed["broken"]
    assert sorted(r.data["day"] for r in broken.rows) == ["2026-03-02", "2026-04-18"]
    assert broken.text == "2次"
    assert computed["cost"].text == "460.5元"


def test_the_python_path_gives_what_the_database_gives(
    cast: Cast, patrols: Register, lamps: Register
) -> None:
    admin = cast.user("admin")
    for register in (patrols, lamps):
        in_database = figures.figures_for(admin, register, cast.township, YEAR)
        in_python = figures.figures_for(admin, register, cast.township, YEAR, in_database=False)
        assert values(in_database) == values(in_python)
        for a, b in zip(in_database, in_python, strict=True):
            assert sorted(a.rows.values_list("pk", flat=True)) == sorted(b.rows.values_list("pk", flat=True))


def test_plain_filters_run_in_the_database_and_others_in_python(cast: Cast, patrols: Register) -> None:
    definition = figures.definition_of(patrols)
    assert definition is not None
    assert figures._pushed(patrols, definition, "${status} = 'broken' and ${cost} >= 100") is not None
    assert figures._pushed(patrols, definition, "selected(${tasks}, 'wire')") is not None
    assert figures._pushed(patrols, definition, "selected(${tasks}, 'bulb') or ${minutes} > 30") is None


def test_a_thing_registers_figures_count_its_things_as_patrols_left_them(
    cast: Cast, patrols: Register
) -> None:
    lamps = Register.objects.get(township=cast.township, form_id="counted_lamps")
    found = values(figures.figures_for(cast.user("admin"), lamps, cast.township, YEAR))
    # A1 broken then repaired, B1 broken, B2 registered broken then repaired: only B1 is broken now.
    assert found == {"total": 5, "broken": 1, "solar": 2, "power": Decimal("350")}
    broken = next(
        c
        for c in figures.figures_for(cast.user("admin"), lamps, cast.township, YEAR)
        if c.spec.name == "broken"
    )
    assert [t.identity for t in broken.rows] == ["B1"]


def test_the_village_breakdown_counts_a_grids_records_for_its_village(cast: Cast, patrols: Register) -> None:
    found = figures.breakdown(cast.user("admin"), patrols, cast.township, YEAR)
    rows = {unit.code: values(computed) for unit, computed in found.rows}
    assert rows[cast.village01.code]["patrols"] == 3  # one of them entered in its grid
    assert rows[cast.village02.code]["patrols"] == 2
    assert rows[cast.village03.code]["patrols"] == 0
    assert values(found.total)["patrols"] == 5
    lamps = figures.breakdown(
        cast.user("admin"), Register.objects.get(form_id="counted_lamps"), cast.township, YEAR
    )
    assert values(lamps.total)["total"] == 5  # T1 is the township's own: in the total, in no village
    assert sum(values(c)["total"] or 0 for _, c in lamps.rows) == 4


def test_a_span_and_months_and_quarters(cast: Cast, patrols: Register) -> None:
    admin = cast.user("admin")
    march = figures.figures_for(
        admin, patrols, cast.township, figures.Span(date(2026, 3, 1), date(2026, 3, 31))
    )
    assert values(march)["patrols"] == 2
    months = dict(figures.by_period(admin, patrols, "patrols", cast.township, 2026))
    assert [months[m].value for m in ("2月", "3月", "4月", "5月", "12月")] == [0, 2, 2, 1, 0]
    quarters = dict(figures.by_period(admin, patrols, "cost", cast.township, 2026, "quarter"))
    assert quarters["一季度"].value == Decimal("200.5")
    assert quarters["二季度"].value == Decimal("260")


def test_a_record_without_its_date_is_dated_by_the_day_it_was_entered(cast: Cast, patrols: Register) -> None:
    record = patrol(cast, cast.village01, "A2", "2026-06-01", "normal")
    record.data = {key: value for key, value in record.data.items() if key != "day"}  # an older version's
    record.save()
    entered = datetime(2026, 8, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    RegisterRecord.objects.filter(pk=record.pk).update(entered_at=entered)
    months = dict(figures.by_period(cast.user("admin"), patrols, "patrols", cast.township, 2026))
    assert months["6月"].value == 0
    assert months["8月"].value == 1


def test_a_village_user_counts_their_village_only(cast: Cast, patrols: Register) -> None:
    cun01 = cast.user("cun01")
    found = values(figures.figures_for(cun01, patrols, cast.township, YEAR))
    assert found["patrols"] == 3
    assert found["cost"] == Decimal("200.5")
    lamps = Register.objects.get(township=cast.township, form_id="counted_lamps")
    assert values(figures.figures_for(cun01, lamps, cast.township, YEAR))["total"] == 2


def test_a_user_who_may_not_read_the_register_counts_nothing(cast: Cast, patrols: Register) -> None:
    assert values(figures.figures_for(cast.other_admin, patrols, cast.township, YEAR))["patrols"] == 0


def test_an_indicator_bound_to_a_register_figure_shows_its_value(cast: Cast, patrols: Register) -> None:
    cost = make("lamp_cost", "路灯维修费用", "元", cast.jingfa_department, kind=IndicatorKind.CUMULATIVE,
                source="registers.figure_money", source_option="counted_patrols:cost")  # fmt: skip
    lamps = make("lamps", "路灯总数", "盏", cast.jingfa_department, kind=IndicatorKind.LEVEL,
                 source="registers.level", source_option="counted_lamps:total")  # fmt: skip
    for indicator in (cost, lamps):
        indicator.full_clean()
    period = Period(2026, 11)
    table = indicators.progress_table([cost, lamps], [cast.township], period)
    assert table[(cost.pk, cast.township.pk)].actual == Decimal("460.5")
    assert table[(lamps.pk, cast.township.pk)].actual == 5
    records = table[(cost.pk, cast.township.pk)].records
    assert records is not None and records.route == "registers:record-list"
    assert ("figure", "cost") in records.query
    # By the end of October the lamps (registered today, 18 November) were not yet in the register.
    october = indicators.progress_table([lamps], [cast.township], Period(2026, 10))
    assert october[(lamps.pk, cast.township.pk)].actual == 0


def test_a_count_figure_is_not_offered_as_money(cast: Cast, patrols: Register) -> None:
    money = measures.get("registers.figure_money")
    count = measures.get("registers.figure")
    assert money is not None and count is not None
    assert "counted_patrols:cost" in dict(money.option_choices())
    assert "counted_patrols:cost" not in dict(count.option_choices())
    assert dict(count.option_choices())["counted_patrols:patrols"] == "路灯巡查：巡查"


def test_the_registers_page_shows_its_figures_by_village_each_linking_to_its_records(
    cast: Cast, patrols: Register, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    url = reverse("registers:record-list", args=["counted_patrols"])
    page = client.get(url)
    table = page.context["figures"]
    assert table.labels[:2] == ["巡查(次)", "发现损坏(次)"]
    rows = dict(table.rows)
    assert [c.text for c in rows[f"{cast.township.name}(合计)"][:3]] == ["5次", "2次", "3次"]
    broken_in_village02 = rows[cast.village02.name][1]
    assert broken_in_village02.text == "1次"
    assert 'id="figure-breakdown"' in page.content.decode()
    listed = client.get(broken_in_village02.url)
    assert [r.data["day"] for r in listed.context["page"]] == ["2026-04-18"]
    assert "figure=broken" in listed.context["query"]
    lamps = client.get(reverse("registers:record-list", args=["counted_lamps"]) + "?figure=broken")
    assert [t.identity for t in lamps.context["page"]] == ["B1"]


def test_a_grid_worker_sees_the_figures_of_their_grid(cast: Cast, patrols: Register, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    table = client.get(reverse("registers:record-list", args=["counted_patrols"])).context["figures"]
    assert table.rows[0][0] == f"{cast.grid0101.name}(合计)"
    assert table.rows[0][1][0].text == "1次"


def register_sentences(document: Any) -> str:
    """The sub-section 其他工作 (registers keeping no office's work), one paragraph a register."""
    heading = next(n for n, p in enumerate(document.paragraphs) if p.text.endswith("其他工作"))
    texts = []
    for paragraph in document.paragraphs[heading + 1 :]:
        if paragraph.style != "body" or paragraph.text.startswith("（"):  # a note on what is absent
            break
        texts.append(paragraph.text)
    return "".join(texts)


def test_the_work_report_states_each_registers_figures_with_their_records(
    cast: Cast, patrols: Register
) -> None:
    admin = cast.user("admin")
    document = reports.report(admin, cast.township, spec_for("annual", 2026))
    assert register_sentences(document) == (
        "路灯：路灯总数5盏，损坏路灯1盏，太阳能路灯2盏，总功率350瓦。"
        "路灯巡查：巡查5次，发现损坏2次，未损坏3次，维修费用460.5元，平均用时27.5分钟，巡查路灯4盏，"
        "超过30分钟2次，修线路2次，高费用损坏200元，含灯头或长时4次。"
    )
    broken = next(f for f in document.figures if f.key == "register:counted_patrols:broken")
    assert "状态" not in broken.how and "${status} = 'broken'" in broken.how and "巡查日期" in broken.how
    (source,) = broken.sources
    assert source.route == "registers:record-list" and source.args == ("counted_patrols",)
    assert ("figure", "broken") in source.query and ("end", "2026-11-18") in source.query
    assert [e.message for e in analyse(document.text).findings if e.severity == "error"] == []


def test_a_figure_an_indicator_is_bound_to_is_stated_once(cast: Cast, patrols: Register) -> None:
    cost = make("lamp_cost", "路灯维修费用", "元", cast.jingfa_department, kind=IndicatorKind.CUMULATIVE,
                source="registers.figure_money", source_option="counted_patrols:cost")  # fmt: skip
    target(cost, cast.township, "1000")
    document = reports.report(cast.user("admin"), cast.township, spec_for("annual", 2026))
    assert "路灯维修费用完成460.5元" in document.text
    assert "维修费用460.5元" not in register_sentences(document)
    assert "发现损坏2次" in register_sentences(document)


def test_a_village_report_counts_the_villages_records(cast: Cast, patrols: Register) -> None:
    document = reports.report(cast.user("cun01"), cast.village01, spec_for("annual", 2026))
    assert register_sentences(document).startswith(
        "路灯：路灯总数2盏，太阳能路灯1盏，总功率160瓦。路灯巡查：巡查3次"
    )


def test_the_grouped_breakdown_is_each_villages_own_figures(
    cast: Cast, patrols: Register, lamps: Register
) -> None:
    admin = cast.user("admin")
    for register in (patrols, lamps):
        for unit, computed in figures.breakdown(admin, register, cast.township, YEAR).rows:
            own = figures.figures_for(admin, register, unit, YEAR)
            assert [c.text for c in computed] == [c.text for c in own], unit.name
            assert [
                sorted(c.rows.values_list("pk", flat=True)) for c in computed if c.spec.aggregate == "count"
            ] == [sorted(c.rows.values_list("pk", flat=True)) for c in own if c.spec.aggregate == "count"]


def test_a_thing_register_without_save_to_counts_its_things_latest_values(cast: Cast) -> None:
    """A list with no `save_to` keeps every value as a property; entering a number again updates it."""
    sheets: Sheets = {
        "survey": [
            ["type", "name", "label", "required"],
            ["text", "code", "编号", "yes"],
            ["select_one state", "state", "状态", "yes"],
        ],
        "choices": [["list_name", "name", "label"], ["state", "ok", "完好"], ["state", "bad", "损坏"]],
        "settings": [["form_id", "form_title", "version"], ["wells", "水井", "1"]],
        "entities": [["list_name", "label"], ["wells", "${code}"]],
        "zhenwu": [["key", "value"], ["kind", "thing"], ["identity", "code"],
                   ["figure:bad", "损坏水井 | count |  | ${state} = 'bad' | 口"]],
    }  # fmt: skip
    wells = register_in(cast, cast.township, sheets)
    admin = cast.user("admin")
    services.create_record(admin, wells, {"code": "W1", "state": "ok"}, unit=cast.village01)
    services.create_record(admin, wells, {"code": "W2", "state": "ok"}, unit=cast.village01)
    services.create_record(admin, wells, {"code": "W1", "state": "bad"}, unit=cast.village01)
    for in_database in (True, False):
        found = figures.figures_for(admin, wells, cast.township, YEAR, in_database=in_database)
        assert values(found) == {"bad": 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_postgresql_keeps_gin_indexes_on_the_json_the_figures_filter(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'register_%'")
        found = dict(cursor.fetchall())
    assert "USING gin (data jsonb_path_ops)" in found["register_record_data_gin"]
    assert "USING gin (properties jsonb_path_ops)" in found["register_thing_properties_gin"]
    assert "register_record_unit_day" in found


def test_the_library_lamps_figures_match_the_demo_records_counted_by_hand(cast: Cast) -> None:
    """The shipped 路灯台账 and its patrols with a slice of the demo's records: both filter paths give the
    counts a clerk would make from the records themselves."""
    admin = cast.user("admin")
    made = {}
    for form_id in ("street_lamp", "lamp_patrol"):
        source = (LIBRARY / f"{form_id}.xlsx").read_bytes()
        made[form_id] = services.load_definition(admin, cast.township, source, f"{form_id}.xlsx").register
    villages = [(cast.village01.code, cast.village01.name), (cast.village02.code, cast.village02.name)]
    demo = demo_records(cast.township.code, villages, date(2026, 11, 18))
    lamps = demo["street_lamp"][:40]
    codes = {lamp.data["code"] for lamp in lamps}
    patrols = [p for p in demo["lamp_patrol"] if p.data["lamp"] in codes]
    units = {u.code: u for u in (cast.township, cast.village01, cast.village02)}
    for record in (*lamps, *patrols):
        services.create_record(admin, made[record.form_id], record.data, unit=units[record.unit])
    year = [p.data for p in patrols if p.data["visit_date"] >= "2026-01-01"]
    expected = {
        "patrols": sum(d["visit_type"] == "patrol" for d in year),
        "faults": sum(d["visit_type"] == "patrol" and d.get("finding") != "ok" for d in year),
        "repairs": sum(d["visit_type"] == "repair" for d in year),
        "repair_cost": sum(Decimal(d.get("repair_cost") or 0) for d in year),
        "lamps": len({d["lamp"] for d in year}),
    }
    assert expected["patrols"] and expected["repairs"]
    last_status = {lamp.data["code"]: lamp.data["status"] for lamp in lamps}
    last_status.update({p.data["lamp"]: p.data["status"] for p in patrols})
    for in_database in (True, False):
        found = values(
            figures.figures_for(admin, made["lamp_patrol"], cast.township, YEAR, in_database=in_database)
        )
        assert found == expected
        things = values(
            figures.figures_for(admin, made["street_lamp"], cast.township, YEAR, in_database=in_database)
        )
        assert things["total"] == 40
        assert things["broken"] == sum(status == "broken" for status in last_status.values())
        assert things["solar"] == sum(lamp.data["lamp_type"] == "solar" for lamp in lamps)
