"""A case photo is bounded by its pixels as well as its bytes: a small PNG that claims a huge picture is
refused with a message, never a 500, and nothing is saved."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases.models import Case


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header for a width × height grey picture, with one compressed row: tens of bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(9_000, 9_000), (20_000, 20_000)])
def test_a_photo_claiming_too_many_pixels_is_refused(
    cast: Cast,
    types: dict,
    width: int,
    height: int,
) -> None:
    photo = SimpleUploadedFile("现场.png", png_claiming(width, height), content_type="image/png")
    with pytest.raises(Exception, match=r"照片“现场\.png”超过5000万像素，请缩小后再上传。"):
        make_case(cast.user("wangge01"), cast.grid0101, photos=[photo])
    assert Case.objects.count() == 0


def test_the_report_form_shows_a_pixel_bomb_on_the_field_not_a_500(
    cast: Cast,
    types: dict,
    client: Client,
) -> None:
    client.force_login(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="环境卫生")
    photo = SimpleUploadedFile("x.png", png_claiming(20_000, 20_000), content_type="image/png")
    response = client.post(
        reverse("cases:report"), {"category": category.pk, "description": "垃圾", "photos": photo}
    )
    assert response.status_code == 200
    assert "超过5000万像素" in response.content.decode()
    assert Case.objects.count() == 0
