"""The growth check: sign words and rates match the numbers when both periods are given."""

from tests.reader.helpers import findings


def test_a_growth_that_matches_both_periods_gives_no_finding() -> None:
    assert findings("完成财政收入1.2亿元，去年同期1.0亿元，同比增长20%。", "growth") == []


def test_a_decrease_word_over_rising_numbers_is_an_error() -> None:
    (finding,) = findings("完成财政收入1.2亿元，去年同期1.0亿元，同比下降20%。", "growth")
    assert finding.severity == "error"
    assert "方向" in finding.message


def test_a_growth_rate_that_does_not_follow_from_the_periods_is_an_error() -> None:
    (finding,) = findings("完成财政收入1.25亿元，去年同期1.02亿元，同比增长30%。", "growth")
    assert finding.severity == "error"


def test_a_rate_that_only_rounding_could_explain_is_mentioned_as_info() -> None:
    """1.2亿 against 1.0亿 is 20% at face value, but 1.249亿 against 0.951亿 would be 31%."""
    (finding,) = findings("完成财政收入1.2亿元，去年同期1.0亿元，同比增长30%。", "growth")
    assert finding.severity == "info"


def test_from_to_must_move_in_the_direction_it_says() -> None:
    assert findings("监测户由85户减少到80户。", "growth") == []
    (finding,) = findings("监测户由85户减少到90户。", "growth")
    assert finding.severity == "error"


def test_points_between_two_rates_are_checked() -> None:
    assert findings("参保率由85.3%提高到87.4%，提高2.1个百分点。", "growth") == []
    assert findings("参保率由85.3%提高到87.4%，提高3.1个百分点。", "growth") != []


def test_a_growth_with_only_one_period_is_not_checked() -> None:
    assert findings("完成财政收入1.2亿元，同比下降20%。", "growth") == []
