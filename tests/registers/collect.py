"""What ODK Collect sends: an instance of the XForm pyxform made, filled as Collect fills it, and the
multipart body of its submission, with the OpenRosa headers and HTTP Basic credentials."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any
from xml.etree import ElementTree as ET

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import Cast
from zhenwu.org.models import User

from .books import Sheets

XFORMS = "http://www.w3.org/2002/xforms"
ORX = "http://openrosa.org/xforms"
JR = "http://openrosa.org/javarosa"
PASSWORD = "collect-password-2026"
HEADERS = {"HTTP_X_OPENROSA_VERSION": "1.0", "HTTP_DATE": "Wed, 18 Nov 2026 02:00:00 GMT"}


def patrols(version: str = "1", *, with_remark: bool = False) -> Sheets:
    """A register of lamp patrols with every kind of value Collect writes: a group, a geopoint, a
    select_multiple, an integer with a constraint, a photo and a personal phone number."""
    survey = [
        ["type", "name", "label", "required", "constraint", "constraint_message"],
        ["text", "lamp_no", "路灯编号", "yes", "string-length(.) = 4", "编号应为4位数字"],
        ["select_one status", "status", "状态", "yes", "", ""],
        ["select_multiple fault", "faults", "故障", "", "", ""],
        ["integer", "minutes", "用时(分钟)", "", ". >= 0", "用时不能为负数"],
        ["begin group", "place", "位置", "", "", ""],
        ["geopoint", "point", "定位", "", "", ""],
        ["end group", "", "", "", "", ""],
        ["image", "photo", "现场照片", "", "", ""],
        ["text", "keeper_phone", "管护人电话", "", "", ""],
    ]
    if with_remark:
        survey.append(["text", "remark", "备注", "", "", ""])
    return {
        "survey": survey,
        "choices": [
            ["list_name", "name", "label"],
            ["status", "normal", "正常"],
            ["status", "damaged", "损坏"],
            ["fault", "bulb", "灯泡"],
            ["fault", "wire", "线路"],
        ],
        "settings": [["form_id", "form_title", "version"], ["lamp_patrol", "路灯巡查", version]],
        "zhenwu": [["key", "value"], ["kind", "activity"], ["personal", "keeper_phone"]],
    }


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def basic(username: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", **HEADERS}


def fill(
    xform: str,
    values: dict[str, str],
    instance_id: str,
    repeats: dict[str, list[dict[str, str]]] | None = None,
) -> bytes:
    """The primary instance of `xform` with `values` put in its leaves and meta/instanceID set, as
    Collect writes a finished form (unanswered questions stay as empty elements). Each repeat named in
    `repeats` has one element per row, copied from the form's jr:template row and filled; its template
    row is not sent, as Collect does not send it."""
    model = ET.fromstring(xform.encode()).find(f".//{{{XFORMS}}}model")
    assert model is not None
    instance = model.find(f"{{{XFORMS}}}instance")
    assert instance is not None
    root = next(iter(instance))
    for name, rows in (repeats or {}).items():
        _fill_rows(root, name, rows)
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in values and len(element) == 0:
            element.text = values[name]
        if name == "instanceID":
            element.text = instance_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _fill_rows(root: ET.Element, name: str, rows: list[dict[str, str]]) -> None:
    template = f"{{{JR}}}template"
    for parent in root.iter():
        found = [child for child in parent if child.tag.rsplit("}", 1)[-1] == name]
        if not found:
            continue
        model = next(child for child in found if template in child.attrib)
        at = list(parent).index(found[0])
        for child in found:
            parent.remove(child)
        for offset, row in enumerate(rows):
            copied = ET.fromstring(ET.tostring(model))
            del copied.attrib[template]
            for leaf in copied.iter():
                leaf_name = leaf.tag.rsplit("}", 1)[-1]
                if len(leaf) == 0 and leaf_name in row:
                    leaf.text = row[leaf_name]
            parent.insert(at + offset, copied)
        return
    raise AssertionError(f"no repeat {name} in the form")


def jpeg(width: int = 32, height: int = 24) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def submit(
    client: Client,
    instance: bytes,
    auth: dict[str, str],
    media: dict[str, bytes] | None = None,
    **extra: Any,
) -> Any:
    """POST /openrosa/submission as Collect does: the instance as `xml_submission_file`, each media file
    as a part named by its file name."""
    body: dict[str, Any] = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", instance, "text/xml"),
    }
    for name, content in (media or {}).items():
        body[name] = SimpleUploadedFile(name, content, "image/jpeg")
    return client.post("/openrosa/submission", body, **auth, **extra)


def grid_worker(cast: Cast) -> User:
    return with_password(cast.user("wangge01"))


def edited(instance: bytes, new_instance_id: str, **values: str) -> bytes:
    """`instance` as Collect sends it after the grid worker edits a sent form: `values` changed, the old
    meta/instanceID moved to a new meta/deprecatedID (appended to meta) and a new instanceID."""
    root = ET.fromstring(instance)
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in values and len(element) == 0:
            element.text = values[name]
    meta = next(e for e in root if e.tag.rsplit("}", 1)[-1] == "meta")
    instance_id = next(e for e in meta if e.tag.rsplit("}", 1)[-1] == "instanceID")
    namespace = instance_id.tag[: -len("instanceID")]
    ET.SubElement(meta, f"{namespace}deprecatedID").text = instance_id.text
    instance_id.text = new_instance_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
