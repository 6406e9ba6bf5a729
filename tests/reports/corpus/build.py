"""丁集镇's first quarter of 2022 built the way a township builds it: every record comes in through an
import or a form zhenwu offers, from files written here as its clerks fill them.

The story, on the clock it happens on:

* 28 March 2022: `zhenwu init` prepares the township on the county's install (which serves other
  townships already: the test cast, or the whole demo) and its admin's account is made. The admin loads
  2022's holiday table from the State Council's notice (`zhenwu holidays 2022 --notice`), imports the
  org tree and the people, and loads the township's registers: two from zhenwu's library as they are
  (村级债务, 化解记录), two adapted from it (服务企业 with 培育类别; 活动与宣传 with 垃圾转运车 and the
  township's own figures), and six written for what the library lacks (特色产业, 畜禽饲养统计, 衔接资金项目库,
  核酸采集演练, 病虫害防控作业, 越级访登记).
* 31 March: the offices import their ledgers into the registers from each register's Excel template,
  enter the key projects (the project form, with their stage history) and the petition ledger.
* 6 April, after March's values were due: the 指标台账 workbook (catalog, 2022 targets, January–March) and
  last year's January–March for the 同比, and each project's March investment from the investment template.

Nothing here writes a model row: each step is a service a page or a command calls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from tests.fixtures.township.onboard import import_indicators, import_org_and_people
from zhenwu.cases import ledger
from zhenwu.cases.models import CaseType
from zhenwu.core.periods import Period
from zhenwu.org import services as org_services
from zhenwu.org.models import OrgUnit, Role, User
from zhenwu.projects import excel as project_excel
from zhenwu.projects import services as projects
from zhenwu.projects.forms import ProjectForm
from zhenwu.projects.models import Project
from zhenwu.registers import imports as register_imports
from zhenwu.registers import services as registers
from zhenwu.registers import workbook as register_workbook
from zhenwu.registers.library import make
from zhenwu.registers.library.make import Figure, Register, count, date_done, q

from . import dingji as d

HERE = Path(__file__).resolve().parent
NOTICE = HERE / "国务院办公厅关于2022年部分节假日安排的通知.txt"
LIBRARY = Path(make.__file__).resolve().parent
BEIJING = ZoneInfo("Asia/Shanghai")
STARTS = datetime(2022, 3, 28, 9, 0, tzinfo=BEIJING)
LEDGERS_IN = datetime(2022, 3, 31, 15, 0, tzinfo=BEIJING)
VALUES_IN = datetime(2022, 4, 6, 9, 0, tzinfo=BEIJING)
VERSION = "2022032801"
WRITERS = (*make.OFFICE_STAFF, "village_staff")
READERS = (*make.TOWNSHIP_READERS, "village_staff")


# --- the township's register definitions (XLSForm) ------------------------------------------------------


def _adapted_enterprise() -> Register:
    """The library's 服务企业台账 with the township's 培育类别 (future 规上工业 / 重点服务业) and figures."""
    cultivation = q("select_one cultivation", "cultivation", "培育类别", required=True, save_to="cultivation")
    return dataclasses.replace(
        make.ENTERPRISE,
        survey=[*make.ENTERPRISE.survey, cultivation],
        choices={
            **make.ENTERPRISE.choices,
            "cultivation": [("none", "无"), ("industry", "规上工业培育"), ("service", "重点服务业培育")],
        },
        figures=[
            *make.ENTERPRISE.figures,
            Figure(
                "cultivating",
                "正在培育的规上工业企业",
                "count",
                filter="${cultivation} = 'industry'",
                unit="家",
            ),
            Figure("key_service", "重点服务业企业", "count", filter="${cultivation} = 'service'", unit="家"),
        ],
        version=VERSION,
    )


def _adapted_campaign() -> Register:
    """The library's 活动与宣传记录 with the garbage trucks sent, and the figures the township reports:
    villagers mobilised by the 人居环境 campaigns, trucks, and the technical trainings and their farmers."""
    trucks = count("trucks", "出动垃圾转运车(辆)", 1000, default="0")
    survey: list[Any] = []
    for item in make.CAMPAIGN.survey:
        if isinstance(item, list) and item[0]["name"] == "scope":
            item = [*item[:-1], trucks, item[-1]]
        survey.append(item)
    environment, training = "${campaign_type} = 'environment'", "${campaign_type} = 'training'"
    return dataclasses.replace(
        make.CAMPAIGN,
        survey=survey,
        figures=[
            *make.CAMPAIGN.figures,
            Figure("mobilised", "发动群众", "sum", field="audience", filter=environment, unit="人"),
            Figure("trucks", "出动垃圾转运车", "sum", field="trucks", unit="辆"),
            Figure("trainings", "举办技术培训", "count", filter=training, unit="场次"),
            Figure("trained", "培训农民", "sum", field="audience", filter=training, unit="人次"),
        ],
        version=VERSION,
    )


SPECIALTY_INDUSTRY = Register(
    form_id="specialty_industry",
    title="特色产业经营主体台账",
    kind="thing",
    summary="发展特色产业的每个经营主体：类别、品种、种植面积、食用菌袋数",
    offices=("nyb",),
    readers=READERS,
    writers=WRITERS,
    entity_label="${holder}",
    identity="holder_code",
    survey=[
        q("text", "holder_code", "主体编号", required=True),
        q("text", "holder", "经营主体", required=True),
        q("select_one industry", "industry", "产业类别", required=True),
        q(
            "decimal",
            "area",
            "种植面积(亩)",
            constraint=". > 0 and . <= 100000",
            constraint_message="面积应大于0且不超过100000亩",
        ),
        count("bags", "食用菌(袋)", 10000000, relevant="${industry} = 'fungi'"),
    ],
    choices={
        "industry": [("planting", "特色种植"), ("fungi", "食用菌"), ("fruit", "林果"), ("herb", "中药材")],
    },
    figures=[
        Figure("holders", "发展特色产业", "count", unit="家"),
        Figure("area", "种植面积", "sum", field="area", unit="亩"),
        Figure("bags", "发展食用菌", "sum", field="bags", unit="袋"),
    ],
    version=VERSION,
)

LIVESTOCK_CENSUS = Register(
    form_id="livestock_census",
    title="畜禽饲养统计",
    kind="activity",
    summary="每个村每季度报的养殖户数和生猪、家禽饲养量",
    offices=("nyb",),
    readers=READERS,
    writers=WRITERS,
    survey=[
        date_done("counted_on", "统计日期", required=True),
        count("households", "养殖户数", 100000, required=True),
        count("pigs", "生猪饲养量(头)", 10000000, required=True),
        count("poultry", "家禽饲养量(羽)", 100000000, required=True),
    ],
    choices={},
    figures=[
        Figure("households", "发展养殖业", "sum", field="households", unit="户"),
        Figure("pigs", "饲养生猪", "sum", field="pigs", unit="头"),
        Figure("poultry", "饲养家禽", "sum", field="poultry", unit="羽"),
    ],
    version=VERSION,
)

LINKAGE_PROJECT = Register(
    form_id="linkage_project",
    title="衔接资金项目库",
    kind="thing",
    summary="申请乡村振兴衔接资金的每个项目：类别、申请资金、申报日期",
    offices=("nyb",),
    readers=READERS,
    writers=WRITERS,
    entity_label="${project_name}",
    identity="project_code",
    survey=[
        q("text", "project_code", "项目编号", required=True),
        q("text", "project_name", "项目名称", required=True),
        q("select_one category", "category", "项目类别", required=True),
        make.amount("funds", "申请衔接资金(元)", "100000000", required=True),
        date_done("reported_on", "报县乡村振兴局日期", required=True),
    ],
    choices={"category": [("industry", "产业发展"), ("infrastructure", "基础设施")]},
    figures=[
        Figure("projects", "谋划建设项目", "count", unit="个"),
        Figure("industry", "产业发展项目", "count", filter="${category} = 'industry'", unit="个"),
        Figure("infrastructure", "基础设施项目", "count", filter="${category} = 'infrastructure'", unit="个"),
    ],
    version=VERSION,
)

NUCLEIC_DRILL = Register(
    form_id="nucleic_drill",
    title="核酸采集演练记录",
    kind="activity",
    summary="全民核酸采集应急演练的每个采样点：日期、地点、采样检测人数",
    offices=("shb",),
    readers=READERS,
    writers=WRITERS,
    survey=[
        date_done("drill_date", "演练日期", required=True),
        q("text", "site", "采样点", required=True),
        count("sampled", "采样检测人数", 100000, least=1, required=True),
        count("staff", "参演人员", 1000),
    ],
    choices={},
    figures=[
        Figure("drills", "开展全民核酸采集应急演练", "distinct", field="drill_date", unit="次"),
        Figure("sites", "设采样点", "count", unit="个"),
        Figure("sampled", "采样检测", "sum", field="sampled", unit="人"),
    ],
    version=VERSION,
)

CROP_PROTECTION = Register(
    form_id="crop_protection",
    title="病虫害防控作业记录",
    kind="activity",
    summary="每次病虫害防控作业：防控对象、方式、面积",
    offices=("nyb",),
    readers=READERS,
    writers=WRITERS,
    survey=[
        date_done("worked_on", "作业日期", required=True),
        q("select_one target", "target", "防控对象", required=True),
        q("select_one method", "method", "作业方式", required=True),
        q(
            "decimal",
            "area",
            "作业面积(亩)",
            required=True,
            constraint=". > 0 and . <= 200000",
            constraint_message="面积应大于0且不超过200000亩",
        ),
    ],
    choices={
        "target": [
            ("sheath_blight", "小麦纹枯病"),
            ("sclerotinia", "油菜菌核病"),
            ("pilot_base", "油菜轮作试点基地病虫害飞防和叶面喷硼"),
        ],
        "method": [("drone", "无人机飞防"), ("ground", "人工或机械")],
    },
    figures=[
        Figure(
            "pilot_base",
            "油菜轮作试点基地飞防和叶面喷硼",
            "sum",
            field="area",
            filter="${target} = 'pilot_base'",
            unit="亩",
        ),
        Figure(
            "sheath_blight",
            "小麦纹枯病防控",
            "sum",
            field="area",
            filter="${target} = 'sheath_blight'",
            unit="亩",
        ),
        Figure(
            "sclerotinia",
            "油菜菌核病防控",
            "sum",
            field="area",
            filter="${target} = 'sclerotinia'",
            unit="亩",
        ),
    ],
    version=VERSION,
)

ESCALATED_PETITION = Register(
    form_id="escalated_petition",
    title="越级访登记",
    kind="activity",
    summary="本镇信访人每一次赴省、进京上访：日期、去向、是否涉法涉诉",
    offices=("zzzx",),
    readers=make.TOWNSHIP_READERS,
    writers=make.OFFICE_STAFF,
    personal=("petitioner",),
    survey=[
        date_done("visited_on", "日期", required=True),
        q("text", "petitioner", "信访人", required=True),
        q("select_one destination", "destination", "去向", required=True),
        q("select_one yes_no", "legal", "涉法涉诉", required=True),
    ],
    choices={"destination": [("province", "赴省"), ("beijing", "进京")], "yes_no": make.YES_NO},
    figures=[
        Figure(
            "province",
            "涉法涉诉信访人赴省",
            "count",
            filter="${destination} = 'province' and ${legal} = 'yes'",
            unit="人",
            zero=True,
        ),
        Figure(
            "beijing",
            "涉法涉诉信访人进京",
            "count",
            filter="${destination} = 'beijing' and ${legal} = 'yes'",
            unit="人",
            zero=True,
        ),
    ],
    version=VERSION,
)

OWN_REGISTERS = [
    _adapted_enterprise(),
    _adapted_campaign(),
    SPECIALTY_INDUSTRY,
    LIVESTOCK_CENSUS,
    LINKAGE_PROJECT,
    NUCLEIC_DRILL,
    CROP_PROTECTION,
    ESCALATED_PETITION,
]
FROM_LIBRARY = ["village_debt", "debt_resolution"]


# --- files as the clerks fill them ----------------------------------------------------------------------


def _save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def _sheet(book: Workbook, title: str, rows: Sequence[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(list(row))


def write_org(folder: Path) -> None:
    """组织机构.xlsx and 人员账号.xlsx, as the org pages' templates lay them out."""
    county, county_code = d.COUNTY
    township, township_code = d.TOWNSHIP
    units: list[list[str]] = [
        ["丁集镇组织机构：县、镇、村/社区、网格。"],
        ["层级", "名称", "统计用区划代码", "编码", "上级"],
        ["县/区", county, county_code, "", ""],
        ["乡镇/街道", township, township_code, "", county_code],
    ]
    units += [[kind, name, code, "", township] for name, code, kind in d.VILLAGES]
    units += [
        ["网格", d.grid_name(name, n), "", f"{code}-{n:02d}", name]
        for name, code, _kind in d.VILLAGES
        for n in range(1, d.GRIDS_PER_VILLAGE + 1)
    ]
    offices = [["丁集镇站所/办"], ["名称", "编码", "所属乡镇"], *[[n, c, township] for n, c in d.OFFICES]]
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "组织", units)
    _sheet(book, "站所", offices)
    _save(book, folder / "组织机构.xlsx")
    people = [["丁集镇人员账号"], ["姓名", "手机号", "单位", "站所", "角色", "用户名"]]
    people += [[*person, ""] for person in d.PEOPLE]
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "人员账号", people)
    _save(book, folder / "人员账号.xlsx")


