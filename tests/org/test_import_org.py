"""The org workbook: every fault named by sheet, row and column, nothing saved while one remains; a
re-import renames and adds, never moves; a township admin works only inside their township."""

from __future__ import annotations

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Cast
from tests.org.workbooks import org_book
from zhenwu.org import imports, services
from zhenwu.org.models import Department, OrgKind, OrgUnit, User

NEW_VILLAGE = ["村", "新建村", "", "xjc", "示范镇"]
NEW_GRID = ["网格", "新建村第1网格", "", "xjc-01", "新建村"]


def errors_of(cast: Cast, units: list[list[object]], offices: list[list[object]] | None = None) -> list[str]:
    return imports.dry_run_org(cast.user("admin"), org_book(units, offices), "组织.xlsx").errors


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["网格", "甲网格", "", "g1", "不存在村"],
            "组织表第3行「上级」：找不到“不存在村”：它既不在本表中，也不在系统中。",
        ),
        (
            ["网格", "乙网格", "", "g2", "示范镇"],
            "组织表第3行「上级」：网格的上级应为村/社区，而“示范镇”是乡镇/街道。",
        ),
        (
            ["村", "丙村", "", "v3", "东岗村"],
            "组织表第3行「上级」：村/社区不能设在村/社区“东岗村”之下。",
        ),
        (
            ["村", "丁村", "12345", "", "示范镇"],
            "组织表第3行「统计用区划代码」：应为12位数字，而不是“12345”。",
        ),
        (
            ["网格", "戊网格", "", "g 5", "东岗村"],
            "组织表第3行「编码」：“g 5”只能包含字母、数字、下划线和连字符，最长32位。",
        ),
        (
            ["网格", "己网格", "", "", "东岗村"],
            "组织表第3行「编码」：没有统计用区划代码的单元(如网格)须填写编码。",
        ),
        (
            ["村", "", "", "v6", "示范镇"],
            "组织表第3行「名称」：不能为空。",
        ),
        (
            ["组", "庚组", "", "v7", "示范镇"],
            "组织表第3行「层级」：应为县/区、乡镇/街道、村/社区、网格、微网格之一(村、社区也可)，而不是“组”。",
        ),
        (
            ["村", "辛村", "", "v8", ""],
            "组织表第3行「上级」：不能为空：请填写上级单元的名称或编码。",
        ),
        (
            ["县/区", "壬县", "", "c9", "示范县"],
            "组织表第3行「上级」：县/区是组织树的顶端，不填上级。",
        ),
        (
            ["村", "癸村", "990101001999", "x1", "示范镇"],
            "组织表第3行「编码」：与统计用区划代码不同：有代码的单元以代码为编码，此列请留空。",
        ),
        (
            ["村", "外二村", "", "ov2", "外镇"],
            "组织表第3行「上级」：找不到“外镇”：它既不在本表中，也不在系统中。",
        ),
        (
            ["村", "外二村", "", "ov2", "OUT-T"],
            "组织表第3行「上级」：找不到“OUT-T”：它既不在本表中，也不在系统中。",
        ),
        (
            ["村", "重码村", "", "OUT-V", "示范镇"],
            "组织表第3行「编码」：编码“OUT-V”已被本单位以外的单元使用，请核对。",
        ),
        (
            ["乡镇/街道", "新镇", "", "nt1", "示范县"],
            "组织表第3行「上级」：只能导入本单位“示范镇”之内的单元。",
        ),
        (
            ["村", "石桥", "", "sq", "990101001001"],
            "组织表第3行「上级」：村/社区不能设在村/社区“东岗村”之下。",
        ),
        (
            ["村", "石桥", "", "sq", "99010100100101"],
            "组织表第3行「上级」：村/社区的上级应为乡镇/街道，而“东岗村第1网格”是网格。",
        ),
    ],
)  # fmt: skip
def test_each_fault_is_named_by_row_and_column(cast: Cast, row: list[object], message: str) -> None:
    assert errors_of(cast, [row]) == [message]


