"""Register pages: thin and scoped. A register, record or thing the user may not read answers 404,
exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from zhenwu.org import scope
from zhenwu.org.models import OrgKind
from zhenwu.web import downloads
from zhenwu.web.idempotency import idempotent
from zhenwu.web.permissions import DENIED, requires

from . import definition as spec
from . import entry, figures, imports, listing, maps, media, services, workbook
from .forms import LoadForm
from .models import Register, RegisterRecord, Thing

PER_PAGE = 50
NOT_FOUND = "记录不存在或无权查看。"


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    registers = services.registers_for(request.user).order_by("township__path", "title")
    context = {"registers": registers}
    return render(request, "registers/register_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(scope.is_township_admin)
def load(request: HttpRequest) -> HttpResponse:
    """A township admin uploads a definition: a new register, or a new version of one."""
    townships = scope.visible_units(request.user).filter(kind=OrgKind.TOWNSHIP)
    if not townships.exists():
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


def _listed(request: HttpRequest, register: Register, filters: listing.ListFilter) -> QuerySet[Any]:
    """The records (a thing register: its things) the list's filters keep, narrowed to a figure's rows
    when a number of the figures table was followed."""
    if register.kind == "thing":
        rows: QuerySet[Any] = listing.filtered_things(request.user, register, filters)
    else:
        rows = listing.filtered_records(request.user, register, filters)
    return figures.listed(request.user, register, request.GET, rows)


def _list_query(request: HttpRequest) -> str:
    """The list's filters and the figure it follows, for its pager and its export link."""
    keys = dict.fromkeys((*listing.FILTER_KEYS, *figures.QUERY_KEYS))
    return urlencode([(key, request.GET[key]) for key in keys if request.GET.get(key)])


