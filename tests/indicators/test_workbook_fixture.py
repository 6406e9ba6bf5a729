"""The onboarding fixture 指标台账.xlsx imports into 河口镇 whole: its catalog, targets and eight months,
a second import changes nothing, and the figures show in the progress table for 2026-08."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from tests.fixtures.township import make_indicators
from tests.indicators.workbook_helpers import Hekou, build_hekou
from zhenwu.core.periods import Period
from zhenwu.indicators import services, workbook
from zhenwu.indicators.models import Indicator, Target, Value

DATA = make_indicators.FILE.read_bytes()
NAME = make_indicators.FILE.name


@pytest.fixture
def hekou(db: None) -> Hekou:
    return build_hekou()


def imported(hekou: Hekou) -> workbook.WorkbookResult:
    dry = workbook.import_workbook(hekou.admin, DATA, NAME, dry_run=True)
    assert dry.errors == []
    applied = workbook.import_workbook(hekou.admin, DATA, NAME, dry_run=False, confirm=dry.confirm_key)
    assert applied.saved
    return applied


def test_the_dry_run_counts_everything_and_writes_nothing(hekou: Hekou) -> None:
    result = workbook.import_workbook(hekou.admin, DATA, NAME)
    assert result.errors == [] and result.doubts == []
    counts = result.counts
    assert counts.indicators_added == len(make_indicators.INDICATORS) == 16
    assert counts.targets_added == len(make_indicators.targets())
    assert counts.values_added == 8 * len(make_indicators.values())
    assert result.pending and not result.saved
    assert not Indicator.objects.filter(township=hekou.township).exists()


def test_the_fixture_imports_whole(hekou: Hekou) -> None:
    imported(hekou)
    indicators = {i.code: i for i in Indicator.objects.filter(township=hekou.township)}
    assert len(indicators) == 16
    area = indicators["lsbzmj"]
    assert (area.unit, area.kind, area.by_village, area.department.name) == (
        "亩",
        "level",
        True,
        "农业农村办",
    )
    assert indicators["aqsgqs"].direction == "lower"
    # an office's row is the township's target for that office's indicators
    target = Target.objects.get(indicator=indicators["gdzctz"], org_unit=hekou.township, year=2026)
    assert target.value == Decimal(120000)
    village = hekou.villages["李家村"]
    expected = make_indicators.targets()[("李家村", "xzjygw")]
    assert Target.objects.get(indicator=indicators["xzjygw"], org_unit=village).value == expected
    assert Value.objects.filter(indicator__township=hekou.township, year=2026).count() == 8 * 51


def test_a_second_import_of_the_same_file_changes_nothing(hekou: Hekou) -> None:
    imported(hekou)
    logged = LogEntry.objects.count()
    again = workbook.import_workbook(hekou.admin, DATA, NAME, dry_run=False, confirm=True)
    assert again.saved and again.errors == []
    counts = again.counts
    assert (counts.indicators_added, counts.indicators_updated, counts.indicators_unchanged) == (0, 0, 16)
    assert (counts.targets_added, counts.targets_changed) == (0, 0)
    assert (counts.values_added, counts.values_changed, counts.values_unchanged) == (0, 0, 408)
    assert LogEntry.objects.count() == logged


def test_the_values_show_in_the_progress_table_for_august(hekou: Hekou) -> None:
    imported(hekou)
    rows = {
        r.indicator.code: r for r in services.progress_for_unit(hekou.admin, hekou.township, Period(2026, 8))
    }
    invest = make_indicators.values()[("河口镇", "gdzctz")]
    assert rows["gdzctz"].actual == invest[7]
    assert rows["gdzctz"].target == Decimal(120000)
    jobs = sum(make_indicators.values()[(v, "xzjygw")][7] for v in make_indicators.VILLAGES)
    assert rows["xzjygw"].actual == jobs  # the township's total, rolled up from its villages
    assert rows["gdzctz"].progress.completion_percent is not None


def test_every_write_is_logged_as_the_importer_and_marked_imported(hekou: Hekou) -> None:
    imported(hekou)
    entry = LogEntry.objects.filter(content_type__model="value").latest("timestamp")
    assert entry.actor == hekou.admin
    assert entry.additional_data == {"imported_from": NAME}
    assert LogEntry.objects.filter(content_type__model="indicator", actor=hekou.admin).count() == 16


def test_the_fixture_script_writes_what_is_committed(tmp_path: object) -> None:
    """The committed file holds the script's figures: the test above checks them against the script."""
    from pathlib import Path

    from openpyxl import load_workbook

    written = make_indicators.write(Path(str(tmp_path)) / "x.xlsx")
    fresh, committed = load_workbook(written), load_workbook(make_indicators.FILE)
    for name in workbook.SHEETS:
        assert list(fresh[name].values) == list(committed[name].values)
