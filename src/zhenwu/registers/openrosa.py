"""The OpenRosa APIs as ODK Collect and KoboCollect speak them, without Django.

- Form List API (https://docs.getodk.org/openrosa-form-list/): `form_list_xml` writes the `<xforms>`
  document in the namespace http://openrosa.org/xforms/xformsList, one `<xform>` per register. The
  view filters by the optional `formID` query parameter (the spec says it MUST) and may give
  `descriptionText` when `verbose=true`.
- HTTP Request API (https://docs.getodk.org/openrosa-http/): every response carries
  `X-OpenRosa-Version: 1.0` and a `Date`; `openrosa_headers` gives them, with
  `X-OpenRosa-Accept-Content-Length`, which Collect reads from the answer to its HEAD request to know
  how many bytes one POST may carry (it splits larger submissions, marking all but the last with a
  part named `*isIncomplete*`).
- Form Submission API (https://docs.getodk.org/openrosa-form-submission/): the instance arrives as the
  multipart part `xml_submission_file`; `parse_submission` reads it, and `response_xml` writes the
  `<OpenRosaResponse>` envelope (namespace http://openrosa.org/http/response) the 201 answer carries.
- Collect's configuration QR code (https://docs.getodk.org/collect-import-export/): the settings JSON,
  zlib-compressed, then base64, drawn with segno.

A submission comes from a phone over the network: it is parsed by defusedxml with DTDs, entities and
external references refused, and only after its size is checked; its depth and element count are
bounded too. Every refusal is a `SubmissionError` whose message is for the user, in Chinese.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

import segno
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
RESPONSE_NS = "http://openrosa.org/http/response"
OPENROSA_VERSION = "1.0"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
SUBMISSION_PART = "xml_submission_file"
INCOMPLETE_PART = "*isIncomplete*"

# A register's record is a few dozen fields: its XML is a few kilobytes. A megabyte leaves room for
# long texts and still keeps a hostile body from reaching the parser.
MAX_SUBMISSION_BYTES = 1024 * 1024
# XLSForm groups nest a few levels at most; meta sits at depth 2.
MAX_DEPTH = 32
MAX_ELEMENTS = 10_000
MAX_ID_LENGTH = 200

META = "meta"
# Collect's default project colour is taken by many projects; zhenwu's red tells its project apart.
PROJECT_COLOR = "#c0392b"


class SubmissionError(ValueError):
    """A submission that cannot be read; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class FormEntry:
    """One register as the form list offers it. `hash` is "md5:" and the hex MD5 of the XForm served
    at `download_url` (`xform_hash`, or `Definition.definition_hash`): Collect compares it with the
    form it holds to offer updates."""

    form_id: str
    name: str
    version: str
    hash: str
    download_url: str
    manifest_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class Submission:
    """A submitted instance: the form it fills, the instance's identity and its values.

    `values` maps each leaf element's name to its text, with groups flattened away (XLSForm names are
    unique in a form, groups included); `paths` maps the same names to their path below the root
    ("location/point"). A repeat's leaves occur once per row: `values` holds the first, and `blocks`
    holds, for every element that holds others (a group, or a row of a repeat) by name, the leaves under
    each of its occurrences in document order: a repeat's rows are `blocks[repeat name]`. Values are as
    the XForm writes them: select_multiple names separated by spaces, a geopoint as "lat lon alt acc",
    an image as its file name. The meta block is not among the values.
    `media` maps each image field named by the caller to the file name it holds; `entity` is the
    meta/entity block of a form that creates or updates a thing.
    """

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str = ""
    instance_name: str = ""
    values: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)
    # ODK Entities: meta/entity's attributes (dataset, id, create, update, baseVersion) and its label.
    entity: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def xform_hash(xform: str | bytes) -> str:
    """The form list's hash of an XForm as it is served: "md5:" and its hex MD5."""
    data = xform.encode("utf-8") if isinstance(xform, str) else xform
    return "md5:" + hashlib.md5(data, usedforsecurity=False).hexdigest()


