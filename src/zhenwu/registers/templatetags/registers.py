"""`{% register_records target %}`: on a household's, project's or case's page, the register records
about it that the viewer may read (in scope, of registers they may read), personal values masked."""

from __future__ import annotations

import re
from typing import Any

from django import template

from zhenwu.registers import media, services

register = template.Library()

# A question's text may show another's answer (${total}); the web form computes on saving, so until then
# the reference reads as "…" rather than as the form's internal name.
ANSWER_REFERENCE = re.compile(r"\$\{[^}]*\}")


@register.filter
def answers_pending(text: Any) -> str:
    """A label as the form shows it before saving: 总分 ${total} 分 reads 总分 … 分."""
    return ANSWER_REFERENCE.sub("…", str(text or ""))


@register.inclusion_tag("registers/_records_about.html", takes_context=True)
def register_records(context: dict[str, Any], target: Any, title: str = "台账记录") -> dict[str, Any]:
    records = services.records_pointing_at(context["request"].user, target)
    rows = [(record, media.with_photos(record, services.shown_values(record))) for record in records]
    return {"title": title, "rows": rows}
