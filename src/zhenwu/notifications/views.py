"""The inbox (`/notifications/`), a user's choice of channels, and the township admin's page of
deliveries that failed or wait to be sent. A notification is its recipient's alone: anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.org.models import User

from . import delivery, services
from .forms import ChoicesForm
from .models import Channel, DeliveryState, Notification

NOTIFICATIONS_PER_PAGE = 30
DELIVERIES_PER_PAGE = 50
NOT_FOUND = "记录不存在或无权查看。"


def _own(request: HttpRequest, pk: int) -> Notification:
    user: User = request.user  # type: ignore[assignment]
    notification = services.notification_of(user, pk)
    if notification is None:
        raise Http404(NOT_FOUND)
    return notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unread_only = request.GET.get("unread") == "1"
    notifications = services.inbox(user, unread_only=unread_only)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "query": "unread=1" if unread_only else "",
        "may_see_deliveries": delivery.may_see_deliveries(user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and leads to what it is about."""
    notification = services.mark_read(_own(request, pk))
    return redirect(services.target_of(notification) or "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)  # type: ignore[arg-type]
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读的通知。")
    return redirect("notifications:inbox")


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    if not notification.attachment:
        raise Http404(NOT_FOUND)
    try:
        opened = notification.attachment.open("rb")
    except OSError:
        raise Http404(NOT_FOUND) from None
    response = FileResponse(opened, as_attachment=True, filename=notification.attachment_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def choices(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    channels = services.channels_available()
    form = ChoicesForm(request.POST or None, channels=channels, current=services.choices_of(user))
    if request.method == "POST" and form.is_valid():
        services.save_choices(user, form.ticked())
        messages.success(request, "已保存通知方式。")
        return redirect("notifications:settings")
    context = {
        "form": form,
        "channel_labels": [Channel(c).label for c in channels],
        "webhook_configured": services.webhook_configured(),
        "quiet": window.describe() if (window := delivery.quiet_hours()) else "",
    }
    return render(request, "notifications/settings.html", context)


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    if not delivery.may_see_deliveries(request.user):
        raise Http404(NOT_FOUND)
    state = request.GET.get("state", "")
    if state not in (DeliveryState.FAILED, DeliveryState.PENDING):
        state = ""
    deliveries = delivery.deliveries_for(request.user, state)
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "query": f"state={state}" if state else "",
        "states": [(DeliveryState.FAILED, "发送失败"), (DeliveryState.PENDING, "待发送")],
    }
    return render(request, "notifications/deliveries.html", context)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    found = delivery.resend(request.user, pk)
    if found is None:
        raise Http404(NOT_FOUND)
    resent, queued = found
    if queued:
        messages.success(request, f"已重新排队发送：{resent.notification.title}。")
    else:
        messages.info(request, "该通知不在发送失败状态，无需重新发送。")
    return redirect("notifications:delivery-list")