def form_list_xml(forms: list[FormEntry]) -> bytes:
    """The Form List API document offering `forms`."""
    root = ET.Element(f"{{{FORM_LIST_NS}}}xforms")
    for form in forms:
        entry = ET.SubElement(root, f"{{{FORM_LIST_NS}}}xform")
        _child(entry, "formID", form.form_id)
        _child(entry, "name", form.name)
        if form.version:  # optional in the spec; an empty element would read as a version ""
            _child(entry, "version", form.version)
        _child(entry, "hash", form.hash)
        if form.description:
            _child(entry, "descriptionText", form.description)
        _child(entry, "downloadUrl", form.download_url)
        if form.manifest_url:
            _child(entry, "manifestUrl", form.manifest_url)
    return _document(root, FORM_LIST_NS)


def response_xml(message: str, nature: str = "submit_success") -> bytes:
    """The OpenRosaResponse envelope with one message; Collect shows the message to the user."""
    # Written as text: ElementTree cannot put an unprefixed attribute under a default namespace.
    nature_attribute = f" nature={quoteattr(nature)}" if nature else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}">'
        f"<message{nature_attribute}>{escape(message)}</message>"
        "</OpenRosaResponse>"
    ).encode()


def openrosa_headers(accept_length: int) -> dict[str, str]:
    """The headers of every OpenRosa response; `accept_length` is the most bytes one submission POST
    may carry, which Collect reads from the answer to its HEAD request."""
    return {
        "X-OpenRosa-Version": OPENROSA_VERSION,
        "X-OpenRosa-Accept-Content-Length": str(accept_length),
        "Date": formatdate(usegmt=True),
        "Content-Language": "zh",
    }


def _child(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, f"{{{FORM_LIST_NS}}}{name}").text = text


def _document(root: ET.Element, namespace: str) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=namespace)
    return written


def parse_submission(xml: bytes, *, image_fields: Iterable[str] = ()) -> Submission:
    """The submission in the `xml_submission_file` part. Raises SubmissionError for a body that is
    too large, not XML, hostile (a DTD or entities), too deep, or without a form id or instanceID."""
    root = _parse(xml)
    form_id = _attribute(root, "id")
    if not form_id:
        raise SubmissionError(
            "提交的数据缺少表单编号(根元素的 id 属性)，请在 ODK Collect 中重新下载表单后再提交。"
        )
    meta = _meta(root)
    instance_id = meta.get("instanceID", "") or _attribute(root, "instanceID")
    if not instance_id:
        raise SubmissionError("提交的数据缺少记录编号(meta/instanceID)，无法保存。")
    if len(instance_id) > MAX_ID_LENGTH or len(meta.get("deprecatedID", "")) > MAX_ID_LENGTH:
        raise SubmissionError("提交的数据中记录编号(instanceID)过长，无法保存。")
    values, paths, blocks = _leaves(root)
    images = set(image_fields)
    return Submission(
        form_id=form_id,
        version=_attribute(root, "version"),
        instance_id=instance_id,
        deprecated_id=meta.get("deprecatedID", ""),
        instance_name=meta.get("instanceName", ""),
        values=values,
        paths=paths,
        media={name: value for name, value in values.items() if name in images and value},
        entity=_entity(root),
        blocks=blocks,
    )


