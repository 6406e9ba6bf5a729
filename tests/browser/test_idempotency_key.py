"""In the real browser: the quick report's idempotency key is made by the page at load, and a report sent
twice with it (a double tap, a retry) makes one case."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_login import log_in
from tests.conftest import Cast
from zhenwu.cases import catalog
from zhenwu.cases.models import Case
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_the_page_makes_the_key_and_a_report_sent_twice_makes_one_case(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    catalog.install()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    served = re.search(
        r'name="idempotency_key" value="([^"]+)"', page.goto(f"{live_server.url}/cases/report/").text()
    )
    made = page.eval_on_selector("input[name=idempotency_key]", "e => e.value")
    # The server's key is the fallback without JavaScript; the page made its own.
    assert served and UUID.fullmatch(served[1]) and UUID.fullmatch(made) and made != served[1]
    page.select_option("#id_category", label="环境卫生")
    page.fill("#id_description", "3组路口垃圾堆放两天未清运")
    # The form sent twice as the browser sends it, the second as a retry that lost its answer.
    form = page.locator("#quick-report")
    for _ in range(2):
        sent = page.evaluate(
            """async (form) => {
                const answer = await fetch(form.action || location.href,
                    {method: "POST", body: new FormData(form), redirect: "manual"});
                return answer.type;
            }""",
            form.element_handle(),
        )
        assert sent == "opaqueredirect"
    assert Case.objects.count() == 1
    page.reload()
    assert "已上报" in page.inner_text("main") and Case.objects.get().number in page.inner_text("main")
    context.close()
