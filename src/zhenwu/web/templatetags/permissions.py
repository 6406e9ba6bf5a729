"""`{% if user|may:"cases:case-create" %}`: show a button only to whom its page opens (web/permissions.py)."""

from __future__ import annotations

from typing import Any

from django import template

from zhenwu.web.permissions import may_open

register = template.Library()


@register.filter
def may(user: Any, url_name: str) -> bool:
    return may_open(user, url_name)
