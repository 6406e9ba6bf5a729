"""No page, export or API response of the demo shows a full identity number to a role without the
permission to see it: a crawler follows every link from the home page as that role, opens every
export it finds and every API list and detail, and scans all of it for 18-digit numbers.

The scanner is checked first on a page that does show a full number (a logged reveal), so it can fail.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, deque
from datetime import date
from io import BytesIO
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.demo_snapshot import load_demo
from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.households import services
from zhenwu.households.models import Household, Member
from zhenwu.org.models import User

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
LINK = re.compile(r'href="(/[^"]*)"')
PER_URL_NAME = 3  # pages opened for each URL name: enough to reach every kind of page in the demo
SKIP = ("/accounts/logout/", "/static/", "/admin/", "/api/schema/")


def full_numbers_in(body: bytes, content_type: str) -> list[str]:
    """18-digit numbers in a response: its text, or every part of an Excel file."""
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(BytesIO(body)) as book:
            text = " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    else:
        text = body.decode("utf-8", "replace")
    return ID_NUMBER.findall(text)


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Every page reachable by links from `start`, a few per URL name, with the numbers found on each."""
    queue, seen, per_name = deque(start), set(start), Counter[str]()
    found: dict[str, list[str]] = {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            continue
        found[url] = full_numbers_in(response.content, response.get("Content-Type", ""))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            if link in seen or link.startswith(SKIP):
                continue
            seen.add(link)
            try:
                name = resolve(urlparse(link).path).view_name
            except Resolver404:
                continue
            if per_name[name] < PER_URL_NAME:
                per_name[name] += 1
                queue.append(link)
    return found


def api_pages(client: Client) -> dict[str, list[str]]:
    """Every API list the schema describes, and the detail of the first records of each."""
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    found: dict[str, list[str]] = {}
    for path in schema["paths"]:
        if "{" in path:
            continue
        response = client.get(path, {"limit": 500})
        found[path] = full_numbers_in(response.content, "application/json")
        body = response.json()
        if not path.endswith("/"):
            continue  # a list without detail routes below it (the inbox, the to-do list)
        for row in (body.get("results", []) if isinstance(body, dict) else [])[:5]:
            key = row.get("id", row.get("code"))
            detail = client.get(f"{path}{key}/")
            found[f"{path}{key}/"] = full_numbers_in(detail.content, "application/json")
    return found


@pytest.fixture
def demo(db: None) -> None:
    load_demo()
    # Logged writes and a logged full view, so that the activity and access logs have something to show.
    village_staff = User.objects.get(username="cun01")
    with acting_as(village_staff):
        household = Household.objects.filter(org_unit__code__startswith="990101001001").first()
        assert household is not None
        number = idcard.compose("990099", date(1990, 1, 1), 999)  # no demo village is numbered 99
        member = services.add_member(
            household, services.MemberInput("扫描测试", "other", number, "13700001111")
        )
        assert member is not None
        services.reveal_member(village_staff, member)


def test_the_scanner_finds_a_full_number_where_one_is_shown(demo: None, client: Client) -> None:
    member = Member.objects.filter(household__org_unit__code__startswith="990101001001").first()
    assert member is not None
    client.force_login(User.objects.get(username="cun01"))
    response = client.post(reverse("households:member-reveal", args=[member.pk]))
    assert full_numbers_in(response.content, response["Content-Type"]) == [member.full_id_number()]
    url = reverse("households:export-register", args=["990101001001"])
    export = client.post(url, {"reason": "核对名册"})
    assert member.full_id_number() in full_numbers_in(export.content, export["Content-Type"])
    masked = client.get(url)  # a plain download is masked even for those who may see full numbers
    assert full_numbers_in(masked.content, masked["Content-Type"]) == []


@pytest.mark.parametrize("username", ["leader", "admin", "jingfa", "wangge01"])
def test_no_page_export_or_api_response_shows_a_full_number(
    demo: None, client: Client, username: str
) -> None:
    user = User.objects.get(username=username)
    assert not services.may_see_full(user)
    client.force_login(user)
    pages = crawl(client, [reverse("web:home")])
    pages |= api_pages(client)
    reached = {resolve(urlparse(url).path).view_name for url in pages}
    expected = {"households:overview", "households:household-list", "households:household-detail",
                "households:monitoring-list", "households:monitoring-detail", "households:batch-list",
                "households:batch-detail", "households:batch-export", "api:household-list",
                "api:household-detail"}  # fmt: skip
    if username != "wangge01":
        expected.add("households:export-register")
    assert expected <= reached, f"the crawl did not reach {expected - reached}"
    leaks = {url: numbers for url, numbers in pages.items() if numbers}
    assert leaks == {}, f"{username} sees full identity numbers"
