from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import services


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The count beside 通知 in the top bar: one indexed COUNT, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: services.unread_count(user))}
