"""Repeated measures: one measure printed twice in a document must have one value
("发放低保金完成93.3万元" … "发放低保金33.68万元" is one of them wrong).

The same measure is the same act on the same subject, in the same unit, for the same period. A part
(其中…, a village's), a target (目标, 计划), a change (增加…) or another period (上半年 / 全年, 去年) is
another measure, and a generic subject (资金, 项目) names many measures. The pairing is inferred from
words, so a finding is a warning at most.
"""

from __future__ import annotations

import re
from collections import defaultdict

from zhenwu.reader.checks.common import Document, bounds, is_quantity, overlaps, show
from zhenwu.reader.grammar import words
from zhenwu.reader.model import Figure, Finding
from zhenwu.reader.subject import after_last_verb, clause_before, verbs_in

_PERIOD = re.compile(
    r"\d{4}年度?|\d{1,2}(?:[-—–~至到]\d{1,2})?月份?|[一二三四1-4]季度|前三季度|上半年|下半年|全年|年度"
    r"|去年|上年|同期|上一年|本月|当月|上月|本周|当年|近[一二三两五十\d]+年"
)
# 今年, 今年以来, 截至目前 are left out on purpose: they mean the report's own period, as does a
# sentence that names none.
_PART = re.compile(
    r"其中|分别|(?<!农)村(?![级民庄])|社区|片区|小组|网格|各类|各村|均"
    r"|第[一二三四五六七八九十\d]+[批轮期次阶段]|首批|其次|再次|分批|批次|本批|该批"
    r"|方面|领域|活动中|工作中|行动中|期间|专项"
)
# A category named earlier in the clause ("城市低保户21户、低保对象28人") makes the figure that category's.
_CATEGORY = re.compile(r"城市|城镇|农村|城区|乡村")
_WIDE_CLAUSE_END = re.compile(r"[，,；;：:。！？!?\n]")
# Tallies of what was done (宣传10次, 张贴标语43条, 受众群众4277人次) are counted per campaign, so the
# same words recur with other values; only levels of money, land, things and people are compared.
_TALLIES = frozenset(
    words("人次 户次 家次 台次 车次 架次 场次 剂次 批次 班次 课时 学时 次 条 份 场 期 轮 篇 张 袋")
)
_TARGET = re.compile(r"目标|任务|计划|预计|力争|拟|预算|将|下一步|下步|明年|预期|确保")
_CHANGE = re.compile(r"增加|增长|减少|下降|提高|降低|提升|同比|比上年|较上年|比去年|较去年|超|缺口|差")
_GENERIC = frozenset(
    words(
        "资金 项目 人数 户数 金额 总额 数量 人次 面积 规模 产量 总量 总数 任务 工作 费用 经费 收入 支出 "
        "其他 其余 群众 人员 企业 单位 问题 事项 活动"
    )
)
# A count of a generic thing is generic too: 项目个数 names no more than 项目.
_COUNT_SUFFIX = re.compile(r"(?:个数|人数|户数|数量|次数|总数|总额|金额|规模|面积)$")
# Verbs that add nothing to what is measured: "发放低保金完成93.3万元" is "发放低保金…".
_FILLER_VERBS = frozenset(words("完成 实现 累计 共计 合计 总计 达到 完成了 实现了 达到了 累计完成"))
_MAX_VALUES = 2


def check(document: Document) -> list[Finding]:
    groups: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
    for figure in document.figures:
        key = _measure(document, figure)
        if key is not None:
            groups[key].append(figure)
    findings: list[Finding] = []
    for key, figures in groups.items():
        finding = _check_group(document, key[1], figures)
        if finding is not None:
            findings.append(finding)
    return findings


def _measure(document: Document, figure: Figure) -> tuple[str, ...] | None:
    """What the figure measures (act, subject, unit, period), or None when it is not a plain level."""
    subject = figure.subject or ""
    if not is_quantity(figure) or figure.per or figure.unit in _TALLIES or not _specific(subject):
        return None
    sentence_start = document.audit.sentences[figure.sentence][0]
    before = document.view[sentence_start : figure.start]
    if _PART.search(before) or _TARGET.search(before):
        return None
    clause = clause_before(document.view, figure.start)
    at = clause.rfind(subject)
    if at < 0 or _CHANGE.search(clause) or _of_a_category(_wide_clause(document, figure), subject):
        return None
    acts = sorted(verbs_in(clause[:at]) - _FILLER_VERBS)
    periods = sorted(set(_PERIOD.findall(before)))
    return ("+".join(acts), subject, figure.dimension, "+".join(periods))


def _wide_clause(document: Document, figure: Figure) -> str:
    """The words from the last comma or semicolon to the figure: a list joined by 、 stays whole."""
    start = document.audit.sentences[figure.sentence][0]
    before = document.view[start : figure.start]
    return _WIDE_CLAUSE_END.split(before)[-1].strip()


def _of_a_category(wide: str, subject: str) -> bool:
    return any(match.group() not in subject for match in _CATEGORY.finditer(wide))


def _specific(subject: str) -> bool:
    """A subject that names one measure: not a generic noun, nor a bare act ('办结')."""
    named = _COUNT_SUFFIX.sub("", subject)
    if len(named) < 2 or named in _GENERIC or after_last_verb(named) in _GENERIC or _act_on_generic(named):
        return False
    return verbs_in(subject) != {subject}


def _act_on_generic(named: str) -> bool:
    """'投入资金', '争取项目': an act on a generic noun names no more than the noun."""
    return any(named.endswith(g) and verbs_in(named[: -len(g)]) == {named[: -len(g)]} for g in _GENERIC)


def _check_group(document: Document, subject: str, figures: list[Figure]) -> Finding | None:
    values: list[list[Figure]] = []
    for figure in figures:
        same = next((v for v in values if overlaps(bounds(v[0]), bounds(figure))), None)
        if same is None:
            values.append([figure])
        else:
            same.append(figure)
    if len(values) != _MAX_VALUES:
        return None  # one value, or a series of values that is a list and not a contradiction
    first, second = values[0][0], values[1][0]
    if first.sentence == second.sentence and not _same_words(document, first, second):
        return None  # "由85户减少到80户", "A…，B…": one sentence relates its figures, it does not repeat them
    return _finding(document, subject, first, second)


def _same_words(document: Document, first: Figure, second: Figure) -> bool:
    """Two clauses of one sentence that say the very same words before their figures
    ("2023年新识别贫困户19户67人,2023年新识别贫困户1户3人") state one measure twice."""
    return _wide_clause(document, first) == _wide_clause(document, second)


def _finding(document: Document, subject: str, first: Figure, second: Figure) -> Finding:
    message = (
        f"同一指标两处数值不同：“{_quote(document, first)}”为{show(first)}，"
        f"“{_quote(document, second)}”为{show(second)}，「{subject}」应为同一数值，请核实。"
    )
    return Finding(
        rule="repeated",
        severity="warning",
        message=message,
        figures=(first.id, second.id),
        relation=f"{show(first)}={show(second)}",
        pairing="inferred",
    )


def _quote(document: Document, figure: Figure) -> str:
    """The clause that states the figure, to name the place: '发放低保金完成93.3万元'."""
    clause = clause_before(document.view, figure.start).strip()
    return clause[-20:] + document.audit.text[figure.start : figure.end]
