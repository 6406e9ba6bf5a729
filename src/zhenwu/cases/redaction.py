"""Personal data taken out of free text before it is published (the public Open311 feed).

What goes: a name given after 联系人 or 姓名 (or after 反映人, 举报人, 投诉人, 当事人, 户主 followed by a
colon), mobile and landline phone numbers, 18-digit identity numbers (and any other run of 15 or more
digits, such as a bank card), and the door of a household's address ("3组12号" keeps "3组", "人民路8号"
keeps "人民路"). Each is replaced by `MARK`; everything else is left exactly as written.

The patterns run on a shadow of the text in which every decimal digit (full-width "１３８", Arabic-Indic
"١٣٨") is folded to its ASCII digit and full-width punctuation to ASCII, one character for one, so the
spans found there are the spans to cut from the original: nobody slips a phone number past by typing it
with a Chinese input method. Published text errs towards cutting too much, never too little.

Pure Python, no Django: it is property-tested with hypothesis and runs over a whole page of requests.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

MARK = "***"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_SEP = r"[-\s]?"

# An identity number (18 characters, the last may be X), written whole or in groups of 6-8-4.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}[-\s]?[0-9]{8}[-\s]?[0-9]{3}[0-9Xx](?![0-9A-Za-z])")
# Any other long run of digits: an old 15-digit identity number, a bank card, an account.
_LONG_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[-\s]?[0-9]){14,}(?![0-9])")
# A mainland mobile number, with or without +86, written whole or as 3-4-4.
_MOBILE = re.compile(rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?1[3-9][0-9](?:{_SEP}[0-9]{{4}}){{2}}(?![0-9])")
# A landline with its area code: 027-87654321, (0716)8123456, 0716 8123456-801.
_LANDLINE = re.compile(
    r"(?<![0-9])(?:\(0[0-9]{2,3}\)|0[0-9]{2,3})[-\s]?[2-9][0-9]{6,7}(?:-[0-9]{1,6})?(?![0-9])"
)
# A number of 7 or more digits right after a word that says it is a phone number (no area code needed).
_LABELLED_NUMBER = re.compile(
    r"(?:电话|手机|座机|联系方式|tel|TEL|Tel)\s*(?:号码|号)?\s*(?:[:：]|是|为)?\s*"
    r"(?P<number>[0-9](?:[-\s]?[0-9]){6,})"
)

# A name: one to six Han characters (a middle dot for names such as 阿依·买买提), ending where a word that
# cannot be part of it begins. The lazy match and the look-ahead take "张三" from "张三电话…".
_NAME_END = (
    rf"(?=电话|手机|联系|家住|住址|住在|身份证|年龄|性别|先生|女士|同志|师傅|老师|反映|称|说|[^{_HAN}·]|$)"
)
_NAME = rf"(?![和及与或等的是为电手称说、])[{_HAN}][{_HAN}·]{{0,5}}?{_NAME_END}"
_NAMED = re.compile(rf"(?:联系人|姓名)(?:姓名)?\s*(?:[:：]|是|为|叫)?\s*(?P<name>{_NAME})")
_NAMED_WITH_COLON = re.compile(rf"(?:反映人|举报人|投诉人|当事人|户主)\s*[:：]\s*(?P<name>{_NAME})")
# "联系人：张三、李四": the names that follow the first one.
_MORE_NAMES = re.compile(rf"\s*[、,/]\s*(?P<name>{_NAME})")

# The door of an address: after a group (组, 队, 社) or a road, street, lane or village name; or a
# flat (3栋2单元401室); or whatever follows 门牌号.
_NUMERAL = "[0-9一二三四五六七八九十百零〇两]"
_DOOR_IN_GROUP = re.compile(rf"{_NUMERAL}+\s*(?:组|队|社)\s*(?P<door>第?\s*[0-9]+\s*(?:号|户))")
_DOOR_ON_ROAD = re.compile(
    rf"[{_HAN}](?:路|街|巷|弄|里|大道|村|屯|庄|胡同)\s*"
    rf"(?P<door>第?\s*[0-9]+(?:\s*[-之]\s*[0-9]+)?\s*号)(?!楼|线|地块|厂房|机|桥)"
)
_FLAT = re.compile(r"(?P<door>[0-9]+\s*(?:栋|幢|号楼)\s*(?:[0-9]+\s*单元)?\s*[0-9]+\s*(?:室|号|房|户))")
_DOOR_PLATE = re.compile(r"门牌(?:号码|号)?\s*(?:[:：]|是|为)?\s*(?P<door>[0-9]+(?:\s*-\s*[0-9]+)*\s*号?)")

_DIGIT = re.compile("[0-9]")
_NAME_LABELS = ("联系人", "姓名", "反映人", "举报人", "投诉人", "当事人", "户主")
_WHOLE_MATCHES = (_ID_NUMBER, _LONG_DIGITS, _MOBILE, _LANDLINE)
_GROUP_MATCHES = (_LABELLED_NUMBER, _DOOR_IN_GROUP, _DOOR_ON_ROAD, _FLAT, _DOOR_PLATE)


def redact(text: str) -> str:
    """`text` with the personal data described above replaced by MARK."""
    if not text:
        return text
    shadow = _fold(text)
    spans = sorted(_spans(shadow))
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for start, end in _merged(spans):
        parts.append(text[position:start])
        parts.append(MARK)
        position = end
    parts.append(text[position:])
    return "".join(parts)


class _Folding(dict[int, int]):
    """str.translate's table, filled as characters are met: each is looked up once per process. Only
    the Basic Multilingual Plane is kept (at most 65,536 entries), so no input can grow it further."""

    def __missing__(self, code: int) -> int:
        folded = ord(_fold_char(chr(code)))
        if code < 0x10000:
            self[code] = folded
        return folded


_FOLDING = _Folding()


def _fold(text: str) -> str:
    """The text with digits and full-width forms made ASCII, one character for one."""
    return text if text.isascii() else text.translate(_FOLDING)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        return chr(code - 0xFEE0)
    if ch in "\u3000\u00a0":
        return " "
    if ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":  # dashes people type between digit groups
        return "-"
    return ch


def _spans(shadow: str) -> Iterator[tuple[int, int]]:
    # Every pattern but the names needs a digit; the names need their label. Most text has neither.
    if _DIGIT.search(shadow):
        for pattern in _WHOLE_MATCHES:
            for match in pattern.finditer(shadow):
                yield match.span()
        for pattern in _GROUP_MATCHES:
            for match in pattern.finditer(shadow):
                yield match.span(1)
    if not any(label in shadow for label in _NAME_LABELS):
        return
    for pattern in (_NAMED, _NAMED_WITH_COLON):
        for match in pattern.finditer(shadow):
            yield match.span("name")
            end = match.end("name")
            while more := _MORE_NAMES.match(shadow, end):
                yield more.span("name")
                end = more.end("name")


def _merged(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Sorted spans with those that overlap or touch joined, so each cut leaves one MARK."""
    start, end = spans[0]
    for next_start, next_end in spans[1:]:
        if next_start <= end:
            end = max(end, next_end)
        else:
            yield start, end
            start, end = next_start, next_end
    yield start, end
