"""Every demo account, as its user would go through the app: each item of its navigation, each action a
page offers it (a button-like link, the first record of a list and that record's actions), and each form
a page shows it. On every page: no 500, no refusal of something it was offered, no English word outside
names and file types, and no raw unit code where a name belongs; each form it is shown, sent as it stands,
is answered, never refused (403) or failed (5xx)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.test_login import log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import ACCOUNTS, DEMO_PASSWORD
from zhenwu.org.models import User

pytestmark = pytest.mark.browser

# Latin words a Chinese page may show: the product's, standards' and formats' names (XLSForm's sheets among
# them), file types and sizes; the accounts' user names are added in the test.
_WORDS = """zhenwu Excel Word WPS xlsx xls docx doc pdf csv txt json xml zip jpg jpeg png heic MB KB
XLSForm survey choices settings entities OpenRosa ODK Collect Open API REST ID GB T URL HTTP HTTPS Webhook
UUID Key Idempotency Redis SMTP GPS PWA OK"""
ALLOWED_WORDS = set(_WORDS.lower().split())
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]*[A-Za-z](?![A-Za-z0-9_])")
# The demo's unit codes (990101…): a page names the unit instead, save the tree's own list, where the
# 统计用区划代码 stands beside each name as the unit's attribute.
RAW_UNIT_CODE = re.compile(r"(?<!\d)99\d{7}(?:\d{3})?(?!\d)")
CODES_SHOWN = re.compile(r"^/org/units/")
# Pages not to open: Django's admin (its own), downloads, the API and its documents, leaving.
SKIPPED = re.compile(
    r"^/(admin|api|open311|openrosa|static|media|accounts/logout)/|\.(xlsx|docx|pdf|csv|zip)$"
)
PAGES_PER_ACCOUNT = 60

TEXT_OF_PAGE = "() => document.querySelector('main') ? document.querySelector('main').innerText : ''"
# Each POST form in the page's main part, sent as it stands (fetch, not followed), with its answer's status.
SEND_FORMS = """
async () => {
  const answers = [];
  for (const form of document.querySelectorAll("main form")) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") continue;
    const action = new URL(form.action, location.href);
    if (action.pathname.startsWith("/accounts/logout/")) continue;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 20000);
    try {
      const response = await fetch(action, {method: "POST", body: new FormData(form), redirect: "manual",
                                            credentials: "same-origin", signal: stop.signal});
      answers.push([action.pathname, response.status]);
    } catch (error) {
      answers.push([action.pathname, -1]);  // no answer within 20 s
    } finally {
      clearTimeout(timer);
    }
  }
  return answers;
}
"""
OFFERED = "main a.button, main .actions a, main table a"


def _same_site(base: str, href: str | None) -> str | None:
    if not href:
        return None
    parts = urlsplit(href)
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if not parts.path or SKIPPED.search(parts.path) else path


def _raw_codes(text: str) -> list[str]:
    """Unit codes where a name belongs: a unit's own code beside its label (编码, as an org unit's
    activity log entry shows its fields) is a value, not a code asked for."""
    return [
        m.group()
        for m in RAW_UNIT_CODE.finditer(text)
        if "编码" not in text[max(0, m.start() - 12) : m.start()]
    ]


def _words(text: str, allowed: set[str]) -> list[str]:
    return [word for word in WORD.findall(text) if word not in allowed and word.lower() not in allowed]


@pytest.mark.parametrize("username", [account.username for account in ACCOUNTS])
def test_every_account_sees_only_chinese_names_and_what_it_may_do(
    username: str, live_server: Any, page: Any
) -> None:
    load_demo()
    allowed = ALLOWED_WORDS | {name.lower() for name in User.objects.values_list("username", flat=True)}
    base = live_server.url
    log_in(page, base, username, DEMO_PASSWORD)
    nav = page.locator("header nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    queue = [path for path in (_same_site(base, href) for href in ["/", *nav]) if path]
    seen: set[str] = set()
    tables_opened: set[str] = set()
    problems: list[str] = []
    while queue and len(seen) < PAGES_PER_ACCOUNT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file offered: it downloads
                continue
            raise
        status = response.status if response else 0
        if status != 200:
            problems.append(f"{path}：打开得到 {status}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        text = page.evaluate(TEXT_OF_PAGE)
        if words := _words(text, allowed):
            problems.append(f"{path}：英文 {sorted(set(words))[:8]}")
        if not CODES_SHOWN.match(path) and (codes := _raw_codes(text)):
            problems.append(f"{path}：单位编码 {sorted(set(codes))[:4]}")
        # The first record of each list only: the others are alike.
        for href in page.locator(OFFERED).evaluate_all(
            "links => links.map(a => [a.closest('table') ? 'table' : 'action', a.getAttribute('href')])"
        ):
            kind, link = href
            found = _same_site(base, link)
            if not found or found in seen:
                continue
            if kind == "table":
                if path in tables_opened:
                    continue
                tables_opened.add(path)
            queue.append(found)
        for action, answered in page.evaluate(SEND_FORMS):
            if answered in (403, -1) or answered >= 500:
                problems.append(f"{path}：表单 {action} 提交得到 {answered}")
    assert not problems, f"{username}:\n" + "\n".join(problems)
