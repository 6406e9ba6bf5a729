"""The OpenRosa documents as ODK Collect sends and reads them (zhenwu.registers.openrosa)."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from PIL import Image
from time_machine import TimeMachineFixture

from tests.registers.workbooks import lamps, workbook
from zhenwu.registers import openrosa
from zhenwu.registers.definition import read_definition
from zhenwu.registers.openrosa import FormEntry, SubmissionError

# A patrol of a street lamp as Collect writes it: pyxform's instance root with the form's id and
# version, a group, a select_multiple, a geopoint, an image and the meta block in the orx namespace.
PATROL = """<?xml version='1.0' ?>
<lamp_patrol xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"
  id="lamp_patrol" version="2026111801">
  <lamp_no>0123</lamp_no>
  <status>damaged</status>
  <faults>bulb wire</faults>
  <place>
    <village>东湾村</village>
    <point>30.5123 114.3011 21.0 4.5</point>
  </place>
  <photo>1731895200123.jpg</photo>
  <remark/>
  <orx:meta>
    <orx:instanceID>uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11</orx:instanceID>
    <orx:instanceName>0123 损坏</orx:instanceName>
  </orx:meta>
</lamp_patrol>
""".encode()

# The same record edited on the phone and sent again: a new instanceID, the old one as deprecatedID.
EDITED = b"""<?xml version='1.0' ?>
<lamp_patrol id="lamp_patrol" version="2026111801">
  <lamp_no>0123</lamp_no>
  <status>normal</status>
  <meta>
    <instanceID>uuid:0b7d2a10-1111-4c3a-8e7f-000000000002</instanceID>
    <deprecatedID>uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11</deprecatedID>
  </meta>
</lamp_patrol>
"""


def test_a_collect_submission_gives_its_form_version_and_instance():
    submission = openrosa.parse_submission(PATROL, image_fields=["photo"])

    assert submission.form_id == "lamp_patrol"
    assert submission.version == "2026111801"
    assert submission.instance_id == "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11"
    assert submission.deprecated_id == ""
    assert submission.instance_name == "0123 损坏"


def test_values_are_flattened_by_name_and_keep_their_group_path():
    submission = openrosa.parse_submission(PATROL, image_fields=["photo"])

    assert submission.values == {
        "lamp_no": "0123",
        "status": "damaged",
        "faults": "bulb wire",
        "village": "东湾村",
        "point": "30.5123 114.3011 21.0 4.5",
        "photo": "1731895200123.jpg",
        "remark": "",
    }
    assert submission.paths["point"] == "place/point"
    assert submission.paths["lamp_no"] == "lamp_no"
    assert "instanceID" not in submission.values


def test_image_fields_name_their_media_files():
    submission = openrosa.parse_submission(PATROL, image_fields=["photo", "remark"])

    # An empty image field names no file.
    assert submission.media == {"photo": "1731895200123.jpg"}


def test_an_edit_carries_the_replaced_instance_as_deprecated_id():
    submission = openrosa.parse_submission(EDITED)

    assert submission.instance_id == "uuid:0b7d2a10-1111-4c3a-8e7f-000000000002"
    assert submission.deprecated_id == "uuid:6f1c9a52-2f1e-4b8e-9f7a-2f4c3b1d0e11"
    assert submission.values == {"lamp_no": "0123", "status": "normal"}


def test_a_default_namespace_on_the_instance_is_read_the_same():
    xml = PATROL.replace(b'id="lamp_patrol"', b'xmlns="http://www.w3.org/2002/xforms" id="lamp_patrol"')

    assert openrosa.parse_submission(xml).values["village"] == "东湾村"


@pytest.mark.parametrize(
    ("xml", "said"),
    [
        (b"<data><a>1</a><meta><instanceID>uuid:1</instanceID></meta></data>", "表单编号"),
        (b'<data id="f"><a>1</a></data>', "instanceID"),
        (b'<data id="f"><a>1</a><meta><instanceID></instanceID></meta></data>', "instanceID"),
        (b"not xml at all", "不是有效的 XML"),
        (b'<data id="f"><a>1</a>', "不是有效的 XML"),
        (b"", "不是有效的 XML"),
        (b'<data id="f"><a>1</a><a>2</a><meta><instanceID>u</instanceID></meta></data>', "多次"),
        (b'<data id="f"><r><a>1</a><a>2</a></r><meta><instanceID>u</instanceID></meta></data>', "多次"),
    ],
)
def test_malformed_submissions_are_refused_in_chinese(xml, said):
    with pytest.raises(SubmissionError, match=said):
        openrosa.parse_submission(xml)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<data id="f"><a>&lol4;</a><meta><instanceID>uuid:1</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="f"><a>&secret;</a><meta><instanceID>uuid:1</instanceID></meta></data>"""

