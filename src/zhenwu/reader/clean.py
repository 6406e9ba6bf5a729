"""A working copy of the text, the same length as the original, that the grammar reads.

Every transformation here maps one character to one character, so an offset into the working copy
is an offset into the file: full-width digits become ASCII, web-page chrome becomes spaces, and a
line break that only wraps a line (not one that ends a paragraph) becomes a joiner.
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
    r"[(（【〔]|[一二三四五六七八九十]+[、.．]|\d+[、.．)）]|第[一二三四五六七八九十\d]|[·•\-—]"
)
_WRAP_WIDTH = 28


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
    follower = view[nxt]
    if follower in " \t\u3000\r\n" or _LIST_START.match(view, nxt):
        return False
    wrapped_number = before[-1] in "0123456789." and (follower.isdigit() or follower in "万亿千百元个.%")
    return wrapped_number or len(before.strip()) >= _WRAP_WIDTH


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
    return "".join(chars)


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
