"""A working copy of the text, the same length as the original, that the grammar reads.

Every transformation here maps one character to one character, so an offset into the working copy
is an offset into the file: full-width digits become ASCII, web-page chrome becomes spaces, and a
line break that only wraps a line (not one that ends a paragraph) becomes a joiner. So does a space
inside a phrase, as text extracted from a PDF has them ("完成财税收入 1687 万元"): the grammar and
the subject finder read through a joiner as if it were not there, and nothing else needs to know
whether the text came from a web page or a PDF.
"""

from __future__ import annotations

import re
from bisect import bisect_right

JOINER = "\u2060"

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"％": "%", "．": ".", "＋": "+", "－": "-", "ｘ": "x", "Ｘ": "X", "﹪": "%", "／": "/"})
_TRANSLATION = str.maketrans(_FULLWIDTH)

_CHROME_WORDS = re.compile(
    r"下载|扫码|收藏|投稿|点赞|分享|登录|注册|[Vv][Ii][Pp]|会员|更新时间|发布时间|来源[:：]|浏览|阅读[:：数]"
    r"|上一篇|下一篇|相关推荐|相关文章|热门|版权|Copyright|首页|网站|范文|文库|隐藏|复制|举报|打印"
    r"|关闭窗口|字号|责任编辑|作者[:：]|点击|领取|福利|微信|公众号|二维码|时间[:：]|返回顶部|免费"
)
_INLINE_CHROME = re.compile(r"加入[Vv][Ii][Pp]免费下载|免费下载|下载后查看|此处隐藏\d*字|微信扫码\w{0,6}")
_SENTENCE_MARKS = re.compile(r"[。；;！？!?]")
_TERMINAL = frozenset("。！？；：:!?;」”）)】")
_LIST_START = re.compile(
    r"[(（【〔]|[一二三四五六七八九十]+[、.．]|\d+(?:[、．)）]|\.(?!\d))|第[一二三四五六七八九十\d]|[·•\-—]"
)
# A 公文 page holds 28 characters a line (GB/T 9704): a line that long was wrapped by the page.
_WRAP_WIDTH = 28
# A line that starts with a figure continues the line before it, however short that was: a PDF
# breaks "全镇共有脱贫户 / 269户" where its layout needs to, and a new paragraph is indented.
_FIGURE_START = re.compile(
    r"[ \xa0]?\d+(?:\.\d+)?[ \xa0]?"
    r"(?:[万亿千百余多%]|公里|公斤|平方|[个户人家亩米元吨件处名条座所项次辆头只株台套间栋])"
)


def _is_chrome_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 40 or _SENTENCE_MARKS.search(stripped):
        return False
    if stripped.isascii() and not any(ch.isalpha() for ch in stripped):
        return True  # stray counters and ids such as "221381"
    return _CHROME_WORDS.search(stripped) is not None


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _is_soft_break(view: str, line_start: int, newline: int) -> bool:
    """A break inside a wrapped paragraph: the line is not ended by punctuation and the next one
    starts straight away with running text, not with a heading or an indent."""
    before = view[line_start:newline].rstrip("\r \t\u3000")
    nxt = newline + 1
    if not before or nxt >= len(view) or before[-1] in _TERMINAL:
        return False
    if _is_indented(view, nxt) or _LIST_START.match(view, nxt):
        return False
    follower = view[nxt]
    wrapped_number = before[-1] in "0123456789." and (follower.isdigit() or follower in "万亿千百元个.%")
    if wrapped_number or _line_width(view[line_start:newline]) >= _WRAP_WIDTH:
        return True
    heading = _LIST_START.match(before.lstrip(" \t\u3000")) is not None
    return is_cjk(before[-1]) and not heading and _FIGURE_START.match(view, nxt) is not None


def _line_width(line: str) -> int:
    """How much of the page a line fills: its indent counts, and so does one space a PDF left at
    its end ("完成 / 1687 万元"); a run of trailing blanks is padding."""
    line = line.rstrip("\r")
    stripped = line.rstrip(" \t\u3000")
    return len(stripped) + 1 if line == stripped + " " else len(stripped)


def _is_indented(view: str, start: int) -> bool:
    """A new paragraph starts with an indent or a blank line; one ASCII space is only the space a
    PDF extractor left between a number and the word wrapped before it."""
    follower = view[start]
    if follower != " ":
        return follower in "\t\u3000\r\n"
    after = view[start + 1 : start + 2]
    return after == "" or after.isspace()


