from typing import Any

from django.http import HttpRequest

from . import navigation


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    # A request refused before the authentication middleware (a NUL in its address) has no user yet.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {"label": item.label, "url": item.url(), "active": item.url_name == current}
            for item in navigation.items_for(user)
        ]
    }
