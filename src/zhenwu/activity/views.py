from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import services

ENTRIES_PER_PAGE = 50


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    if not services.may_read_log(request.user):
        raise Http404("记录不存在或无权查看。")
    entries = services.entries_for(request.user)
    if actor := request.GET.get("actor", "").strip():
        entries = entries.filter(actor__username=actor)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = f"actor={actor}" if actor else ""
    return render(request, "activity/entry_list.html", {"page": page, "actor": actor, "query": query})


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = services.entry_for(request.user, pk)
    if entry is None:
        raise Http404("记录不存在或无权查看。")
    return render(
        request, "activity/entry_detail.html", {"entry": entry, "changes": services.changes_of(entry)}
    )