def test_a_duplicate_code_names_the_earlier_row(cast: Cast) -> None:
    errors = errors_of(cast, [NEW_VILLAGE, ["村", "又一村", "", "xjc", "示范镇"]])
    assert errors == ["组织表第4行「编码」：编码“xjc”与第3行重复。"]


def test_a_unit_is_never_moved_to_another_parent(cast: Cast) -> None:
    grid = cast.grid0101
    errors = errors_of(cast, [["网格", grid.name, "", grid.code, "西河村"]])
    assert errors == [
        f"组织表第3行「上级」：“{grid.name}”已在“东岗村”之下，导入不移动单元(其下的记录会随之移动)；"
        "如确需调整，请联系系统管理员。"
    ]


def test_a_unit_keeps_its_kind(cast: Cast) -> None:
    errors = errors_of(cast, [["村", "改作村", "", cast.grid0101.code, "示范镇"]])
    assert errors == [
        f"组织表第3行「层级」：编码“{cast.grid0101.code}”的单元“{cast.grid0101.name}”已是网格，导入不改变层级。"
    ]


def test_a_child_of_a_faulty_row_says_so(cast: Cast) -> None:
    errors = errors_of(cast, [["村", "", "", "xjc", "示范镇"], ["网格", "格", "", "xjc-1", "xjc"]])
    assert errors == [
        "组织表第3行「名称」：不能为空。",
        "组织表第4行「上级」：找不到“xjc”：它既不在本表中，也不在系统中。",
    ]


def test_official_codes_repeat_their_parents_digits(db: None) -> None:
    root = User.objects.create_superuser("root-codes", password=None)
    units = [
        ["县/区", "码县", "980102000000", "", ""],
        ["乡镇/街道", "码镇", "980103101000", "", "码县"],
        ["乡镇/街道", "对镇", "980102101000", "", "码县"],
        ["社区", "码社区", "980102102001", "", "对镇"],
    ]
    errors = imports.dry_run_org(root, org_book(units), "x.xlsx").errors
    assert errors == [
        "组织表第4行「统计用区划代码」：乡镇/街道的代码应以县/区“码县”代码的前6位“980102”开头。",
        "组织表第6行「统计用区划代码」：村/社区的代码应以乡镇/街道“对镇”代码的前9位“980102101”开头。",
    ]


def test_office_faults(cast: Cast) -> None:
    offices = [
        ["", "a1", "示范镇"],
        ["甲办", "", "示范镇"],
        ["乙办", "b1", "不存在镇"],
        ["丙办", "c1", "东岗村"],
        ["丁办", "d1", "外镇"],
        ["戊办", "e1", "示范镇"],
        ["戊办", "e2", "示范镇"],
    ]
    assert errors_of(cast, [], offices) == [
        "站所表第3行「名称」：不能为空。",
        "站所表第4行「编码」：不能为空。",
        "站所表第5行「所属乡镇」：找不到乡镇/街道“不存在镇”。",
        "站所表第6行「所属乡镇」：“东岗村”不是乡镇/街道。",
        "站所表第7行「所属乡镇」：找不到乡镇/街道“外镇”。",
        "站所表第9行「名称」：“戊办”与第8行重复。",
    ]


def test_a_file_that_is_not_the_template_is_refused_as_a_whole(cast: Cast) -> None:
    admin = cast.user("admin")
    assert imports.dry_run_org(admin, b"not a zip", "x.xlsx").errors == [
        "无法打开该文件“x.xlsx”：它不是 .xlsx 文件(无法解压)，请上传用模板填写的 Excel 文件。"
    ]
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "组织"
    book.active.append(["说明"])
    book.active.append(["名称", "层级"])
    buffer = BytesIO()
    book.save(buffer)
    errors = imports.dry_run_org(admin, buffer.getvalue(), "x.xlsx").errors
    assert errors == [
        f"工作表“组织”缺少列「{column}」，请使用下载的模板。" for column in ["统计用区划代码", "编码", "上级"]
    ]


def test_nothing_is_saved_while_one_row_is_wrong(cast: Cast) -> None:
    before = OrgUnit.objects.count()
    result = imports.apply_org(
        cast.user("admin"), org_book([NEW_VILLAGE, ["村", "", "", "v", "示范镇"]]), "x.xlsx"
    )
    assert not result.saved and result.errors
    assert OrgUnit.objects.count() == before


