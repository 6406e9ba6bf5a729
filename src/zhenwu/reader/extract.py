"""From candidate matches of the grammar to figures: value, unit, kind, subject.

The grammar finds anything that looks like a number; this module throws away years, ordinals,
slogans and words that merely contain a numeral, and reads what is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zhenwu.core.numbers import parse_chinese_integer, parse_quantity
from zhenwu.reader import grammar
from zhenwu.reader.clean import JOINER, QuoteIndex, SentenceIndex, read_through
from zhenwu.reader.model import ApproxMode, Figure, Kind
from zhenwu.reader.subject import noun_after, subject_before

_CN_DIGITS = frozenset("零〇一二两三四五六七八九")
_CN_ALL = frozenset("零〇一二两三四五六七八九十百千万亿")
# Characters that fuse with a following single Chinese digit into a word (统一, 唯一, 之一, 每一).
_CN_WORD_BEFORE = frozenset("统唯万之第同逐每任单其周星礼初进合专归划齐守看")
_CN_SINGLE_BAD_UNITS = frozenset("期种道线体类批部")
_NOT_RANK_BEFORE_QIAN = ("目前", "此前", "之前", "提前", "当前", "以前", "年前", "日前", "月前", "前期")
_PER_AREA_BEFORE = re.compile(r"(?:每亩|亩产|亩均|单产|亩产量)[^，。；,;]{0,6}$")
_PCT_DECIMAL = re.compile(r"点")
# Measure words that are normally followed by the noun they count ("2个项目", "xx所中小学").
_NOUN_MEASURES = frozenset(
    grammar.words(
        "个 家 所 座 条 项 名 位 栋 幢 间 处 台 辆 艘 支 批 类 种 件 套 场 块 张 份 本 册 篇 株 棵 头 只"
    )
)
_SPACES = re.compile(rf"[\s{JOINER}]+")


@dataclass(slots=True)
class _Context:
    text: str
    view: str
    quotes: QuoteIndex
    sentences: SentenceIndex


def extract_figures(text: str, view: str, sentences: SentenceIndex) -> list[Figure]:
    """All figures of the text, in order, with ids 0..n-1."""
    ctx = _Context(text, view, QuoteIndex(view), sentences)
    figures: list[Figure] = []
    pos = 0
    while True:
        match = grammar.FIGURE.search(view, pos)
        if match is None:
            break
        figure = _figure(ctx, match, len(figures), figures)
        if figure is None:
            pos = _resume_after_rejection(match)
            continue
        figures.append(figure)
        pos = max(figure.end, match.start() + 1)
    return figures


def _resume_after_rejection(match: re.Match[str]) -> int:
    # A number that swallowed a line break may be two numbers; look again just after the break.
    joiner = match.group().find(JOINER)
    if joiner >= 0:
        return match.start() + joiner + 1
    return max(match.end(), match.start() + 1)


def _figure(ctx: _Context, match: re.Match[str], fid: int, previous: list[Figure]) -> Figure | None:
    if match["pct"]:
        return _percent_in_words(ctx, match, fid, previous)
    start = match.start()
    if _is_excluded_position(ctx, start):
        return None
    if match["cn"] and not _chinese_numeral_ok(ctx, match):
        return None
    unit_name, end = _unit_of(ctx, match)
    if unit_name is None:
        return None
    return _build(ctx, match, fid, previous, unit_name, end)


def _tail(view: str, start: int, size: int) -> str:
    """The last `size` characters before `start`, read through joiners ("第 3 名" is "第3名")."""
    return read_through(view[max(0, start - 2 * size) : start])[-size:]


def _is_excluded_position(ctx: _Context, start: int) -> bool:
    before = _tail(ctx.view, start, 2)
    if before[-1:] in grammar.ORDINAL_BEFORE or ctx.quotes.inside(start):
        return True
    # "前3名" is a rank, but "目前3家" is not
    return before[-1:] == "前" and before not in _NOT_RANK_BEFORE_QIAN


def _chinese_numeral_ok(ctx: _Context, match: re.Match[str]) -> bool:
    numeral = match["cn"]
    has_digit = any(ch in _CN_DIGITS for ch in numeral)
    approx = bool(match["a1"] or match["a2"])
    if not has_digit:
        return approx and len(numeral) == 1  # 百余户, 千余份; never 千方百计 or 十项行动
    if parse_chinese_integer(numeral) is None:
        return False
    if all(ch in _CN_DIGITS for ch in numeral):
        return len(numeral) == 1 and _single_digit_ok(ctx, match)
    return True


def _single_digit_ok(ctx: _Context, match: re.Match[str]) -> bool:
    view = ctx.view
    start = match.start()
    if start > 0 and view[start - 1] in _CN_WORD_BEFORE:
        return False
    unit = match["unit"]
    if unit in _CN_SINGLE_BAD_UNITS:
        return False
    # "一人一档", "五个一批", "一年一个样": a digit repeated around a word is a slogan.
    near = _tail(view, start, 3) + read_through(view[match.end() : match.end() + 4])[:2]
    return not any(ch in _CN_DIGITS for ch in near)


def _unit_of(ctx: _Context, match: re.Match[str]) -> tuple[str | None, int]:
    """The unit as written (possibly inferred), and where the figure ends."""
    unit = match["unit"]
    if unit is not None:
        if _unit_clashes(ctx.view, match.start("unit"), match.end("unit"), unit):
            return None, match.end()
        return unit, match.end()
    end = match.end("a2") if match["a2"] else match.end("mult") if match["mult"] else match.end("a1") or 0
    end = max(end, match.end("ph") if match["ph"] else 0, match.end("ar") if match["ar"] else 0)
    end = max(end, match.end("cn") if match["cn"] else 0)
    mult = match["mult"] or ""
    if match["cn"]:
        mult += "".join(ch for ch in match["cn"] if ch in "万亿")
    if "亿" in mult:
        return "元", end  # "4.9个亿" in a report is money
    if "万" in mult:
        return _bare_wan_unit(ctx, match.start()), end
    if match["ar"] and grammar.RATE_BEFORE.search(_tail(ctx.view, match.start(), 12)):
        return "%", end
    return None, end


def _bare_wan_unit(ctx: _Context, start: int) -> str:
    before = _tail(ctx.view, start, 16)
    if grammar.MONEY_HINTS.search(before):
        return "元"
    if grammar.PEOPLE_HINTS.search(before):
        return "人"
    return ""


def _unit_clashes(view: str, unit_start: int, unit_end: int, unit: str) -> bool:
    if view[unit_start : unit_start + 2] in grammar.UNIT_WORD_CLASHES:
        return True
    after = view[unit_end : unit_end + 1]
    return grammar.UNITS[unit].dimension.startswith("count:") and after in grammar.UNIT_SUFFIX_CLASHES


def _number_text(match: re.Match[str]) -> str:
    parts = [match["sign"] or "", match["ar"] or match["cn"] or "0", match["a1"] or "", match["mult"] or ""]
    parts.append(match["a2"] or "")
    return _SPACES.sub("", "".join(parts))


def _approx_mode(ctx: _Context, match: re.Match[str], end: int) -> ApproxMode:
    view = ctx.view
    before = _tail(view, match.start(), 2)
    for word in grammar.APPROX_BEFORE:
        if before.endswith(word):
            if before.endswith(grammar.NOT_APPROX_BEFORE):
                return ""
            if word in ("近", "将近", "接近"):
                return "down"
            return "around" if word in ("约", "大约") else "up"
    if match["a1"] or match["a2"]:
        return "up"
    while end < len(view) and view[end] == JOINER:
        end += 1
    after = grammar.APPROX_AFTER.match(view, end)
    if after is not None:
        return "around" if after.group() == "左右" else "up"
    return ""


def _build(
    ctx: _Context, match: re.Match[str], fid: int, previous: list[Figure], unit_name: str, end: int
) -> Figure | None:
    start = match.start()
    placeholder = bool(match["ph"])
    quantity = None if placeholder else parse_quantity(_number_text(match))
    if not placeholder and quantity is None:
        return None
    unit = grammar.UNITS.get(unit_name) or grammar.Unit(unit_name, Decimal(1), "count:" + unit_name)
    value = None if quantity is None else quantity.value * unit.factor
    step = Decimal(1) if quantity is None else quantity.step * unit.factor
    per = _per_denominator(ctx, match)
    base = unit.base + ("/" + per if per else "")
    dimension = ("per:" + unit.dimension + "/" + per) if per else unit.dimension
    mode = _approx_mode(ctx, match, end)
    kind, sign_word = _kind(ctx, start, unit.dimension, bool(per))
    if kind == "growth" and sign_word in grammar.DECREASE_WORDS and value is not None and value > 0:
        value = -value
    figure = Figure(
        id=fid,
        text=ctx.text[start:end],
        start=start,
        end=end,
        value=value,
        unit=base,
        kind=kind,
        subject=None,
        approx=mode != "",
        placeholder=placeholder,
        dimension=dimension,
        step=step,
        approx_mode=mode,
        sentence=ctx.sentences.find(start),
        sign_word=sign_word,
        per=per,
    )
    figure.subject = _subject(ctx, figure, previous)
    return figure


def _per_denominator(ctx: _Context, match: re.Match[str]) -> str:
    per = match["per"]
    if per:
        return per[1:]
    if match["unit"] and grammar.UNITS[match["unit"]].dimension in ("money", "mass"):
        window = _tail(ctx.view, match.start(), 12)
        if _PER_AREA_BEFORE.search(window):
            return "亩"
    return ""


def _kind(ctx: _Context, start: int, dimension: str, per: bool) -> tuple[Kind, str]:
    if dimension not in ("percent", "points"):
        if dimension.startswith(("count:", "time:")) and not per:
            return "count", ""
        return "amount", ""
    window = _tail(ctx.view, start, 24)
    clause = re.split(r"[，,。；;：:！？\n]", window)[-1]
    growth = grammar.GROWTH_BEFORE.search(clause)
    if growth is not None:
        return "growth", growth["word"]
    if grammar.SHARE_BEFORE.search(clause):
        return "share", ""
    if grammar.RATE_BEFORE.search(clause):
        return "rate", ""
    return "percent", ""


def _floor(previous: list[Figure], start: int) -> int:
    return previous[-1].end if previous and previous[-1].end <= start else 0


def _subject(ctx: _Context, figure: Figure, previous: list[Figure]) -> str | None:
    if figure.kind in ("growth", "share"):
        return _inherited_subject(figure, previous)
    if figure.kind == "count" and figure.unit in _NOUN_MEASURES:
        after = noun_after(ctx.view, figure.end)
        if after is not None:
            return after
    before = subject_before(ctx.view, figure.start, _floor(previous, figure.start))
    if before is None and previous and _written_together(ctx, previous[-1], figure):
        return previous[-1].subject
    return before


_TOGETHER = re.compile(r"[ \u3000、，,]?(?:计|共|合计)?")


def _written_together(ctx: _Context, earlier: Figure, figure: Figure) -> bool:
    """ "贫困户745户1456人", "1091户、计3125人": one thing counted in two units shares its subject."""
    between = ctx.view[earlier.end : figure.start].replace(JOINER, "")
    fullmatch = _TOGETHER.fullmatch(between)
    return fullmatch is not None and earlier.unit != figure.unit and earlier.kind in ("count", "amount")


def _inherited_subject(figure: Figure, previous: list[Figure]) -> str | None:
    """A growth or a share is said of the figure just before it in the same sentence."""
    for earlier in reversed(previous):
        if earlier.sentence != figure.sentence:
            return None
        if earlier.kind not in ("growth", "share"):
            return earlier.subject
    return None


def _percent_in_words(ctx: _Context, match: re.Match[str], fid: int, previous: list[Figure]) -> Figure | None:
    """'百分之九十五', '百分之百', '百分之3.5'."""
    if _is_excluded_position(ctx, match.start()):
        return None
    value = _percent_words_value(match["pctnum"])
    if value is None:
        return None
    start, end = match.start(), match.end()
    kind, sign_word = _kind(ctx, start, "percent", False)
    if kind == "growth" and sign_word in grammar.DECREASE_WORDS:
        value = -value
    figure = Figure(
        id=fid,
        text=ctx.text[start:end],
        start=start,
        end=end,
        value=value,
        unit="%",
        kind=kind,
        subject=None,
        approx=False,
        placeholder=False,
        dimension="percent",
        step=Decimal(1),
        sentence=ctx.sentences.find(start),
        sign_word=sign_word,
    )
    figure.subject = _subject(ctx, figure, previous)
    return figure


def _percent_words_value(spelled: str) -> Decimal | None:
    if spelled[0].isdigit():
        return Decimal(spelled)
    whole, _, fraction = spelled.partition("点")
    integer = parse_chinese_integer(whole) if whole else 0
    if integer is None or integer > 1000:
        return None
    if not fraction:
        return Decimal(integer)
    digits = "".join(str(parse_chinese_integer(ch) or 0) for ch in fraction if ch in _CN_ALL)
    return Decimal(f"{integer}.{digits}") if digits else None