BARE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE data SYSTEM "http://example.invalid/evil.dtd">
<data id="f"><a>1</a><meta><instanceID>uuid:1</instanceID></meta></data>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, BARE_DTD])
def test_hostile_xml_is_refused_without_being_expanded(xml):
    with pytest.raises(SubmissionError, match="拒绝接收"):
        openrosa.parse_submission(xml)


def test_a_ten_megabyte_submission_is_refused_before_parsing():
    xml = b'<data id="f"><a>' + b"x" * (10 * 1024 * 1024) + b"</a></data>"

    with pytest.raises(SubmissionError, match="过大"):
        openrosa.parse_submission(xml)


def test_a_deeply_nested_submission_is_refused():
    depth = 5000
    xml = b'<data id="f">' + b"<g>" * depth + b"1" + b"</g>" * depth + b"</data>"

    with pytest.raises(SubmissionError, match="层级过深"):
        openrosa.parse_submission(xml)


def test_a_submission_with_too_many_elements_is_refused():
    xml = b'<data id="f">' + b"<g><a/></g>" * 20_000 + b"</data>"

    with pytest.raises(SubmissionError, match="元素过多"):
        openrosa.parse_submission(xml)


LIST = "{http://openrosa.org/xforms/xformsList}"


def test_the_form_list_follows_the_form_list_api():
    xform = "<h:html>路灯巡查</h:html>"
    forms = [
        FormEntry(
            "lamp_patrol", "路灯巡查", "2026111801", openrosa.xform_hash(xform),
            "https://zw.example.cn/openrosa/forms/lamp_patrol.xml",
        ),
        FormEntry(
            "waters", "水域防溺水", "3", "md5:" + "0" * 32, "https://zw.example.cn/openrosa/forms/waters.xml",
            manifest_url="https://zw.example.cn/openrosa/forms/waters/manifest", description="防溺水巡查",
        ),
    ]  # fmt: skip

    root = ET.fromstring(openrosa.form_list_xml(forms))

    assert root.tag == f"{LIST}xforms"
    first, second = root
    assert first.tag == f"{LIST}xform"
    assert [child.tag.removeprefix(LIST) for child in first] == [
        "formID", "name", "version", "hash", "downloadUrl",
    ]  # fmt: skip
    assert first.findtext(f"{LIST}name") == "路灯巡查"
    assert first.findtext(f"{LIST}hash") == openrosa.xform_hash(xform.encode())
    assert len(first.findtext(f"{LIST}hash") or "") == len("md5:") + 32
    assert second.findtext(f"{LIST}manifestUrl") == "https://zw.example.cn/openrosa/forms/waters/manifest"
    assert second.findtext(f"{LIST}descriptionText") == "防溺水巡查"


def test_the_form_list_is_declared_utf8_and_uses_a_default_namespace():
    written = openrosa.form_list_xml([])

    assert written.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'<xforms xmlns="http://openrosa.org/xforms/xformsList"' in written


def test_a_form_without_a_version_has_no_version_element():
    entry = FormEntry("f", "台账", "", "md5:" + "0" * 32, "https://zw.example.cn/f.xml")

    root = ET.fromstring(openrosa.form_list_xml([entry]))

    assert root[0].find(f"{LIST}version") is None


def test_text_that_looks_like_markup_is_escaped_in_the_form_list():
    entry = FormEntry("f", "<b>&台账</b>", "1", "md5:" + "0" * 32, "https://zw.example.cn/f.xml")

    root = ET.fromstring(openrosa.form_list_xml([entry]))

    assert root[0].findtext(f"{LIST}name") == "<b>&台账</b>"


def test_the_response_is_an_openrosa_response_with_its_message():
    root = ET.fromstring(openrosa.response_xml("已收到：路灯巡查 1 条"))

    assert root.tag == "{http://openrosa.org/http/response}OpenRosaResponse"
    message = root.find("{http://openrosa.org/http/response}message")
    assert message is not None
    assert message.text == "已收到：路灯巡查 1 条"
    assert message.get("nature") == "submit_success"


