"""Choosing the thing an activity names among many (1,055 lamps): a search box served by a scoped JSON
endpoint, not a dropdown of every thing; typing the exact 编号 still works without JavaScript."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.registers.models import RegisterRecord

from .books import patrols
from .helpers import lamp_at, register_in


def new_url(form_id: str = "lamp_patrols") -> str:
    return reverse("registers:record-create", kwargs={"form_id": form_id})


def search_url(form_id: str = "lamp_patrols") -> str:
    return reverse("registers:thing-search", kwargs={"form_id": form_id})


def search(client: Client, typed: str, form_id: str = "lamp_patrols") -> Any:
    response = client.get(search_url(form_id), {"q": typed})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)["things"]


def test_the_entity_field_is_a_search_box_not_a_list_of_every_thing(cast: Cast, client: Client) -> None:
    for number in ("0001", "0002", "0003"):
        lamp_at(cast, cast.grid0101, number)
    register_in(cast, cast.township, patrols())
    client.force_login(cast.user("wangge01"))
    page = client.get(new_url()).content.decode()
    assert f'data-thing-search="{search_url()}"' in page
    assert '<select name="lamp"' not in page and "路灯0002" not in page
    assert 'name="lamp"' in page and 'autocomplete="off"' in page
    assert "registers/picker.js" in page


def test_the_search_finds_things_by_part_of_the_number_or_name_in_the_users_scope(
    cast: Cast, client: Client
) -> None:
    for number in ("0101", "0102", "1010", "0200"):
        lamp_at(cast, cast.grid0101, number)
    lamp_at(cast, cast.grid0102, "0103")  # another grid: not wangge01's
    register_in(cast, cast.township, patrols())
    client.force_login(cast.user("wangge01"))
    found = search(client, "010")
    assert [t["identity"] for t in found] == ["0101", "0102", "1010"]  # those starting with it first
    assert found[0] == {
        "key": found[0]["key"],
        "identity": "0101",
        "label": "路灯0101",
        "unit": cast.grid0101.name,
        "text": "路灯0101（0101）",
    }
    assert [t["identity"] for t in search(client, "1010")] == ["1010"]
    assert [t["identity"] for t in search(client, "0102")] == ["0102"]  # an exact number first
    assert [t["identity"] for t in search(client, "路灯02")] == ["0200"]  # part of the name
    assert search(client, "0103") == []  # out of scope, as if it did not exist
    assert search(client, "xyz") == []
    # a village worker over both grids sees both
    client.force_login(cast.user("cun01"))
    assert "0103" in [t["identity"] for t in search(client, "010")]


def test_the_search_gives_twenty_at_most_in_a_few_queries(cast: Cast, client: Client) -> None:
    for number in range(25):
        lamp_at(cast, cast.grid0101, f"{number:04d}")
    register_in(cast, cast.township, patrols())
    client.force_login(cast.user("wangge01"))
    with CaptureQueriesContext(connection) as queries:
        found = search(client, "00")
    assert len(found) == 20 and found[0]["identity"] == "0000"
    assert len(queries) <= 12, [q["sql"] for q in queries]
    assert len(search(client, "")) == 20  # nothing typed yet: the first twenty by number


def test_the_search_answers_404_where_the_register_may_not_be_read_or_names_no_thing(
    cast: Cast, client: Client
) -> None:
    lamp_at(cast, cast.grid0101, "0001")
    register_in(cast, cast.township, patrols())
    closed = patrols()
    closed["settings"][1][0] = "closed_patrols"
    closed["zhenwu"].append(["readers", "township_admin"])
    register_in(cast, cast.township, closed)
    client.force_login(cast.user("wangge01"))
    assert client.get(search_url("closed_patrols"), {"q": "0001"}).status_code == 404
    assert client.get(search_url("nothing_here"), {"q": "0001"}).status_code == 404
    assert client.get(search_url("lamps"), {"q": "0001"}).status_code == 404  # a register of things
    client.force_login(cast.other_admin)  # another county's township: not its register
    assert client.get(search_url(), {"q": "0001"}).status_code == 404
    client.force_login(cast.user("wangge01"))
    assert client.get(search_url(), {"q": "00\x0001"}).status_code == 400  # refused before any query


def test_without_javascript_the_exact_number_typed_names_the_thing(cast: Cast, client: Client) -> None:
    mine, other = lamp_at(cast, cast.grid0101, "0001"), lamp_at(cast, cast.grid0102, "0002")
    assert mine.thing is not None and other.thing is not None
    register_in(cast, cast.township, patrols())
    client.force_login(cast.user("wangge01"))
    page = client.get(new_url() + f"?thing={mine.thing.pk}").content.decode()
    assert 'value="0001"' in page  # the chosen lamp's number, as the worker would type it
    assert client.get(new_url() + f"?thing={other.thing.pk}").status_code == 404
    response = client.post(new_url(), {"lamp": " 0001 ", "status": "broken"})
    assert response.status_code == 302
    mine.thing.refresh_from_db()
    assert mine.thing.properties["status"] == "broken"
    assert RegisterRecord.objects.get(register__form_id="lamp_patrols").thing == mine.thing
    refused = client.post(new_url(), {"lamp": "0002", "status": "broken"})
    assert refused.context["form"].errors["lamp"] == ["所选对象不存在或无权查看。"]
    assert 'value="0002"' in refused.content.decode()  # what was typed is kept to be corrected
