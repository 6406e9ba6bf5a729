"""`zhenwu init` on an empty install (no demo) prepares the township of the onboarding fixtures: its
county and township by official code, the standard offices the case catalog routes to, the case types,
the 2025 and 2026 holiday tables (and says 2027's is missing), and the indicator library. Run twice, the
second run changes nothing in the whole database, and says so."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tests.fixtures.township import township as fixture
from zhenwu.cases.models import CaseCategory, CaseType
from zhenwu.indicators import library
from zhenwu.indicators.models import LibraryIndicator
from zhenwu.onboarding import prepare_township
from zhenwu.org import services as org_services
from zhenwu.org.models import Department, OrgKind, OrgUnit, User
from zhenwu.workcalendar import holidays
from zhenwu.workcalendar.models import CalendarDay

ARGS = {
    "township": fixture.TOWNSHIP[0],
    "code": fixture.TOWNSHIP[1],
    "county": fixture.COUNTY[0],
    "county_code": fixture.COUNTY[1],
}


def init(**overrides: str) -> str:
    values = {**ARGS, **overrides}
    out = StringIO()
    call_command(
        "init",
        "--township", values["township"], "--code", values["code"],
        "--county", values["county"], "--county-code", values["county_code"],
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def whole_database() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the project's models keep, the activity log included."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_the_install_starts_empty(empty_install: None) -> None:
    for model in (OrgUnit, Department, User, CaseType, CalendarDay, LibraryIndicator):
        assert not model.objects.exists(), model.__name__


def test_init_prepares_the_township_on_an_empty_install(empty_install: None) -> None:
    out = init()
    county = OrgUnit.objects.get(code=fixture.COUNTY[1])
    township = OrgUnit.objects.get(code=fixture.TOWNSHIP[1])
    assert (county.kind, county.name, county.parent) == (OrgKind.COUNTY, "清源县", None)
    assert (township.kind, township.name, township.parent) == (OrgKind.TOWNSHIP, "河口镇", county)
    offices = set(Department.objects.filter(township=township).values_list("name", "code"))
    assert offices == set(fixture.OFFICES)
    types = {t.code: t for t in CaseType.objects.all()}
    assert set(types) == {"grid_event", "hazard", "petition", "hotline", "disclosure"}
    assert CaseCategory.objects.filter(case_type=types["hazard"], name="自建房").exists()
    assert types["petition"].deadline_days == 60 and types["grid_event"].has_levels
    intake = {t.intake_department_code for t in types.values()}
    assert intake <= {code for _, code in fixture.OFFICES}  # every case type finds its office
    for year in (2025, 2026):
        shipped = {(d.date, d.kind) for d in holidays.shipped_days() if d.date.year == year}
        assert set(CalendarDay.objects.filter(date__year=year).values_list("date", "kind")) == shipped
    assert CalendarDay.objects.filter(date__year=2026, kind="holiday").count() == 33
    assert LibraryIndicator.objects.count() == len(library.CATALOG)
    assert "新建：乡镇/街道 河口镇(990102101000)" in out
    assert "2027年的节假日表还没有" in out and "zhenwu holidays 2027 --notice" in out
    assert "下一步：运行 zhenwu serve" in out


def test_running_init_twice_changes_nothing_in_the_whole_database(empty_install: None) -> None:
    init()
    before = whole_database()
    out = init()
    assert whole_database() == before
    assert "新建" not in out and "没有改动：河口镇已经准备好" in out


def test_prepare_township_says_what_it_created_and_what_it_found(empty_install: None) -> None:
    first = prepare_township(**ARGS)
    second = prepare_township(**ARGS)
    assert first.changed and len(first.created) == 6 and first.found == []
    assert not second.changed and second.created == [] and len(second.found) == 6
    assert second.township == first.township


def test_a_township_there_under_another_name_is_reported_not_renamed(empty_install: None) -> None:
    init()
    out = init(township="河口乡")
    assert OrgUnit.objects.get(code=fixture.TOWNSHIP[1]).name == "河口镇"
    assert "名为「河口镇」，与填写的「河口乡」不同：未改名" in out


def test_an_office_there_under_another_code_is_reported(empty_install: None) -> None:
    township = prepare_township(**ARGS).township
    Department.objects.filter(township=township, code="dzb").update(code="bgs")
    out = init()
    assert "站所「党政办」已存在，编码为 bgs 而不是标准编码 dzb" in out
    assert "案件类型「市长热线/12345」由编码为 dzb 的站所受理，河口镇没有这个站所" in out
    assert not Department.objects.filter(township=township, code="dzb").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "99010210100"}, "--code：「乡镇/街道代码」应为12位数字的统计用区划代码"),
        ({"code": "990102101001"}, "应是乡镇级代码"),
        ({"code": "990103101000"}, "前6位应与县/区代码的前6位 990102 相同"),
        ({"county_code": "990102001000"}, "--county-code：「县/区代码」应以 000000 结尾"),
        ({"township": " "}, "--township：「乡镇/街道名称」不能为空"),
        ({"county": "清源\u202e县"}, "--county：「县/区名称」含有"),
    ],
)
def test_wrong_names_and_codes_are_refused_and_change_nothing(
    empty_install: None, overrides: dict[str, str], message: str
) -> None:
    before = whole_database()
    with pytest.raises(CommandError, match=message):
        init(**overrides)
    assert whole_database() == before


def test_a_code_used_by_another_kind_of_unit_is_refused(empty_install: None) -> None:
    township = prepare_township(**ARGS).township
    org_services.create_org_unit(kind=OrgKind.VILLAGE, code="990102102000", name="错码村", parent=township)
    before = whole_database()
    with pytest.raises(CommandError, match="--code：代码 990102102000 已被村/社区「错码村」使用"):
        init(code="990102102000", township="新镇")
    assert whole_database() == before


def test_a_township_of_the_same_name_under_another_code_is_refused_not_doubled(empty_install: None) -> None:
    county = prepare_township(**ARGS).county
    org_services.create_org_unit(kind=OrgKind.TOWNSHIP, code="HK01", name="柳镇", parent=county)
    with pytest.raises(CommandError, match="--code：已有名为「柳镇」的乡镇/街道，编码为 HK01"):
        init(township="柳镇", code="990102102000")
    assert OrgUnit.objects.filter(name="柳镇").count() == 1
