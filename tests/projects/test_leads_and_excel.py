"""Investment leads from intent to a landed project; investment by Excel, all or nothing."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Cast
from tests.projects.conftest import WAN, make_project
from zhenwu.projects import services
from zhenwu.projects.models import InvestmentLead, InvestmentValue, LeadStage, Stage


def lead(cast: Cast, stage: str = LeadStage.INTENT) -> InvestmentLead:
    return InvestmentLead.objects.create(
        investor="测试投资方", sector="制造", intended_investment=8000 * WAN, stage=stage, leader="钱镇长",
        department=cast.jingfa_department, org_unit=cast.township,
    )  # fmt: skip


def test_a_lead_moves_forward_with_its_follow_ups_and_not_back(cast: Cast) -> None:
    courted = lead(cast)
    services.follow_up_lead(
        cast.user("jingfa"), courted, date(2026, 5, 1), "visit", "上门洽谈", LeadStage.NEGOTIATING
    )
    assert courted.stage == LeadStage.NEGOTIATING
    with pytest.raises(ValidationError, match="只能向前推进"):
        services.follow_up_lead(
            cast.user("jingfa"), courted, date(2026, 5, 2), "call", "电话", LeadStage.INTENT
        )
    with pytest.raises(ValidationError, match="落地请用"):
        services.follow_up_lead(
            cast.user("jingfa"), courted, date(2026, 5, 2), "call", "电话", LeadStage.LANDED
        )


def test_a_signed_lead_lands_as_a_project_and_keeps_its_history(cast: Cast, client: Client) -> None:
    signed = lead(cast, LeadStage.SIGNED)
    client.force_login(cast.user("jingfa"))
    form = client.get(reverse("projects:lead-land", args=[signed.pk])).content.decode()
    assert "测试投资方" in form and 'value="8000' in form
    data = {
        "name": "测试投资方生产基地", "category": "industry", "total_investment": "8000", "plan_year": "2026",
        "planned_investment": "2000", "land_status": "acquiring", "leader": "钱镇长",
        "department": cast.jingfa_department.pk, "org_unit": cast.township.pk,
    }  # fmt: skip
    response = client.post(reverse("projects:lead-land", args=[signed.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    signed.refresh_from_db()
    assert signed.stage == LeadStage.LANDED and signed.project is not None
    assert signed.project.stage == Stage.SIGNED and signed.project.total_investment == 8000 * WAN
    assert signed.follow_ups.filter(stage_to=LeadStage.LANDED).exists()
    assert signed.project.stage_changes.count() == 1


def test_an_unsigned_lead_cannot_land(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="只有已签约"):
        services.land_lead(cast.user("jingfa"), lead(cast), make_project(cast), date(2026, 5, 1))


def workbook(client: Client) -> Workbook:
    response = client.get(reverse("projects:investment-template"), {"period": "2026-08"})
    return load_workbook(BytesIO(response.content))


def upload(client: Client, book: Workbook) -> str:
    buffer = BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("投资.xlsx", buffer.getvalue())
    return client.post(reverse("projects:investment-upload"), {"file": file}).content.decode()


def test_an_investment_upload_previews_then_saves(cast: Cast, client: Client) -> None:
    project = make_project(cast)
    client.force_login(cast.user("jingfa"))
    book = workbook(client)
    sheet = book["完成投资"]
    assert sheet["A4"].value == project.pk
    sheet["E4"] = 650
    page = upload(client, book)
    assert "预览" in page and not InvestmentValue.objects.exists()
    pending = page.split('name="pending" value="')[1].split('"')[0]
    client.post(reverse("projects:investment-upload"), {"pending": pending})
    assert InvestmentValue.objects.get(project=project, month=8).amount == 650 * WAN


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.__setitem__("E4", "六百万"), "第4行E列：本月累计应填数字(万元)，而不是“六百万”"),
        (lambda s: s.__setitem__("E4", -5), "第4行：项目“测试产业项目”的完成投资不能为负数"),
        (lambda s: s.append([999999, "不存在", None, None, 1, ""]), "第5行A列：找不到项目编号“999999”"),
        (lambda s: s.append([s["A4"].value, "重复", None, None, 1, ""]), "第5行：与第4行是同一个项目"),
        (lambda s: setattr(s, "title", "Sheet1"), "找不到工作表“完成投资”"),
    ],
)
def test_a_bad_investment_file_names_row_and_column_and_saves_nothing(
    cast: Cast, client: Client, edit: object, message: str
) -> None:
    make_project(cast)
    client.force_login(cast.user("jingfa"))
    book = workbook(client)
    sheet = book["完成投资"]
    sheet["E4"] = 600
    edit(sheet)  # type: ignore[operator]
    page = upload(client, book)
    assert message in page and 'name="pending"' not in page
    assert not InvestmentValue.objects.exists()


def test_another_offices_project_is_not_in_the_template_nor_accepted(cast: Cast, client: Client) -> None:
    other = make_project(cast, "民政项目", department=cast.minzheng_department)
    client.force_login(cast.user("jingfa"))
    book = workbook(client)
    sheet = book["完成投资"]
    assert sheet.max_row == 3  # no project of 经发办's
    sheet.append([other.pk, other.name, None, None, 10, ""])
    page = upload(client, book)
    assert "第4行A列：找不到项目编号" in page
    assert not InvestmentValue.objects.filter(amount=Decimal(100000)).exists()
