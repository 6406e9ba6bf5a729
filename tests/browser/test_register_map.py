"""The register map on a phone: the records' points are drawn on a blank background (no tile server),
each with its label and a link to its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.conftest import Cast
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers import services
from zhenwu.registers.library import make

pytestmark = pytest.mark.browser
LIBRARY = Path(make.__file__).resolve().parent


def test_the_lamps_are_drawn_on_the_map_at_390_px(cast: Cast, live_server: Any, browser: Any) -> None:
    admin = cast.user("admin")
    source = (LIBRARY / "street_lamp.xlsx").read_bytes()
    register = services.load_definition(admin, cast.township, source, "street_lamp.xlsx").register
    spots = ["31.700000 111.850000 0 5", "31.705000 111.860000 0 5", "31.712000 111.842000 0 5"]
    for number, spot in enumerate(spots, start=1):
        values = {"code": f"DG-{number:04d}", "location": spot}
        services.create_record(admin, register, _lamp(register, values), unit=cast.grid0101)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if not r.url.startswith(live_server.url) else None)
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/street_lamp/map/")
    page.wait_for_selector("#register-map path.leaflet-interactive")
    assert page.locator("#register-map path.leaflet-interactive").count() == 3
    page.locator("#register-map path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.get_attribute("href", timeout=2000).startswith("/registers/things/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "register-map-390.png"), full_page=True)
    assert refused == [] and tiles == []  # no outside server asked, nothing refused by the policy
    context.close()


def _lamp(register: Any, values: dict[str, str]) -> dict[str, str]:
    """The lamp's required fields, from the register's own definition, with the values given."""
    definition = register.current_version.parsed()
    filled = dict(values)
    for field in definition.fields:
        if field.required and field.name not in filled and field.choices:
            filled[field.name] = field.choices[0].name
        elif field.required and field.name not in filled and not field.calculation:
            filled[field.name] = {"integer": "1", "decimal": "1", "date": "2026-01-05"}.get(
                field.type, "示例"
            )
    return filled
