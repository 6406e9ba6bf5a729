"""ODK Collect filling a register with a repeat: pyxform's XForm carries the repeat, and a submission
shaped as Collect sends it (one element per row, no template row) is kept with its rows as a list; a
row that breaks a constraint is refused with the row and field named."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from tests.conftest import Cast
from zhenwu.registers import openrosa
from zhenwu.registers.models import Register, RegisterRecord

from .collect import PASSWORD, basic, edited, fill, grid_worker, submit
from .helpers import load
from .repeats import campaign, outputs

XFORMS = "{http://www.w3.org/2002/xforms}"
INSTANCE = "uuid:0b6c3a4e-5d2f-4a1b-9c8d-7e6f5a4b3c21"


@pytest.fixture
def register(cast: Cast) -> Register:
    return load(cast, campaign()).register


def instance(register: Register, rows: list[dict[str, str]], instance_id: str = INSTANCE) -> bytes:
    assert register.current_version is not None
    answers = {"day": "2026-11-01", "title": "防溺水宣传进村", "people": "12"}
    return fill(register.current_version.xform, answers, instance_id, {"outputs": rows})


def said(answer: Any) -> str:
    return "".join(ET.fromstring(answer.content).itertext())


def test_the_xform_collect_downloads_holds_the_repeat(cast: Cast, register: Register, client: Client) -> None:
    user = grid_worker(cast)
    served = client.get(f"/openrosa/forms/{register.pk}/form.xml", **basic(user.username, PASSWORD))
    body = ET.fromstring(served.content).find(f".//{XFORMS}repeat")
    assert body is not None and body.get("nodeset") == "/data/outputs"
    assert 'calculate="sum( /data/outputs/tons )"' in served.content.decode()


def test_a_submission_with_two_rows_is_kept_with_them_as_a_list(
    cast: Cast, register: Register, client: Client
) -> None:
    user = grid_worker(cast)
    rows = outputs(("宣传单", "300", "copy"), ("垃圾", "1.5", "ton"))
    rows[1]["remark"] = "镇中转站"
    body = instance(register, rows)
    assert body.count(b"outputs>") == 4 and b"template" not in body  # two rows, as Collect sends them
    answer = submit(client, body, basic(user.username, PASSWORD))
    assert answer.status_code == 201, said(answer)
    record = RegisterRecord.objects.get(instance_id=INSTANCE)
    assert record.data["outputs"] == [
        {"what": "宣传单", "qty": "300", "unit": "copy", "tons": "0"},
        {"what": "垃圾", "qty": "1.5", "unit": "ton", "remark": "镇中转站", "tons": "1.5"},
    ]
    assert (record.data["total_tons"], record.data["output_count"]) == ("1.5", "2")
    assert record.unit == cast.grid0101


def test_a_submission_without_rows_is_kept_without_a_list(
    cast: Cast, register: Register, client: Client
) -> None:
    user = grid_worker(cast)
    answer = submit(client, instance(register, []), basic(user.username, PASSWORD))
    assert answer.status_code == 201, said(answer)
    assert "outputs" not in RegisterRecord.objects.get().data


def test_a_row_that_breaks_a_constraint_is_refused_naming_the_row_and_field(
    cast: Cast, register: Register, client: Client
) -> None:
    user = grid_worker(cast)
    rows = outputs(("宣传单", "300", "copy"), ("垃圾", "0", "ton"))
    answer = submit(client, instance(register, rows), basic(user.username, PASSWORD))
    assert answer.status_code == 400
    assert said(answer) == "产出第2项「数量」：数量须大于0"
    assert not RegisterRecord.objects.exists()


def test_the_parser_gives_each_rows_leaves() -> None:
    xml = (
        b'<data id="activities" version="1"><day>2026-11-01</day>'
        b"<outputs><what>a</what><qty>1</qty></outputs><outputs><what>b</what><qty/></outputs>"
        b"<meta><instanceID>uuid:1</instanceID></meta></data>"
    )
    found = openrosa.parse_submission(xml)
    assert found.blocks["outputs"] == [{"what": "a", "qty": "1"}, {"what": "b", "qty": ""}]
    assert found.values["day"] == "2026-11-01"


def test_an_edit_collect_sends_keeps_the_rows_it_carries(
    cast: Cast, register: Register, client: Client
) -> None:
    user = grid_worker(cast)
    auth = basic(user.username, PASSWORD)
    rows = outputs(("宣传单", "300", "copy"), ("垃圾", "1.5", "ton"))
    assert submit(client, instance(register, rows), auth).status_code == 201
    changed = outputs(("宣传单", "300", "copy"), ("垃圾", "2.5", "ton"))
    edit = edited(instance(register, changed), "uuid:0b6c3a4e-5d2f-4a1b-9c8d-7e6f5a4b3c22")
    answer = submit(client, edit, auth)
    assert answer.status_code == 201, said(answer)
    record = RegisterRecord.objects.get()
    assert [row["qty"] for row in record.data["outputs"]] == ["300", "2.5"]
    assert (record.data["total_tons"], record.data["output_count"]) == ("2.5", "2")
