"""An inspection that finds a hazard opens a hazard case in the case engine, linked to its record."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import Cast
from zhenwu.cases.models import Case, CaseType
from zhenwu.registers import services
from zhenwu.registers.definition import DefinitionError, read_definition
from zhenwu.registers.library import make
from zhenwu.registers.models import Register

from .books import lamps, xlsx

LIBRARY = Path(make.__file__).resolve().parent


def inspections(cast: Cast) -> Register:
    source = (LIBRARY / "place_inspection.xlsx").read_bytes()
    admin = cast.user("admin")
    return services.load_definition(admin, cast.township, source, "place_inspection.xlsx").register


def inspection(result: str = "hazard", **values: str) -> dict[str, str]:
    data = {
        "place_name": "东岗加油站",
        "place_type": "hazchem",
        "inspect_date": "2026-11-17",
        "inspectors": "吴网格",
        "result": result,
    }
    if result == "hazard":
        data.update(
            hazard_count="2",
            hazard_case_level="general",
            hazard_case_description="油罐区消防通道堆放杂物",
            hazard_case_deadline="2026-11-28",
        )
    return {**data, **values}


def test_the_library_inspection_declares_the_hazard_case() -> None:
    definition = read_definition((LIBRARY / "place_inspection.xlsx").read_bytes(), "place_inspection.xlsx")
    assert definition.opens_case == "hazard"


def test_a_hazard_found_opens_a_hazard_case_in_the_records_unit(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    register = inspections(cast)
    worker = cast.user("wangge01")
    record = services.create_record(worker, register, inspection(), unit=cast.grid0101)
    case = record.case
    assert case is not None
    assert case.case_type.code == "hazard" and case.category.code == "hazard-chemicals"
    assert case.title == "东岗加油站：发现隐患"
    assert case.description == "油罐区消防通道堆放杂物"
    assert case.org_unit == cast.grid0101 and case.reported_by == worker
    assert case.deadline is not None and case.deadline.date() == date(2026, 11, 28)
    assert case.source == f"场所安全检查记录#{record.pk}"
    assert services.records_pointing_at(worker, case) == [record]


def test_a_live_inspection_entered_a_day_later_opens_its_case_when_it_is_entered(
    cast: Cast, types: dict[str, CaseType], time_machine: Any
) -> None:
    """The case engine's clock starts when the hazard reaches it: a live record's case is received at
    its entry, not back-dated to the inspection's day (only the demo's loader dates its cases back)."""
    entered = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(entered, tick=False)
    record = services.create_record(
        cast.user("wangge01"), inspections(cast), inspection(inspect_date="2026-11-16"), unit=cast.grid0101
    )
    case = record.case
    assert case is not None and case.received_at == entered
    assert case.deadline is not None and case.deadline.date() == date(2026, 11, 28)
    assert [event.at for event in case.events.all()] == [entered] and case.state == "reported"


def test_an_inspection_without_a_hazard_opens_no_case(cast: Cast, types: dict[str, CaseType]) -> None:
    register = inspections(cast)
    before = Case.objects.count()
    record = services.create_record(cast.user("wangge01"), register, inspection("pass"), unit=cast.grid0101)
    assert record.case is None and Case.objects.count() == before


def test_a_case_type_missing_keeps_the_record_out_too(cast: Cast) -> None:
    CaseType.objects.filter(code="hazard").delete()
    register = inspections(cast)
    with pytest.raises(ValidationError):
        services.create_record(cast.user("wangge01"), register, inspection(), unit=cast.grid0101)
    assert not register.records.exists()


def test_opens_case_needs_its_description_field() -> None:
    sheets = lamps()
    sheets["zhenwu"] = [*sheets["zhenwu"], ["opens_case", "hazard"]]
    with pytest.raises(DefinitionError, match="hazard_case_description"):
        read_definition(xlsx(sheets), "台账.xlsx")


def test_the_record_page_links_to_the_case_and_the_case_page_to_the_record(
    cast: Cast, types: dict[str, CaseType]
) -> None:
    register = inspections(cast)
    record = services.create_record(cast.user("wangge01"), register, inspection(), unit=cast.grid0101)
    client = Client()
    client.force_login(cast.user("wangge01"))
    page = client.get(f"/registers/records/{record.pk}/").content.decode()
    assert f"/cases/{record.case_id}/" in page
    page = client.get(f"/cases/{record.case_id}/").content.decode()
    assert f"/registers/records/{record.pk}/" in page
