"""Parsing Chinese and mixed numerals the way township reports write them."""

from decimal import Decimal

import pytest

from zhenwu.core.numbers import parse_chinese_integer, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三百", 300),
        ("三百五十", 350),
        ("三百五", 350),
        ("一百零五", 105),
        ("十五", 15),
        ("二十", 20),
        ("两千万", 20_000_000),
        ("一万二", 12_000),
        ("三万五千", 35_000),
        ("百", 100),
        ("一亿二千万", 120_000_000),
        ("二〇二四", 2024),
    ],
)
def test_chinese_integers_are_read_as_reports_write_them(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", ["", "abc", "三a", "十百", "一一一x"])
def test_text_that_is_not_a_chinese_numeral_gives_none(text: str) -> None:
    assert parse_chinese_integer(text) is None


@pytest.mark.parametrize(
    ("text", "value", "approx", "unit"),
    [
        ("4.9个亿", Decimal("490000000"), False, ""),
        ("2000多万元", Decimal("20000000"), True, "元"),
        ("3万余平方米", Decimal("30000"), True, "平方米"),
        ("三百多人", Decimal("300"), True, "人"),
        ("两千万", Decimal("20000000"), False, ""),
        ("百余户", Decimal("100"), True, "户"),
        ("1,234.5元", Decimal("1234.5"), False, "元"),
        ("-3.2%", Decimal("-3.2"), False, "%"),
        ("约3000亩", Decimal("3000"), True, "亩"),
        ("三十余万", Decimal("300000"), True, ""),
    ],
)
def test_mixed_quantities_give_value_approximation_and_unit(
    text: str, value: Decimal, approx: bool, unit: str
) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.value == value
    assert quantity.approx is approx
    assert quantity.unit == unit


def test_the_step_is_the_size_of_the_last_written_digit() -> None:
    """A checker compares rounded figures by the precision they are written with."""
    assert parse_quantity("4.9个亿").step == Decimal("10000000")  # type: ignore[union-attr]
    assert parse_quantity("96.77%").step == Decimal("0.01")  # type: ignore[union-attr]
    assert parse_quantity("三百").step == Decimal(100)  # type: ignore[union-attr]


def test_money_stays_decimal_and_never_becomes_float() -> None:
    quantity = parse_quantity("2.55亿元")
    assert quantity is not None
    assert isinstance(quantity.value, Decimal)
    assert quantity.value == Decimal("255000000")


def test_a_bare_number_parses_in_either_script() -> None:
    assert parse_number("34865") == Decimal(34865)
    assert parse_number("三百五十") == Decimal(350)
    assert parse_number("") is None
    assert parse_quantity("元") is None
