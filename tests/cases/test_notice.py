"""A hazard's rectification notice: numbered per township and year, checked input, and a .docx to print."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Pt

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.states import IllegalTransition


def accepted_hazard(cast: Cast, place: str = "东岗村3组") -> object:
    case = make_case(
        cast.user("leader"), cast.village01, "hazard", "消防", place=place, description="消防通道堆放杂物"
    )
    return act(cast.user("admin"), case, "accept")


def test_notices_are_numbered_in_order_and_printed_as_docx(cast: Cast, types: dict, client: Client) -> None:
    admin, deadline = cast.user("admin"), timezone.localdate() + timedelta(days=7)
    first, second = accepted_hazard(cast), accepted_hazard(cast, "东岗村5组")
    services.issue_rectification_notice(
        admin, first, addressee="张某超市", requirements="清理通道", deadline=deadline
    )
    notice = services.issue_rectification_notice(
        admin, second, addressee="李某", requirements="清理", deadline=deadline
    )
    assert notice.serial == 2
    client.force_login(cast.user("cun01"))
    response = client.get(reverse("cases:notice-docx", kwargs={"pk": second.pk}))
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "安全生产隐患整改通知书" in text and notice.number in text and "李某：" in text
    assert f"请于{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕" in text
    assert "消防通道堆放杂物" in text
    # signed for the township's seal, the date without leading zeros (GB/T 9704-2012 7.3.5)
    *_, issuer, day, _receipt = Document(BytesIO(response.content)).paragraphs
    today = timezone.localdate()
    assert (issuer.text, day.text) == ("示范镇人民政府", f"{today.year}年{today.month}月{today.day}日")
    assert day.paragraph_format.right_indent == Pt(16 * 4)
    assert second.events.last().action_label == "签发整改通知书"


def test_a_notice_needs_a_future_deadline_and_only_one_per_hazard(cast: Cast, types: dict) -> None:
    admin, case = cast.user("admin"), accepted_hazard(cast)
    with pytest.raises(ValidationError, match="整改期限须晚于今天"):
        services.issue_rectification_notice(
            admin, case, addressee="张某", requirements="清理", deadline=timezone.localdate()
        )
    services.issue_rectification_notice(
        admin, case, addressee="张某", requirements="清理", deadline=timezone.localdate() + timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="已签发整改通知书"):
        services.issue_rectification_notice(
            admin,
            case,
            addressee="张某",
            requirements="清理",
            deadline=timezone.localdate() + timedelta(days=3),
        )


def test_only_a_hazards_handler_issues_a_notice(cast: Cast, types: dict) -> None:
    case = accepted_hazard(cast)
    with pytest.raises(IllegalTransition):
        services.issue_rectification_notice(
            cast.user("cun01"),
            case,
            addressee="x",
            requirements="y",
            deadline=timezone.localdate() + timedelta(days=3),
        )


def test_a_serial_taken_at_the_same_moment_gives_way_to_the_next(
    cast: Cast, types: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two officers issuing at once read the same last serial; the second takes the next one, not a 500."""
    admin, deadline = cast.user("admin"), timezone.localdate() + timedelta(days=7)
    first, second = accepted_hazard(cast), accepted_hazard(cast, "东岗村5组")
    services.issue_rectification_notice(
        admin, first, addressee="张某超市", requirements="清理", deadline=deadline
    )
    real = services.next_notice_serial
    answers = iter([1])  # what the other officer's read saw, before the first notice was written

    def stale_then_real(township: object, year: int) -> int:
        return next(answers, None) or real(township, year)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "next_notice_serial", stale_then_real)
    notice = services.issue_rectification_notice(
        admin, second, addressee="李某", requirements="清理", deadline=deadline
    )
    assert notice.serial == 2


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def test_the_notice_writes_dates_without_leading_zeros_full_width_brackets_and_a_receipt_line(
    cast: Cast, types: dict, client: Client
) -> None:
    admin, case = cast.user("admin"), accepted_hazard(cast)
    deadline = date(2026, 12, 9)  # a month and a day of one digit, where %m月%d日 writes 12月09日
    services.issue_rectification_notice(
        admin, case, addressee="张某超市", requirements="清理通道", deadline=deadline
    )
    client.force_login(admin)
    text = docx_text(client.get(reverse("cases:notice-docx", kwargs={"pk": case.pk})).content)
    assert "请于2026年12月9日前整改完毕" in text and "09日" not in text
    assert "你单位（个人）" in text and "(" not in text and ")" not in text
    receipt = Document(BytesIO(client.get(reverse("cases:notice-docx", kwargs={"pk": case.pk})).content))
    last = receipt.paragraphs[-1].text
    assert "签收" in last and "年" in last and "月" in last and "日" in last
    # the case's history says the deadline as the notice does
    assert case.events.last().note.endswith("限2026年12月9日前整改")


def test_a_notice_waits_until_the_hazard_is_accepted(cast: Cast, types: dict, client: Client) -> None:
    admin = cast.user("admin")
    case = make_case(cast.user("leader"), cast.village01, "hazard", "消防", place="东岗村3组")
    with pytest.raises(IllegalTransition, match="尚未受理"):
        services.issue_rectification_notice(
            admin,
            case,
            addressee="张某",
            requirements="清理",
            deadline=timezone.localdate() + timedelta(days=3),
        )
    client.force_login(admin)
    page = client.get(reverse("cases:case-detail", kwargs={"pk": case.pk})).content.decode()
    assert "签发整改通知书" not in page  # the button is not offered
    posted = client.post(
        reverse("cases:case-detail", kwargs={"pk": case.pk}),
        {"action": "notice", "addressee": "张某", "requirements": "清理", "deadline": "2026-11-25"},
        follow=True,
    )
    assert posted.status_code == 200 and "尚未受理" in posted.content.decode()
    assert not hasattr(case.__class__.objects.get(pk=case.pk), "notice")
    accepted = act(admin, case, "accept")
    page = client.get(reverse("cases:case-detail", kwargs={"pk": accepted.pk})).content.decode()
    assert "签发整改通知书" in page
