"""A record's photos: served by one scoped view (404 for what the user may not see, as for the record
itself), from the register's own folder only, with the type read from the file; shown on the record's page
and on its thing's timeline as thumbnails that open the full photo."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import Cast
from zhenwu.org.models import OrgUnit
from zhenwu.registers import services
from zhenwu.registers.models import RegisterRecord

from . import books
from .collect import jpeg, patrols
from .helpers import admin_of, register_in


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width: int = 40, height: int = 30) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def stored(form_id: str, content: bytes, name: str = "") -> str:
    """A photo saved as the web form saves it: under the register's folder, by a new name."""
    return default_storage.save(
        f"registers/{form_id}/{name or uuid.uuid4().hex + '.jpg'}", ContentFile(content)
    )


def patrol_with_photo(cast: Cast, unit: OrgUnit, photo: str = "", **values: Any) -> RegisterRecord:
    township = unit.township()
    assert township is not None
    register = register_in(cast, township, patrols())
    data = {"lamp_no": "0123", "status": "damaged", "photo": photo or stored("lamp_patrol", jpeg()), **values}
    return services.create_record(admin_of(cast, township), register, data, unit=unit)


def photo_url(record: RegisterRecord, field: str = "photo") -> str:
    return reverse("registers:record-photo", kwargs={"pk": record.pk, "field": field})


def test_a_records_photo_is_served_to_a_user_who_may_see_the_record(cast: Cast, client: Client) -> None:
    content = jpeg(64, 48)
    record = patrol_with_photo(cast, cast.grid0101, stored("lamp_patrol", content))
    client.force_login(cast.user("wangge01"))

    answer = client.get(photo_url(record))

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == content
    assert answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Cache-Control"].startswith("private")


def test_the_type_served_is_read_from_the_file_not_its_name(cast: Cast, client: Client) -> None:
    record = patrol_with_photo(cast, cast.grid0101, stored("lamp_patrol", png(), "claims-to-be.jpg"))
    client.force_login(cast.user("admin"))

    answer = client.get(photo_url(record))

    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"


def test_a_small_copy_is_served_for_thumbnails(cast: Cast, client: Client) -> None:
    record = patrol_with_photo(cast, cast.grid0101, stored("lamp_patrol", jpeg(1600, 1200)))
    client.force_login(cast.user("admin"))

    answer = client.get(photo_url(record) + "?size=small")

    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["X-Content-Type-Options"] == "nosniff" and answer["Cache-Control"].startswith("private")
    with Image.open(BytesIO(answer.content)) as small:
        assert max(small.size) <= 320 and small.size[0] > small.size[1]


def test_a_photo_out_of_scope_or_of_a_register_not_readable_answers_404(cast: Cast, client: Client) -> None:
    elsewhere = patrol_with_photo(cast, cast.village02)
    sheets = patrols()
    sheets["settings"][1][:2] = ["zz_patrol", "综治巡查"]
    sheets["zhenwu"] = [
        *sheets["zhenwu"],
        ["readers", "township_admin, department_staff"],
        ["offices", "zzzx"],
    ]
    closed = services.create_record(
        cast.user("admin"),
        register_in(cast, cast.township, sheets),
        {"lamp_no": "0123", "status": "normal", "photo": stored("zz_patrol", jpeg())},
        unit=cast.grid0102,
    )

    client.force_login(cast.user("wangge01"))
    assert client.get(photo_url(elsewhere)).status_code == 404
    client.force_login(cast.user("jingfa"))  # in scope, but 经发办 may not read 综治中心's register
    assert client.get(photo_url(closed)).status_code == 404
    client.force_login(cast.user("admin"))
    assert client.get(photo_url(closed)).status_code == 200


def test_a_field_that_is_not_a_photo_or_holds_none_answers_404(cast: Cast, client: Client) -> None:
    with_photo = patrol_with_photo(cast, cast.grid0101)
    register = with_photo.register
    without = services.create_record(
        cast.user("admin"), register, {"lamp_no": "0124", "status": "normal"}, unit=cast.grid0101
    )
    gone = patrol_with_photo(cast, cast.grid0101, "registers/lamp_patrol/" + uuid.uuid4().hex + ".jpg")
    client.force_login(cast.user("admin"))

    assert client.get(photo_url(with_photo, "lamp_no")).status_code == 404  # a text field
    assert client.get(photo_url(with_photo, "no_such_field")).status_code == 404
    assert client.get(photo_url(without)).status_code == 404  # no photo taken
    assert client.get(photo_url(gone)).status_code == 404  # the file is missing


def test_only_a_photo_kept_in_the_registers_own_folder_is_served(cast: Cast, client: Client) -> None:
    """The API and the Excel import take an image field's value as text: a record naming a file elsewhere
    (a case's photo, another register's, a part kept aside for Collect) must not serve it."""
    other = stored("another_register", jpeg())
    case_photo = default_storage.save("cases/2026/11/secret.jpg", ContentFile(jpeg()))
    default_storage.save("registers/pending/7/abc/1.jpg", ContentFile(jpeg()))
    # Collect's shape, in the folder of another record's instance.
    another_instance = stored("lamp_patrol", jpeg(), "0b7d2a10-1111-4c3a-8e7f-000000000002/1.jpg")
    client.force_login(cast.user("admin"))

    for path in (
        other,
        case_photo,
        "registers/lamp_patrol/../pending/7/abc/1.jpg",
        "registers/lamp_patrol/../../cases/2026/11/secret.jpg",
        "/registers/lamp_patrol/" + other.rsplit("/", 1)[1],
        another_instance,
    ):
        record = patrol_with_photo(cast, cast.grid0101, path)
        assert client.get(photo_url(record)).status_code == 404, path


