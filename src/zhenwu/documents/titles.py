"""A title longer than a line, broken where its sense breaks (GB/T 9704-2012 7.3.1: 回行时，要做到词意完整，
排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形).

A line of a 2号 (22 pt) title holds as many characters as fit the 156 mm type area: 20. A line that
would fill the area is broken too, so a title line is at most 19 characters wide (a numeral or a Latin
letter is half a character). The title is broken into as few lines as that allows, at the best places:
before 关于, 暨, 及, 和, 与, after the year or the issuing unit, never inside a number with its 年 or
月, nor inside a word such as 工作计划 or 上半年, and never leaving one character alone on a line.
Among breaks as good, lines of decreasing length (上长下短) or the middle one longest (菱形) win.
"""

from __future__ import annotations

import math
import re
from itertools import combinations, pairwise

TYPE_AREA_PT = 156 / 25.4 * 72  # 442.2 pt
TITLE_SIZE_PT = 22.0  # 2号
CONDENSE_PT = 0.25  # the body's character spacing, which the title style inherits

# Words a title never breaks inside. A break in one of them cuts a word in two ("工作 / 计划").
WORDS = (
    "工作总结", "工作计划", "工作情况", "工作要点", "工作报告", "工作方案", "实施方案", "情况报告",
    "上半年", "下半年", "前三季度", "季度", "年度", "下一步", "人民政府", "委员会", "办事处", "党委",
    "总结", "计划", "报告", "通知", "意见", "决定", "方案", "情况", "要点", "工作", "关于", "以及",
    "安全生产", "隐患排查", "排查整治", "目标管理", "责任书", "考核办法", "经济指标", "完成情况", "乡村振兴",
    "基层治理", "城乡治理", "防返贫", "一周一通报", "一月一排名", "事件办理", "整改通知书", "进一步",
)  # fmt: skip
# Words a line may start with, how good a break before them is: a conjunction joining two titles best.
BEFORE = {"关于": 10, "暨": 9, "及": 9, "以及": 9, "和": 8, "与": 8, "并": 6, "的": 4, "《": 6}
# Verbs that open what a title is about ("关于进一步 / 加强…"): a break before them keeps the phrase whole.
VERBS = ("加强", "做好", "开展", "推进", "进一步", "印发", "转发", "落实", "建立", "实施", "切实", "全面",
         "深入")  # fmt: skip
BEFORE_VERB = 4
IN_QUOTES = -3  # a break inside 《…》 splits a name
# Ends of the issuing unit's name: a break after the unit, before its year or its 关于.
UNIT_ENDS = ("镇", "乡", "街道", "县", "区", "市", "村", "社区", "政府", "委员会", "党委", "办事处")
AFTER_UNIT = 7
AFTER_YEAR = 6  # "2026年 / 上半年…", "2026年度 / …"
AFTER_SPAN = 5  # "上半年 / 工作总结…"
BEFORE_KIND = 3  # "… / 工作总结"
AFTER_MARK = 8  # after 、 or ，
INSIDE_WORD = -10.0  # "工作 / 计划": only when no other break makes the lines fit
UNEVEN = 0.2  # a point of break quality is worth five characters of difference between lines
MOST_LINES = 4  # more lines than this are not weighed against each other but filled one by one
# A line starts with none of these, and ends with none of the openers.
NO_START = set("、，。：；！？）》」”")
NO_END = set("（《「“")
# A number with what belongs to it: "2026年", "1-8月", "1—8月", "12.5%": one unbreakable piece.
NUMBER = re.compile(r"[0-9A-Za-z]+(?:[.\-—–~至][0-9A-Za-z]+)*(?:年度|年|月份|月|日|号|%)?")
SPANS = ("上半年", "下半年", "前三季度", "一季度", "二季度", "三季度", "四季度", "第一季度", "第二季度",
         "第三季度", "第四季度", "全年")  # fmt: skip


