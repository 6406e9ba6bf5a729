"""On a phone (360×740 and 390×844) every page a grid worker or a village clerk uses fits the screen: no
row of buttons overlaps, no button's label breaks over two lines (一周一通报 stays one word), every button
and the top bar's links are at least 44 px high, and nothing is wider than the screen. A screenshot of
each page at each size is kept under test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.org.models import User
from zhenwu.org.scope import scoped
from zhenwu.registers.models import Thing

pytestmark = pytest.mark.browser
SIZES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]
TOUCH = 44

# What a person taps: buttons, links drawn as buttons, links in a row of actions, and the top bar's.
TAPPED = (
    "button, .button, input[type=submit], input[type=button], input[type=file], "
    ".actions a, .filters a, .todo-kinds a, .pager a, header a, header label, summary"
)

# Everything is measured in the page, so one round trip per page answers all the questions.
MEASURE = (
    """
tapped => {
  const problems = [];
  const width = window.innerWidth;
  const scroller = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  const shown = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const name = el => (el.innerText || el.value || el.getAttribute("aria-label") || el.tagName)
    .trim().replace(/\\s+/g, " ").slice(0, 30);
  if (document.documentElement.scrollWidth > width) {
    problems.push(`页面宽 ${document.documentElement.scrollWidth} > ${width}`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && shown(el) && !scroller(el)) {
      problems.push(`超出屏幕: <${el.tagName.toLowerCase()}> ${name(el)} 右边 ${Math.round(box.right)}`);
    }
  }
  const buttons = [...document.querySelectorAll(tapped)].filter(shown);
  for (const el of buttons) {
    const box = el.getBoundingClientRect();
    if (box.height < """
    + str(TOUCH)
    + """ - 0.5) {
      problems.push(`太矮: ${name(el)} 高 ${Math.round(box.height)}`);
    }
    const text = document.createRange();
    text.selectNodeContents(el);
    const lines = new Set([...text.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    if (text.getBoundingClientRect().height > line * 1.5 && lines.size > 1) {
      problems.push(`折行: ${name(el)}`);
    }
  }
  for (let i = 0; i < buttons.length; i++) {
    for (let j = i + 1; j < buttons.length; j++) {
      if (buttons[i].contains(buttons[j]) || buttons[j].contains(buttons[i])) continue;
      const a = buttons[i].getBoundingClientRect(), b = buttons[j].getBoundingClientRect();
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (across > 0.5 && down > 0.5) problems.push(`重叠: ${name(buttons[i])} / ${name(buttons[j])}`);
    }
  }
  return problems;
}
"""
)


def href(page: Any, selector: str) -> str:
    link = page.locator(selector).first
    assert link.count(), f"{page.url} 没有 {selector}"
    return str(link.get_attribute("href"))


def pages_of(page: Any, base: str, username: str) -> list[tuple[str, str]]:
    """The pages this user works in, found the way they find them (the first row of each list)."""
    user = User.objects.get(username=username)
    found = [
        ("home", "/"),
        ("todo", "/todo/"),
        ("notifications", "/notifications/"),
        ("cases", "/cases/"),
        ("case-new", "/cases/new/"),
    ]
    page.goto(f"{base}/cases/")
    found += [
        ("case", href(page, "#case-list tbody a")),
        ("bulletin", href(page, "a.button:text-is('一周一通报')")),
        ("ranking", href(page, "a.button:text-is('一月一排名')")),
    ]
    if user.role == "grid_worker":
        found.append(("quick-report", "/cases/report/"))
    found += [("households", "/households/list/"), ("monitoring", "/households/monitoring/")]
    page.goto(f"{base}/households/monitoring/")
    found.append(("visit", href(page, "table a[href*='/households/monitoring/']")))
    page.goto(f"{base}/registers/")
    registers = page.locator("#register-list tbody a").evaluate_all("links => links.map(a => a.href)")
    found.append(("registers", "/registers/"))
    for records in registers:  # the first register this user may fill
        page.goto(records)
        if page.locator("#new-record").count():
            found += [("records", records.removeprefix(base)), ("register-form", href(page, "#new-record"))]
            break
    else:
        pytest.fail(f"{username} 没有可填写的台账")
    thing = scoped(user, Thing.objects.order_by("pk")).first()
    assert thing is not None
    found += [("thing", f"/registers/things/{thing.pk}/"), ("report-entries", "/reports/entries/")]
    return found


def test_the_field_pages_fit_a_phone(live_server: Any, page: Any) -> None:
    load_demo()
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    for username in ("wangge01", "cun01"):
        page.context.clear_cookies()
        page.set_viewport_size(SIZES[1])
        log_in(page, live_server.url, username, DEMO_PASSWORD)
        for name, path in pages_of(page, live_server.url, username):
            for size in SIZES:
                page.set_viewport_size(size)
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, f"{username} {path}: {response}"
                problems += [
                    f"{username} {size['width']} {path}: {p}" for p in page.evaluate(MEASURE, TAPPED)
                ]
                shot = ARTIFACTS / f"phone-{username}-{name}-{size['width']}.png"
                page.screenshot(path=str(shot), full_page=True)
        # the menu opened on the narrowest phone: the unit, the role and 退出 are there, on the screen
        page.set_viewport_size(SIZES[0])
        page.goto(live_server.url + "/")
        page.click("label.nav-toggle-label")
        assert (
            page.locator("header .who-more").is_visible() and page.locator("header button.link").is_visible()
        )
        problems += [f"{username} 360 菜单: {p}" for p in page.evaluate(MEASURE, TAPPED)]
        page.screenshot(path=str(ARTIFACTS / f"phone-{username}-menu-360.png"))
    assert not problems, "\n".join(problems)
