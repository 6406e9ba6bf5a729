"""Each role is shown only what it may do: an entry or action page a role cannot submit answers 403 with the
Chinese page on GET (not only after a submit), and the buttons to it are not shown.

The table names every action page that takes no record, for every demo account; the pages that act on one
record (edit a project, add a member, fill a register) are in tests/test_scope_matrix.py, which checks the
same 403 for a record in scope and 404 for one outside it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.cases.models import CaseType
from zhenwu.web import permissions

ROLES = ["xian", "admin", "leader", "jingfa", "minzheng", "cun01", "wangge01"]
EVERY_ACTING_ROLE = {"admin", "leader", "jingfa", "minzheng", "cun01", "wangge01"}
OFFICES_AND_ADMIN = {"admin", "jingfa", "minzheng"}
VALUE_ENTRY = {"admin", "jingfa", "minzheng", "cun01"}  # village staff enter their village's values
HOUSEHOLD_REGISTER = {"admin", "minzheng", "cun01"}

# URL name (with its kwargs) → the accounts that may open it; everyone else gets 403.
ACTION_PAGES: dict[tuple[str, str], set[str]] = {
    ("cases:case-create", ""): EVERY_ACTING_ROLE,
    ("cases:report", ""): EVERY_ACTING_ROLE,
    ("cases:ledger-import", ""): {"admin"},
    ("cases:ledger-template", "grid_event"): {"admin"},
    ("projects:project-create", ""): OFFICES_AND_ADMIN,
    ("projects:lead-create", ""): OFFICES_AND_ADMIN,
    ("projects:investment-upload", ""): OFFICES_AND_ADMIN,
    ("projects:investment-template", ""): OFFICES_AND_ADMIN,
    ("indicators:entry", ""): VALUE_ENTRY,
    ("indicators:upload", ""): VALUE_ENTRY,
    ("indicators:template", ""): VALUE_ENTRY,
    ("indicators:workbook-import", ""): VALUE_ENTRY,
    ("indicators:workbook-template", ""): VALUE_ENTRY,
    ("indicators:targets", ""): {"admin"},
    ("indicators:library", ""): {"admin"},
    ("households:household-add", ""): HOUSEHOLD_REGISTER,
    ("households:import-register", ""): HOUSEHOLD_REGISTER,
    ("households:import-monitoring", ""): HOUSEHOLD_REGISTER,
    ("households:import-benefits", ""): HOUSEHOLD_REGISTER,
    ("households:import-template", "register"): HOUSEHOLD_REGISTER,
    ("households:import-roll", ""): {"admin", "minzheng"},
    ("households:import-template", "roll"): {"admin", "minzheng"},
    ("registers:load", ""): {"admin"},
    ("org:import-org", ""): {"admin"},
    ("org:import-org-template", ""): {"admin"},
    ("org:import-accounts", ""): {"admin"},
    ("org:import-accounts-template", ""): {"admin"},
}


def _url(name: str, arg: str) -> str:
    if not arg:
        return reverse(name)
    key = "code" if name.startswith("cases:") else "kind"
    return reverse(name, kwargs={key: arg})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(ACTION_PAGES), ids=lambda page: ":".join(filter(None, page)))
def test_an_action_page_opens_to_the_roles_that_may_act_and_is_refused_in_chinese_to_the_others(
    cast: Cast, types: dict[str, CaseType], client: Client, page: tuple[str, str], role: str
) -> None:
    client.force_login(cast.user(role))
    response = client.get(_url(*page))
    allowed = role in ACTION_PAGES[page]
    assert response.status_code == (200 if allowed else 403), f"{role} on {page}"
    if not allowed:
        body = response.content.decode()
        assert "无权访问" in body and "您没有执行此操作的权限" in body


@pytest.mark.parametrize("role", ROLES)
def test_the_buttons_ask_the_same_rule_as_the_pages(cast: Cast, role: str) -> None:
    """`may` (the buttons' filter) answers from the rule the page itself applies."""
    user = cast.user(role)
    for (name, _), allowed in ACTION_PAGES.items():
        if name.startswith("org:") or name in ("indicators:targets", "indicators:library"):
            continue  # decided with the unit asked for, not by the role alone
        if name in ("cases:ledger-template", "households:import-template"):
            continue  # by the kind of template
        assert permissions.may_open(user, name) == (role in allowed), f"{role} on {name}"


def test_a_post_is_refused_like_the_get(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("xian"))
    for name in ("cases:case-create", "projects:project-create", "indicators:entry", "indicators:upload"):
        assert client.post(reverse(name), {}).status_code == 403, name


# Pages a county viewer reads, and the links to entry forms they must not carry.
READ_PAGES = {
    "cases:case-list": ["/cases/new/", "/cases/import/", "/cases/report/"],
    "projects:dashboard": ["/projects/new/", "/projects/investment/upload/"],
    "projects:lead-list": ["/projects/leads/new/"],
    "households:overview": ["/households/import/"],
    "households:household-list": ["/households/new/", "/households/import/"],
    "registers:register-list": ["/registers/load/"],
    "org:unit-list": ["/org/import/"],
}
INDICATOR_FORMS = [
    "/indicators/entry/",
    "/indicators/excel/upload/",
    "/indicators/workbook/",
    "/indicators/targets/",
]


def test_a_county_viewer_sees_no_button_to_a_form(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("xian"))
    for name, links in READ_PAGES.items():
        page = client.get(reverse(name)).content.decode()
        for link in links:
            assert f'href="{link}' not in page, f"{link} shown on {name}"
    page = client.get(f"{reverse('indicators:dashboard')}?org={cast.township.code}").content.decode()
    for link in INDICATOR_FORMS:
        assert f'href="{link}' not in page, f"{link} shown on the indicators of the township"


def test_a_township_admin_sees_the_same_buttons(cast: Cast, client: Client) -> None:
    """The other side: the links the county viewer misses are there for whoever may use them."""
    client.force_login(cast.user("admin"))
    for name, links in READ_PAGES.items():
        page = client.get(reverse(name)).content.decode()
        for link in links:
            if link == "/cases/report/":
                continue  # the quick report button is the grid workers' phone page
            assert f'href="{link}' in page, f"{link} missing on {name}"
    page = client.get(f"{reverse('indicators:dashboard')}?org={cast.township.code}").content.decode()
    for link in INDICATOR_FORMS:
        assert f'href="{link}' in page, f"{link} missing on the indicators of the township"
