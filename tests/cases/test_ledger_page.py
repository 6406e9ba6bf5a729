"""The ledger import page: a township admin checks a file, then confirms what was shown; other roles
meet a missing page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.cases.test_ledger_import import hazard, sheet
from tests.conftest import Cast
from zhenwu.cases.models import Case


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_admin_checks_then_confirms_and_a_second_confirmation_adds_nothing(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    url = reverse("cases:ledger-import")
    assert "导入台账" in client.get(reverse("cases:case-list")).content.decode()
    data = sheet(hazard(**{"所在村/社区": cast.village01.name, "受理单位": ""}))
    checked = client.post(url, {"case_type": "hazard", "file": upload(data), "check": "1"})
    assert "检查通过：1行，将新增1件" in checked.content.decode() and not Case.objects.exists()
    pending = checked.context["report"].pending
    done = client.post(url, {"pending": pending, "confirm": "1"})
    assert "已导入：1件" in done.content.decode()
    assert Case.objects.get().ledger_number == "AQ-1"
    again = client.post(url, {"pending": pending, "confirm": "1"})
    assert "已导入：0件，跳过已导入的1件" in again.content.decode() and Case.objects.count() == 1


def test_a_bad_file_or_type_is_named_and_nothing_is_written(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("admin"))
    url = reverse("cases:ledger-import")
    wrong_kind = client.post(url, {"case_type": "hazard", "file": upload(b"x", "台账.csv")})
    assert "请上传 .xlsx 格式的 Excel 文件。" in wrong_kind.content.decode()
    no_type = client.post(url, {"case_type": "nothing", "file": upload(sheet(hazard()))})
    assert no_type.status_code == 200 and "事件类型" in no_type.content.decode()
    broken = client.post(url, {"case_type": "hazard", "file": upload(b"not a workbook")})
    assert "无法打开该文件" in broken.content.decode()
    forged = client.post(url, {"pending": "forged", "confirm": "1"})
    assert "导入已过期或被改动" in forged.content.decode()
    assert not Case.objects.exists()


def test_other_roles_are_refused_the_ledger_import(cast: Cast, types: dict, client: Client) -> None:
    for username in ("leader", "jingfa", "cun01", "wangge01", "xian"):
        client.force_login(cast.user(username))
        assert client.get(reverse("cases:ledger-import")).status_code == 403
        template = reverse("cases:ledger-template", kwargs={"code": "hazard"})
        assert client.get(template).status_code == 403
    client.force_login(cast.user("admin"))
    template = client.get(reverse("cases:ledger-template", kwargs={"code": "hazard"}))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert client.get(reverse("cases:ledger-template", kwargs={"code": "nope"})).status_code == 404


def test_the_downloaded_template_filled_in_is_accepted(cast: Cast, types: dict, client: Client) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.cases.test_ledger_import import HEAD

    client.force_login(cast.user("admin"))
    template = client.get(reverse("cases:ledger-template", kwargs={"code": "hazard"}))
    book = load_workbook(BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == HEAD
    book.worksheets[0].append(hazard(**{"所在村/社区": cast.village01.code, "受理单位": ""}))
    out = BytesIO()
    book.save(out)
    checked = client.post(
        reverse("cases:ledger-import"), {"case_type": "hazard", "file": upload(out.getvalue()), "check": "1"}
    )
    assert "检查通过：1行，将新增1件" in checked.content.decode()
