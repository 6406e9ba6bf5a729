"""cases.georeport, the wire format of Open311 GeoReport v2: XML and JSON say the same, whatever the text;
ids, dates, windows, positions and attributes are read strictly and refused with a reason."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.cases import georeport
from zhenwu.cases.georeport import Document, Many, Refusal

SHANGHAI = ZoneInfo("Asia/Shanghai")


def xml_as_json(element: ET.Element, shapes: dict[str, str]) -> Any:
    """Read XML back the Spark way: a container named in `shapes` is a list of its items."""
    if element.tag in shapes:
        return [xml_as_json(child, shapes) for child in element]
    if len(element):
        return {child.tag: xml_as_json(child, shapes) for child in element}
    return element.text or ""


def scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return json.dumps(value)
    if value is None:
        return ""
    return str(value)


def same_data(json_value: Any, xml_value: Any) -> bool:
    if isinstance(json_value, list):
        return len(json_value) == len(xml_value) and all(map(same_data, json_value, xml_value))
    if isinstance(json_value, dict):
        return json_value.keys() == xml_value.keys() and all(
            same_data(v, xml_value[k]) for k, v in json_value.items()
        )
    return bool(scalar(json_value) == xml_value)


texts = st.text()
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats(-180, 180))


@given(st.lists(st.fixed_dictionaries({"code": scalars, "description": texts, "note": scalars}), max_size=4))
def test_xml_and_json_carry_the_same_data_whatever_the_text(items: list[dict[str, Any]]) -> None:
    document = Document("things", Many("thing", items))
    from_json = json.loads(document.json())
    from_xml = xml_as_json(ET.fromstring(document.xml()), {"things": "thing"})
    assert same_data(from_json, from_xml)


def test_an_xml_document_declares_utf8_and_has_no_namespace() -> None:
    body = Document("errors", Many("error", [{"code": 404, "description": "没有"}])).xml()
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>404</code>')
    assert "没有".encode() in body and b"xmlns" not in body


def test_a_one_item_container_is_still_a_json_array() -> None:
    assert json.loads(Document("services", Many("service", [{"a": 1}])).json()) == [{"a": 1}]
    nested = Document("d", {"values": Many("value", [])})
    assert json.loads(nested.json()) == {"values": []}
    assert nested.xml().endswith(b"<d><values /></d>")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("42", 42), ("123456789012345678", 123456789012345678)],
)
def test_an_id_is_ascii_digits_without_a_leading_zero(raw: str, expected: int) -> None:
    assert georeport.request_id(raw) == expected


@given(st.text())
def test_nothing_but_a_plain_number_is_an_id(raw: str) -> None:
    number = georeport.request_id(raw)
    assert number is None or str(number) == raw


@pytest.mark.parametrize("raw", ["²", "١", "１", "007", "0", "-1", "+1", "1.0", " 1", "1 ", "9" * 19, ""])
def test_these_are_not_ids(raw: str) -> None:
    assert georeport.request_id(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2026-11-18T10:00:00+08:00", datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)),
        ("2026-11-18T10:00:00 08:00", datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)),  # "+" sent unencoded
        ("2026-11-18T10:00+0800", datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)),
        ("2026-11-18T10:00:00", datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)),
        ("2026-11-18", datetime(2026, 11, 18, tzinfo=SHANGHAI)),
        ("2026-11-18T10:00:00.123456-05:00", datetime(2026, 11, 18, 23, 0, 0, 123456, tzinfo=SHANGHAI)),
    ],
)
def test_w3c_date_times_are_read(raw: str, expected: datetime) -> None:
    assert georeport.w3c_datetime(raw, "start_date", SHANGHAI) == expected


@pytest.mark.parametrize(
    "raw",
    ["yesterday", "2026-02-30T00:00:00Z", "0001-01-01T00:00:00+14:00", "2026-11-18T25:00:00Z",
     "２０２６-11-18", "2026-11-18T10:00:00+25:00", "1e9", ""],
)  # fmt: skip
def test_other_dates_are_refused_with_the_field_named(raw: str) -> None:
    with pytest.raises(Refusal) as refused:
        georeport.w3c_datetime(raw, "end_date", SHANGHAI)
    assert refused.value.status == 400 and "end_date" in refused.value.descriptions[0]


NOW = datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)


def test_the_window_is_the_last_90_days_by_default_and_90_days_at_most() -> None:
    ninety = timedelta(days=90)
    assert georeport.search_window(None, None, NOW) == (NOW - ninety, NOW)
    assert georeport.search_window(NOW - ninety, None, NOW) == (NOW - ninety, NOW)
    assert georeport.search_window(None, NOW, NOW) == (NOW - ninety, NOW)
    with pytest.raises(Refusal, match="90"):
        georeport.search_window(NOW - timedelta(days=365), NOW, NOW)
    with pytest.raises(Refusal, match="start_date"):
        georeport.search_window(NOW, NOW - timedelta(days=1), NOW)


@pytest.mark.parametrize(
    ("page", "size", "expected"), [(None, None, (1, 1000)), ("2", "50", (2, 50)), ("", "", (1, 1000))]
)
def test_paging(page: str | None, size: str | None, expected: tuple[int, int]) -> None:
    assert georeport.paging(page, size) == expected


@pytest.mark.parametrize(
    ("page", "size"), [("0", None), (None, "1001"), ("-1", None), ("１", None), ("x", None)]
)
def test_paging_outside_its_bounds_is_refused(page: str | None, size: str | None) -> None:
    with pytest.raises(Refusal):
        georeport.paging(page, size)


def test_a_position_is_both_numbers_in_range_and_in_china() -> None:
    assert georeport.coordinates("30.5", "114.3") == (Decimal("30.5"), Decimal("114.3"))
    assert georeport.coordinates("", "") is None
    for lat, long, said in [
        ("999", "114", "lat 须在 -90 到 90 之间"),
        ("30", "-181", "long 须在 -180 到 180 之间"),
        ("30.5", "", "同时提供"),
        ("NaN", "114", "十进制度数"),
        ("1e1", "114", "十进制度数"),
        ("３０", "114", "十进制度数"),
        ("0", "0", "不在中国境内"),
        ("114.3", "30.5", "写反"),
        ("40.7", "-74.0", "不在中国境内"),
    ]:
        with pytest.raises(Refusal, match=said):
            georeport.coordinates(lat, long)


DEFINITION = [
    {"code": "kind", "datatype": "singlevaluelist", "required": True, "description": "垃圾种类",
     "values": [{"key": "household", "name": "生活垃圾"}, {"key": 2, "name": "建筑垃圾"}]},
    {"code": "bins", "datatype": "number", "description": "垃圾桶数"},
    {"code": "seen", "datatype": "datetime", "description": "发现时间"},
    {"code": "also", "datatype": "multivaluelist", "description": "其他问题",
     "values": [{"key": "smell", "name": "异味"}, {"key": "water", "name": "污水"}]},
    {"code": "note", "datatype": "string", "description": "补充"},
    {"code": "how", "datatype": "text", "variable": False, "description": "请拍照后填写"},
]  # fmt: skip


def test_a_definition_is_read_in_order_with_its_values() -> None:
    attributes = georeport.attribute_definitions(DEFINITION)
    assert [a.code for a in attributes] == ["kind", "bins", "seen", "also", "note", "how"]
    assert attributes[0].values[1] == georeport.Choice("2", "建筑垃圾") and attributes[0].required
    assert not attributes[5].variable and attributes[5].order == 6


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ({"datatype": "string", "description": "x"}, "code"),
        ({"code": "a", "datatype": "date", "description": "x"}, "datatype"),
        ({"code": "a", "datatype": "string"}, "description"),
        ({"code": "a", "datatype": "singlevaluelist", "description": "x"}, "values"),
        (
            {"code": "a", "datatype": "string", "description": "x", "values": [{"key": 1, "name": "y"}]},
            "values",
        ),
        ({"code": "a", "datatype": "string", "description": "x", "required": "yes"}, "required"),
        ({"code": "a", "datatype": "string", "description": "x", "order": 0}, "order"),
        ({"code": "a", "datatype": "string", "description": "x", "colour": "red"}, "colour"),
    ],
)
def test_a_broken_definition_is_refused_naming_the_fault(broken: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        georeport.attribute_definitions([broken])


def test_submitted_attributes_are_checked_against_the_definition() -> None:
    attributes = georeport.attribute_definitions(DEFINITION)
    notices: list[str] = []
    kept = georeport.check_attributes(
        attributes,
        {"kind": ["2"], "bins": ["3"], "also": ["smell", "water", "smell"], "how": ["x"], "zzz": ["1"]},
        notices,
    )
    assert kept == {"kind": "2", "bins": "3", "also": ["smell", "water"]}
    assert "attribute[how]" in notices[0] and "attribute[zzz]" in notices[0]
    with pytest.raises(Refusal) as refused:
        georeport.check_attributes(
            attributes,
            {"bins": ["three"], "seen": ["tomorrow"], "also": ["fire"], "note": ["a\nb"]},
            [],
        )
    said = refused.value.descriptions
    assert refused.value.status == 400 and len(said) == 5
    assert "attribute[kind]（垃圾种类）必须填写" in said[0]
    assert "数字" in said[1] and "W3C" in said[2] and "fire" in said[3] and "换行" in said[4]


def test_attribute_keys_are_read_the_way_the_standard_writes_them() -> None:
    notices: list[str] = []
    form = {"attribute[kind]": ["2"], "attribute[also][]": ["smell", "water"], "attribute[": ["x"]}
    assert georeport.read_attributes(form, notices) == {"kind": ["2"], "also": ["smell", "water"]}
    assert "attribute[" in notices[0]
