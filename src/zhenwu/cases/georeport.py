"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) on the wire, with no Django in it.

Two halves:

- `Document`: one response, built once as plain data and written as XML (the standard's required format,
  schemaless, no namespace, an XML declaration saying UTF-8) or as JSON by the standard's "Spark
  convention": a container whose children all have one name (`<services><service/>…</services>`) is a
  JSON array, even of one. Both are written from the same data, so they cannot say different things.
- The rules for what a client sends: ids, W3C date-times, the search window and paging, a location,
  a posted service request and its `attribute[code]` values against the service's definition.
  Anything refused raises `Refusal`, which the views answer in the standard's error format; anything
  shortened or dropped is said in a notice the POST answers with (`service_notice`).

Error descriptions are meant for the person using the client: they are in Chinese and name the field.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Union
from urllib.parse import urlsplit

from zhenwu.core.text import BIDI_CONTROLS

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
FORMATS = tuple(CONTENT_TYPES)
MIME_TYPES = ["text/xml", "application/json"]

# "free form text limited to 4,000 characters" (POST Service Request, description).
MAX_DESCRIPTION = 4000
# "may not span more than 90 days … When not specified, the range defaults to most recent 90 days."
WINDOW = timedelta(days=90)
# "Default query limit is … first 1000 requests returned": the default and the largest page.
MAX_PAGE_SIZE = 1000
MAX_PAGE = 10_000
MAX_IDS = 1000
MAX_MEDIA_URL = 500
MAX_EMAIL = 254
MAX_ATTRIBUTE_STRING = 200
MAX_ATTRIBUTE_TEXT = 4000
COORDINATE_PLACES = Decimal("0.000001")
# Where a report to a Chinese township can be: the country's extent (Zengmu Ansha to the Heilongjiang,
# the Pamirs to the Wusu), with a margin. A point outside is a swapped pair, a zero or a typing slip.
LATITUDES = (Decimal("3.5"), Decimal("54"))
LONGITUDES = (Decimal("73"), Decimal("136"))


# --- documents ------------------------------------------------------------------------------------

Scalar = Union[str, int, float, bool, None]  # noqa: UP007 - a runtime alias, read by isinstance below


@dataclass(frozen=True)
class Many:
    """A container of repeated elements named `item`: `<item/>`s in XML, an array in JSON."""

    item: str
    items: Sequence[Node]


Node = Union[Scalar, Many, Mapping[str, "Node"]]  # noqa: UP007


@dataclass(frozen=True)
class Document:
    root: str
    body: Many | Mapping[str, Node]

    def render(self, fmt: str) -> bytes:
        return self.xml() if fmt == "xml" else self.json()

    def json(self) -> bytes:
        return json.dumps(_plain(self.body), ensure_ascii=False).encode()

    def xml(self) -> bytes:
        root = ET.Element(self.root)
        _fill(root, self.body)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode()


# Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF); C1 controls
# and DEL are allowed by XML but are no text anyone wrote; direction overrides make a text display as
# another ("报告\u202egpj.exe" as "报告exe.jpg"). They leave both formats alike.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


def clean_text(value: str) -> str:
    """Text as both formats carry it: line breaks as \\n (an XML parser reads \\r\\n as \\n anyway)."""
    return _NOT_TEXT.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _scalar_text(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return json.dumps(value)  # the same digits JSON shows
    return clean_text(str(value))


def _plain(node: Node) -> object:
    if isinstance(node, Many):
        return [_plain(item) for item in node.items]
    if isinstance(node, Mapping):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, str):
        return clean_text(node)
    return node


def _fill(element: ET.Element, node: Node) -> None:
    if isinstance(node, Many):
        for item in node.items:
            _fill(ET.SubElement(element, node.item), item)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _fill(ET.SubElement(element, key), value)
    else:
        element.text = _scalar_text(node)


def errors(status: int, *descriptions: str) -> Document:
    """The standard's error document: `errors`/`error` with `code` and `description`."""
    return Document("errors", Many("error", [{"code": status, "description": text} for text in descriptions]))