def test_a_photo_that_is_not_a_picture_is_not_served(cast: Cast, client: Client) -> None:
    record = patrol_with_photo(cast, cast.grid0101, stored("lamp_patrol", b"<script>alert(1)</script>"))
    client.force_login(cast.user("admin"))

    assert client.get(photo_url(record)).status_code == 404


def test_the_record_page_shows_the_photo_as_a_thumbnail_opening_the_full_photo(
    cast: Cast, client: Client
) -> None:
    record = patrol_with_photo(cast, cast.grid0101)
    client.force_login(cast.user("wangge01"))

    page = client.get(reverse("registers:record-detail", kwargs={"pk": record.pk})).content.decode()

    url = photo_url(record)
    assert f'<a href="{url}"' in page and f'src="{url}?size=small"' in page
    assert record.data["photo"] not in page  # the storage path is not shown as the value


def test_the_things_timeline_shows_the_photos_of_its_records(cast: Cast, client: Client) -> None:
    lamp_sheets = books.lamps()
    lamp_sheets["survey"] = [*lamp_sheets["survey"], ["image", "photo", "照片", "", "", "", ""]]
    lamps = register_in(cast, cast.township, lamp_sheets)
    patrol_sheets = books.patrols()
    patrol_sheets["survey"] = [*patrol_sheets["survey"], ["image", "photo", "巡查照片", "", "", "", ""]]
    patrol_register = register_in(cast, cast.township, patrol_sheets)
    admin = cast.user("admin")
    made = services.create_record(
        admin,
        lamps,
        {"lamp_no": "0123", "status": "normal", "photo": stored("lamps", jpeg())},
        unit=cast.grid0101,
    )
    patrolled = services.create_record(
        admin,
        patrol_register,
        {"lamp": "0123", "status": "broken", "photo": stored("lamp_patrols", jpeg())},
        unit=cast.grid0101,
    )
    assert made.thing is not None
    client.force_login(cast.user("wangge01"))

    page = client.get(reverse("registers:thing-detail", kwargs={"pk": made.thing.pk})).content.decode()

    assert f'src="{photo_url(made)}?size=small"' in page
    assert f'src="{photo_url(patrolled)}?size=small"' in page
    assert made.data["photo"] not in page and patrolled.data["photo"] not in page


def test_a_things_property_holding_a_photo_is_shown_as_its_thumbnail(cast: Cast, client: Client) -> None:
    """A thing register without `save_to` keeps every value as a property, the photo's path too."""
    sheets = books.lamps()
    sheets["survey"] = [[cell for i, cell in enumerate(row) if i < 6] for row in sheets["survey"]] + [
        ["image", "photo", "照片", "", "", ""]
    ]
    lamps = register_in(cast, cast.township, sheets)
    made = services.create_record(
        cast.user("admin"),
        lamps,
        {"lamp_no": "0123", "status": "normal", "photo": stored("lamps", jpeg())},
        unit=cast.grid0101,
    )
    assert made.thing is not None and made.thing.properties["photo"] == made.data["photo"]
    client.force_login(cast.user("wangge01"))

    page = client.get(reverse("registers:thing-detail", kwargs={"pk": made.thing.pk})).content.decode()

    assert page.count(f'src="{photo_url(made)}?size=small"') == 2  # the property and the timeline
    assert made.data["photo"] not in page


def test_a_households_page_shows_the_photos_of_the_records_about_it(cast: Cast, client: Client) -> None:
    from tests.households import factories as hh

    sheets = books.aid()
    sheets["survey"] = [*sheets["survey"], ["image", "signed", "签领照片", ""]]
    register = register_in(cast, cast.township, sheets)
    household = hh.household(cast.village01)
    record = services.create_record(
        cast.user("cun01"),
        register,
        {"household": household.pk, "goods": "米面", "signed": stored("aid", jpeg())},
    )
    client.force_login(cast.user("cun01"))

    page = client.get(reverse("households:household-detail", kwargs={"pk": household.pk})).content.decode()

    assert f'src="{photo_url(record, "signed")}?size=small"' in page
    assert record.data["signed"] not in page


def test_a_thumbnail_is_turned_as_the_camera_held_the_phone(cast: Cast, client: Client) -> None:
    """A phone writes its photo as the sensor saw it and says in EXIF how to turn it; browsers turn the
    full photo by it, so the thumbnail must be turned too."""
    out = BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    Image.new("RGB", (400, 300), (200, 30, 30)).save(out, "JPEG", exif=exif)
    record = patrol_with_photo(cast, cast.grid0101, stored("lamp_patrol", out.getvalue()))
    client.force_login(cast.user("admin"))

    answer = client.get(photo_url(record) + "?size=small")

    with Image.open(BytesIO(answer.content)) as small:
        assert small.size[0] < small.size[1]  # portrait, as the photo was taken