def _number(value: int | Decimal) -> float | int:
    return float(value) if isinstance(value, Decimal) else value


def write_indicators(folder: Path, year: int) -> Path:
    """指标台账.xlsx: 2022's catalog, targets and January–March; for 2021, January–March only."""
    months = [f"{m}月" for m in range(1, 13)]
    book = Workbook()
    book.remove(book.active)
    if year == 2022:
        headers = ["编码", "名称", "计量单位", "类型", "方向", "责任站所", "小数位数", "按村填报"]
        catalog: list[Any] = [["丁集镇指标"], ["按编码新增或更新指标"], headers]
        catalog += [[*row[:7], "否"] for row in d.INDICATORS]
        _sheet(book, "指标", catalog)
        names = [row[1] for row in d.INDICATORS]
        targets: list[Any] = [["丁集镇目标"], ["年度", year], ["单位", *names]]
        targets.append([d.TOWNSHIP[0], *[row[7] for row in d.INDICATORS]])
        _sheet(book, "目标", targets)
    values: list[Any] = [["丁集镇月度数据"], ["年度", year], ["单位", "指标", "计量单位", *months, "备注"]]
    for row in d.INDICATORS:
        series = row[8] if year == 2022 else row[9]
        if series is not None:
            values.append([d.TOWNSHIP[0], row[1], row[2], *[_number(v) for v in series]])
    _sheet(book, "月度数据", values)
    return _save(book, folder / "指标台账.xlsx")


