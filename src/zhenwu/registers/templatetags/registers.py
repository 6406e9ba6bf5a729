"""`{% register_records target %}`: on a household's, project's or case's page, the register records
about it that the viewer may read (in scope, of registers they may read), personal values masked."""

from __future__ import annotations

from typing import Any

from django import template

from zhenwu.registers import media, services

register = template.Library()


@register.inclusion_tag("registers/_records_about.html", takes_context=True)
def register_records(context: dict[str, Any], target: Any, title: str = "台账记录") -> dict[str, Any]:
    records = services.records_pointing_at(context["request"].user, target)
    rows = [(record, media.with_photos(record, services.shown_values(record))) for record in records]
    return {"title": title, "rows": rows}