class Refusal(Exception):
    """A request the API will not fulfil: the HTTP status and what to tell the client (one or more)."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)

    def document(self) -> Document:
        return errors(self.status, *self.descriptions)


# --- ids, dates, the window and paging --------------------------------------------------------------

# A service_request_id is the case's number as zhenwu writes it: ASCII digits, no sign, no leading zero.
# str.isdigit() would take "²" (int() then fails) and "١" (which int() reads as 1: another case).
_ID = re.compile(r"[1-9][0-9]{0,17}")


def request_id(raw: str) -> int | None:
    return int(raw) if _ID.fullmatch(raw) else None


def request_ids(raw: str) -> list[int]:
    """The ids of a comma-separated `service_request_id`: ones that cannot be an id match nothing."""
    parts = raw.split(",")
    if len(parts) > MAX_IDS:
        raise Refusal(400, f"service_request_id 一次最多 {MAX_IDS} 个。")
    return [number for part in parts if (number := request_id(part.strip())) is not None]


_W3C = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)"
    r"(?P<zone>Z|z|[+\- ][0-9]{2}:?[0-9]{2})?)?"
)


def w3c_datetime(raw: str, name: str, zone: tzinfo) -> datetime:
    """A W3C date-time (2010-01-01T00:00:00Z, …+08:00), or a date (its first moment in `zone`).

    A time without an offset is read in `zone`, the township's own time. A space where the offset's "+"
    should be is read as "+": an unencoded "+" in a query string arrives as a space.
    """
    match = _W3C.fullmatch(raw.strip())
    if match is None:
        raise Refusal(400, f"{name} 须为 W3C 日期时间格式，如 2026-01-31T08:00:00+08:00。")
    try:
        day = date.fromisoformat(match["date"])
        moment = time.fromisoformat(match["time"]) if match["time"] else time.min
    except ValueError:
        raise Refusal(400, f"{name} 的日期或时间不存在：{raw}。") from None
    if not 1900 <= day.year <= 2100:
        raise Refusal(400, f"{name} 的年份须在 1900 到 2100 之间。")
    offset = match["zone"]
    if offset is None:
        return datetime.combine(day, moment, tzinfo=zone)
    offset = "+00:00" if offset in "Zz" else "+" + offset[1:] if offset[0] == " " else offset
    try:
        return datetime.fromisoformat(f"{day.isoformat()}T{moment.isoformat()}{offset}")
    except ValueError:
        raise Refusal(400, f"{name} 的时区写法不对：{match['zone']}。") from None


def search_window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The requested_datetime range searched: 90 days at most, the last 90 days by default."""
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        assert end is not None
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if start > end:
        raise Refusal(400, "start_date 不能晚于 end_date。")
    if end - start > WINDOW:
        raise Refusal(
            400, f"start_date 到 end_date 不能超过 {WINDOW.days} 天（GeoReport v2 的上限），请分段查询。"
        )
    return start, end


def _count(raw: str | None, name: str, default: int, largest: int) -> int:
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= largest:
        raise Refusal(400, f"{name} 须为 1 到 {largest} 之间的整数。")
    return int(raw)


def paging(page: str | None, page_size: str | None) -> tuple[int, int]:
    """`page` (from 1) and `page_size` (1 to 1000, default 1000): the common extension to GeoReport v2."""
    return _count(page, "page", 1, MAX_PAGE), _count(page_size, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)


STATUSES = ("open", "closed")


def statuses(raw: str) -> set[str]:
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    if not wanted <= set(STATUSES):
        raise Refusal(400, "status 只能是 open、closed，或二者以逗号分隔。")
    return wanted


# --- location --------------------------------------------------------------------------------------

_COORDINATE = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]+)?")


def _coordinate(raw: str, name: str) -> Decimal:
    if not _COORDINATE.fullmatch(raw):
        raise Refusal(400, f"{name} 须为十进制度数（WGS84），如 30.123456；收到的是“{raw[:40]}”。")
    return Decimal(raw)


def _in_china(lat: Decimal, long: Decimal) -> bool:
    return LATITUDES[0] <= lat <= LATITUDES[1] and LONGITUDES[0] <= long <= LONGITUDES[1]