def _parse(xml: bytes) -> ET.Element:
    if len(xml) > MAX_SUBMISSION_BYTES:
        raise SubmissionError(
            f"提交的数据过大({len(xml) // 1024} KB)，单条记录不能超过 {MAX_SUBMISSION_BYTES // 1024} KB。"
        )
    try:
        root: ET.Element = defused_fromstring(
            xml, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise SubmissionError("提交的数据含有文档类型声明或实体(DTD)，出于安全考虑拒绝接收。") from error
    except (ParseError, ValueError) as error:
        raise SubmissionError("提交的数据不是有效的 XML，无法读取。") from error
    _check_shape(root)
    return root


def _check_shape(root: ET.Element) -> None:
    """Depth and size bounds, walked without recursion so that a deep document cannot exhaust the stack."""
    stack = [(root, 1)]
    count = 0
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise SubmissionError(f"提交的数据层级过深(超过{MAX_DEPTH}层)，拒绝接收。")
        if count > MAX_ELEMENTS:
            raise SubmissionError(f"提交的数据元素过多(超过{MAX_ELEMENTS}个)，拒绝接收。")
        stack.extend((child, depth + 1) for child in element)


def _local(tag: Any) -> str:
    """The element's name without its namespace: Collect writes meta as `meta` or `orx:meta`."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def _attribute(element: ET.Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return ""


def _meta(root: ET.Element) -> dict[str, str]:
    for child in root:
        if _local(child.tag) == META:
            return {_local(item.tag): (item.text or "").strip() for item in child if len(item) == 0}
    return {}


def _entity(root: ET.Element) -> dict[str, str]:
    for child in root:
        if _local(child.tag) != META:
            continue
        for item in child:
            if _local(item.tag) == "entity":
                found = {_local(key): value.strip() for key, value in item.attrib.items()}
                label = next((p for p in item if _local(p.tag) == "label"), None)
                if label is not None:
                    found["label"] = (label.text or "").strip()
                return found
    return {}


def _leaves(root: ET.Element) -> tuple[dict[str, str], dict[str, str], dict[str, list[dict[str, str]]]]:
    values: dict[str, str] = {}
    paths: dict[str, str] = {}
    blocks: dict[str, list[dict[str, str]]] = {}
    # (element, its path's prefix, the blocks (the leaves of each element around it) it adds to)
    stack: list[tuple[ET.Element, str, tuple[dict[str, str], ...]]] = [
        (child, "", ()) for child in reversed(root) if _local(child.tag) != META
    ]
    while stack:
        element, prefix, around = stack.pop()
        name = _local(element.tag)
        path = f"{prefix}{name}"
        if len(element):
            own: dict[str, str] = {}
            blocks.setdefault(name, []).append(own)
            stack.extend((child, f"{path}/", (*around, own)) for child in reversed(element))
            continue
        text = (element.text or "").strip()
        if around and name in around[-1]:
            # Names are unique in an XLSForm: one twice among the same siblings is not a repeat's row.
            raise SubmissionError(f"提交的数据中字段“{name}”出现了多次，请检查表单版本。")
        if not around and name in values:
            raise SubmissionError(f"提交的数据中字段“{name}”出现了多次，请检查表单版本。")
        for block in around:
            block[name] = text
        values.setdefault(name, text)
        paths.setdefault(name, path)
    return values, paths, blocks


def collect_settings(server_url: str, username: str, device_key: str, project_name: str) -> str:
    """The JSON of Collect's configuration QR code: the server, the account with its device key as the
    password, and the project's name, icon (its first character) and colour."""
    settings = {
        "general": {"server_url": server_url, "username": username, "password": device_key},
        "admin": {},
        "project": {"name": project_name, "icon": project_name[:1] or "镇", "color": PROJECT_COLOR},
    }
    return json.dumps(settings, ensure_ascii=False, separators=(",", ":"))


def encode_settings(settings_json: str) -> str:
    """What the QR code carries: the settings JSON, zlib-compressed, then base64, as Collect reads it."""
    return base64.b64encode(zlib.compress(settings_json.encode("utf-8"), 9)).decode("ascii")


def decode_settings(payload: str) -> str:
    """The settings JSON back from a QR code's text (for tests and for support staff)."""
    return zlib.decompress(base64.b64decode(payload, validate=True)).decode("utf-8")


def settings_qr_png(settings_json: str, *, scale: int = 6) -> bytes:
    """A PNG of the configuration QR code for `settings_json` (from `collect_settings`)."""
    code = segno.make(encode_settings(settings_json), micro=False, error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