def test_a_township_admin_adds_villages_and_grids_and_offices_under_their_township(cast: Cast) -> None:
    admin = cast.user("admin")
    data = org_book(
        [NEW_GRID, NEW_VILLAGE], [["新建办", "xjb", "990101001"]]
    )  # the child first: order is free
    dry = imports.dry_run_org(admin, data, "x.xlsx")
    assert dry.errors == [] and (dry.added, dry.updated, dry.unchanged) == (3, 0, 0)
    result = imports.apply_org(admin, data, "x.xlsx")
    assert result.saved
    grid = OrgUnit.objects.get(code="xjc-01")
    assert grid.kind == OrgKind.GRID and grid.parent.code == "xjc" and grid.is_within(cast.township)
    assert Department.objects.get(code="xjb").township == cast.township
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_pk=str(grid.pk))
    assert created.get().actor == admin  # the activity log says who imported it


def test_a_re_import_renames_adds_and_leaves_the_rest(cast: Cast) -> None:
    admin = cast.user("admin")
    imports.apply_org(admin, org_book([NEW_VILLAGE, NEW_GRID], [["新建办", "xjb", "示范镇"]]), "x.xlsx")
    renamed = ["村", "新建社区", "", "xjc", "示范镇"]
    second = ["网格", "新建村第2网格", "", "xjc-02", "xjc"]
    first = ["网格", "新建村第1网格", "", "xjc-01", "xjc"]  # the parent by its code: its name changes
    data = org_book([renamed, first, second], [["新建服务办", "xjb", "示范镇"]])
    result = imports.apply_org(admin, data, "x.xlsx")
    assert result.saved and (result.added, result.updated, result.unchanged) == (1, 2, 1)
    assert [(c.action, c.old_name, c.name) for c in result.of("renamed")] == [
        ("renamed", "新建村", "新建社区"),
        ("renamed", "新建办", "新建服务办"),
    ]
    assert OrgUnit.objects.get(code="xjc").name == "新建社区"
    assert OrgUnit.objects.get(code="xjc-01").parent.code == "xjc"
    again = imports.apply_org(admin, data, "x.xlsx")
    assert again.errors == []
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_units_and_offices_made_before_by_init_are_reported_unchanged(db: None) -> None:
    """`zhenwu init` may have made the county, the township and the standard offices (with codes of its
    own for the offices): the import finds them by code, and offices also by name."""
    county = services.create_org_unit(kind=OrgKind.COUNTY, code="970102000000", name="初县", parent=None)
    township = services.create_org_unit(
        kind=OrgKind.TOWNSHIP, code="970102101000", name="初镇", parent=county
    )
    services.create_department(township=township, code="office-1", name="党政办")
    root = User.objects.create_superuser("root-init", password=None)
    units = [
        ["县/区", "初县", "970102000000", "", ""],
        ["乡镇/街道", "初镇", "970102101000", "", "初县"],
        ["村", "初村", "970102101201", "", "初镇"],
    ]
    result = imports.apply_org(root, org_book(units, [["党政办", "dzb", "初镇"]]), "x.xlsx")
    assert result.saved and [c.action for c in result.changes] == [
        "unchanged",
        "unchanged",
        "added",
        "unchanged",
    ]


def test_a_superuser_creates_a_county_and_a_township(db: None) -> None:
    root = User.objects.create_superuser("root-new", password=None)
    units = [
        ["县/区", "新县", "960102000000", "", ""],
        ["乡镇/街道", "新镇甲", "960102101000", "", "960102000000"],
    ]
    assert imports.apply_org(root, org_book(units), "x.xlsx").added == 2
    assert OrgUnit.objects.get(code="960102101000").parent.name == "新县"


# --- the page -------------------------------------------------------------------------------------------