def coordinates(lat: str, long: str) -> tuple[Decimal, Decimal] | None:
    """The point (WGS84) of `lat` and `long`: both or neither, in range, and in China."""
    lat, long = lat.strip(), long.strip()
    if not lat and not long:
        return None
    if not lat or not long:
        raise Refusal(400, "lat 与 long 须同时提供。")
    y, x = _coordinate(lat, "lat"), _coordinate(long, "long")
    if not _in_china(y, x) and _in_china(x, y):
        said = "lat 是纬度（中国约 3.5 至 54），long 是经度（约 73 至 136）"
        raise Refusal(400, f"lat {lat} 与 long {long} 似乎写反了：{said}。")
    for value, name, bound in ((y, "lat", 90), (x, "long", 180)):
        if not -bound <= value <= bound:
            raise Refusal(400, f"{name} 须在 -{bound} 到 {bound} 之间；收到的是 {value}。")
    if not _in_china(y, x):
        raise Refusal(400, f"位置（lat {lat}，long {long}）不在中国境内，请核对。")
    return y, x


# --- service definitions ---------------------------------------------------------------------------

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_DATATYPES = ("singlevaluelist", "multivaluelist")
_ATTRIBUTE_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class Choice:
    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    """One field of a service definition, as the standard describes it."""

    code: str
    datatype: str
    description: str
    order: int
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: tuple[Choice, ...] = ()

    def document(self) -> dict[str, Node]:
        return {
            "variable": self.variable,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description or None,
            "order": self.order,
            "description": self.description,
            "values": Many("value", [{"key": c.key, "name": c.name} for c in self.values]),
        }


def attribute_definitions(raw: object) -> list[Attribute]:
    """A category's attributes from the list a township keeps with it, in their order.

    Each item: `code`, `datatype` (one of DATATYPES), `description`; optionally `required` and `variable`
    (true/false), `order` (a positive integer, default its position), `datatype_description`, and for
    the two list types `values` ([{"key": …, "name": …}]). Raises ValueError naming the faulty item.
    """
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValueError("附加字段须是一个列表。")
    found: list[Attribute] = []
    for position, item in enumerate(raw, start=1):
        found.append(_attribute(item, position))
    codes = [a.code for a in found]
    if len(set(codes)) != len(codes):
        raise ValueError("附加字段的 code 不能重复。")
    orders = [a.order for a in found]
    if len(set(orders)) != len(orders):
        raise ValueError("附加字段的 order 不能重复。")
    return sorted(found, key=lambda a: a.order)


def _attribute(item: object, position: int) -> Attribute:
    where = f"第 {position} 个附加字段"
    if not isinstance(item, dict):
        raise ValueError(f"{where}须是一个对象（code、datatype、description…）。")
    unknown = set(item) - {
        "code",
        "datatype",
        "description",
        "required",
        "variable",
        "order",
        "datatype_description",
        "values",
    }
    if unknown:
        raise ValueError(f"{where}有不认识的项：{'、'.join(sorted(unknown))}。")
    code = item.get("code")
    if not isinstance(code, str) or not _ATTRIBUTE_CODE.fullmatch(code):
        raise ValueError(f"{where}的 code 须为 1 到 40 个字母、数字、下划线或连字符。")
    where = f"附加字段 {code} "
    datatype = item.get("datatype")
    if datatype not in DATATYPES:
        raise ValueError(f"{where}的 datatype 须为 {'、'.join(DATATYPES)} 之一。")
    description = item.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ValueError(f"{where}须有 description（向填报人说明要填什么）。")
    flags = {}
    for name, default in (("required", False), ("variable", True)):
        value = item.get(name, default)
        if not isinstance(value, bool):
            raise ValueError(f"{where}的 {name} 须为 true 或 false。")
        flags[name] = value
    order = item.get("order", position)
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"{where}的 order 须为正整数。")
    note = item.get("datatype_description", "")
    if not isinstance(note, str):
        raise ValueError(f"{where}的 datatype_description 须为文字。")
    return Attribute(
        code=code,
        datatype=str(datatype),
        description=description.strip(),
        order=order,
        required=flags["required"],
        variable=flags["variable"],
        datatype_description=note.strip(),
        values=_choices(item.get("values"), str(datatype), where),
    )