def read_through(text: str) -> str:
    """A stretch of the view as the page reads it, joiners taken out: match words and patterns
    ("其中", "占比…$") on this, not on the view, or a wrapped line or a PDF's space hides them."""
    return text.replace(JOINER, "")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def make_view(text: str) -> str:
    """The text as the grammar sees it; `len(make_view(t)) == len(t)` always."""
    view = text.translate(_TRANSLATION)
    chars = list(view)
    line_start = 0
    for match in re.finditer(r"\n", view):
        newline = match.start()
        _mark_line(view, chars, line_start, newline)
        line_start = newline + 1
    _mark_line(view, chars, line_start, len(view))
    for match in _INLINE_CHROME.finditer(view):
        _mask(chars, match.start(), match.end())
    _join_phrase_spaces(chars)
    return "".join(chars)


# One space between two characters; two or more are a table's column gap or an alignment.
_LONE_SPACE = re.compile(r"(?<=\S)[ \xa0](?=\S)")
_HEADING_NUMERALS = frozenset("0123456789一二三四五六七八九十")


def _join_phrase_spaces(chars: list[str]) -> None:
    """A PDF puts a space between a number and the words around it ("发放 各类补助资金 29 万元"):
    inside a phrase it becomes a joiner. A space between two numbers ("120 360") keeps them apart,
    and one after a punctuation mark or a heading number ("一、 经济发展", "1 人口情况") is no
    part of a phrase."""
    # Read after the line breaks are marked: a space before a wrapped line's break is inside a phrase.
    view = "".join(chars)
    for match in _LONE_SPACE.finditer(view):
        i = match.start()
        if _inside_phrase(_next_to(view, i, -1), _next_to(view, i, 1)) and not _after_heading_number(view, i):
            chars[i] = JOINER


def _next_to(view: str, i: int, step: int) -> str:
    """The character beside `i` (before it for step -1), reading through joiners."""
    j = i + step
    while 0 <= j < len(view) and view[j] == JOINER:
        j += step
    return view[j] if 0 <= j < len(view) else ""


def _inside_phrase(left: str, right: str) -> bool:
    if is_cjk(left):
        return is_cjk(right) or (right.isascii() and right.isalnum()) or right in "%‰"
    if left.isascii() and left.isdigit():
        return is_cjk(right) or right in "%‰"
    return left.isascii() and left.isalpha() and is_cjk(right)


def _after_heading_number(view: str, i: int) -> bool:
    j = i
    while j > 0 and i - j < 3 and view[j - 1] in _HEADING_NUMERALS:
        j -= 1
    if j == i:
        return False
    k = j
    while k > 0 and view[k - 1] in " \t\u3000":
        k -= 1
    return k == 0 or view[k - 1] == "\n"


def _mark_line(view: str, chars: list[str], line_start: int, newline: int) -> None:
    if _is_chrome_line(view[line_start:newline]):
        _mask(chars, line_start, newline)
        return
    if newline < len(view) and _is_soft_break(view, line_start, newline):
        chars[newline] = JOINER
        if newline > 0 and chars[newline - 1] == "\r":
            chars[newline - 1] = JOINER


_SENTENCE_END = re.compile(r"[。！？!?\n]+")


def sentence_spans(view: str) -> list[tuple[int, int]]:
    """Sentences as (start, end), ended by 。！？ or a paragraph break; end includes the mark."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(view):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(view) or not spans:
        spans.append((start, len(view)))
    return spans


class SentenceIndex:
    """Which sentence an offset falls in, by binary search over sentence starts."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [start for start, _ in spans]

    def find(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)


_QUOTED = re.compile(
    r"“[^“”\n]{0,20}”|「[^「」\n]{0,20}」|‘[^‘’\n]{0,20}’|\"[^\"\n]{0,20}\"|《[^《》\n]{0,60}》"
)


class QuoteIndex:
    """Short quoted phrases and titles: numbers in them name a slogan ("五个一批"), not a quantity."""

    def __init__(self, view: str) -> None:
        self._spans = [(m.start(), m.end()) for m in _QUOTED.finditer(view)]
        self._starts = [start for start, _ in self._spans]

    def inside(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and self._spans[i][0] < offset < self._spans[i][1]
