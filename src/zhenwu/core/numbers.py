"""Chinese numbers as township reports write them: parsed to Decimal, and formatted back.

Parsing covers Arabic and Chinese numerals and the mixed forms reports use ("4.9个亿",
"2000多万", "3万余", "三百多", "两千万", "百余"). Money stays Decimal from end to end.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NoReturn

__all__ = [
    "CHINESE_NUMERAL_CHARS",
    "ENTRY_INTEGER_DIGITS",
    "MULTIPLIERS",
    "NumberInputError",
    "Quantity",
    "float_text",
    "format_count",
    "format_fixed",
    "format_growth",
    "format_money",
    "format_percent",
    "format_plain",
    "format_points",
    "parse_chinese_integer",
    "parse_entered_number",
    "parse_number",
    "parse_quantity",
    "round_half_up",
    "to_decimal",
]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}
MULTIPLIERS: dict[str, int] = {**_SMALL_UNITS, **_BIG_UNITS}
CHINESE_NUMERAL_CHARS = frozenset(_DIGITS) | frozenset(MULTIPLIERS)

_APPROX_PREFIXES = ("大约", "将近", "接近", "超过", "约", "近", "超", "逾")
_APPROX_SUFFIXES = frozenset("余多来")

_ARABIC = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<a1>[余多来])?(?P<mult>(?:个(?=[亿万]))?[十百千万亿]*)(?P<a2>[余多])?"
)
_CHINESE = re.compile(
    r"(?P<num>[零〇一二两三四五六七八九十百千万亿]+)(?P<a1>[余多来])?(?P<mult>[万亿]*)(?P<a2>[余多])?"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed number: its value, whether it was approximate, and the unit text left over.

    `step` is the size of the last digit as written (0.1亿 for "4.9个亿", 100 for "三百"), which is
    what a checker needs to decide whether two rounded figures agree.
    """

    value: Decimal
    approx: bool
    step: Decimal
    unit: str


def _positional_digits(text: str) -> int | None:
    """'二〇二四' is read digit by digit, as in years and codes."""
    if len(text) < 2 or not all(ch in _DIGITS for ch in text):
        return None
    return int("".join(str(_DIGITS[ch]) for ch in text))


def parse_chinese_integer(text: str) -> int | None:
    """Value of a Chinese numeral ('三百五十', '两千万', '一万二', '百'); None if it is not one."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    positional = _positional_digits(text)
    if positional is not None:
        return positional
    return _parse_grouped(text)


def _parse_grouped(text: str) -> int | None:
    total = 0  # everything already closed by 亿
    wan = 0  # the group closed by 万
    section = 0  # below 万
    pending: int | None = None
    last_small = 0
    after_zero = False
    for ch in text:
        if ch in _DIGITS:
            if pending is not None:
                return None
            digit = _DIGITS[ch]
            if digit == 0:
                after_zero = True
                continue
            pending = digit
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if last_small and unit >= last_small:
                return None
            section += (1 if pending is None else pending) * unit
            pending, last_small, after_zero = None, unit, False
        else:
            big = _BIG_UNITS[ch]
            group = section + (pending or 0)
            if big == 10**8:
                if group == 0 and wan == 0 and total == 0:
                    group = 1
                total = (total + wan + group) * big
                wan = 0
            else:
                if group == 0 and total == 0:
                    group = 1
                wan = group * big
            section, pending, last_small, after_zero = 0, None, 0, False
    if pending is not None and last_small >= 100 and not after_zero:
        # colloquial '三百五' means 350, '一万二' means 12000
        pending *= last_small // 10
    if pending is not None and last_small == 0 and wan and not after_zero:
        pending *= 1000
    return total + wan + section + (pending or 0)


def to_decimal(text: str) -> Decimal | None:
    """An Arabic number ('1,234.5', '-3.2') as Decimal, or None."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_number(text: str) -> Decimal | None:
    """A bare number, Arabic or Chinese, with no multiplier suffix handling beyond the numeral."""
    text = text.strip()
    if not text:
        return None
    if text[0].isascii():
        return to_decimal(text)
    value = parse_chinese_integer(text)
    return None if value is None else Decimal(value)


# ---------------------------------------------------------------------------------------------
# Numbers typed into an entry field, where a slip is refused rather than guessed at.

ENTRY_INTEGER_DIGITS = 16  # a stored value has 20 digits, 4 of them decimals

# Full-width forms (U+FF01–U+FF5E) as a Chinese input method types them, and the ideographic space.
# Not NFKC: it also turns a superscript into a digit, and "4²" would be read as 42.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2212: 0x2D}
_ENTERED = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)?(?:\.(?P<fraction>[0-9]*))?(?P<mult>[万亿]*)",
    re.ASCII,
)
_EXPONENT = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*[eE][+-]?[0-9]+", re.ASCII)