def test_the_page_previews_then_imports_on_confirmation(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    upload = BytesIO(org_book([NEW_VILLAGE]))
    upload.name = "组织.xlsx"
    preview = client.post(reverse("org:import-org"), {"file": upload})
    page = preview.content.decode()
    assert "新增 <strong>1</strong> 个" in page and not OrgUnit.objects.filter(code="xjc").exists()
    pending = preview.context["result"].pending
    done = client.post(reverse("org:import-org"), {"pending": pending}, follow=True)
    assert "已导入组织架构：新增 1 个单元，更名 0 个，未变 0 个。" in done.content.decode()
    assert OrgUnit.objects.filter(code="xjc").exists()


def test_the_page_lists_every_error_and_a_tampered_confirmation_is_refused(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    upload = BytesIO(org_book([["村", "", "", "v6", "示范镇"]]))
    upload.name = "组织.xlsx"
    page = client.post(reverse("org:import-org"), {"file": upload}).content.decode()
    assert "文件有 1 处错误，未导入任何数据" in page and "组织表第3行「名称」：不能为空。" in page
    refused = client.post(reverse("org:import-org"), {"pending": "forged"}).content.decode()
    assert "导入已过期或被改动，请重新上传文件。" in refused


def test_the_template_has_both_sheets_and_its_example_row_is_skipped(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("admin"))
    response = client.get(reverse("org:import-org-template"))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["组织", "站所"]
    assert [c.value for c in book["组织"][2]] == list(imports.UNIT_SHEET.headers)
    assert [c.value for c in book["站所"][3]] == list(imports.OFFICE_SHEET.example)
    result = imports.dry_run_org(cast.user("admin"), response.content, "模板.xlsx")
    assert result.errors == ["文件中没有要导入的行：请在模板第3行起填写。"]


@pytest.mark.parametrize(
    "name", ["import-org", "import-org-template", "import-accounts", "import-accounts-template"]
)
@pytest.mark.parametrize("role", ["leader", "jingfa", "cun01", "wangge01", "xian"])
def test_only_township_admins_may_open_the_imports(cast: Cast, client: Client, name: str, role: str) -> None:
    client.force_login(cast.user(role))
    assert client.get(reverse(f"org:{name}")).status_code == 403


def test_a_second_unit_of_one_name_under_one_parent_is_refused(cast: Cast) -> None:
    """A village already there under another code, or typed twice: a twin would split its records."""
    assert errors_of(cast, [["村", "东岗村", "", "dg2", "示范镇"]]) == [
        "组织表第3行「名称」：“示范镇”下已有村/社区“东岗村”(编码990101001001)：同一单元请沿用编码990101001001，"
        "导入不更改已有单元的编码。"
    ]
    assert errors_of(cast, [NEW_VILLAGE, ["村", "新建村", "", "xjc2", "示范镇"]]) == [
        "组织表第4行「名称」：与第3行同名：同一上级下不能有两个“新建村”。"
    ]
    grids = [["网格", "第1网格", "", "a-1", "东岗村"], ["网格", "第1网格", "", "b-1", "西河村"]]
    assert errors_of(cast, grids) == []  # one name under two villages is two grids


def test_the_fixture_file_after_init_reports_the_county_township_and_offices_unchanged(db: None) -> None:
    """`zhenwu init` makes the county and township by their official codes and the 7 standard offices
    with the codes the fixture uses: the import then adds only the villages and grids."""
    from tests.fixtures.township import township as t
    from tests.org.test_onboarding_files import ORG_FILE

    county = services.create_org_unit(kind=OrgKind.COUNTY, code=t.COUNTY[1], name=t.COUNTY[0], parent=None)
    township = services.create_org_unit(
        kind=OrgKind.TOWNSHIP, code=t.TOWNSHIP[1], name=t.TOWNSHIP[0], parent=county
    )
    for name, code in t.OFFICES:
        services.create_department(township=township, code=code, name=name)
    admin = services.create_user(
        username="first-admin", password=None, role="township_admin", org_unit=township
    )
    result = imports.apply_org(admin, ORG_FILE.read_bytes(), ORG_FILE.name)
    assert result.errors == []
    assert (result.added, result.updated, result.unchanged) == (8 + 24, 0, 2 + 7)