def _choices(raw: object, datatype: str, where: str) -> tuple[Choice, ...]:
    if datatype not in LIST_DATATYPES:
        if raw not in (None, []):
            raise ValueError(f"{where}不是列表类型，不能有 values。")
        return ()
    if not isinstance(raw, list) or not raw:
        raise ValueError(f'{where}是列表类型，须有 values：[{{"key": …, "name": …}}]。')
    choices = []
    for value in raw:
        key = value.get("key") if isinstance(value, dict) else None
        name = value.get("name") if isinstance(value, dict) else None
        if isinstance(key, bool) or not isinstance(key, str | int) or not isinstance(name, str):
            raise ValueError(f"{where}的每个 value 须有 key（文字或整数）和 name（文字）。")
        choices.append(Choice(str(key), name))
    keys = [c.key for c in choices]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{where}的 values 中 key 不能重复。")
    return tuple(choices)


# --- a posted service request ----------------------------------------------------------------------

_ATTRIBUTE_KEY = re.compile(r"attribute\[([^\[\]]*)\](\[\])?")
FIELDS = {
    "api_key",
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
}
# Fields of the standard zhenwu takes but does not keep: said in the notice, never silently lost.
NOT_KEPT = ("device_id", "account_id")
MAX_PLACE = 120
MAX_NAME = 32
MAX_PHONE = 20
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Submission:
    """A POST Service Request, read and checked; `notices` says what was shortened or dropped."""

    service_code: str
    description: str
    point: tuple[Decimal, Decimal] | None
    address: str
    name: str
    phone: str
    email: str
    media_url: str
    attributes: dict[str, str | list[str]]
    notices: list[str] = field(default_factory=list)


def read_submission(
    form: Mapping[str, Sequence[str]],
    definitions: Sequence[Attribute],
    url_ok: Callable[[str], bool],
) -> Submission:
    """The request a client posted (`form`: each field's values), or Refusal listing every fault.

    `definitions` are the service's attributes; `url_ok` says whether a media_url is a link zhenwu may
    keep (the caller's URL validator). service_code and api_key are the caller's to check first.
    """
    notices: list[str] = []
    problems: list[str] = []
    unknown = sorted(k for k in form if k not in FIELDS and not k.startswith("attribute"))
    if unknown:
        notices.append(f"未识别的字段已忽略：{'、'.join(unknown[:10])}。")
    repeated = sorted(k for k in FIELDS if len(form.get(k) or ()) > 1)
    if repeated:
        notices.append(f"{'、'.join(repeated)} 提交了不止一次，只取了最后一个。")
    fields = {name: (form.get(name) or [""])[-1] for name in FIELDS}
    cleaned = {name: clean_text(value).strip() for name, value in fields.items()}
    controlled = sorted(n for n in FIELDS if _NOT_TEXT.search(fields[n]))
    if controlled:
        notices.append(f"{'、'.join(controlled)} 中的控制字符已删除。")

    def limited(name: str, limit: int, label: str = "") -> str:
        value = cleaned[name]
        if len(value) > limit:
            notices.append(
                f"{label or name} 共 {len(value)} 字，超过 {limit} 字的上限，只保存了前 {limit} 字。"
            )
        return value[:limit]

    point = None
    try:
        point = coordinates(cleaned["lat"], cleaned["long"])
    except Refusal as refusal:
        problems.extend(refusal.descriptions)
    if point is not None and point != (_quantized(point[0]), _quantized(point[1])):
        notices.append("lat、long 保留了 6 位小数（约 0.1 米）。")
        point = (_quantized(point[0]), _quantized(point[1]))
    address = limited("address_string", MAX_PLACE)
    address_id = limited("address_id", MAX_PLACE)
    if address and address_id:
        notices.append("已有 address_string，address_id 未保存。")
    if point is None and not address and not address_id and not problems:
        problems.append("须提供位置：lat 与 long，或 address_string，或 address_id。")
    cleaned["name"] = cleaned["last_name"] + cleaned["first_name"]
    email = cleaned["email"]
    if email and (len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email)):
        notices.append("email 不是有效的电子邮件地址，未保存。")
        email = ""
    media_url = cleaned["media_url"]
    if media_url and not _link_ok(media_url, url_ok):
        notices.append(f"media_url 须为不超过 {MAX_MEDIA_URL} 字符的 http 或 https 链接，未保存。")
        media_url = ""
    dropped = [n for n in NOT_KEPT if cleaned[n]]
    if dropped:
        notices.append(f"{'、'.join(dropped)} 本系统不保存。")
    attributes: dict[str, str | list[str]] = {}
    try:
        attributes = check_attributes(definitions, read_attributes(form, notices), notices)
    except Refusal as refusal:
        problems.extend(refusal.descriptions)
    if problems:
        raise Refusal(400, *problems)
    return Submission(
        service_code=cleaned["service_code"],
        description=limited("description", MAX_DESCRIPTION),
        point=point,
        address=address or address_id,
        name=limited("name", MAX_NAME, "last_name 与 first_name"),
        phone=limited("phone", MAX_PHONE),
        email=email,
        media_url=media_url,
        attributes=attributes,
        notices=notices,
    )