class NumberInputError(ValueError):
    """A typed number that is refused; the message names the field, in Chinese."""


def parse_entered_number(text: str, label: str, *, places: int, unit: str = "") -> Decimal | None:
    """A number as staff type it into the field `label`, measured in `unit`; None when blank.

    Full-width digits, points, minus signs and commas are read as their ASCII forms, thousands
    separators are dropped where they group by three, and Chinese numerals are read. A number with 万
    or 亿 is an amount and is converted to the unit ("4.9亿" in 亿元 is 4.9, "3.2万" in 人 is 32000);
    a bare number is already in the unit. An exponent, NaN, Infinity, a misplaced separator, more than
    16 integer digits or more than `places` decimals raise NumberInputError. The result is written
    out plainly: its str() never has an exponent.
    """
    typed = text.translate(_FULL_WIDTH).strip()
    if not typed:
        return None
    match = _ENTERED.fullmatch(typed)
    if match is None or not (match["whole"] or match["fraction"]):
        return _chinese_numeral(typed, label, places, unit)
    whole = (match["whole"] or "").replace(",", "").lstrip("0")
    fraction = (match["fraction"] or "").rstrip("0")
    if len(whole) > 40 or len(fraction) > 40:  # refused below anyway, without reading a page of digits
        raise NumberInputError(_too_many_digits(label) if whole else _too_many_places(label, places))
    number = Decimal(f"{match['sign']}{whole or '0'}.{fraction or '0'}")
    shift = _big_unit_exponent(match["mult"]) - _big_unit_exponent(unit) if match["mult"] else 0
    return _checked(number.scaleb(shift), label, places)


def _chinese_numeral(typed: str, label: str, places: int, unit: str) -> Decimal:
    value = parse_chinese_integer(typed)
    if value is None:
        _refuse(typed, label)
    big = "万" in typed or "亿" in typed
    return _checked(Decimal(value).scaleb(-_big_unit_exponent(unit) if big else 0), label, places)


def _refuse(typed: str, label: str) -> NoReturn:
    shown = typed if len(typed) <= 24 else typed[:24] + "…"
    if _EXPONENT.fullmatch(typed):
        raise NumberInputError(f"“{label}”不能用科学计数法(“{shown}”)，请直接填写数字。")
    if "," in typed and _ENTERED.fullmatch(typed.replace(",", "")):
        raise NumberInputError(f"“{label}”的千位分隔符位置不对(“{shown}”)，请写作 1,908.5 或 1908.5。")
    raise NumberInputError(f"“{label}”应填数字，而不是“{shown}”。")


def _big_unit_exponent(text: str) -> int:
    """10's exponent of the 万 and 亿 leading `text`: 4 for 万元, 8 for 亿元, 0 for 元 or 人."""
    exponent = 0
    for ch in text:
        if ch not in "万亿":
            break
        exponent += 4 if ch == "万" else 8
    return exponent


def _checked(value: Decimal, label: str, places: int) -> Decimal:
    if value and value.adjusted() >= ENTRY_INTEGER_DIGITS:
        raise NumberInputError(_too_many_digits(label))
    if -_exponent(value.normalize()) > places:
        raise NumberInputError(_too_many_places(label, places))
    return value.quantize(Decimal(1)) if _exponent(value) > 0 else value


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # only NaN and Infinity have none, and they never get here
    return exponent


def _too_many_digits(label: str) -> str:
    return f"“{label}”超出可填写的范围：整数部分最多{ENTRY_INTEGER_DIGITS}位。"


def _too_many_places(label: str, places: int) -> str:
    return f"“{label}”最多保留{places}位小数。"


def float_text(value: float) -> str:
    """A float from a spreadsheet cell or a JSON number, written out as typed text would be (1e-07 is
    "0.0000001"), so that it is parsed like text; inf and nan stay as they are, to be refused."""
    if not math.isfinite(value):
        return str(value)
    return format(Decimal(str(value)), "f")


def _decimal_step(number: str) -> Decimal:
    _, _, fraction = number.partition(".")
    return Decimal(1).scaleb(-len(fraction))


def _trailing_zero_step(value: int) -> Decimal:
    if value == 0:
        return Decimal(1)
    zeros = 0
    while value % 10 == 0:
        value //= 10
        zeros += 1
    return Decimal(1).scaleb(zeros)


def _multiplier(text: str) -> int:
    factor = 1
    for ch in text:
        if ch in MULTIPLIERS:
            factor *= MULTIPLIERS[ch]
    return factor


def _strip_approx_prefix(text: str) -> tuple[str, bool]:
    for prefix in _APPROX_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :], True
    return text, False


