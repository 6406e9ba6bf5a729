"""The register map's data: the geopoints of the records in scope, and no tile server unless configured."""

from __future__ import annotations

import json
import re

from django.test import Client, override_settings

from tests.conftest import Cast
from zhenwu.registers import maps, services

from . import helpers
from .books import visits


def spots(cast: Cast) -> object:
    sheets = visits("spots", "巡查点位")
    sheets["survey"] = [*sheets["survey"], ["geopoint", "spot", "位置", ""]]
    return helpers.load(cast, sheets).register


def shown_points(page: str) -> list[dict[str, object]]:
    found = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return list(json.loads(found.group(1)))


def test_geopoints_are_read_as_odk_sends_them() -> None:
    assert maps.parse_geopoint("31.7 111.85 0 5") == (31.7, 111.85)
    assert maps.parse_geopoint("") is None
    assert maps.parse_geopoint("91 10 0 0") is None
    assert maps.parse_geopoint("北纬31度") is None


def test_the_map_draws_the_records_in_scope_with_a_place(cast: Cast) -> None:
    register = spots(cast)
    admin = cast.user("admin")
    mine = services.create_record(
        admin, register, {"problem": "a", "spot": "31.7 111.85 0 5"}, unit=cast.grid0101
    )
    services.create_record(admin, register, {"problem": "b"}, unit=cast.grid0101)  # no place: not drawn
    services.create_record(admin, register, {"problem": "c", "spot": "31.8 111.9 0 5"}, unit=cast.grid0102)
    client = Client()
    client.force_login(cast.user("wangge01"))
    page = client.get("/registers/spots/map/").content.decode()
    assert shown_points(page) == [
        {"lat": 31.7, "lon": 111.85, "label": f"巡查点位 #{mine.pk} · {cast.grid0101.name}",
         "url": f"/registers/records/{mine.pk}/"}
    ]  # fmt: skip
    assert '<script id="map-tiles" type="application/json">""</script>' in page
    assert "registers/leaflet/leaflet.js" in page


def test_a_configured_tile_server_is_handed_to_the_map(cast: Cast) -> None:
    spots(cast)
    client = Client()
    client.force_login(cast.user("admin"))
    with override_settings(REGISTERS_MAP_TILES="https://tiles.example.cn/{z}/{x}/{y}.png"):
        page = client.get("/registers/spots/map/").content.decode()
    assert "https://tiles.example.cn/{z}/{x}/{y}.png" in page