def test_the_headers_say_the_version_and_how_much_a_post_may_carry(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime(2026, 11, 18, 2, 0, tzinfo=UTC), tick=False)
    headers = openrosa.openrosa_headers(10 * 1024 * 1024)

    assert headers["X-OpenRosa-Version"] == "1.0"
    assert headers["X-OpenRosa-Accept-Content-Length"] == "10485760"
    # 2026-11-18 10:00 in Shanghai is 02:00 GMT: the HTTP date, in GMT whatever the server's zone.
    assert headers["Date"] == "Wed, 18 Nov 2026 02:00:00 GMT"


def test_collect_settings_carry_server_account_and_project():
    settings = json.loads(
        openrosa.collect_settings("https://zw.example.cn/openrosa", "wanggrid", "k3y", "示范镇台账")
    )

    assert settings["general"] == {
        "server_url": "https://zw.example.cn/openrosa", "username": "wanggrid", "password": "k3y",
    }  # fmt: skip
    assert settings["admin"] == {}
    assert settings["project"]["name"] == "示范镇台账"
    assert settings["project"]["icon"] == "示"
    assert settings["project"]["color"].startswith("#")


def test_the_qr_payload_is_zlib_then_base64_and_decodes_back():
    text = openrosa.collect_settings("https://zw.example.cn/openrosa", "wanggrid", "k3y", "示范镇台账")

    payload = openrosa.encode_settings(text)

    assert zlib.decompress(base64.b64decode(payload)).decode() == text
    assert openrosa.decode_settings(payload) == text


def test_the_qr_code_is_a_png_image():
    text = openrosa.collect_settings("https://zw.example.cn/openrosa", "wanggrid", "k3y", "示范镇台账")

    png = openrosa.settings_qr_png(text)

    image = Image.open(BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] == image.size[1] > 100


def test_markup_in_a_response_message_is_escaped():
    root = ET.fromstring(openrosa.response_xml("字段“<a>&b”不符合要求", nature="submit_error"))

    message = root.find("{http://openrosa.org/http/response}message")
    assert message is not None
    assert message.text == "字段“<a>&b”不符合要求"
    assert message.get("nature") == "submit_error"


# ---- with a definition read from an XLSForm and its XForm made by pyxform ----

XFORMS = "{http://www.w3.org/2002/xforms}"


def collect_instance(xform: str, values: dict[str, str], instance_id: str) -> bytes:
    """The primary instance of `xform` filled in as Collect sends it: the same elements by local name,
    the leaves given in `values`, meta/instanceID set."""
    model_instance = ET.fromstring(xform).find(f".//{XFORMS}model/{XFORMS}instance")
    assert model_instance is not None
    template = model_instance[0]

    def copy(element: ET.Element) -> ET.Element:
        made = ET.Element(element.tag.rsplit("}", 1)[-1], dict(element.attrib))
        for child in element:
            made.append(copy(child))
        name = made.tag
        if len(made) == 0:
            made.text = instance_id if name == "instanceID" else values.get(name, element.text)
        return made

    return ET.tostring(copy(template), encoding="utf-8", xml_declaration=True)


def lamp_definition() -> Any:
    return read_definition(workbook(lamps()), "路灯台账.xlsx")


def test_a_submission_of_the_pyxform_xform_reads_back_its_fields():
    definition = lamp_definition()
    typed = {
        "lamp_no": "0123",
        "road": "滨江路",
        "status": "broken",
        "location": "30.51 114.30 20 5",
        "photo": "a.jpg",
    }

    submission = openrosa.parse_submission(
        collect_instance(definition.xform, typed, "uuid:11111111-2222-3333-4444-555555555555"),
        image_fields=[f.name for f in definition.fields if f.type == "image"],
    )

    assert submission.form_id == definition.form_id == "street_lamps"
    assert submission.version == definition.version
    assert submission.instance_id == "uuid:11111111-2222-3333-4444-555555555555"
    assert submission.values == typed
    assert set(submission.values) == {f.name for f in definition.fields}
    assert submission.media == {"photo": "a.jpg"}
    assert submission.entity["dataset"] == "street_lamps"
    assert submission.entity["create"] == "1"


def test_the_form_list_carries_the_definition_hash():
    definition = lamp_definition()
    entry = FormEntry(
        definition.form_id, definition.title, definition.version, definition.definition_hash,
        "https://zw.example.cn/openrosa/forms/street_lamps.xml",
    )  # fmt: skip

    root = ET.fromstring(openrosa.form_list_xml([entry]))

    assert root[0].findtext(f"{LIST}hash") == openrosa.xform_hash(definition.xform)