def text_width(text: str) -> float:
    """Width in characters: an Arabic numeral or a Latin letter is half a Chinese character."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def characters_per_line(size_pt: float = TITLE_SIZE_PT, condense_pt: float = CONDENSE_PT) -> int:
    """How many characters of `size_pt` fit the 156 mm type area: 20 for a 2号 title."""
    return int(TYPE_AREA_PT // (size_pt - condense_pt))


def _unbreakable(title: str) -> tuple[set[int], set[int]]:
    """Positions inside a number (never broken) and inside a word (broken only when nothing else fits)."""
    numbers: set[int] = set()
    for match in NUMBER.finditer(title):
        numbers.update(range(match.start() + 1, match.end()))
    words: set[int] = set()
    for word in WORDS:
        for match in re.finditer(re.escape(word), title):
            words.update(range(match.start() + 1, match.end()))
    return numbers, words


def _scores(title: str) -> dict[int, float]:
    """How good a break before each position is; a break inside a word costs, and positions where no
    break may go (inside a number, before a 、 or after a 《) are left out."""
    numbers, words = _unbreakable(title)
    scores: dict[int, float] = {}
    years = {m.end() for m in NUMBER.finditer(title) if m.group().endswith(("年", "年度"))}
    for at in range(1, len(title)):
        if at in numbers or title[at] in NO_START or title[at - 1] in NO_END:
            continue
        before, after = title[:at], title[at:]
        score = 0.0
        for word, value in BEFORE.items():
            if after.startswith(word):
                score = max(score, value)
        if before.endswith(("、", "，", "》")):
            score = max(score, AFTER_MARK)
        if at in years:
            score = max(score, AFTER_YEAR)
        if before.endswith(UNIT_ENDS) and (after[:1].isdigit() or after.startswith("关于")):
            score = max(score, AFTER_UNIT)
        if before.endswith(SPANS):
            score = max(score, AFTER_SPAN)
        if after.startswith(("工作总结", "工作计划", "工作情况", "工作报告", "工作要点")):
            score = max(score, BEFORE_KIND)
        if after.startswith(VERBS):
            score = max(score, BEFORE_VERB)
        if before.count("《") > before.count("》"):
            score += IN_QUOTES
        scores[at] = INSIDE_WORD if at in words else score
    return scores


def _shape(widths: list[float]) -> float:
    """梯形 (each line shorter than the one above) or 菱形 (the middle longest) earn a bonus."""
    pairs = list(pairwise(widths))
    if all(upper > lower for upper, lower in pairs):
        return 3.0
    if len(widths) >= 3 and max(widths[1:-1]) > max(widths[0], widths[-1]):
        return 3.0
    return 0.0


def title_lines(title: str, per_line: int | None = None) -> list[str]:
    """The title's lines: one if it fits, else as few as fit, broken at the best sense boundaries."""
    limit = (per_line or characters_per_line()) - 1
    if text_width(title) <= limit:
        return [title]
    scores = _scores(title)
    for count in range(math.ceil(text_width(title) / limit), MOST_LINES + 1):
        best: tuple[float, list[str]] | None = None
        for breaks in combinations(sorted(scores), count - 1):
            lines = [title[a:b] for a, b in zip((0, *breaks), (*breaks, len(title)), strict=True)]
            widths = [text_width(line) for line in lines]
            if max(widths) > limit or min(len(line) for line in lines) < 2:
                continue
            score = sum(scores[at] for at in breaks) + _shape(widths) - UNEVEN * (max(widths) - min(widths))
            if best is None or score > best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return _filled(title, scores, limit)


def _filled(title: str, scores: dict[int, float], limit: float) -> list[str]:
    """A title too long to weigh every way of breaking it: each line as full as fits, at its best break."""
    lines, start = [], 0
    while text_width(title[start:]) > limit:
        fits = [at for at in scores if at > start + 1 and text_width(title[start:at]) <= limit]
        if not fits:
            break
        at = max(fits, key=lambda at: (scores[at] >= 0, at))
        lines.append(title[start:at])
        start = at
    return [*lines, title[start:]]
