"""The to-do list's link in the navigation, with its count, and its panel on the home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from zhenwu.notifications import todo

register = template.Library()
PANEL_ITEMS = 5


def _listed(request: HttpRequest) -> todo.TodoList:
    """The user's list, made once per request (the navigation and the home panel share it)."""
    listed: todo.TodoList | None = getattr(request, "_todo_list", None)
    if listed is None:
        listed = todo.todo_list(request.user)
        request._todo_list = listed  # type: ignore[attr-defined]
    return listed


@register.inclusion_tag("notifications/todo_link.html", takes_context=True)
def todo_link(context: dict[str, Any]) -> dict[str, Any]:
    """待办 with the count, as counted within the last minute (a page that lists the items counts anew)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not todo.acts(user):
        return {"show": False}
    count = todo.cached_count(user)
    if count is None:
        count = _listed(request).count
    return {"show": True, "count": count}


@register.inclusion_tag("notifications/todo_panel.html", takes_context=True)
def todo_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    if not todo.acts(request.user):
        return {"show": False}
    listed = _listed(request)
    return {"show": True, "todo": listed, "items": listed.items[:PANEL_ITEMS]}
