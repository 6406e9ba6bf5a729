"""Choose a report, preview it with every figure linked to its records, download it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.web.downloads import DOCX, attachment

from . import services, text
from .document import Source
from .docx import render as render_docx
from .forms import ReportChoiceForm
from .kinds import ReportSpec, spec_for

FORMATS = {"docx": DOCX, "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def _unit(request: HttpRequest) -> OrgUnit:
    """The unit named by ?org=, or the user's own; 404 outside the user's scope."""
    code = request.GET.get("org") or request.POST.get("org")
    if code:
        return scope.get_in_scope_or_404(request.user, OrgUnit.objects.all(), code=code)
    root = scope.scope_root(request.user)
    if root is None:
        raise Http404("记录不存在或无权查看。")
    return root


def reportable(unit: OrgUnit) -> bool:
    """A township or anything under it (a county has no single indicator catalog)."""
    return unit.kind != OrgKind.COUNTY and unit.township() is not None


def _choice(request: HttpRequest) -> ReportChoiceForm:
    """The kind and year asked for; the half-year report of this year when none is given."""
    data = {"kind": request.GET.get("kind", "half-year"), "year": request.GET.get("year", "")}
    data["year"] = data["year"] or str(timezone.localdate().year)
    return ReportChoiceForm(data)


def link(source: Source) -> str:
    url = reverse(source.route, args=source.args)
    return f"{url}?{urlencode(source.query)}" if source.query else url


def _spec(form: ReportChoiceForm) -> ReportSpec:
    return spec_for(form.cleaned_data["kind"], form.cleaned_data["year"])


@login_required
def report(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = _choice(request) if "kind" in request.GET else ReportChoiceForm()
    context: dict[str, object] = {"unit": unit, "form": form, "reportable": reportable(unit)}
    if reportable(unit) and form.is_valid():
        spec = _spec(form)
        document = services.report(request.user, unit, spec)
        context |= {"spec": spec, "document": document, "preview": text.html_body(document, link)}
    return render(request, "reports/report.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = _choice(request)
    kind = request.GET.get("format", "docx")
    if not reportable(unit) or not form.is_valid() or kind not in FORMATS:
        raise Http404("请选择乡镇或村、报告类型和年度。")
    document = services.report(request.user, unit, _spec(form))
    if kind == "docx":
        content: bytes = render_docx(document)
    else:
        content = (text.markdown(document) if kind == "md" else text.html(document)).encode()
    response = HttpResponse(content, content_type=FORMATS[kind])
    response["Content-Disposition"] = attachment(f"{document.title}.{kind}")
    return response
