from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhenwu import onboarding
from zhenwu.org import scope
from zhenwu.org import services as org_services
from zhenwu.org.models import OrgKind

from . import dashboard as cockpit
from . import setup
from .home import home_for
from .number_check import NumberCheckForm, check
from .setup_forms import SetupForm


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or monitor: answers without touching the database.

    The benchmarks use it as their floor: the same server and middleware, with no work behind it.
    """
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = org_services.subtree_summary(request.user)  # type: ignore[arg-type]
    kinds = [
        {"value": kind.value, "label": kind.label, "count": summary.count_of(kind.value)}
        for kind in OrgKind
        if summary.count_of(kind.value)
    ]
    context = {"summary": summary, "kinds": kinds, "home": home_for(request.user)}
    return render(request, "web/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """领导驾驶舱 for the user's unit, or with ?org= for a unit under it."""
    unit = scope.requested_unit_or_404(request.user, request.GET.get("org"))
    kept = cockpit.rendered(request.user, unit, fresh=bool(request.GET.get("fresh")))
    parent = unit.parent if unit.parent_id else None
    context = {
        "unit": unit,
        "body": kept.html,
        "built_at": kept.built_at,
        "replica_age": kept.replica_age,
        "refresh_minutes": settings.DASHBOARD_CACHE_SECONDS // 60,
        "up": parent if parent and scope.unit_in_scope(request.user, parent) else None,
    }
    return render(request, "web/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def number_check(request: HttpRequest) -> HttpResponse:
    """核数: paste or upload a report, see its figures and what disagrees."""
    form = NumberCheckForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context.update(check(form.report_text()))
        except ValidationError as error:
            form.add_error("upload", error)
    return render(request, "web/number_check.html", context)


@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    """The first-run page: open only while no account exists, and only with the key `zhenwu serve`
    printed. It prepares the township (as `zhenwu init` does) and creates its first admin."""
    if not setup.setup_pending():
        raise Http404("页面不存在。")
    key = request.GET.get("key") or request.POST.get("key") or ""
    if not setup.key_is_valid(key):
        return render(request, "web/setup_key.html", status=403)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                done = onboarding.prepare_township(
                    township=data["township"], code=data["code"], county=data["county"],
                    county_code=data["county_code"],
                )  # fmt: skip
                user = onboarding.create_first_admin(
                    township=done.township, username=data["username"], password=data["password1"],
                    display_name=data["display_name"],
                )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404("页面不存在。") from error
        else:
            setup.forget_key()
            login(request, user, backend="zhenwu.org.auth.UnitModelBackend")
            messages.success(
                request, f"{done.township.name}已准备好，{user}已登录。下一步：选用本镇要报的指标。"
            )
            for warning in done.warnings:
                messages.warning(request, warning)
            return redirect(f"{reverse('indicators:library')}?org={done.township.code}")
    return render(request, "web/setup.html", {"form": form, "key": key})
