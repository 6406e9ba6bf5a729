"""Where a register's photos are kept, and which of them a record may show.

A photo is stored once and its storage path is the value of the record's image field:

    registers/<form_id>/<new name>.jpg               entered in the browser (entry.store_photos)
    registers/<form_id>/<instance>/<Collect's name>  sent by ODK Collect (openrosa_views), <instance> the
                                                     record's instanceID (or an earlier one, when an edit
                                                     did not send the photo again)
    registers/pending/<user>/<instance>/<name>       a part of a split submission, kept until its last
                                                     part comes (`clean_pending_parts` clears those whose
                                                     last part never came)

The REST API and the Excel import take an image field's value as text, so a value is not trusted to name a
file of this record: a record shows only a path of the shapes above, in its own register's folder (and for
Collect's shape, in a folder of its own instance), and only a file that reads as a JPEG or PNG.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from zhenwu.cases.services import validate_photo

from .models import RegisterRecord

logger = logging.getLogger(__name__)
MEDIA_DIR = "registers"
PENDING_DIR = f"{MEDIA_DIR}/pending"
THUMBNAIL_PIXELS = 320  # the longer side of a thumbnail: a timeline of photos stays light on a phone


def instance_folder(instance_id: str) -> str:
    """The folder Collect's photos of one instance are kept in."""
    return default_storage.get_valid_name(instance_id.removeprefix("uuid:"))


def pending_name(user_pk: int, instance_id: str, file_name: str) -> str:
    """Where a photo of a split submission's earlier part waits for the last part."""
    name = default_storage.get_valid_name(file_name)
    return f"{PENDING_DIR}/{user_pk}/{instance_folder(instance_id)}/{name}"


# --- a record's photos -----------------------------------------------------------------------------


def image_fields(record: RegisterRecord) -> dict[str, Any]:
    """The image fields of the version that made the record, by name."""
    return {field.name: field for field in record.version.parsed().fields if field.type == "image"}


def photo_path(record: RegisterRecord, field_name: str) -> str | None:
    """The stored photo of one image field of the record, or None: not an image field of its version, no
    photo, or a value that does not name a file of this record."""
    if field_name not in image_fields(record):
        return None
    value = record.data.get(field_name)
    if not isinstance(value, str) or not value:
        return None
    parts = value.split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None
    if parts[:2] != [MEDIA_DIR, record.register.form_id] or len(parts) not in (3, 4):
        return None
    if len(parts) == 4 and parts[2] != instance_folder(record.instance_id):
        # A photo an edit did not send again stays in the folder of the version it came with.
        earlier = record.earlier_instances.values_list("instance_id", flat=True)
        if parts[2] not in {instance_folder(instance_id) for instance_id in earlier}:
            return None
    return value


def open_photo(path: str) -> tuple[File[Any], str] | None:
    """The stored file and its content type (read from its content), or None when it is missing or is not
    a JPEG or PNG (whatever its name says)."""
    try:
        if not default_storage.exists(path):
            return None
        photo = default_storage.open(path, "rb")
    except (OSError, SuspiciousFileOperation):
        return None
    try:
        content_type = validate_photo(photo)  # type: ignore[arg-type]
    except ValidationError:
        photo.close()
        return None
    return photo, content_type


def thumbnail(photo: File[Any], content_type: str) -> bytes:
    """A copy at most THUMBNAIL_PIXELS on its longer side, in the photo's own format, turned as its EXIF
    orientation says (browsers turn the full photo so). A JPEG is decoded at a reduced scale (draft), so a
    phone camera's photo costs little to shrink."""
    with Image.open(photo) as image:
        image.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        small = ImageOps.exif_transpose(image)
        small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        out = BytesIO()
        if content_type == "image/png":
            small.save(out, "PNG", optimize=True)
        else:
            small.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


@dataclass(frozen=True)
class Shown:
    """One value of a record as a page shows it; `photo` is the URL of the photo the value is, `table` a
    repeat's rows (services.Table)."""

    name: str
    label: str
    value: Any
    photo: str = ""
    table: Any = None


def photo_url(record: RegisterRecord, field_name: str) -> str:
    return reverse("registers:record-photo", kwargs={"pk": record.pk, "field": field_name})


def with_photos(record: RegisterRecord, values: Iterable[Any]) -> list[Shown]:
    """A record's shown values (services.shown_values), an image field's value as its photo's URL."""
    images = image_fields(record)
    return [
        Shown(
            v.name,
            v.label,
            v.value,
            photo_url(record, v.name) if v.name in images and v.value else "",
            getattr(v, "table", None),
        )
        for v in values
    ]


def properties_with_photos(
    properties: Iterable[Any], timeline: Iterable[tuple[RegisterRecord, list[Shown]]]
) -> list[Shown]:
    """A thing's properties, a property holding the photo of one of its records shown as that photo (the
    records are those of the timeline, which the user may read)."""
    urls = {
        record.data.get(shown.name): shown.photo
        for record, values in timeline
        for shown in values
        if shown.photo
    }
    return [
        Shown(p.name, p.label, p.value, urls.get(p.value, "") if isinstance(p.value, str) else "")
        for p in properties
    ]


# --- parts whose last part never came --------------------------------------------------------------

# One folder is one submission's photos (a few, of at most 5 MB each): a batch lists and deletes at most
# this many folders, a few thousand file-system calls.
CLEAN_BATCH = 500


@dataclass(frozen=True)
class Cleaned:
    files: int
    folders: int
    more: bool = False  # the batch ended before every pending folder was looked at


def clean_pending_parts(older_than: timedelta | None = None, *, batch: int = CLEAN_BATCH) -> Cleaned:
    """Delete the photos kept from split submissions whose last part has not come for `older_than`
    (REGISTERS_PENDING_PARTS_DAYS by default). A submission's folder goes only when its newest file is
    that old, so one still arriving keeps every part it sent. Idempotent; at most `batch` folders are
    deleted per call, and `more` says whether another call has work."""
    age = older_than if older_than is not None else timedelta(days=settings.REGISTERS_PENDING_PARTS_DAYS)
    cutoff = timezone.now() - age
    files = folders = 0
    for user_folder in _folders(PENDING_DIR):
        for folder in _folders(f"{PENDING_DIR}/{user_folder}"):
            path = f"{PENDING_DIR}/{user_folder}/{folder}"
            names = default_storage.listdir(path)[1]
            if any(default_storage.get_modified_time(f"{path}/{name}") >= cutoff for name in names):
                continue
            if folders == batch:
                return Cleaned(files, folders, more=True)
            for name in names:
                default_storage.delete(f"{path}/{name}")
            files += len(names)
            folders += 1
            _remove_if_empty(path)
        _remove_if_empty(f"{PENDING_DIR}/{user_folder}")
    if folders:
        logger.info("Deleted %s photos of %s split submissions never completed.", files, folders)
    return Cleaned(files, folders)


def clean_all_pending_parts(older_than: timedelta | None = None, *, batch: int = CLEAN_BATCH) -> Cleaned:
    """`clean_pending_parts` batch after batch until nothing due is left; the totals."""
    files = folders = 0
    while True:
        cleaned = clean_pending_parts(older_than, batch=batch)
        files, folders = files + cleaned.files, folders + cleaned.folders
        if not cleaned.more:
            return Cleaned(files, folders)


def _folders(path: str) -> list[str]:
    try:
        return sorted(default_storage.listdir(path)[0])
    except FileNotFoundError:
        return []


def _remove_if_empty(path: str) -> None:
    """Storage deletes files, not folders: an emptied folder on the file system goes too (a storage
    without folders, a folder not empty or one already gone is left as it is)."""
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(path))
