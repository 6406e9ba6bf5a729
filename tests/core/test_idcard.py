"""Identity numbers: the check digit, the birth date and gender they encode, the faults named, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core import idcard

regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def test_a_published_example_passes_and_tells_birth_and_gender() -> None:
    # The worked example of GB 11643-1999's annex: check character X.
    parsed = idcard.parse("11010519491231002X")
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == idcard.FEMALE and parsed.gender_label == "女"


@given(regions, births, sequences)
def test_every_composed_number_parses_back_to_its_parts(region: str, birth: date, seq: int) -> None:
    number = idcard.compose(region, birth, seq)
    parsed = idcard.parse(number, today=date(2026, 1, 1))
    assert parsed.number == number and parsed.region == region and parsed.birth_date == birth
    assert parsed.gender == (idcard.MALE if seq % 2 else idcard.FEMALE)


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.integers(1, 9))
def test_changing_any_one_digit_breaks_the_check(
    region: str, birth: date, seq: int, position: int, delta: int
) -> None:
    number = idcard.compose(region, birth, seq)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(changed, today=date(2026, 1, 1))


@given(regions, births, sequences)
def test_a_lower_case_x_and_spaces_are_accepted(region: str, birth: date, seq: int) -> None:
    number = idcard.compose(region, birth, seq)
    typed = f" {number[:6]} {number[6:].lower()} "
    assert idcard.parse(typed, today=date(2026, 1, 1)).number == number


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "不能为空"),
        ("11010519491231002", "应为18位，这里是17位"),
        ("1101051949123100AX", "前17位应全为数字"),
        ("11010519491231002Y", "最后一位应为数字或X"),
        ("110105194902300021", "出生日期19490230不存在"),
        ("110105189912310021", "不在合理范围内"),
        ("110105194912310021", "校验位不符：按前17位应为X，这里是1"),
    ],
)
def test_each_fault_is_named_in_chinese(raw: str, message: str) -> None:
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse(raw, today=date(2026, 1, 1))


def test_a_birth_date_in_the_future_is_refused() -> None:
    number = idcard.compose("990101", date(2030, 1, 1), 11)
    with pytest.raises(idcard.IdNumberError, match="不在合理范围内"):
        idcard.parse(number, today=date(2026, 1, 1))


@given(regions, births, sequences)
def test_a_masked_number_keeps_region_and_last_four_only(region: str, birth: date, seq: int) -> None:
    number = idcard.compose(region, birth, seq)
    masked = idcard.mask_id_number(number)
    assert masked == number[:6] + "********" + number[-4:]
    assert f"{birth:%Y%m%d}" not in masked[6:14]


def test_masking_matches_the_offices_format() -> None:
    assert idcard.mask_id_number("110101199003071234") == "110101********1234"
    assert idcard.mask_phone("13812345678") == "138****5678"
    assert idcard.mask_phone("0571-8888123") == "********8123"
    assert idcard.mask_phone("") == ""


@pytest.mark.parametrize(("raw", "message"), [("12345", "7到20位"), ("23812345678", "应以1开头")])
def test_a_bad_phone_is_named(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        idcard.validate_phone(raw)
