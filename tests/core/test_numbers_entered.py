"""Numbers as staff type them into an entry field: what a Chinese input method produces is read, what
could be a slip (an exponent, a misplaced separator, a number beyond the field) is refused by name."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.numbers import NumberInputError, float_text, parse_entered_number

MAX = Decimal("9999999999999999.9999")  # 16 integer digits and 4 decimals: Value.value's field


def parse(text: str, places: int = 4, unit: str = "") -> Decimal | None:
    return parse_entered_number(text, "工业投资", places=places, unit=unit)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4.9", Decimal("4.9")),
        ("1,908.5", Decimal("1908.5")),
        ("５．２６", Decimal("5.26")),
        ("１，９０８．５", Decimal("1908.5")),
        ("1，908.5", Decimal("1908.5")),
        ("－３", Decimal("-3")),
        ("−3", Decimal("-3")),
        ("　12　", Decimal("12")),
        (".5", Decimal("0.5")),
        ("三百五十", Decimal("350")),
    ],
)
def test_what_an_input_method_types_is_read_as_the_number_meant(text: str, value: Decimal) -> None:
    assert parse(text) == value


@pytest.mark.parametrize("text", ["", "   ", "　"])
def test_a_blank_field_is_no_value(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("3.2万", "人", Decimal("32000")),
        ("三万二", "人", Decimal("32000")),
        ("3.2万", "万元", Decimal("3.2")),
        ("4.9亿", "亿元", Decimal("4.9")),
        ("0.5亿", "万元", Decimal("5000")),
        ("3200", "万元", Decimal("3200")),
    ],
)
def test_wan_and_yi_are_amounts_converted_to_the_fields_unit(text: str, unit: str, value: Decimal) -> None:
    assert parse(text, unit=unit) == value


def test_a_number_with_wan_is_written_out_plainly() -> None:
    assert "E" not in str(parse("3.2万", unit="人"))


@pytest.mark.parametrize("text", ["1e3", "1E+3", "1e400", "2.5e-3", "１ｅ３"])
def test_an_exponent_is_refused_by_name(text: str) -> None:
    with pytest.raises(NumberInputError, match="“工业投资”不能用科学计数法"):
        parse(text)


@pytest.mark.parametrize(
    "text", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "4.9亿元左右", "1.2.3", "4²"]
)
def test_what_is_not_a_finite_number_is_refused_by_name(text: str) -> None:
    with pytest.raises(NumberInputError, match=f"“工业投资”应填数字，而不是“{text}”"):
        parse(text)


@pytest.mark.parametrize("text", ["99999999999999999999999", "10000000000000000", "2亿亿"])
def test_a_number_beyond_sixteen_integer_digits_is_refused(text: str) -> None:
    with pytest.raises(NumberInputError, match="“工业投资”超出可填写的范围"):
        parse(text)


def test_more_decimals_than_the_indicator_keeps_are_refused() -> None:
    with pytest.raises(NumberInputError, match="“工业投资”最多保留2位小数"):
        parse("4.905", places=2)
    assert parse("4.900", places=2) == Decimal("4.9")  # trailing zeros are no precision


@pytest.mark.parametrize("text", ["1,9085", "12,34.5", "1,,000", ",100"])
def test_a_misplaced_thousands_separator_is_refused(text: str) -> None:
    with pytest.raises(NumberInputError, match="千位分隔符"):
        parse(text)


def test_a_long_string_of_digits_is_refused_without_reading_it_all() -> None:
    with pytest.raises(NumberInputError, match="超出可填写的范围"):
        parse("9" * 100_000)


@pytest.mark.parametrize(
    ("value", "text"), [(4.9, "4.9"), (1e-07, "0.0000001"), (1e20, "100000000000000000000"), (3.0, "3.0")]
)
def test_a_float_is_written_out_plainly(value: float, text: str) -> None:
    assert float_text(value) == text


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_float_that_is_no_number_is_refused_when_parsed(value: float) -> None:
    with pytest.raises(NumberInputError, match="应填数字"):
        parse(float_text(value))


FULL_WIDTH = str.maketrans("0123456789.-,", "０１２３４５６７８９．－，")


def grouped(text: str) -> str:
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}"


@given(
    value=st.decimals(min_value=-MAX, max_value=MAX, places=4, allow_nan=False, allow_infinity=False),
    separators=st.booleans(),
    full_width=st.booleans(),
)
def test_any_decimal_written_plainly_parses_back_to_itself(
    value: Decimal, separators: bool, full_width: bool
) -> None:
    text = format(value, "f")
    if separators:
        text = grouped(text)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse(text) == value


@given(st.text(max_size=40))
def test_any_text_gives_a_number_none_or_a_message_naming_the_field(text: str) -> None:
    try:
        value = parse(text)
    except NumberInputError as error:
        assert str(error).startswith("“工业投资”")
    else:
        assert value is None or (value.is_finite() and abs(value) <= MAX)
