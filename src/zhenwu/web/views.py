from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhenwu.org import services as org_services
from zhenwu.org.models import OrgKind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = org_services.subtree_summary(request.user)  # type: ignore[arg-type]
    kinds = [
        {"value": kind.value, "label": kind.label, "count": summary.count_of(kind.value)}
        for kind in OrgKind
        if summary.count_of(kind.value)
    ]
    return render(request, "web/home.html", {"summary": summary, "kinds": kinds})
