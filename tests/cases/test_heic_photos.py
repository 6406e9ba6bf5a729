"""An iPhone's HEIC photo is accepted wherever a grid worker sends a photo (the report form, the REST API,
a register's form and ODK Collect) and stored as a JPEG, turned the right way up; the size limit holds."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import Cast
from tests.registers.collect import PASSWORD, basic, fill, grid_worker, patrols, submit
from tests.registers.helpers import load
from zhenwu.cases import services
from zhenwu.cases.models import Case
from zhenwu.registers.models import RegisterRecord

RED = (255, 0, 0)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def heic(name: str = "IMG_0001.HEIC") -> SimpleUploadedFile:
    """A landscape photo, red on its left half, taken with the phone turned: EXIF orientation 6, so it is
    shown portrait with the red half on top."""
    image = Image.new("RGB", (64, 32), (0, 0, 255))
    image.paste(RED, (0, 0, 32, 32))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = BytesIO()
    image.save(out, "HEIF", quality=90, exif=exif.tobytes())
    assert out.getvalue()[4:12] == b"ftypheic"
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/heic")


def assert_upright_jpeg(stored: Any) -> None:
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (32, 64)
        top, bottom = image.convert("RGB").getpixel((16, 8)), image.convert("RGB").getpixel((16, 56))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_a_heic_photo_in_the_report_form_is_kept_as_an_upright_jpeg(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="环境卫生")
    response = client.post(
        reverse("cases:report"), {"category": category.pk, "description": "路口垃圾", "photos": heic()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Case.objects.get().photos.get()
    assert photo.content_type == "image/jpeg" and photo.image.name.endswith(".jpg")
    assert_upright_jpeg(photo.image.path)


def test_a_heic_photo_through_the_rest_api_is_kept_as_an_upright_jpeg(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    body = {
        "case_type": "grid_event",
        "category": "grid_event-sanitation",
        "title": "垃圾",
        "description": "路口垃圾",
        "org_unit": cast.grid0101.code,
        "photos": [heic()],
    }
    response = client.post(reverse("api:case-list"), body)
    assert response.status_code == 201, response.json()
    photo = Case.objects.get().photos.get()
    assert photo.content_type == "image/jpeg"
    assert_upright_jpeg(photo.image.path)


def test_a_heic_photo_over_the_limit_is_refused_by_its_field(cast: Cast, types: dict[str, Any]) -> None:
    big = heic("大照片.heic")
    big.size = services.MAX_PHOTO_BYTES + 1
    with pytest.raises(Exception, match=r"照片“大照片\.heic”超过 5 MB"):
        services.create_case(
            cast.user("wangge01"),
            title="垃圾",
            description="路口垃圾",
            case_type=types["grid_event"],
            category=types["grid_event"].categories.get(name="环境卫生"),
            org_unit=cast.grid0101,
            photos=[big],
        )
    assert Case.objects.count() == 0


def test_a_heic_photo_in_a_registers_form_is_kept_as_an_upright_jpeg(cast: Cast, client: Client) -> None:
    load(cast, patrols())
    client.force_login(cast.user("wangge01"))
    url = reverse("registers:record-create", kwargs={"form_id": "lamp_patrol"})
    response = client.post(url, {"lamp_no": "0123", "status": "normal", "photo": heic()})
    assert response.status_code == 302, response.context["form"].errors
    path = RegisterRecord.objects.get().data["photo"]
    assert path.endswith(".jpg")
    with default_storage.open(path) as stored:
        assert_upright_jpeg(stored)


def test_a_heic_photo_from_collect_is_kept_as_an_upright_jpeg(cast: Cast) -> None:
    register = load(cast, patrols()).register
    user = grid_worker(cast)
    assert register.current_version is not None
    answers = {"lamp_no": "0123", "status": "normal", "photo": "1731895200123.heic"}
    instance = fill(register.current_version.xform, answers, "uuid:0b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d")
    answer = submit(Client(), instance, basic(user.username, PASSWORD), {"1731895200123.heic": heic().read()})
    assert answer.status_code == 201, answer.content.decode()
    with default_storage.open(RegisterRecord.objects.get().data["photo"]) as stored:
        assert_upright_jpeg(stored)
