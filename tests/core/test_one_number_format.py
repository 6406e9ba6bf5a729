"""One rounding rule: the page, the API, the Excel export and the report write a figure so that it reads back
to the same value at the precision shown, never with an exponent or as "-0", and a gap in points is the
difference of the two percentages printed beside it."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.numbers import format_fixed, format_percent, format_plain, parse_quantity, round_half_up
from zhenwu.core.progress import Progress, percent_of
from zhenwu.indicators.api import decimal_text, percent_text
from zhenwu.indicators.excel import _number
from zhenwu.indicators.templatetags.indicators import amount, pct, points
from zhenwu.reports.compose import quantity_text

D = Decimal
values = st.decimals(
    min_value=D("-1e10"), max_value=D("1e10"), places=6, allow_nan=False, allow_infinity=False
)
places = st.integers(0, 4)


def read(text: str) -> Decimal:
    parsed = parse_quantity(text.replace(",", ""))
    assert parsed is not None, text
    return parsed.value


def plain(text: str) -> None:
    assert "E" not in text and "e" not in text, text


@given(values, places)
def test_the_page_the_api_and_the_excel_export_write_one_value(value: Decimal, decimals: int) -> None:
    shown = round_half_up(value, decimals)
    page, api = amount(value, decimals), decimal_text(value, decimals)
    cell, number_format = _number(value, decimals)
    assert api is not None and cell is not None
    for text in (page, api):
        plain(text)
        assert read(text) == shown
    assert round_half_up(Decimal(str(cell)), decimals) == shown
    assert number_format.endswith("0" * decimals) and ("." in number_format) == (decimals > 0)


def within_its_last_digit(text: str, value: Decimal) -> bool:
    """The report may write fewer digits ("1.00亿元" for 10000.01万元): it reads back to the value within
    half of its last digit, rounded half up as everywhere else."""
    parsed = parse_quantity(text.replace(",", ""))
    assert parsed is not None, text
    return abs(parsed.value - value) <= parsed.step / 2


@given(values)
def test_the_report_writes_the_value_at_its_own_precision(value: Decimal) -> None:
    shown = round_half_up(value, 2)
    assert within_its_last_digit(quantity_text(shown, "万元"), shown * 10000)
    assert read(quantity_text(shown, "个")) == shown
    assert read(quantity_text(shown, "%")) == round_half_up(shown, 1)


@given(st.decimals(min_value=D("-0.0499"), max_value=D("0.0499"), places=4))
def test_a_value_that_rounds_to_zero_is_written_without_a_minus(value: Decimal) -> None:
    assert format_fixed(value, 1) == "0.0" and format_percent(value) == "0.0%" and points(value) == "0.0"
    assert format_plain(value / 10, 2) == "0" and percent_text(value) == "0.0"


def test_exponents_and_trailing_zeros_are_written_plainly() -> None:
    assert decimal_text(D("2.6E+3")) == "2600" and decimal_text(D("1.504E+4")) == "15040"
    assert decimal_text(D("3E+3")) == "3000" and decimal_text(D("8E+2")) == "800"
    assert decimal_text(D("-0.00001")) == "0" and percent_text(D("-0.04")) == "0.0"
    assert amount(D("95.7376529344925"), 4) == "95.7377" and amount(D("1E+3"), 2) == "1,000"


@given(
    st.decimals(min_value=D("0"), max_value=D("1e6"), places=4),
    st.decimals(min_value=D("0.01"), max_value=D("1e6"), places=4),
    st.fractions(min_value=0, max_value=1).map(lambda f: D(f.numerator) / D(f.denominator)),
    places,
)
def test_a_gap_adds_up_with_the_percentages_printed_beside_it(
    actual: Decimal, target: Decimal, time_progress: Decimal, decimals: int
) -> None:
    p = Progress(actual, target, time_progress, None, places=decimals)
    done, due, gap = pct(p.completion_percent), pct(p.time_progress_percent), points(p.gap_points)
    assert read(done) - read(due) == read(gap.lstrip("+"))
    assert p.completion_percent == percent_of(round_half_up(actual, decimals) / target)


def test_the_defect_seen_a_completion_of_73_25_reads_73_3_everywhere() -> None:
    """工业投资: 2.93 of 4.0 by November is 73.25%: the page said 73.3, the API and Excel 73.2
    (and −18.4 / −18.5 beside 91.7)."""
    p = Progress(D("2.93"), D("4.0"), D(11) / D(12), None, places=2)
    assert p.completion_percent == D("73.3") and p.time_progress_percent == D("91.7")
    assert p.gap_points == D("-18.4")
    assert percent_text(p.completion_percent) == "73.3" and pct(p.completion_percent) == "73.3%"
    assert _number(p.completion_percent, 1)[0] == 73.3 and points(p.gap_points) == "-18.4"
