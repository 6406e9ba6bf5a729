"""Text as it may be stored and shown: no control characters, no bidirectional overrides, nothing blank
that only looks filled.

A bell character (\\x07) in a name breaks every Excel export, a right-to-left override makes
"报告\\u202Egpj.exe" display as "报告exe.jpg", and a title of zero-width spaces is saved and shows blank.
`text_problem` says what is wrong with a typed value, in Chinese, for the field to show; `printable`
makes stored text safe for a writer that cannot take such characters (Excel, Word).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["BIDI_CONTROLS", "ZERO_WIDTH", "is_blank", "printable", "printable_cells", "text_problem"]

# Tab, line feed and carriage return are text in a multi-line field; every other C0 and C1 control is not.
_LINE_BREAKS = "\t\n\r"
_CONTROLS = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
# What Excel's and Word's XML refuse outright: C0 controls but tab, line feed and carriage return, and the
# non-characters U+FFFE and U+FFFF. Surrogates cannot occur in a str decoded from UTF-8.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NAMES = {"\x00": "空字符(NUL)", "\t": "制表符", "\n": "换行", "\r": "回车"}


def _describe(ch: str) -> str:
    return _NAMES.get(ch) or f"U+{ord(ch):04X}"


def text_problem(value: str, *, multiline: bool = False) -> str:
    """What makes `value` unfit to store, as the end of a sentence ("含有不可见的控制字符(U+0007)"),
    or "" when it is fine. Line breaks and tabs are fine only in a multi-line field."""
    allowed = _LINE_BREAKS if multiline else ""
    for ch in value:
        if ch in _CONTROLS and ch not in allowed:
            return f"含有不可见的控制字符({_describe(ch)})，请删除后重新填写"
        if ch in BIDI_CONTROLS:
            return f"含有改变文字方向的控制字符({_describe(ch)})，可能使显示与实际内容不符，请删除"
    if value and is_blank(value):
        return "只有空白或不可见的字符，请填写内容"
    return ""


def is_blank(value: str) -> bool:
    """Nothing a reader would see: spaces, zero-width characters, other format characters."""
    return all(ch.isspace() or ch in ZERO_WIDTH or unicodedata.category(ch) == "Cf" for ch in value)


def printable(value: str) -> str:
    """Stored text made safe for a writer: characters Excel or Word cannot hold are dropped, and
    bidirectional overrides are dropped so that the text reads as stored."""
    value = _UNWRITABLE.sub("", value)
    return "".join(ch for ch in value if ch not in BIDI_CONTROLS)


def printable_cells(values: Iterable[object]) -> list[object]:
    """A spreadsheet row with its text made `printable` (openpyxl refuses a control character)."""
    return [printable(v) if isinstance(v, str) else v for v in values]
