"""Photos are JPEG or PNG by their content, within the size limit, and served only to users in scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.cases.conftest import image_upload, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_a_png_and_a_jpeg_are_kept_with_their_real_type(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101, photos=[image_upload("PNG"), image_upload("JPEG")])
    assert sorted(case.photos.values_list("content_type", flat=True)) == ["image/jpeg", "image/png"]


def test_a_text_file_named_like_a_photo_is_refused_and_nothing_is_saved(cast: Cast, types: dict) -> None:
    fake = SimpleUploadedFile("现场.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(Exception, match="不是有效的 JPEG 或 PNG 图片"):
        make_case(cast.user("wangge01"), cast.grid0101, photos=[fake])
    assert Case.objects.count() == 0


def test_a_gif_is_refused_even_though_it_is_an_image(cast: Cast, types: dict) -> None:
    with pytest.raises(Exception, match="不是 JPEG 或 PNG"):
        make_case(cast.user("wangge01"), cast.grid0101, photos=[image_upload("GIF", "a.png")])


def test_a_photo_over_the_limit_is_refused(cast: Cast, types: dict) -> None:
    big = image_upload("PNG")
    big.size = services.MAX_PHOTO_BYTES + 1
    with pytest.raises(Exception, match="超过 5 MB"):
        make_case(cast.user("wangge01"), cast.grid0101, photos=[big])


def test_the_report_form_shows_the_photo_error_on_the_field(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="环境卫生")
    fake = SimpleUploadedFile("x.png", b"GIF89a-not-really", content_type="image/png")
    response = client.post(
        reverse("cases:report"), {"category": category.pk, "description": "垃圾", "photos": fake}
    )
    assert response.status_code == 200
    assert "不是有效的 JPEG 或 PNG 图片" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_photo_is_served_to_users_in_scope_only(cast: Cast, types: dict, client: Client) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101, photos=[image_upload("PNG")])
    url = reverse("cases:photo", kwargs={"pk": case.photos.get().pk})
    client.force_login(cast.user("cun01"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(cast.user("cun02"))
    assert client.get(url).status_code == 404