def _quantized(value: Decimal) -> Decimal:
    return value.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)


def _link_ok(url: str, url_ok: Callable[[str], bool]) -> bool:
    if len(url) > MAX_MEDIA_URL or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and url_ok(url)


def read_attributes(form: Mapping[str, Sequence[str]], notices: list[str]) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2`, by code; empty values gone."""
    found: dict[str, list[str]] = {}
    malformed = []
    for key, values in form.items():
        if not key.startswith("attribute"):
            continue
        match = _ATTRIBUTE_KEY.fullmatch(key)
        if match is None or not match[1]:
            malformed.append(key)
            continue
        kept = [clean_text(v).strip() for v in values if clean_text(v).strip()]
        if kept:
            found.setdefault(match[1], []).extend(kept)
    if malformed:
        notices.append(f"无法识别的附加字段已忽略：{'、'.join(sorted(malformed)[:10])}。")
    return found


def check_attributes(
    definitions: Sequence[Attribute], submitted: Mapping[str, list[str]], notices: list[str]
) -> dict[str, str | list[str]]:
    """The submitted values the definition asks for, checked against it; Refusal lists every fault."""
    by_code = {a.code: a for a in definitions}
    ignored = sorted(code for code in submitted if code not in by_code or not by_code[code].variable)
    if ignored:
        names = "、".join(f"attribute[{code}]" for code in ignored[:10])
        notices.append(f"本服务未定义（或无需填写）的附加字段已忽略：{names}。")
    problems: list[str] = []
    kept: dict[str, str | list[str]] = {}
    for attribute in definitions:
        if not attribute.variable:
            continue
        values = submitted.get(attribute.code, [])
        if not values:
            if attribute.required:
                problems.append(f"attribute[{attribute.code}]（{attribute.description}）必须填写。")
            continue
        try:
            kept[attribute.code] = _attribute_value(attribute, values)
        except ValueError as fault:
            problems.append(f"attribute[{attribute.code}]（{attribute.description}）{fault}")
    if problems:
        raise Refusal(400, *problems)
    return kept


def _attribute_value(attribute: Attribute, values: list[str]) -> str | list[str]:
    keys = [c.key for c in attribute.values]
    if attribute.datatype == "multivaluelist":
        wrong = [v for v in values if v not in keys]
        if wrong:
            raise ValueError(f"只能取 {'、'.join(keys)} 中的值，收到 {'、'.join(wrong[:5])}。")
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise ValueError("只能有一个值。")
    value = values[0]
    if attribute.datatype == "singlevaluelist" and value not in keys:
        raise ValueError(f"只能取 {'、'.join(keys)} 之一，收到 {value[:40]}。")
    if attribute.datatype == "number" and not _NUMBER.fullmatch(value):
        raise ValueError("须为数字。")
    if attribute.datatype == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            raise ValueError("须为数字。") from None
    if attribute.datatype == "datetime":
        try:
            # The offset matters to nobody here but the reader; a time without one is kept as sent.
            w3c_datetime(value, f"attribute[{attribute.code}]", UTC)
        except Refusal:
            raise ValueError("须为 W3C 日期时间，如 2026-01-31T08:00:00+08:00。") from None
    if attribute.datatype == "string" and "\n" in value:
        raise ValueError("不能换行（多行文字请用 text 类型）。")
    if attribute.datatype == "string" and len(value) > MAX_ATTRIBUTE_STRING:
        raise ValueError(f"不能超过 {MAX_ATTRIBUTE_STRING} 字。")
    if attribute.datatype == "text" and len(value) > MAX_ATTRIBUTE_TEXT:
        raise ValueError(f"不能超过 {MAX_ATTRIBUTE_TEXT} 字。")
    return value
