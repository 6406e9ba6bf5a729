from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhenwu.activity import services as activity
from zhenwu.org import scope, services
from zhenwu.org.forms import UnitFilterForm
from zhenwu.org.models import OrgUnit

UNITS_PER_PAGE = 50


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    units = form.filter(scope.visible_units(request.user).select_related("parent"))
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "org/unit_list.html", {"form": form, "page": page, "query": form.query_string()})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = scope.get_in_scope_or_404(request.user, OrgUnit.objects.select_related("parent"), code=code)
    context = {
        "unit": unit,
        "ancestors": [a for a in services.ancestors_of(unit) if scope.unit_in_scope(request.user, a)],
        "children": services.children_of(request.user, unit),  # type: ignore[arg-type]
        "departments": list(scope.scoped(request.user, unit.departments.all())),
        "users": list(
            scope.scoped(
                request.user,
                unit.users.filter(is_active=True).select_related("department").order_by("username"),
            )
        ),
        "history": activity.history_of(request.user, unit)[:20],
    }
    return render(request, "org/unit_detail.html", context)