def _split_sign(text: str) -> tuple[str, int]:
    if text[:1] in ("-", "－", "−"):
        return text[1:], -1
    if text[:1] in ("+", "＋"):
        return text[1:], 1
    return text, 1


def parse_quantity(text: str) -> Quantity | None:
    """Parse '4.9个亿', '2000多万元', '3万余平方米', '三百多人', '两千万' into value, approx, unit.

    The unit is whatever follows the number and its multipliers ('元', '平方米', '人', '').
    Returns None when the text does not start with a number.
    """
    body, approx = _strip_approx_prefix(text.strip())
    body, sign = _split_sign(body)
    if not body:
        return None
    if body[0].isdigit():
        return _parse_arabic(body, sign, approx)
    return _parse_chinese(body, sign, approx)


def _parse_arabic(body: str, sign: int, approx: bool) -> Quantity | None:
    match = _ARABIC.match(body)
    if match is None:
        return None
    number = to_decimal(match["num"])
    if number is None:
        return None
    factor = _multiplier(match["mult"])
    approx = approx or bool(match["a1"] or match["a2"])
    return Quantity(
        value=sign * number * factor,
        approx=approx,
        step=_decimal_step(match["num"]) * factor,
        unit=body[match.end() :],
    )


def _parse_chinese(body: str, sign: int, approx: bool) -> Quantity | None:
    match = _CHINESE.match(body)
    if match is None:
        return None
    base = parse_chinese_integer(match["num"])
    if base is None:
        return None
    factor = _multiplier(match["mult"])
    approx = approx or bool(match["a1"] or match["a2"])
    return Quantity(
        value=Decimal(sign * base * factor),
        approx=approx,
        step=_trailing_zero_step(base) * factor,
        unit=body[match.end() :],
    )


# ---------------------------------------------------------------------------------------------
# Formatting, the way a township report writes figures.

_YI = Decimal(10) ** 8
_WAN = Decimal(10) ** 4


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimals, halves away from zero, as reports and spreadsheets round.

    This is zhenwu's one rounding rule: pages, the API, Excel exports, reports and the activity log all
    show a figure through it, so that a number reads the same wherever it is shown.
    """
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0.0"


def format_plain(value: Decimal, places: int = 4) -> str:
    """Rounded to `places` and written plainly: no exponent, trailing zeros dropped, never "-0"
    ('2.6E+3' -> '2600', '12.50' -> '12.5', '-0.00001' -> '0')."""
    text = f"{round_half_up(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_grouped(value: Decimal, places: int = 4) -> str:
    """As pages write an amount: thousands separated, at most `places` decimals, trailing zeros dropped
    ('1E+3' -> '1,000', '1000.50' -> '1,000.5')."""
    text = f"{round_half_up(value, places):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_fixed(value: Decimal, places: int) -> str:
    """Rounded to exactly `places` decimals, never "-0.0" ('73.25' -> '73.3' at one place)."""
    return f"{round_half_up(value, places):f}"


def _as_decimal(value: Decimal | int | float | str) -> Decimal:
    # float goes through str so that 48.6 stays 48.6 and not 48.599999…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_money(yuan: Decimal | int) -> str:
    """'4.90亿元' from 1亿 up (two decimals), '350万元' / '12.5万元' from 1万, else '850元'."""
    amount = _as_decimal(yuan)
    size = abs(amount)
    if size >= _YI:
        return f"{format_fixed(amount / _YI, 2)}亿元"
    if size >= _WAN:
        return f"{format_plain(amount / _WAN, 2)}万元"
    return f"{format_plain(amount, 2)}元"


def format_percent(x: Decimal | int | float | str) -> str:
    """'48.6%': one decimal, as reports give shares and rates."""
    return f"{format_fixed(_as_decimal(x), 1)}%"


def format_growth(rate: Decimal | int | float | str) -> str:
    """'同比增长28.0%' or '同比下降3.2%' from a signed percentage."""
    value = _as_decimal(rate)
    if format_fixed(value, 1) == "0.0":
        return "同比持平"
    word = "增长" if value > 0 else "下降"
    return f"同比{word}{format_percent(abs(value))}"


def format_points(diff: Decimal | int | float | str) -> str:
    """'提高2.1个百分点' or '降低2.1个百分点' from a signed difference of two rates."""
    value = _as_decimal(diff)
    if format_fixed(value, 1) == "0.0":
        return "持平"
    word = "提高" if value > 0 else "降低"
    return f"{word}{format_fixed(abs(value), 1)}个百分点"


def format_count(n: int | Decimal, measure: str) -> str:
    """'12户': a count with its measure word."""
    return f"{format_plain(_as_decimal(n), 2)}{measure}"
