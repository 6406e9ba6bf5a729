"""The map of a register: its records' (or things') geopoints, in the user's scope, for Leaflet.

A geopoint is kept as ODK sends it, "lat lon alt acc". Each point carries its label and the page it
links to; a thing is drawn once, at the last point recorded for it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from . import services
from .models import Register

MAX_POINTS = 5000  # a township's lamps and waters fit; more would not be read as markers anyway


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    label: str
    url: str


def parse_geopoint(value: Any) -> tuple[float, float] | None:
    parts = str(value or "").split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def geopoint_fields(register: Register) -> list[str]:
    """The geopoint fields of every version, so that old records keep their place on the map."""
    names: list[str] = []
    for version in register.versions.all():
        for field in version.parsed().fields:
            if field.type == "geopoint" and field.name not in names:
                names.append(field.name)
    return names


def points(user: Any, register: Register) -> list[dict[str, Any]]:
    fields = geopoint_fields(register)
    if not fields:
        return []
    records = services.records_for(user, register).order_by("entered_at", "pk")
    found: dict[str, Point] = {}
    for record in records.iterator(chunk_size=1000):
        where = next((p for p in (parse_geopoint(record.data.get(name)) for name in fields) if p), None)
        if where is None:
            continue
        if register.kind == "thing" and record.thing is not None:
            key = f"thing-{record.thing_id}"
            url = reverse("registers:thing-detail", args=[record.thing_id])
            point = Point(*where, record.thing.label, url)
        else:
            key = f"record-{record.pk}"
            label = f"{register.title} #{record.pk} · {record.unit.name}"
            point = Point(*where, label, reverse("registers:record-detail", args=[record.pk]))
        found[key] = point  # a later record of the same thing moves it
        if len(found) >= MAX_POINTS:
            break
    return [asdict(point) for point in found.values()]


def tiles() -> str:
    """A tile URL template ({z}/{x}/{y}) when one is configured; none by default (no outside server)."""
    return str(getattr(settings, "REGISTERS_MAP_TILES", "") or "")