@login_required
def record_list(request: HttpRequest, form_id: str) -> HttpResponse:
    register = _register_or_404(request, form_id)
    filters = listing.list_filter(request.GET, request.user, register)
    page = Paginator(_listed(request, register, filters), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "register": register,
        "page": page,
        "versions": list(register.versions.order_by("-loaded_at")),
        "query": _list_query(request),
        "filters": filters,
        "township_query": _query(request),
        "may_write": services.may_write(request.user, register) and register.current_version is not None,
        "figures": figures.page_table(request.user, register, request.GET),
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
        "values": media.with_photos(record, services.shown_values(record)),
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
    timeline = [
        (record, media.with_photos(record, services.shown_values(record)))
        for record in services.thing_timeline(request.user, thing)
    ]
    context = {
        "thing": thing,
        "register": thing.register,
        "properties": media.properties_with_photos(services.thing_properties(thing), timeline),
        "timeline": timeline,
    }
    return render(request, "registers/thing_detail.html", context)


@login_required
def record_photo(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """The photo one image field of a record holds (`?size=small`: a thumbnail), to a user who may read the
    record; anything else answers 404 as a missing record does."""
    queryset = RegisterRecord.objects.select_related("register", "version", "unit")
    record = scope.get_in_scope_or_404(request.user, queryset, pk=pk)
    if not services.may_read(request.user, record.register):
        raise Http404(NOT_FOUND)
    path = media.photo_path(record, field)
    found = media.open_photo(path) if path else None
    if found is None:
        raise Http404(NOT_FOUND)
    photo, content_type = found
    if request.GET.get("size") == "small":
        with photo:
            response: HttpResponse = HttpResponse(
                media.thumbnail(photo, content_type), content_type=content_type
            )
    else:
        response = FileResponse(photo, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- entering a record in the browser (issue 16, phase 2) ------------------------------------------


def _writable_register_or_404(request: HttpRequest, form_id: str) -> Register:
    register = _register_or_404(request, form_id)
    if register.current_version is None:
        raise Http404(NOT_FOUND)
    if not services.may_write(request.user, register):
        raise PermissionDenied(DENIED)
    return register


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def record_create(request: HttpRequest, form_id: str) -> HttpResponse:
    """The register's form for one record; the server checks it and shows its errors by field."""
    register = _writable_register_or_404(request, form_id)
    version = register.current_version
    assert version is not None
    definition = version.parsed()
    initial = {}
    chosen = request.GET.get("thing", "")
    if definition.kind == "activity" and definition.entity_id_field and chosen.isdigit():
        picked = services.nameable_things(request.user, register, definition).filter(pk=int(chosen)).first()
        if picked is None:
            raise Http404(NOT_FOUND)
        initial[definition.entity_id_field] = picked.identity or str(picked.key)
    # A repeat's 添加一项 or 删除 pressed without JavaScript: the same page again with the row changed.
    changed = entry.changed_rows(request.POST) if request.method == "POST" else None
    form = entry.record_form(
        definition,
        units=services.entry_units(request.user, register),
        thing_search=reverse("registers:thing-search", kwargs={"form_id": register.form_id}),
        data=changed or (request.POST if request.method == "POST" else None),
        files=request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and changed is None and form.is_valid():
        stored = entry.store_photos(form, register.form_id)
        try:
            record = services.create_record(
                request.user, register, {**form.values(), **stored}, unit=form.unit(), version=version
            )
        except ValidationError as error:
            entry.forget_photos(stored)
            form.show_errors(error)
        else:
            messages.success(request, f"已新增“{register.title}”记录 #{record.pk}。")
            return redirect("registers:record-detail", pk=record.pk)
    context = {
        "register": register,
        "form": form,
        "sections": entry.sections(form),
        "query": _query(request),
        "picker": definition.kind == "activity" and bool(definition.entity_id_field),
    }
    return render(request, "registers/record_form.html", context)


@login_required
def thing_search(request: HttpRequest, form_id: str) -> JsonResponse:
    """The things an activity's entity field may name that match what was typed (`?q=`), for its search
    box: at most THINGS_SHOWN, in the user's scope; 404 for a register the user may not read or that
    names no thing."""
    register = _register_or_404(request, form_id)
    version = register.current_version
    definition = version.parsed() if version is not None else None
    if definition is None or definition.kind != "activity" or not definition.entity_id_field:
        raise Http404(NOT_FOUND)
    found = services.things_matching(request.user, register, definition, request.GET.get("q", ""))
    things = [
        {
            "key": str(thing.key),
            "identity": thing.identity,
            "label": thing.label,
            "unit": thing.unit.name,
            "text": entry.thing_text(thing),
        }
        for thing in found
    ]
    return JsonResponse({"things": things}, json_dumps_params={"ensure_ascii": False})


def _query(request: HttpRequest) -> str:
    township = request.GET.get("township", "")
    return f"township={township}" if township else ""


# --- the register's Excel: template and import ------------------------------------------------------


@login_required
def record_template(request: HttpRequest, form_id: str) -> HttpResponse:
    """The Excel template of the register's current version, its unit column the user's units."""
    register = _writable_register_or_404(request, form_id)
    assert register.current_version is not None
    units = [unit.name for unit in services.entry_units(request.user, register)]
    content = workbook.template(register.current_version.parsed(), units=units)
    response = HttpResponse(content, content_type=downloads.XLSX)
    response["Content-Disposition"] = downloads.attachment(f"{register.title}导入模板.xlsx")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request: HttpRequest, form_id: str) -> HttpResponse:
    """Upload a filled template: a dry run shows what would be saved; only the confirmation saves."""
    register = _writable_register_or_404(request, form_id)
    assert register.current_version is not None
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"register": register, "form": form, "query": _query(request)}
    context["repeat_sheets"] = list(workbook.repeat_sheets(register.current_version.parsed()))
    if request.method == "POST" and "pending" in request.POST:
        try:
            rows = imports.pending_rows(request.user, register, request.POST["pending"])
        except ValidationError as error:
            context["errors"] = error.messages
            return render(request, "registers/record_import.html", context)
        report = imports.import_records(request.user, register, rows, dry_run=False)
        if report.saved:
            messages.success(request, f"已导入“{register.title}”{report.rows}条记录。")
            url = reverse("registers:record-list", kwargs={"form_id": register.form_id})
            return redirect(f"{url}?{context['query']}" if context["query"] else url)
        context["errors"] = report.errors
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        definition = register.current_version.parsed()
        units = [unit.name for unit in services.entry_units(request.user, register)]
        try:
            data = downloads.read_upload(upload, upload.name, workbook.KIND)
        except ValidationError as error:
            read, errors = [], list(error.messages)
        else:
            read, errors = workbook.read_rows(definition, data, upload.name, units=units)
        if not errors:
            report = imports.import_records(request.user, register, read, dry_run=True)
            errors = report.errors
            context["report"] = report
            if not errors:
                context["pending"] = imports.pending_token(request.user, register, read)
        context["errors"] = errors
    return render(request, "registers/record_import.html", context)


@login_required
def record_export(request: HttpRequest, form_id: str) -> HttpResponse:
    """The records of the list page, filtered as it is, in Excel."""
    register = _register_or_404(request, form_id)
    rows = _listed(request, register, listing.list_filter(request.GET, request.user, register))
    export = listing.export_things if register.kind == "thing" else listing.export_records
    content = export(register, rows)
    response = HttpResponse(content, content_type=downloads.XLSX)
    response["Content-Disposition"] = downloads.attachment(f"{register.title}记录.xlsx")
    return response


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