def write_petitions(folder: Path) -> Path:
    header = ["编号", "事项", "类别", "来源", "所在村/社区", "网格", "地点", "反映人", "联系电话", "受理单位",
              "收到日期", "受理日期", "办结日期", "回访日期", "状态", "办理情况/备注"]  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(header)
    for number, title, category, village, received, resolved in d.PETITIONS:
        state = "已办结" if resolved else "办理中"
        sheet.append([number, title, category, "群众来访", village, "", village, "", "", "综治中心", received,
                      received, resolved, None, state, "已答复" if resolved else "正在协调"])  # fmt: skip
    return _save(book, folder / "信访台账.xlsx")


def filled_template(
    user: User, form_id: str, rows: list[dict[str, Any]], repeats: dict[str, list[Any]]
) -> bytes:
    """The register's Excel template as the page gives it to `user`, with `rows` typed in (by field
    name; "_unit" the unit's name) and each repeat's rows ((the 台账 row, values)) on its sheet."""
    register = registers.registers_for(user).get(form_id=form_id)
    definition = register.current_version.parsed()
    units = [unit.name for unit in registers.entry_units(user, register)]
    book = load_workbook(BytesIO(register_workbook.template(definition, units=units)))
    for sheet_name, items in [(register_workbook.SHEET, [(None, row) for row in rows]), *repeats.items()]:
        sheet = book[sheet_name]
        names = {cell.value: cell.column for cell in sheet[register_workbook.NAME_ROW] if cell.value}
        for offset, (parent, values) in enumerate(items):
            line = register_workbook.FIRST_DATA_ROW + offset
            if parent is not None:
                sheet.cell(line, 1, parent)
            for name, value in values.items():
                sheet.cell(line, names[name], value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def import_register(
    user: User, form_id: str, rows: list[dict[str, Any]], repeats: dict[str, list[Any]] | None = None
) -> None:
    """A register's ledger through its Excel template: read, checked in a dry run, then saved."""
    register = registers.registers_for(user).get(form_id=form_id)
    definition = register.current_version.parsed()
    data = filled_template(user, form_id, rows, repeats or {})
    units = [unit.name for unit in registers.entry_units(user, register)]
    read, errors = register_workbook.read_rows(definition, data, f"{register.title}.xlsx", units=units)
    assert errors == [], (form_id, errors[:5])
    checked = register_imports.import_records(user, register, read, dry_run=True)
    assert checked.errors == [], (form_id, checked.errors[:5])
    assert register_imports.import_records(user, register, read, dry_run=False).saved, form_id


# --- the register ledgers ------------------------------------------------------------------------------


def import_register_ledgers(admin: User) -> None:
    import_register(admin, "enterprise", [
        {"_unit": village, "credit_code": code, "enterprise_name": name, "industry": industry,
         "above_scale": above, "cultivation": cultivation, "employees": employees, "liaison": "张经发"}
        for code, name, industry, above, cultivation, employees, village in d.ENTERPRISES
    ])  # fmt: skip
    import_register(admin, "village_debt", [
        {"_unit": village, "debt_code": code, "creditor": creditor, "debt_type": kind, "locked_on": locked_on,
         "locked_amount": amount, "resolved_before": 0}
        for code, village, creditor, kind, locked_on, amount in d.DEBTS
    ])  # fmt: skip
    villages = {code: village for code, village, *_ in d.DEBTS}
    locked = {code: amount for code, *_, amount in d.DEBTS}
    import_register(admin, "debt_resolution", [
        {"_unit": villages[debt], "debt": debt, "resolved_on": day, "balance_before": locked[debt],
         "amount": amount, "way": way, "source": source}
        for debt, day, amount, way, source in d.RESOLUTIONS
    ])  # fmt: skip
    import_register(admin, "livestock_census", [
        {"_unit": village, "counted_on": date(2022, 3, 31), "households": households, "pigs": pigs,
         "poultry": poultry}
        for village, households, pigs, poultry in d.LIVESTOCK
    ])  # fmt: skip
    import_register(admin, "specialty_industry", [
        {"_unit": village, "holder_code": code, "holder": name, "industry": kind,
         **({"area": area} if area is not None else {}), **({"bags": bags} if bags is not None else {})}
        for code, village, name, kind, area, bags in d.specialty_industry()
    ])  # fmt: skip
    import_register(admin, "linkage_project", [
        {"_unit": village, "project_code": code, "project_name": name, "category": category, "funds": funds,
         "reported_on": date(2022, 2, 25)}
        for code, village, name, category, funds in d.LINKAGE_PROJECTS
    ])  # fmt: skip
    _import_campaigns(admin)
    import_register(admin, "nucleic_drill", [
        {"_unit": village, "drill_date": d.DRILL_DAY, "site": site, "sampled": sampled, "staff": staff}
        for village, site, sampled, staff in d.DRILL
    ])  # fmt: skip
    import_register(admin, "crop_protection", [
        {"_unit": village, "worked_on": day, "target": target, "method": method, "area": area}
        for village, day, target, method, area in d.CROP_PROTECTION
    ])  # fmt: skip


def _import_campaigns(admin: User) -> None:
    rows, outputs = [], []
    for n, (title, kind, office, start, villages, staff, machines, trucks, audience, tons) in enumerate(
        d.CAMPAIGNS
    ):
        rows.append({
            "_unit": d.TOWNSHIP[0], "title": title, "campaign_type": kind, "office": office,
            "start_date": start, "villages": "全镇" if villages == 8 else "部分村", "village_count": villages,
            "people": staff, "machinery": machines, "trucks": trucks, "audience": audience,
        })  # fmt: skip
        if tons is not None:
            row = register_workbook.FIRST_DATA_ROW + n
            outputs.append((row, {"output": "清理垃圾杂物", "output_quantity": tons, "output_unit": "吨"}))
    register = registers.registers_for(admin).get(form_id="campaign")
    sheet = next(iter(register_workbook.repeat_sheets(register.current_version.parsed())))
    import_register(admin, "campaign", rows, {sheet: outputs})


# --- projects, cases, indicators ------------------------------------------------------------------------


def enter_projects(admin: User, township: OrgUnit) -> list[Project]:
    """Each key project through the project form, with the stages it went through on their days."""
    units = {unit.name: unit for unit in OrgUnit.objects.subtree(township)}
    office = township.departments.get(code="jfb")
    entered = []
    for name, category, total, planned, _done, village, place, first, later in d.PROJECTS:
        form = ProjectForm(
            {"name": name, "category": category, "total_investment": total, "plan_year": 2022,
             "planned_investment": planned, "land_status": "none", "leader": "李镇长",
             "department": office.pk, "org_unit": units[village].pk, "location": place},
            user=admin,
        )  # fmt: skip
        assert form.is_valid(), (name, form.errors)
        project = projects.create_project(admin, form.save(commit=False), on=first)
        stages = later or {"signed": first, "started": first, "under_construction": first}
        for stage, day in stages.items():
            projects.change_stage(admin, project, stage, day)
        entered.append(project)
    return entered


def enter_investments(admin: User, entered: list[Project]) -> None:
    """March's cumulative investment of every project, through the investment template."""
    period = Period(2022, 3)
    book = load_workbook(BytesIO(project_excel.investment_template(entered, period)))
    sheet = book[project_excel.SHEET]
    done = {row[0]: row[4] for row in d.PROJECTS}
    for line in sheet.iter_rows(min_row=project_excel.FIRST_ROW):
        line[4].value = done[line[1].value]
    out = BytesIO()
    book.save(out)
    parsed = project_excel.read_investments(out.getvalue(), projects.projects_for(admin), "完成投资.xlsx")
    assert parsed.errors == [] and parsed.period == period, parsed.errors
    assert projects.record_investments(admin, period, parsed.rows) == len(entered)


def import_petitions(admin: User, folder: Path) -> None:
    data = write_petitions(folder).read_bytes()
    petition = CaseType.objects.get(code="petition")
    checked = ledger.import_ledger(admin, petition, data, "信访台账.xlsx", dry_run=True)
    assert checked.errors == [], checked.errors[:5]
    assert ledger.apply_pending(admin, checked.pending).written


# --- the quarter ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Quarter:
    admin: User
    township: OrgUnit
    warnings: list[str]  # what `zhenwu init` asked the admin to do
    holidays: str  # what `zhenwu holidays 2022 --notice` said


def build(folder: Path, move_to: Callable[[datetime], None]) -> Quarter:
    """The township's first quarter of 2022, its files written into `folder`; `move_to` sets the clock
    (the `time_machine` fixture's)."""
    move_to(STARTS)
    said = StringIO()
    call_command("init", township=d.TOWNSHIP[0], code=d.TOWNSHIP[1], county=d.COUNTY[0],
                 county_code=d.COUNTY[1], stdout=said)  # fmt: skip
    township = OrgUnit.objects.get(code=d.TOWNSHIP[1])
    name, username, password = d.ADMIN
    admin = org_services.create_user(
        username=username, password=password, role=Role.TOWNSHIP_ADMIN, org_unit=township, display_name=name
    )
    loaded = StringIO()
    call_command("holidays", 2022, notice=NOTICE, stdout=loaded)
    write_org(folder)
    import_org_and_people(admin, folder)
    for form_id in FROM_LIBRARY:
        registers.load_definition(
            admin, township, (LIBRARY / f"{form_id}.xlsx").read_bytes(), f"{form_id}.xlsx"
        )
    for register in OWN_REGISTERS:
        path = make.write_workbook(register, folder)
        registers.load_definition(admin, township, path.read_bytes(), path.name)

    move_to(LEDGERS_IN)
    import_register_ledgers(admin)
    entered = enter_projects(admin, township)
    import_petitions(admin, folder)

    move_to(VALUES_IN)
    write_indicators(folder, 2022)
    import_indicators(admin, folder)
    write_indicators(folder, 2021)
    import_indicators(admin, folder)
    enter_investments(admin, entered)
    warnings = [line for line in said.getvalue().splitlines() if "请注意" in line]
    return Quarter(admin, township, warnings, loaded.getvalue())
