"""The dates check: overdue and remaining days agree with the document's own date."""

from datetime import date

from zhenwu.reader import analyse

DECEMBER_2 = date(2026, 12, 2)


def dates(text: str, dated: date | None = None) -> list:
    return [f for f in analyse(text, dated=dated).findings if f.rule == "dates"]


def test_overdue_before_the_due_date_is_impossible() -> None:
    """The issue's draft: on 2 December nothing due on 28 December is overdue yet."""
    (finding,) = dates("东风村污水管网项目计划12月28日完成，已逾期3天。", DECEMBER_2)
    assert finding.severity == "error"
    assert finding.pairing == "stated"
    assert "12月28日" in finding.message and "2026年12月2日" in finding.message


def test_overdue_days_must_equal_the_document_date_minus_the_due_date() -> None:
    assert dates("东风村污水管网项目计划11月28日完成，已逾期4天。", DECEMBER_2) == []
    (finding,) = dates("东风村污水管网项目计划11月28日完成，已逾期9天。", DECEMBER_2)
    assert finding.severity == "error"
    assert "4天" in finding.message


def test_the_document_date_is_read_from_its_signature_line() -> None:
    text = "工作进展\n污水管网项目计划12月28日完成，已逾期3天。\n\n东风镇人民政府\n2026年12月2日\n"
    (finding,) = dates(text)
    assert finding.severity == "error"


def test_a_date_line_under_the_title_is_the_document_date() -> None:
    text = "东风镇重点项目进展情况\n（2026年12月2日）\n污水管网项目计划11月28日完成，已逾期4天。\n"
    assert dates(text) == []


def test_without_a_document_date_nothing_is_checked() -> None:
    assert dates("污水管网项目计划12月28日完成，已逾期3天。") == []


def test_remaining_days_until_a_stated_date() -> None:
    assert dates("距12月28日还有26天。", DECEMBER_2) == []
    assert dates("项目计划12月28日完工，剩余26天。", DECEMBER_2) == []
    (finding,) = dates("距12月28日还有16天。", DECEMBER_2)
    assert "26天" in finding.message


def test_overdue_days_may_also_be_counted_to_a_stated_cut_off_date() -> None:
    text = "截至11月30日，污水管网项目计划11月28日完成，已超期2天。"
    assert dates(text, DECEMBER_2) == []


def test_a_year_written_with_the_due_date_is_used() -> None:
    assert dates("项目计划2025年12月28日完成，已逾期339天。", DECEMBER_2) == []


def test_a_date_that_is_not_a_deadline_is_not_counted_from() -> None:
    assert dates("项目于12月1日开工建设，工期紧张，已逾期3天。", DECEMBER_2) == []
    assert dates("12月1日召开推进会，还有3天的培训。", DECEMBER_2) == []


def test_a_date_followed_by_a_deadline_word_is_a_due_date() -> None:
    assert dates("污水管网项目应于11月28日前完成，已逾期4天。", DECEMBER_2) == []
    assert dates("污水管网项目11月28日前完工，已逾期4天。", DECEMBER_2) == []
    (finding,) = dates("污水管网项目12月28日前完工，已逾期3天。", DECEMBER_2)
    assert finding.severity == "error"
