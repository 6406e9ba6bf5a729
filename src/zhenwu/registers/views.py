"""Register pages: thin and scoped. A register, record or thing the user may not read answers 404,
exactly like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhenwu.org import scope
from zhenwu.org.models import OrgKind

from . import definition as spec
from . import maps, services
from .forms import LoadForm
from .models import Register, RegisterRecord, Thing

PER_PAGE = 50
NOT_FOUND = "记录不存在或无权查看。"


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    registers = services.registers_for(request.user).order_by("township__path", "title")
    context = {"registers": registers, "may_load": scope.is_township_admin(request.user)}  # type: ignore[arg-type]
    return render(request, "registers/register_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def load(request: HttpRequest) -> HttpResponse:
    """A township admin uploads a definition: a new register, or a new version of one."""
    townships = scope.visible_units(request.user).filter(kind=OrgKind.TOWNSHIP)
    if not scope.is_township_admin(request.user) or not townships.exists():  # type: ignore[arg-type]
        raise Http404(NOT_FOUND)
    form = LoadForm(request.POST or None, request.FILES or None, townships=townships)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.load_definition(
                request.user, form.cleaned_data["township"], upload.read(), upload.name
            )
        except spec.DefinitionError as error:
            problems = list(error.messages)
        else:
            register = version.register
            messages.success(request, f"已载入台账“{register.title}”，版本 {version.version}。")
            url = reverse("registers:record-list", kwargs={"form_id": register.form_id})
            return redirect(f"{url}?township={register.township.code}")
    return render(request, "registers/load.html", {"form": form, "problems": problems})


def _register_or_404(request: HttpRequest, form_id: str) -> Register:
    """The register named `form_id` among those the user may read; a county viewer names the township."""
    registers = services.registers_for(request.user).filter(form_id=form_id)
    township = request.GET.get("township", "")
    if township:
        registers = registers.filter(township__code=township)
    register = registers.order_by("township__path").first()
    if register is None:
        raise Http404(NOT_FOUND)
    return register


@login_required
def record_list(request: HttpRequest, form_id: str) -> HttpResponse:
    register = _register_or_404(request, form_id)
    if register.kind == "thing":
        things = Paginator(services.things_for(request.user, register).order_by("label", "pk"), PER_PAGE)
        page = things.get_page(request.GET.get("page"))
    else:
        records = Paginator(services.records_for(request.user, register), PER_PAGE)
        page = records.get_page(request.GET.get("page"))
    context = {
        "register": register,
        "page": page,
        "versions": list(register.versions.order_by("-loaded_at")),
        "query": f"township={register.township.code}" if request.GET.get("township") else "",
    }
    return render(request, "registers/record_list.html", context)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = RegisterRecord.objects.select_related(
        "register__township", "version", "unit", "entered_by", "thing"
    )
    record = scope.get_in_scope_or_404(request.user, queryset, pk=pk)
    if not services.may_read(request.user, record.register):
        raise Http404(NOT_FOUND)
    context = {
        "record": record,
        "register": record.register,
        "values": services.shown_values(record),
        "may_reveal": bool(record.personal_cipher) and services.may_reveal(request.user),
        "case": services.case_of(request.user, record),
    }
    return render(request, "registers/record_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST shows the personal values in full once and logs who saw them."""
    if not services.may_reveal(request.user):
        raise Http404(NOT_FOUND)
    queryset = RegisterRecord.objects.select_related("register__township", "version", "unit")
    record = scope.get_in_scope_or_404(request.user, queryset, pk=pk)
    if not services.may_read(request.user, record.register):
        raise Http404(NOT_FOUND)
    revealed = None
    if request.method == "POST":
        full = services.reveal_record(request.user, record)  # type: ignore[arg-type]
        revealed = [
            (v.label, full.get(v.name, v.value)) for v in services.shown_values(record) if v.name in full
        ]
    context = {"record": record, "register": record.register, "revealed": revealed}
    response = render(request, "registers/record_reveal.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def thing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thing = scope.get_in_scope_or_404(
        request.user,
        Thing.objects.select_related("register__township", "register__current_version", "unit"),
        pk=pk,
    )
    if not services.may_read(request.user, thing.register):
        raise Http404(NOT_FOUND)
    context = {
        "thing": thing,
        "register": thing.register,
        "properties": services.thing_properties(thing),
        "timeline": [
            (record, services.shown_values(record)) for record in services.thing_timeline(request.user, thing)
        ],
    }
    return render(request, "registers/thing_detail.html", context)


@login_required
def record_map(request: HttpRequest, form_id: str) -> HttpResponse:
    """The register's records (or things) with a geopoint, drawn by Leaflet from a JSON script tag."""
    register = _register_or_404(request, form_id)
    context = {
        "register": register,
        "points": maps.points(request.user, register),
        "tiles": maps.tiles(),
        "query": f"township={register.township.code}" if request.GET.get("township") else "",
    }
    return render(request, "registers/map.html", context)
