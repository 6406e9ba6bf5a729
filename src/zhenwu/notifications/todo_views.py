"""`/todo/`: the user's to-do list (待办), all of it or one kind (?kind=)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .todo import TodoKind, todo_list


@login_required
@require_GET
def todo_page(request: HttpRequest) -> HttpResponse:
    listed = todo_list(request.user)
    raw = request.GET.get("kind", "")
    kind = TodoKind(raw) if raw in TodoKind.values else None  # an unknown kind shows everything
    context = {"todo": listed, "kind": kind, "items": listed.of_kind(kind)}
    return render(request, "notifications/todo.html", context)
