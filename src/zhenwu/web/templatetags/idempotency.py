"""`{% idempotency_field %}`: the hidden idempotency key of a form a phone may submit twice."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from zhenwu.web.idempotency import FIELD

register = template.Library()


@register.simple_tag
def idempotency_field() -> SafeString:
    """A server-made key, so the form works without JavaScript; web/idempotency.js replaces it with one the
    browser makes at page load (and again when the page comes back from the history, a new submission)."""
    return format_html('<input type="hidden" name="{}" value="{}" data-idempotency-key>', FIELD, uuid.uuid4())
