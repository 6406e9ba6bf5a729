from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhenwu.activity import services as activity
from zhenwu.org import accounts, imports, scope, services
from zhenwu.org.forms import AccountFilterForm, FirstPasswordForm, UnitFilterForm, WorkbookForm
from zhenwu.org.models import OrgKind, OrgUnit, User
from zhenwu.web import downloads
from zhenwu.web.permissions import requires

UNITS_PER_PAGE = 50


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    units = form.filter(scope.visible_units(request.user).select_related("parent"))
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": form.query_string(),
    }
    return render(request, "org/unit_list.html", context)


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


# --- imports and accounts: township admins only ------------------------------------------------------


def _admin_or_404(request: HttpRequest) -> User:
    """Township admins and system administrators; everyone else finds no such page (the account pages);
    the import forms are refused with 403 first, by `requires(scope.is_township_admin)`."""
    user = request.user
    if not user.is_authenticated or not scope.is_township_admin(user):
        raise Http404("页面不存在。")
    return user  # type: ignore[return-value]


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=downloads.XLSX)
    response["Content-Disposition"] = downloads.attachment(filename)
    return response


@login_required
@requires(scope.is_township_admin)
def org_template(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    return _xlsx(imports.org_template(), imports.FILE_NAME)


@login_required
@require_http_methods(["GET", "POST"])
@requires(scope.is_township_admin)
def import_org(request: HttpRequest) -> HttpResponse:
    """Upload the org workbook: a dry run shows every row's fate or fault; only a confirmation saves."""
    actor = _admin_or_404(request)
    form = WorkbookForm(request.POST or None, request.FILES or None, upload_kind=imports.UPLOAD_KIND)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "pending" in request.POST:
        result = imports.confirm_org(actor, request.POST["pending"])
        if result.saved:
            messages.success(
                request,
                f"已导入组织架构：新增 {result.added} 个单元，"
                f"更名 {result.updated} 个，未变 {result.unchanged} 个。",
            )
            return redirect("org:unit-list")
        context["result"] = result
    elif request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        context["result"] = imports.dry_run_org(actor, file.read(), file.name)
    return render(request, "org/import_org.html", context)


@login_required
@requires(scope.is_township_admin)
def accounts_template(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    return _xlsx(accounts.accounts_template(), accounts.FILE_NAME)


@login_required
@require_http_methods(["GET", "POST"])
@requires(scope.is_township_admin)
def import_accounts(request: HttpRequest) -> HttpResponse:
    """Upload the accounts workbook; after the confirmation the new accounts' links are shown once."""
    actor = _admin_or_404(request)
    form = WorkbookForm(request.POST or None, request.FILES or None, upload_kind=accounts.UPLOAD_KIND)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "pending" in request.POST:
        result = accounts.confirm_accounts(actor, request.POST["pending"])
        context["result"] = result
        if result.saved:
            context["links"] = accounts.first_login_links(result.created, request)
            context["created"] = accounts.sign_created(result.created)
            return render(request, "org/import_accounts_done.html", context)
    elif request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        context["result"] = accounts.dry_run_accounts(actor, file.read(), file.name)
    return render(request, "org/import_accounts.html", context)


@login_required
@require_http_methods(["POST"])
@requires(scope.is_township_admin)
def account_links(request: HttpRequest) -> HttpResponse:
    """The links of the accounts an import just created, as a file (made again, never stored)."""
    actor = _admin_or_404(request)
    try:
        users = accounts.created_from(actor, request.POST.get("created", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("org:account-list")
    links = accounts.first_login_links(users, request)
    return _xlsx(accounts.links_workbook(links), "首次登录链接.xlsx")


ACCOUNTS_PER_PAGE = 50


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    actor = _admin_or_404(request)
    units = list(scope.visible_units(actor).exclude(kind=OrgKind.MICROGRID).order_by("path"))
    form = AccountFilterForm(request.GET or None, units=units)
    users = form.filter(accounts.accounts_in_scope(actor), units)
    page = Paginator(users, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    locked = accounts.locked_usernames([u.username for u in page])
    context = {"form": form, "page": page, "query": form.query_string(), "locked": locked}
    return render(request, "org/account_list.html", context)


ACCOUNT_ACTIONS = {"reset", "unlock", "deactivate", "activate"}


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account and what the admin may do to it; a reset shows the new link on this page, once."""
    actor = _admin_or_404(request)
    user = scope.get_in_scope_or_404(actor, accounts.accounts_in_scope(actor), pk=pk)
    context: dict[str, Any] = {"account": user, "links": []}
    action = request.POST.get("action", "")
    if request.method == "POST" and action in ACCOUNT_ACTIONS:
        link = None
        try:
            link = _act(request, actor, user, action)
        except PermissionDenied as error:
            messages.error(request, str(error))
        if link is None:
            return redirect("org:account-detail", pk=user.pk)
        context["link"], context["links"] = link, [(user, link)]
    context["locked"] = accounts.locked_usernames([user.username])
    context["history"] = activity.history_of(actor, user)[:20]
    return render(request, "org/account_detail.html", context)


def _act(request: HttpRequest, actor: User, user: User, action: str) -> str | None:
    if action == "reset":
        accounts.reset_password(actor, user)
        return accounts.first_login_link(user, request)
    if action == "unlock":
        accounts.unlock(actor, user)
        messages.success(request, f"已解除“{user}”的登录锁定。")
    else:
        accounts.set_active(actor, user, action == "activate")
        messages.success(request, f"已{'启用' if action == 'activate' else '停用'}“{user}”。")
    return None


# --- the first-login link: anyone holding it ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def first_login(request: HttpRequest, token: str) -> HttpResponse:
    """The holder of a valid link sets their own password and is signed in."""
    user = accounts.user_for_token(token)
    if user is None:
        return render(request, "org/first_login_invalid.html", status=404)
    form = FirstPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.set_own_password(user, form.cleaned_data["new_password1"])
        login(request, user, backend="zhenwu.org.auth.UnitModelBackend")
        messages.success(request, "密码已设置，欢迎使用镇务。")
        return redirect("web:home")
    return render(request, "org/first_login.html", {"form": form, "account": user})
