"""Plausibility: a unit that does not fit its subject (a school extension of 3平方米, a road of 2米,
an investment of 3.6元), a rate above 100%, a fraction of a household, and an output whose value gives a
price no produce has ("产量4820吨，产值77.12万元" is 0.16元 a kilogram)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from zhenwu.reader.checks.common import Document, has_value, show, show_value
from zhenwu.reader.grammar import words
from zhenwu.reader.model import Figure, Finding
from zhenwu.reader.subject import clause_before


@dataclass(frozen=True)
class _Rule:
    subject: re.Pattern[str]
    dimension: str
    below: Decimal
    message: str


_RULES = (
    _Rule(
        re.compile(
            r"学校|校舍|教学楼|幼儿园|卫生院|厂房|安置房|用房|综合楼|服务中心|场馆|建筑|扩建|新建|改建|房屋|楼"
        ),
        "area",
        Decimal(10),
        "建筑面积只有{value}，单位可能写错（万平方米？）",
    ),
    _Rule(
        re.compile(r"道路|公路|路面|水渠|沟渠|管网|管道|河道|堤|渠|线路|步道|绿道|护栏|路灯线|电缆"),
        "length",
        Decimal(10),
        "长度只有{value}，单位可能写错（公里？）",
    ),
    _Rule(
        re.compile(r"投资|产值|收入|总额|资金|预算|销售额|营业额|利润|税收|债务"),
        "money",
        Decimal(1000),
        "金额只有{value}，单位可能写错（万元或亿元？）",
    ),
)
_CAPPED_RATES = re.compile(
    r"覆盖率|参保率|办结率|发放率|入学率|达标率|满意度|知晓率|接种率|整改率|销号率|受理率|回访率|签约率|合格率|到位率|按期办结率"
)
_WHOLE_MEASURES = frozenset(words("个 家 人 户 名 头 只 辆 艘 所 座 栋 幢 件 起 项 处 条"))


# What a kilogram of farm produce or livestock sells for, from grain to ginseng, with room either side.
_PRICE_PER_KG = (Decimal("0.3"), Decimal(3000))
_OUTPUT_VALUE = re.compile(r"产值|销售额|销售收入|收入")


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = _prices(document)
    for figure in document.figures:
        if not has_value(figure):
            continue
        message = _unit_mismatch(figure) or _rate_over_100(figure) or _fraction_of_whole(figure)
        if message is not None:
            findings.append(
                Finding(rule="plausibility", severity="warning", message=message, figures=(figure.id,))
            )
    return findings


def _unit_mismatch(figure: Figure) -> str | None:
    assert figure.value is not None
    subject = figure.subject or ""
    for rule in _RULES:
        fits = figure.dimension == rule.dimension and not figure.per and rule.subject.search(subject)
        if fits and 0 < figure.value < rule.below:
            return f"{subject}{show(figure)}：" + rule.message.format(value=figure.text.strip())
    return None


def _rate_over_100(figure: Figure) -> str | None:
    assert figure.value is not None
    subject = figure.subject or ""
    if figure.unit == "%" and figure.kind == "rate" and _CAPPED_RATES.search(subject) and figure.value > 100:
        return f"{subject}{show(figure)}超过100%，比率不可能大于全部。"
    return None


def _fraction_of_whole(figure: Figure) -> str | None:
    assert figure.value is not None
    if figure.kind != "count" or figure.unit not in _WHOLE_MEASURES:
        return None
    if figure.value != figure.value.to_integral_value():
        return f"{show(figure)}不是整数，{figure.unit}应当是整数（少写了“万”？）。"
    return None


def _prices(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for figures in document.by_sentence.values():
        for mass, money in pairwise(figures):
            if mass.dimension != "mass" or money.dimension != "money" or mass.per or money.per:
                continue
            if not (has_value(mass) and has_value(money)) or not _OUTPUT_VALUE.search(
                clause_before(document.view, money.start)
            ):
                continue
            finding = _price_finding(mass, money)
            if finding is not None:
                findings.append(finding)
    return findings


def _price_finding(mass: Figure, money: Figure) -> Finding | None:
    assert mass.value is not None and money.value is not None
    if mass.value <= 0:
        return None
    price = money.value / mass.value
    if _PRICE_PER_KG[0] <= price <= _PRICE_PER_KG[1]:
        return None
    message = (
        f"产量与产值不相称：{show(money)} ÷ {show(mass)} = 每公斤{show_value(price, '元')}，"
        "不像任何农产品的价格，其中一个数可能写错了单位。"
    )
    return Finding(
        rule="plausibility",
        severity="warning",
        message=message,
        figures=(mass.id, money.id),
        relation=f"{show(money)} ÷ {show(mass)}",
        pairing="inferred",
    )
