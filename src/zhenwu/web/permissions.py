"""What a role may open: one rule per action page, read by the page itself and by every button to it.

A view that only some roles may use is wrapped in `requires(rule)`, where `rule(user)` is the app's own
`may_*` function in its services. The page answers 403 (the Chinese page) to anyone the rule refuses,
on GET as on POST, and the `may` template filter asks the same rule, by the page's URL name, whether
to show a button or link to it: the page and its buttons cannot disagree.

Rules that depend on a record (may this user edit this project?) are checked by the view after it has
found the record in the user's scope (out of scope stays 404); its buttons ask the same service function.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

Rule = Callable[[Any], bool]
View = Callable[..., HttpResponse]
DENIED = "您没有执行此操作的权限。"


def requires(rule: Rule) -> Callable[[View], View]:
    """Refuse the view (403) to users `rule` refuses; keep the rule on the view for `may_open`.

    Put it under `login_required`, so that an anonymous visitor is still sent to the login page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule(request.user):
                raise PermissionDenied(DENIED)
            return view(request, *args, **kwargs)

        guarded.permission_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorate


@cache
def _rules() -> dict[str, Rule]:
    """Each guarded view's rule by its URL name ("cases:case-create"), read once from the URL conf."""
    found: dict[str, Rule] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                rule = _rule_of(entry.callback)
                if rule is not None:
                    found[f"{namespace}{entry.name}"] = rule

    walk(get_resolver().url_patterns, "")
    return found


def _rule_of(view: Any) -> Rule | None:
    # login_required and the other decorators wrap with functools.wraps, which copies the attribute up.
    return getattr(view, "permission_rule", None)


def may_open(user: Any, url_name: str) -> bool:
    """Whether `user` may open the page named `url_name`; a page with no rule is open to every user."""
    if not getattr(user, "is_authenticated", False):
        return False
    rule = _rules().get(url_name)
    return rule is None or rule(user)
