"""Formatting figures the way a township report writes them."""

from decimal import Decimal

from zhenwu.core.numbers import format_count, format_growth, format_money, format_percent, format_points


def test_money_from_one_yi_up_is_written_in_yi_with_two_decimals() -> None:
    assert format_money(Decimal("490000000")) == "4.90亿元"
    assert format_money(Decimal("100000000")) == "1.00亿元"


def test_money_below_one_yi_is_written_in_wan() -> None:
    assert format_money(Decimal("3500000")) == "350万元"
    assert format_money(Decimal("125000")) == "12.5万元"


def test_money_below_one_wan_is_written_in_yuan() -> None:
    assert format_money(Decimal("850")) == "850元"


def test_percent_has_one_decimal() -> None:
    assert format_percent(Decimal("48.6")) == "48.6%"
    assert format_percent(28) == "28.0%"
    assert format_percent(48.64) == "48.6%"


def test_growth_says_increase_or_decrease_in_words() -> None:
    assert format_growth(Decimal(28)) == "同比增长28.0%"
    assert format_growth(Decimal("-3.2")) == "同比下降3.2%"
    assert format_growth(0) == "同比持平"


def test_points_say_raised_or_lowered_in_words() -> None:
    assert format_points(Decimal("2.1")) == "提高2.1个百分点"
    assert format_points(Decimal("-0.4")) == "降低0.4个百分点"


def test_counts_carry_their_measure_word() -> None:
    assert format_count(12, "户") == "12户"
