"""Excel imports of a village register and a subsidy roll: all or nothing, each bad row named by row and
column, a dry run writes nothing; the export reads back in the same layout, masked per permission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Cast
from tests.households import factories
from zhenwu.core import idcard
from zhenwu.households import excel
from zhenwu.households.models import Household, Member, PersonalDataAccess, RegisterImport, SubsidyPayment


def workbook(columns: list[str], rows: list[list[Any]]) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def register_row(number: str, name: str, relation: str, id_number: str, **extra: Any) -> list[Any]:
    cells = {"村/社区": "东岗村", "网格": "东岗村第1网格", "户编号": number, "住址": "一组3号",
             "户标签": "", "姓名": name, "与户主关系": relation, "身份证号": id_number, "电话": "",
             "残疾": "否"}  # fmt: skip
    cells.update(extra)
    return [cells[c] for c in excel.REGISTER_COLUMNS]


def good_rows() -> list[list[Any]]:
    return [
        register_row(
            "A001", "张大", "户主", factories.id_number(), 电话="13800001111", 户标签="脱贫户、留守老人"
        ),
        register_row("A001", "张小", "子女", factories.id_number(date(2010, 2, 2))),
        register_row("A002", "李一", "户主", factories.id_number(), 网格="", 残疾="是"),
    ]


def test_a_good_register_is_written_whole(cast: Cast) -> None:
    report = excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, good_rows()), "r.xlsx", dry_run=False
    )
    assert report.ok and report.written and (report.rows, report.households) == (3, 2)
    a001 = Household.objects.get(number="A001")
    assert a001.org_unit == cast.grid0101 and a001.lifted_out and a001.left_behind_elderly
    assert Household.objects.get(number="A002").org_unit == cast.village01
    assert a001.members.get(relation="head").full_phone() == "13800001111"
    assert Member.objects.get(name="张小").birth_date == date(2010, 2, 2)
    assert RegisterImport.objects.get().households == 2
    assert LogEntry.objects.filter(content_type__model="registerimport").exists()


def test_a_dry_run_writes_nothing(cast: Cast) -> None:
    report = excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, good_rows()), "r.xlsx", dry_run=True
    )
    assert report.ok and not report.written
    assert not Household.objects.exists() and not Member.objects.exists()


def test_every_bad_row_is_named_and_nothing_is_written(cast: Cast) -> None:
    existing = factories.household(cast.grid0101)
    taken = existing.members.first().full_id_number()  # type: ignore[union-attr]
    dup = factories.id_number()
    bad_check = factories.id_number()
    bad_check = bad_check[:17] + ("1" if bad_check[17] != "1" else "2")
    rows = [
        *good_rows(),
        register_row("B001", "王五", "户主", bad_check),
        register_row("B002", "赵六", "户主", dup),
        register_row("B003", "赵六", "户主", dup),
        register_row("B004", "钱七", "户主", factories.id_number(), **{"村/社区": "不存在村"}),
        register_row("B005", "孙八", "户主", taken),
        register_row("B006", "周九", "表亲", factories.id_number()),
        register_row("B007", "吴十", "户主", factories.id_number(), **{"村/社区": "西河村", "网格": ""}),
    ]
    report = excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, rows), "r.xlsx", dry_run=False
    )
    errors = "\n".join(report.errors)
    assert (
        f"第5行「身份证号」：身份证号校验位不符：按前17位应为{idcard.check_character(bad_check[:17])}"
        in errors
    )
    assert "第7行「身份证号」：与第6行是同一人" in errors
    assert "第8行「村/社区」：未知的村/社区「不存在村」" in errors
    assert f"第9行「身份证号」：此人已登记在户{existing.number}中" in errors
    assert "第10行「与户主关系」：未知的关系「表亲」" in errors
    assert "第11行「村/社区」：未知的村/社区「西河村」(或不在您的管辖范围内)" in errors
    assert len(report.errors) == 6 and not report.written
    assert Household.objects.count() == 1 and Member.objects.count() == 2


def test_a_file_without_the_template_header_is_refused(cast: Cast) -> None:
    report = excel.import_register(
        cast.user("cun01"), workbook(["姓名", "身份证"], [["甲", "1"]]), "x.xlsx", dry_run=False
    )
    missing = ["村/社区", "网格", "户编号", "住址", "户标签", "与户主关系", "身份证号", "电话", "残疾"]
    assert report.errors == [
        *[f"缺少列「{column}」，请使用下载的模板。" for column in missing],
        "第1行B列：表头「身份证」不是模板中的列，请使用下载的模板或删除该列。",
    ]
    not_excel = excel.import_register(cast.user("cun01"), BytesIO(b"name,id\n"), "x.xlsx", dry_run=False)
    assert "无法打开该文件" in not_excel.errors[0]


def test_a_household_without_a_head_is_named(cast: Cast) -> None:
    rows = [register_row("C001", "无主", "子女", factories.id_number())]
    report = excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, rows), "r.xlsx", dry_run=True
    )
    assert report.errors == ["户编号C001：没有户主，请在「与户主关系」中标明户主。"]


def roll_rows(members: list[Member], areas: list[str]) -> list[list[Any]]:
    def village(m: Member) -> str:
        unit = m.household.org_unit
        return unit.parent.name if unit.parent and unit.kind == "grid" else unit.name

    return [[village(m), m.name, m.full_id_number(), area] for m, area in zip(members, areas, strict=True)]


def test_a_subsidy_roll_computes_each_amount(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0102)
    heads = [factories.household(cast.grid0101).members.get(relation="head") for _ in range(3)]
    source = workbook(excel.ROLL_COLUMNS, roll_rows(heads, ["2.5", "10", "0.75"]))
    report = excel.import_roll(cast.user("minzheng"), batch, source, "roll.xlsx", dry_run=False)
    assert report.ok and report.households == 3
    amounts = {
        p.household_id: p.amount
        for p in SubsidyPayment.objects.filter(household__in=[h.household for h in heads])
    }
    assert amounts[heads[0].household_id] == Decimal("238.75") and amounts[heads[1].household_id] == Decimal(
        "955.00"
    )


def test_a_bad_roll_names_area_person_and_village(cast: Cast) -> None:
    batch = factories.batch_paying(cast.grid0102)
    heads = [factories.household(cast.grid0101).members.get(relation="head") for _ in range(3)]
    rows = roll_rows(heads, ["0", "-1", "abc"]) + roll_rows(heads[:1], ["2"])
    rows.append(["西河村", heads[2].name, factories.id_number(), "3"])
    rows.append(["南山村", heads[1].name, heads[1].full_id_number(), "3"])
    report = excel.import_roll(
        cast.user("minzheng"), batch, workbook(excel.ROLL_COLUMNS, rows), "r.xlsx", dry_run=False
    )
    errors = "\n".join(report.errors)
    assert "第2行「面积(亩)」：面积应大于0。" in errors and "第3行「面积(亩)」：面积应大于0。" in errors
    assert "第4行「面积(亩)」：「abc」不是数字。" in errors
    assert "第5行「身份证号」：与第2行是同一人" in errors
    assert "第6行「身份证号」：农户名册中没有此人" in errors
    assert "第7行「身份证号」：与第3行是同一人" in errors
    assert SubsidyPayment.objects.filter(batch=batch).count() == 1


def test_the_import_page_checks_then_imports(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    url = reverse("households:import-register")
    content = workbook(excel.REGISTER_COLUMNS, good_rows()).getvalue()
    checked = client.post(url, {"file": SimpleUploadedFile("r.xlsx", content), "check": "1"})
    assert "检查通过：3行，2户" in checked.content.decode() and not Household.objects.exists()
    done = client.post(url, {"file": SimpleUploadedFile("r.xlsx", content), "commit": "1"})
    assert "已导入：3行，2户" in done.content.decode() and Household.objects.count() == 2


def test_a_grid_worker_cannot_import(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    assert client.get(reverse("households:import-register")).status_code == 403


def test_the_templates_have_the_import_header(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))  # village staff keep the register; the roll is the township's
    for kind, columns in (("register", excel.REGISTER_COLUMNS), ("roll", excel.ROLL_COLUMNS)):
        response = client.get(reverse("households:import-template", args=[kind]))
        sheet = load_workbook(BytesIO(response.content)).worksheets[0]
        assert [c.value for c in sheet[1]] == columns


def test_the_export_reads_back_as_a_register(cast: Cast, client: Client) -> None:
    excel.import_register(
        cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, good_rows()), "r.xlsx", dry_run=False
    )
    client.force_login(cast.user("cun01"))
    url = reverse("households:export-register", args=[cast.village01.code])
    full = load_workbook(BytesIO(client.post(url, {"reason": "向民政局报送名册"}).content))
    rows = [[c.value for c in row] for row in full.worksheets[0].iter_rows(min_row=2)]
    head = next(r for r in rows if r[5] == "张大")
    assert head[:8] == [
        "东岗村",
        "东岗村第1网格",
        "A001",
        "一组3号",
        "脱贫户、留守老人",
        "张大",
        "户主",
        good_id(head[7]),
    ]
    client.force_login(cast.user("leader"))
    masked = load_workbook(
        BytesIO(client.get(reverse("households:export-register", args=[cast.village01.code])).content)
    )
    ids = [row[7].value for row in masked.worksheets[0].iter_rows(min_row=2)]
    assert ids and all("********" in i for i in ids)


def good_id(value: str) -> str:
    idcard.parse(value)
    return value


def test_the_batch_export_lists_heads_masked_unless_allowed_and_logs_a_full_one(
    cast: Cast, client: Client
) -> None:
    batch = factories.batch_paying(cast.grid0101, area=Decimal("2"))
    head = batch.payments.get().household.members.get(relation="head")
    client.force_login(cast.user("leader"))
    sheet = load_workbook(
        BytesIO(client.get(reverse("households:batch-export", args=[batch.pk])).content)
    ).active
    row = [c.value for c in sheet[2]]
    assert row[1:7] == [head.household.number, head.name, head.id_number_masked, 2, 95.5, 191]
    assert not PersonalDataAccess.objects.exists()
    client.force_login(cast.user("minzheng"))
    url = reverse("households:batch-export", args=[batch.pk])
    masked = load_workbook(BytesIO(client.get(url).content)).active
    assert masked["D2"].value == head.id_number_masked and not PersonalDataAccess.objects.exists()
    sheet = load_workbook(BytesIO(client.post(url, {"reason": "核对发放对象"}).content)).active
    assert sheet["D2"].value == head.full_id_number()
    logged = PersonalDataAccess.objects.get()
    assert (logged.actor, logged.reason) == (cast.user("minzheng"), "核对发放对象")
