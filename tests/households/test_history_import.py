"""Monitoring identifications and 低保 grants imported with their real dates: the fixture files of 河口镇
go in whole, a second import adds nothing, every bad row is named by row and column, and the figures
count the imported records in their months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories as org_factories
from tests.hekou import Hekou, build
from zhenwu.core import idcard
from zhenwu.core.periods import Period
from zhenwu.households import excel, history, measures, services
from zhenwu.households.models import Benefit, Household, MonitoringCase, PersonalDataAccess, RegisterImport
from zhenwu.org import scope
from zhenwu.org.models import Role


def workbook(columns: list[str], *rows: list[Any]) -> bytes:
    book = Workbook()
    book.active.append(columns)
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def hekou(db: None) -> Hekou:
    hk = build()
    report = excel.import_register(
        hk.admin, BytesIO(hk.fixture("户籍登记.xlsx")), "户籍登记.xlsx", dry_run=False
    )
    assert report.errors == [] and report.households == 40
    return hk


def heads() -> dict[str, str]:
    """Each fixture household's number and its head's identity number, read from the register file."""
    from tests.hekou import FIXTURES

    sheet = load_workbook(FIXTURES / "户籍登记.xlsx").active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return {str(r[2]): str(r[7]) for r in rows if r[6] == "户主"}


def test_the_fixture_register_has_valid_identity_numbers() -> None:
    for number in heads().values():
        assert idcard.parse(number).number == number


def test_the_fixture_monitoring_list_imports_whole_and_again_adds_nothing(hekou: Hekou) -> None:
    data = hekou.fixture("防返贫监测对象.xlsx")
    dry = history.import_monitoring(hekou.admin, data, "防返贫监测对象.xlsx", dry_run=True)
    assert dry.errors == [] and dry.rows == 12 and dry.households == 12 and not dry.written
    assert not MonitoringCase.objects.exists()
    done = history.import_monitoring(hekou.admin, data, "防返贫监测对象.xlsx", dry_run=False)
    assert done.errors == [] and done.written and MonitoringCase.objects.count() == 12
    again = history.import_monitoring(hekou.admin, data, "防返贫监测对象.xlsx", dry_run=False)
    assert again.errors == [] and again.households == 0 and MonitoringCase.objects.count() == 12
    logged = RegisterImport.objects.filter(kind="monitoring")
    assert [r.households for r in logged.order_by("at", "pk")] == [12, 0]
    case = MonitoringCase.objects.order_by("identified_on").first()
    assert LogEntry.objects.get_for_object(case).get().actor == hekou.admin
    # Identified in January to August: the report's 新增监测对象 counts every one in its month.
    assert all(date(2026, 1, 1) <= c.identified_on <= date(2026, 8, 31) for c in MonitoringCase.objects.all())
    counted = services.new_monitored(scope.WHOLE_UNIT, date(2026, 1, 1), date(2026, 8, 31), hekou.township)
    assert counted.households == 12
    eliminated = MonitoringCase.objects.filter(state="eliminated")
    assert all(c.eliminated_on and c.eliminated_on >= c.identified_on for c in eliminated)


def test_the_fixture_dibao_grants_import_whole_and_the_dibao_figure_counts_their_months(hekou: Hekou) -> None:
    data = hekou.fixture("低保发放.xlsx")
    dry = history.import_benefits(hekou.admin, data, "低保发放.xlsx", dry_run=True)
    assert dry.errors == [] and dry.households == 20 and not Benefit.objects.exists()
    done = history.import_benefits(hekou.admin, data, "低保发放.xlsx", dry_run=False)
    assert done.errors == [] and Benefit.objects.filter(kind="dibao").count() == 20
    assert history.import_benefits(hekou.admin, data, "低保发放.xlsx", dry_run=False).households == 0
    assert Benefit.objects.count() == 20
    # The 低保金 measure is computed from the grants: monthly amount × months from its start to August.
    expected = sum(
        (b.monthly_amount * (8 - b.starts_on.month + 1) for b in Benefit.objects.all()), Decimal(0)
    )
    paid = measures.benefit_paid(hekou.township, Period(2026, 8), "dibao", {})
    assert paid.value == expected


def test_a_household_is_found_by_its_heads_identity_number_alone(hekou: Hekou) -> None:
    number, head = next(iter(heads().items()))
    data = workbook(
        history.MONITORING_COLUMNS,
        ["", head, "边缘易致贫户", "2026-03-10", "因病、缺劳动力", "", "监测中", ""],
    )
    report = history.import_monitoring(hekou.admin, data, "x.xlsx", dry_run=False)
    assert report.errors == []
    case = MonitoringCase.objects.get()
    assert case.household.number == number and case.risk_causes == "illness,no_labour"
    assert head not in str(report.errors) and not PersonalDataAccess.objects.exists()


def test_every_monitoring_fault_is_named_by_row_and_column(hekou: Hekou) -> None:
    numbers = heads()
    first, second, third = list(numbers)[:3]
    spouse, spouse_household = next(
        (str(r[7]), str(r[2]))
        for r in load_workbook(BytesIO(hekou.fixture("户籍登记.xlsx"))).active.iter_rows(values_only=True)
        if r[6] == "配偶"
    )
    row = ["", "", "边缘易致贫户", "2026-03-10", "因病", "", "监测中", ""]

    def line(**cells: Any) -> list[Any]:
        values = dict(zip(history.MONITORING_COLUMNS, row, strict=True)) | cells
        return [values[c] for c in history.MONITORING_COLUMNS]

    data = workbook(
        history.MONITORING_COLUMNS,
        line(户编号=first),
        line(户编号=first),
        line(户编号="NOPE"),
        line(户编号=second, 监测类型="一般户"),
        line(户编号=second, 风险类型="因懒"),
        line(户编号=second, 识别日期="2026-12-01"),
        line(户编号=second, 识别日期="三月"),
        line(户编号=second, 状态="风险已消除"),
        line(户编号=second, 风险消除日期="2026-04-01"),
        line(户编号=second, 状态="风险已消除", 风险消除日期="2026-02-01"),
        line(户主身份证号="110101199001011234"),
        line(户主身份证号=spouse),
        line(户编号=third, 户主身份证号=numbers[first]),
        line(),
        line(户编号=third, 状态="暂停"),
    )
    report = history.import_monitoring(hekou.admin, data, "x.xlsx", dry_run=False)
    assert report.errors == [
        "第3行「户编号」：与第2行是同一户：一户只导入一条监测记录。",
        "第4行「户编号」：农户名册中没有户编号NOPE(或不在您的管辖范围内)，请先导入名册。",
        "第5行「监测类型」：未知的监测类型「一般户」，可用：脱贫不稳定户、边缘易致贫户、突发严重困难户。",
        "第6行「风险类型」：未知的风险类型「因懒」，可用：因病、因残、因学、因灾、因意外事故、务工就业不稳、缺劳动力、其他。",
        "第7行「识别日期」：2026-12-01晚于今天。",
        "第8行「识别日期」：「三月」不是日期，请写成 2026-03-10 的格式。",
        "第9行「风险消除日期」：状态为风险已消除，须填写风险消除日期。",
        "第10行「风险消除日期」：状态为「监测中」，不应有风险消除日期：请核对状态。",
        "第11行「风险消除日期」：2026-02-01早于识别日期(2026-03-10)。",
        "第12行「户主身份证号」：身份证号校验位不符：按前17位应为7，这里是4。",
        f"第13行「户主身份证号」：此人不是户{spouse_household}的户主。",
        f"第14行「户主身份证号」：此人不在户{third}中，与「户编号」不一致。",
        "第15行「户编号」：请填写户编号或户主身份证号。",
        "第16行「状态」：未知的状态「暂停」，可用：监测中、风险已消除。",
    ]
    assert spouse not in str(report.errors)
    assert (
        not MonitoringCase.objects.exists() and not RegisterImport.objects.filter(kind="monitoring").exists()
    )


def test_an_open_identification_of_another_date_is_a_fault(hekou: Hekou) -> None:
    number = next(iter(heads()))
    household = Household.objects.get(number=number)
    services.identify(
        household=household, category="marginal", identified_on=date(2026, 2, 1), risk_causes=["illness"]
    )
    data = workbook(
        history.MONITORING_COLUMNS, [number, "", "边缘易致贫户", "2026-03-10", "因病", "", "", ""]
    )
    report = history.import_monitoring(hekou.admin, data, "x.xlsx", dry_run=True)
    assert report.errors == [f"第2行「户编号」：户{number}已是监测对象(另一识别日期)，请在现有记录中更新。"]


def test_every_benefit_fault_is_named_by_row_and_column(hekou: Hekou) -> None:
    a, b, c = list(heads())[:3]
    data = workbook(
        history.BENEFIT_COLUMNS,
        [a, "", "低保", 420, "2026-03-01", ""],
        [a, "", "低保", 420, "2026-05-01", ""],
        [b, "", "临时救助", 420, "2026-03-01", ""],
        [b, "", "低保", "四百", "2026-03-01", ""],
        [b, "", "低保", -5, "2026-03-01", ""],
        [b, "", "低保", 420.123, "2026-03-01", ""],
        [b, "", "低保", 420, "", ""],
        [b, "", "低保", 420, "2026-03-01", "2026-02-01"],
        [c, "", "低保", "", "1999-03-01", ""],
        ["NOPE", "", "特困供养", 600, "2026-03-01", ""],
    )
    report = history.import_benefits(hekou.admin, data, "x.xlsx", dry_run=False)
    assert report.errors == [
        "第3行「起始日期」：与第2行同一户的同类救助时间重叠。",
        "第4行「救助类型」：未知的救助类型「临时救助」，本表只导入低保、特困供养(按月发放)。",
        "第5行「月救助金额」：「四百」不是金额。",
        "第6行「月救助金额」：金额应大于0。",
        "第7行「月救助金额」：金额最多保留两位小数。",
        "第8行「起始日期」：起始日期不能为空。",
        "第9行「终止日期」：2026-02-01早于起始日期(2026-03-01)。",
        "第10行「月救助金额」：月救助金额不能为空。",
        "第10行「起始日期」：日期不能早于2000年1月1日。",
        "第11行「户编号」：农户名册中没有户编号NOPE(或不在您的管辖范围内)，请先导入名册。",
    ]
    assert not Benefit.objects.exists()


def test_a_grant_that_contradicts_one_already_there_is_a_fault(hekou: Hekou) -> None:
    number = next(iter(heads()))
    household = Household.objects.get(number=number)
    services.grant_benefit(
        household=household, kind="dibao", starts_on=date(2026, 3, 1), monthly_amount=Decimal(400)
    )
    same = workbook(history.BENEFIT_COLUMNS, [number, "", "低保", 400, "2026-03-01", ""])
    assert history.import_benefits(hekou.admin, same, "x.xlsx", dry_run=False).households == 0
    other = workbook(history.BENEFIT_COLUMNS, [number, "", "低保", 450, "2026-03-01", ""])
    report = history.import_benefits(hekou.admin, other, "x.xlsx", dry_run=False)
    assert report.errors == [
        f"第2行「起始日期」：户{number}已有2026-03-01起的低保，与本行时间重叠或金额不同：请在农户页面修改。"
    ]
    assert Benefit.objects.count() == 1


def test_a_village_clerk_imports_only_its_own_village_and_a_grid_worker_not_at_all(hekou: Hekou) -> None:
    clerk = org_factories.user(Role.VILLAGE_STAFF, hekou.villages["李家村"])
    outside = Household.objects.exclude(org_unit__path__startswith=hekou.villages["李家村"].path).first()
    assert outside is not None
    data = workbook(history.BENEFIT_COLUMNS, [outside.number, "", "低保", 420, "2026-03-01", ""])
    report = history.import_benefits(clerk, data, "x.xlsx", dry_run=True)
    assert report.errors == [
        f"第2行「户编号」：农户名册中没有户编号{outside.number}(或不在您的管辖范围内)，请先导入名册。"
    ]
    worker = org_factories.user(Role.GRID_WORKER, hekou.grids["李家村第1网格"])
    assert history.import_benefits(worker, data, "x.xlsx", dry_run=True).errors == [
        "您的角色不能导入救助记录。"
    ]
    assert history.import_monitoring(worker, data, "x.xlsx", dry_run=True).errors == [
        "您的角色不能导入监测对象。"
    ]


def test_the_import_pages_check_then_write_and_refuse_other_roles(hekou: Hekou, client: Client) -> None:
    client.force_login(hekou.admin)
    url = reverse("households:import-monitoring")
    assert "导入监测对象" in client.get(reverse("households:overview")).content.decode()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("防返贫监测对象.xlsx", hekou.fixture("防返贫监测对象.xlsx"))

    checked = client.post(url, {"file": upload(), "check": "1"})
    assert "检查通过：12行，将新增12条" in checked.content.decode() and not MonitoringCase.objects.exists()
    done = client.post(url, {"file": upload(), "commit": "1"})
    assert "已导入：12行，新增12条" in done.content.decode() and MonitoringCase.objects.count() == 12
    benefits = client.post(
        reverse("households:import-benefits"),
        {"file": SimpleUploadedFile("低保发放.xlsx", hekou.fixture("低保发放.xlsx")), "check": "1"},
    )
    assert "检查通过：20行，将新增20条" in benefits.content.decode()
    for kind in ("monitoring", "benefits"):
        template = client.get(reverse("households:import-template", kwargs={"kind": kind}))
        header = [c.value for c in load_workbook(BytesIO(template.content)).active[1]]
        assert header == (history.MONITORING_COLUMNS if kind == "monitoring" else history.BENEFIT_COLUMNS)
    worker = org_factories.user(Role.GRID_WORKER, hekou.grids["李家村第1网格"])
    client.force_login(worker)
    assert client.get(url).status_code == 403
    assert client.get(reverse("households:import-benefits")).status_code == 403
