"""A bad 指标台账 changes nothing, and every error names its sheet, row and column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.indicators.workbook_helpers import CATALOG_ROWS, Hekou, book, build_hekou, months
from zhenwu.indicators import workbook
from zhenwu.indicators.models import Indicator, IndicatorKind, Target, Value


@pytest.fixture
def hekou(db: None) -> Hekou:
    return build_hekou()


def errors(hekou: Hekou, data: bytes, user: object = None) -> list[str]:
    result = workbook.import_workbook(user or hekou.admin, data, "台账.xlsx", dry_run=False, confirm=True)  # type: ignore[arg-type]
    assert not result.saved
    return result.errors


def catalog(hekou: Hekou) -> dict[str, Indicator]:
    result = workbook.import_workbook(hekou.admin, book(CATALOG_ROWS), "目录.xlsx", dry_run=False)
    assert result.saved, result.errors
    return {i.code: i for i in Indicator.objects.filter(township=hekou.township)}


def test_each_bad_cell_of_the_catalog_is_named(hekou: Hekou) -> None:
    rows = [
        ["固定 资产", "固定资产投资", "万元", "流量", "越大越好", "招商局", "5", "也许"],
        ["ok", "", "", "累计", "", "经济发展办", "", ""],
    ]
    assert errors(hekou, book(rows)) == [
        "指标表第4行A列：“编码”应为字母、数字、下划线或连字符，现为“固定 资产”。",
        "指标表第4行D列：“类型”应为累计、时点或比率，现为“流量”。",
        "指标表第4行E列：“方向”应为越高越好或越低越好，现为“越大越好”。",
        "指标表第4行F列：未知的责任站所“招商局”(本镇有：党政办、农业农村办、应急管理办、社会事务办、经济发展办、综治中心、财政所)。",
        "指标表第4行G列：“小数位数”应为 0 到 4 的整数，现为“5”。",
        "指标表第4行H列：“按村填报”应为是或否，现为“也许”。",
        "指标表第5行B列：请填写“名称”。",
        "指标表第5行C列：请填写“计量单位”。",
    ]
    assert not Indicator.objects.filter(township=hekou.township).exists()


def test_a_duplicated_code_is_named_with_its_first_row(hekou: Hekou) -> None:
    assert errors(hekou, book([CATALOG_ROWS[0], CATALOG_ROWS[0]])) == [
        "指标表第5行A列：编码“gdzctz”与指标表第4行重复。"
    ]


def test_a_re_import_renames_by_code_and_never_deletes(hekou: Hekou) -> None:
    catalog(hekou)
    renamed = [["gdzctz", "固定资产投资(不含农户)", "万元", "累计", "越高越好", "经济发展办", 1, "否"]]
    result = workbook.import_workbook(hekou.admin, book(renamed), "目录.xlsx", dry_run=False)
    assert result.saved
    assert result.changes == ["修改指标“固定资产投资”改名为“固定资产投资(不含农户)”(gdzctz)"]
    assert Indicator.objects.filter(township=hekou.township).count() == 3


def test_the_unit_or_type_of_an_indicator_with_values_cannot_change(hekou: Hekou) -> None:
    invest = catalog(hekou)["gdzctz"]
    Value.objects.create(indicator=invest, org_unit=hekou.township, year=2026, month=1, value=Decimal(5))
    changed = [["gdzctz", "固定资产投资", "亿元", "时点", "越高越好", "经济发展办", 1, "否"]]
    assert errors(hekou, book(changed)) == [
        "指标表第4行：指标“固定资产投资”已有填报数值，不能更改计量单位和类型(现为万元、累计)。如确需更改，请新建一个指标。"
    ]
    invest.refresh_from_db()
    assert (invest.unit, invest.kind) == ("万元", IndicatorKind.CUMULATIVE)


def test_only_the_township_admin_imports_the_catalog(hekou: Hekou) -> None:
    assert errors(hekou, book(CATALOG_ROWS), hekou.economy) == ["指标表：只有乡镇管理员可以导入指标目录。"]


def test_targets_name_unknown_units_indicators_and_bad_numbers(hekou: Hekou) -> None:
    catalog(hekou)
    targets = [
        ["单位", "固定资产投资", "新增就业岗位", "不存在的指标"],
        ["河口镇", "12万", "１２０", None],
        ["月亮村", 5, None, None],
        ["李家村", 5, "三十", 7],
        ["经济发展办", None, 10, None],
        ["经济发展办", "-3", None, None],
    ]
    assert errors(hekou, book(targets=targets)) == [
        "目标表第5行A列：未知的单位“月亮村”(应为本镇、村/社区或站所的名称或编码)。",
        "目标表第6行B列：“固定资产投资”不按村填报，不能给李家村下达任务。",
        "目标表第6行D列：表头的指标“不存在的指标”不在本镇指标目录中。",
        "目标表第7行C列：“新增就业岗位”由社会事务办负责，不属于经济发展办。",
        "目标表第8行B列：与目标表第4行B列重复，同一单位的同一指标只能有一个目标。",
    ]
    assert not Target.objects.exists()


def test_full_width_digits_and_chinese_amounts_are_read_as_targets(hekou: Hekou) -> None:
    indicators = catalog(hekou)
    targets = [["单位", "gdzctz", "新增就业岗位"], ["河口镇", "12亿", "１２０"], ["李家村", None, "三十"]]
    result = workbook.import_workbook(hekou.admin, book(targets=targets), "目标.xlsx", dry_run=False)
    assert result.saved, result.errors
    assert result.counts.targets_added == 3
    assert Target.objects.get(indicator=indicators["gdzctz"]).value == Decimal(120000)
    village = hekou.villages["李家村"]
    assert Target.objects.get(indicator=indicators["jygw"], org_unit=village).value == Decimal(30)


def test_a_village_clerk_cannot_import_targets(hekou: Hekou) -> None:
    catalog(hekou)
    targets = [["单位", "新增就业岗位"], ["李家村", 30], ["河口镇", 300]]
    assert errors(hekou, book(targets=targets), hekou.clerk) == [
        "目标表第4行A列：无权为李家村下达目标任务(只有乡镇管理员可以下达)。",
        "目标表第5行A列：无权为河口镇下达目标任务(只有乡镇管理员可以下达)。",
    ]


def test_values_name_each_bad_cell(hekou: Hekou) -> None:
    catalog(hekou)
    values = [
        ["河口镇", "固定资产投资", "亿元", *months(1)],
        ["河口镇", "固定资产投资", "万元", *months("一些")],
        ["河口镇", "固定资产投资", None, *months(*[None] * 10, 5)],
        ["月亮村", "不存在", None, *months(1)],
        ["李家村", "固定资产投资", None, *months(1)],
        ["河口镇", "固定资产投资", "万元", *months(1.25)],
        ["李家村", "jygw", "个", *months(-1)],
    ]
    assert errors(hekou, book(values=values)) == [
        "月度数据表第4行C列：计量单位“亿元”与指标“固定资产投资”的“万元”不符，请把数值换算为指标的计量单位。",
        "月度数据表第5行D列「1月」：“固定资产投资”应填数字，而不是“一些”。",
        "月度数据表第6行N列「11月」：2026年11月尚未结束，不能填报。",
        "月度数据表第7行A列：未知的单位“月亮村”(应为本镇、村/社区或站所的名称或编码)。",
        "月度数据表第7行B列：指标“不存在”不在本镇指标目录中。",
        "月度数据表第8行D列「1月」：无权填报李家村的“固定资产投资”。",
        "月度数据表第9行D列「1月」：“固定资产投资”最多保留1位小数。",
        "月度数据表第10行D列「1月」：“新增就业岗位”不能为负数。",
    ]
    assert not Value.objects.exists()


def test_bound_indicators_refuse_imported_values(hekou: Hekou) -> None:
    office = hekou.offices["综治中心"]
    Indicator.objects.create(
        township=hekou.township, department=office, code="sj", name="网格事件数", unit="件",
        source="cases.received", source_option="grid_event",
    )  # fmt: skip
    values = [["河口镇", "网格事件数", "件", *months(3)]]
    assert errors(hekou, book(values=values)) == [
        "月度数据表第4行B列：“网格事件数”由平台的记录自动计算(绑定指标)，不能导入数值。"
    ]


def test_an_error_anywhere_saves_nothing_of_any_sheet(hekou: Hekou) -> None:
    targets = [["单位", "固定资产投资"], ["河口镇", 1000]]
    values = [
        ["河口镇", "固定资产投资", "万元", *months(10, 20)],
        ["河口镇", "固定资产投资", "万元", *months(30)],
    ]
    assert errors(hekou, book(CATALOG_ROWS, targets, values)) == [
        "月度数据表第5行D列「1月」：与月度数据表第4行D列「1月」重复：同一指标、同一单元只能填一次。"
    ]
    assert not Indicator.objects.filter(township=hekou.township).exists()
    assert not Target.objects.exists()


def test_a_workbook_without_any_of_the_sheets_is_refused(hekou: Hekou) -> None:
    from io import BytesIO

    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "Sheet1"
    buffer = BytesIO()
    other.save(buffer)
    assert errors(hekou, buffer.getvalue()) == [
        "工作簿中没有“指标”“目标”“月度数据”中的任何一张工作表(现有：Sheet1)，请使用下载的模板。"
    ]
    assert errors(hekou, b"not a workbook") != []


def test_a_sheet_without_its_year_is_named(hekou: Hekou) -> None:
    assert errors(hekou, book(values=[], year="明年")) == [  # type: ignore[arg-type]
        "月度数据表第2行B列：应填写年度，如 2026(A列为“年度”)。请使用下载的模板。"
    ]


def test_a_sheet_without_its_headers_is_named(hekou: Hekou) -> None:
    from io import BytesIO

    from openpyxl import Workbook

    headless = Workbook()
    headless.active.title = "指标"
    headless.active["A4"] = "gdzctz"
    buffer = BytesIO()
    headless.save(buffer)
    assert errors(hekou, buffer.getvalue()) == [
        "指标表第3行应为表头：编码、名称、计量单位、类型、方向、责任站所、小数位数、按村填报。请使用下载的模板。"
    ]


def test_odd_cells_are_errors_not_crashes(hekou: Hekou) -> None:
    from datetime import date

    rows = [[True, date(2026, 1, 1), 1e300, None, float("inf"), "=A1", -1, 3.5]]
    targets = [["单位", date(2026, 1, 1), True], [date(2026, 1, 1), True, 1e300]]
    values = [[1e300, True, date(2026, 1, 1), *months(True, date(2026, 1, 1), "1e5", "NaN")]]
    found = errors(hekou, book(rows, targets, values))
    assert found and all(message.startswith("指标表第4行") for message in found)
    found = errors(hekou, book(targets=targets, values=values))
    assert found and all(message.startswith(("目标表第", "月度数据表第")) for message in found)
