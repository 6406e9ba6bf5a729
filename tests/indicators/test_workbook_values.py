"""Many months of values in one sheet, checked month after month as the month import checks them: a
decrease of a cumulative value or a value ten times off is a doubt the user must confirm."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.indicators.workbook_helpers import CATALOG_ROWS, Hekou, book, build_hekou, months
from zhenwu.indicators import workbook
from zhenwu.indicators.models import Indicator, Value


@pytest.fixture
def hekou(db: None) -> Hekou:
    hekou = build_hekou()
    result = workbook.import_workbook(hekou.admin, book(CATALOG_ROWS), "目录.xlsx", dry_run=False)
    assert result.saved
    return hekou


def stored(code: str, unit: str = "河口镇") -> list[Decimal]:
    indicator = Indicator.objects.get(code=code, township__name="河口镇")
    rows = Value.objects.filter(indicator=indicator, org_unit__name=unit).order_by("month")
    return [v.value for v in rows]


def test_a_cumulative_decrease_needs_a_reason_in_the_note(hekou: Hekou) -> None:
    values = [["河口镇", "固定资产投资", "万元", *months(100, 90)]]
    result = workbook.import_workbook(hekou.admin, book(values=values), "数据.xlsx")
    assert result.errors == ["月度数据表第4行E列「2月」：累计值低于上月的100，请在备注中说明原因。"]


def test_a_decrease_with_its_reason_is_a_doubt_saved_only_once_confirmed(hekou: Hekou) -> None:
    values = [["河口镇", "固定资产投资", "万元", *months(100, 90, note="项目核减")]]
    data = book(values=values)
    dry = workbook.import_workbook(hekou.admin, data, "数据.xlsx")
    assert dry.errors == []
    assert dry.doubts == ["月度数据表第4行E列「2月」：累计值低于上月的100，原因：项目核减"]
    unconfirmed = workbook.import_workbook(hekou.admin, data, "数据.xlsx", dry_run=False)
    assert not unconfirmed.saved and stored("gdzctz") == []
    applied = workbook.import_workbook(hekou.admin, data, "数据.xlsx", dry_run=False, confirm=dry.confirm_key)
    assert applied.saved
    assert stored("gdzctz") == [Decimal(100), Decimal(90)]


def test_a_month_ten_times_the_one_before_is_a_doubt(hekou: Hekou) -> None:
    values = [["河口镇", "固定资产投资", "万元", *months(100, 5000)]]
    dry = workbook.import_workbook(hekou.admin, book(values=values), "数据.xlsx")
    assert dry.doubts == [
        "月度数据表第4行E列「2月」：“固定资产投资”5000万元是上月100万元的50倍，请确认单位和数值。"
    ]


def test_the_confirmation_applies_the_signed_dry_run(hekou: Hekou) -> None:
    values = [["河口镇", "gdzctz", "万元", *months("１００", "２００")]]  # full-width digits
    dry = workbook.import_workbook(hekou.admin, book(values=values), "数据.xlsx")
    assert dry.pending and dry.counts.values_added == 2
    assert stored("gdzctz") == []
    applied = workbook.confirm_pending(hekou.admin, dry.pending)
    assert applied.saved and applied.counts.values_added == 2
    assert stored("gdzctz") == [Decimal(100), Decimal(200)]
    assert workbook.confirm_pending(hekou.admin, dry.pending + "x").errors == [
        "导入已过期或被改动，请重新上传文件。"
    ]


def test_a_changed_database_since_the_dry_run_asks_again(hekou: Hekou) -> None:
    values = [["河口镇", "固定资产投资", "万元", None, 5000]]
    dry = workbook.import_workbook(hekou.admin, book(values=values), "数据.xlsx")
    assert dry.doubts == []
    invest = Indicator.objects.get(code="gdzctz")
    Value.objects.create(indicator=invest, org_unit=hekou.township, year=2026, month=1, value=Decimal(100))
    again = workbook.confirm_pending(hekou.admin, dry.pending)
    assert not again.saved and again.doubts and again.pending
    assert workbook.confirm_pending(hekou.admin, again.pending).saved


def test_a_village_clerk_imports_the_villages_own_months(hekou: Hekou) -> None:
    values = [
        ["李家村", "新增就业岗位", "个", *months(2, 5, 9)],
        ["990102101201", "bzmj", "亩", *months(800)],
    ]
    result = workbook.import_workbook(hekou.clerk, book(values=values), "数据.xlsx", dry_run=False)
    assert result.saved, result.errors
    assert stored("jygw", "李家村") == [2, 5, 9]
    others = [["王庄村", "新增就业岗位", "个", *months(2)], ["河口镇", "新增就业岗位", "个", *months(20)]]
    refused = workbook.import_workbook(hekou.clerk, book(values=others), "数据.xlsx")
    assert refused.errors == [
        "月度数据表第4行A列：无权导入王庄村的数值。",
        "月度数据表第5行A列：无权导入河口镇的数值。",
    ]


def test_an_office_row_stands_for_the_township_figures_of_its_indicators(hekou: Hekou) -> None:
    values = [
        ["经济发展办", "固定资产投资", "万元", *months(100)],
        ["财政所", "固定资产投资", "万元", *months(1)],
    ]
    result = workbook.import_workbook(hekou.admin, book(values=values), "数据.xlsx")
    assert result.errors == ["月度数据表第5行A列：“固定资产投资”由经济发展办负责，不属于财政所。"]
    staff = workbook.import_workbook(hekou.economy, book(values=values[:1]), "数据.xlsx", dry_run=False)
    assert staff.saved and stored("gdzctz") == [Decimal(100)]


def test_the_preview_lists_the_stored_figures_a_corrected_file_changes(hekou: Hekou) -> None:
    first = [["河口镇", "固定资产投资", "万元", *months(100, 200)]]
    data = book(targets=[["单位", "gdzctz"], ["河口镇", 1000]], values=first)
    assert workbook.import_workbook(hekou.admin, data, "a.xlsx", dry_run=False).saved
    corrected = [["河口镇", "固定资产投资", "万元", *months(100, 210)]]
    dry = workbook.import_workbook(
        hekou.admin, book(targets=[["单位", "gdzctz"], ["河口镇", 1200]], values=corrected), "b.xlsx"
    )
    assert dry.modified == [
        "目标表第4行B列：河口镇“固定资产投资”全年目标1000 → 1200万元",
        "月度数据表第4行E列「2月」：河口镇“固定资产投资”200 → 210万元",
    ]
    assert (dry.counts.values_changed, dry.counts.values_unchanged, dry.counts.targets_changed) == (1, 1, 1)
