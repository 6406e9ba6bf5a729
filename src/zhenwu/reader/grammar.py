"""The quantity grammar: what a figure looks like in a township report, and its units.

A figure is a number (Arabic, Chinese, or an unfilled placeholder such as "xx.x"), its multipliers
(万, 亿, 个亿), an approximation mark (余, 多) and a unit. The pattern only finds candidates;
`extract` decides which candidates are quantities and not years, ordinals or slogans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zhenwu.reader.clean import JOINER


def words(text: str) -> tuple[str, ...]:
    """A list of words written as one space-separated string, to keep long vocabularies readable."""
    return tuple(text.split())


@dataclass(frozen=True, slots=True)
class Unit:
    """How a written unit normalises: to `base`, multiplied by `factor`, measuring `dimension`."""

    base: str
    factor: Decimal
    dimension: str


def _units() -> dict[str, Unit]:
    one = Decimal(1)
    table: dict[str, Unit] = {
        "元": Unit("元", one, "money"),
        "元钱": Unit("元", one, "money"),
        "美元": Unit("美元", one, "usd"),
        "吨": Unit("kg", Decimal(1000), "mass"),
        "公斤": Unit("kg", one, "mass"),
        "千克": Unit("kg", one, "mass"),
        "kg": Unit("kg", one, "mass"),
        "KG": Unit("kg", one, "mass"),
        "斤": Unit("kg", Decimal("0.5"), "mass"),
        "克": Unit("kg", Decimal("0.001"), "mass"),
        "亩": Unit("亩", one, "area"),
        "平方米": Unit("平方米", one, "area"),
        "平米": Unit("平方米", one, "area"),
        "㎡": Unit("平方米", one, "area"),
        "m²": Unit("平方米", one, "area"),
        "m2": Unit("平方米", one, "area"),
        "平方公里": Unit("平方米", Decimal(10**6), "area"),
        "平方千米": Unit("平方米", Decimal(10**6), "area"),
        "km²": Unit("平方米", Decimal(10**6), "area"),
        "km2": Unit("平方米", Decimal(10**6), "area"),
        "公顷": Unit("平方米", Decimal(10**4), "area"),
        "立方米": Unit("立方米", one, "volume"),
        "方": Unit("立方米", one, "volume"),
        "m³": Unit("立方米", one, "volume"),
        "米": Unit("米", one, "length"),
        "延米": Unit("米", one, "length"),
        "m": Unit("米", one, "length"),
        "公里": Unit("米", Decimal(1000), "length"),
        "千米": Unit("米", Decimal(1000), "length"),
        "km": Unit("米", Decimal(1000), "length"),
        "千瓦时": Unit("千瓦时", one, "energy"),
        "度电": Unit("千瓦时", one, "energy"),
        "千瓦": Unit("千瓦", one, "power"),
        "兆瓦": Unit("千瓦", Decimal(1000), "power"),
        "千伏": Unit("千伏", one, "voltage"),
        "%": Unit("%", one, "percent"),
        "‰": Unit("%", Decimal("0.1"), "percent"),
        "个百分点": Unit("百分点", one, "points"),
        "百分点": Unit("百分点", one, "points"),
        "个月": Unit("个月", one, "time:月"),
        "个工作日": Unit("个工作日", one, "time:工作日"),
        "天": Unit("天", one, "time:天"),
        "小时": Unit("小时", one, "time:小时"),
        "分钟": Unit("分钟", one, "time:分钟"),
    }
    for measure in COUNT_MEASURES:
        table[measure] = Unit(measure, one, "count:" + measure)
    return table


COUNT_MEASURES = words(
    "人次 户次 家次 台次 车次 架次 场次 剂次 批次 班次 课时 学时 个 家 "
    "人 户 次 条 件 头 羽 株 袋 盏 处 名 只 辆 台 套 座 栋 幢 间 "
    "所 场 项 起 宗 份 本 册 张 块 艘 匹 棵 尾 箱 根 篇 期 批 轮 "
    "支 队 组 类 种 位 例 剂 笔 单 部 床 层 口"
)

UNITS = _units()

# A measure word followed by these characters starts a word, not a quantity ("3处理" never means 3 places).
UNIT_WORD_CLASHES = frozenset(
    words(
        "组织 处理 处置 处罚 处分 名单 名称 名额 件事 批准 批复 批示 期间 "
        "期限 期待 期盼 类型 类别 种植 种类 种养 场所 场景 场地 项目 台账 "
        "条件 条例 条款 份额 间隔 户籍 户口 户外 户型 人员 人口 人民 人才 "
        "人居 人大 人社 家庭 家园 家乡 家属 家风 个体 个性 个案 只有 只要 "
        "头等 所属 所在 所有 所以 座谈 起草 起步 起来 起点 张贴 本级 本地 "
        "本着 本村 支持 支部 支撑 支付 支出 队伍 队员 单位 单独 位于 位置 "
        "例如 轮流 轮换 批发 套餐 口罩 口径 对接 对象 对标 对于 对口 部门 "
        "部署 部分 床位 层级 层面 块头 根据 次数 次年 次日 米面 方面 方案 "
        "方式 方向 方法 方针 方位 元素 元旦 元宵 天然 天气 笔记 轮车 名义 "
        "宗旨 宗教 头条 箱体 株式 位次 位数 条线"
    )
)

# Characters after a unit that turn it into an adjective or a name ("一次性", "三件套").
UNIT_SUFFIX_CLASHES = frozenset("性化式样型级")

_ASCII_UNITS = {"kg", "KG", "m²", "m2", "km²", "km2", "m³", "m", "km"}


def _unit_alternation() -> str:
    parts: list[str] = []
    for name in sorted(UNITS, key=len, reverse=True):
        escaped = re.escape(name)
        if name in _ASCII_UNITS:
            escaped += r"(?![A-Za-z0-9])"
        elif name == "方":
            escaped += r"(?![面案式向法针位])"
        parts.append(escaped)
    return "|".join(parts)


_J = JOINER
_GAP = rf"[ \t\u3000\xa0{_J}]*"
_PER = r"(?:/|每)(?:亩|平方米|人|户|年|月|天|斤|公斤|千克|吨|头|只|个|家|次)"

FIGURE = re.compile(
    rf"""
    (?P<pct>百分之(?P<pctnum>[零〇一二两三四五六七八九十百点]+|\d+(?:\.\d+)?))
    |
    (?P<sign>(?<![\d.%])[-+](?=\d))?
    (?:
        (?P<ph>(?<![A-Za-z\d.])(?:\d*[xX]+[\dxX]*(?:\.[\dxX]+)?|[xX×]+(?:\.[xX]+)?)(?![A-Za-z]))
      | (?P<ar>(?<![A-Za-z\d.])\d(?:\d|,(?=\d{{3}}(?!\d))|\.(?={_J}*\d)|{_J}(?={_J}*[\d.]))*)
      | (?P<cn>[零〇一二两三四五六七八九十百千万亿]+)
    )
    (?:{_GAP}(?=[万亿千百余多]|个[亿万]))?
    (?P<a1>[余多](?=[十百千万亿]|个亿))?
    (?P<mult>(?:个(?=[亿万]))?[十百千万亿]*)
    (?P<a2>[余多])?
    (?:(?P<gap>{_GAP})(?P<unit>{_unit_alternation()})(?P<per>{_PER})?)?
    """,
    re.VERBOSE,
)

# Words right before a number that make it an ordinal, a rank or a date, not a quantity.
ORDINAL_BEFORE = frozenset("第")
APPROX_BEFORE = ("大约", "将近", "接近", "超过", "约", "近", "超", "逾")
# Words that end in 约/近/超 without meaning "about" ("签约2个项目", "最近3天", "赶超").
NOT_APPROX_BEFORE = tuple(
    words(
        "签约 预约 节约 制约 公约 条约 合约 相约 邀约 履约 违约 特约 契约 "
        "规约 简约 附近 最近 邻近 靠近 亲近 就近 赶超 高超"
    )
)
APPROX_AFTER = re.compile(r"以上|左右|多|余")

RATE_BEFORE = re.compile(
    r"(?:率|满意度|知晓度|覆盖面)(?:均|已|稳定|保持)?"
    r"(?:达到了?|达|为|是|在|保持在?|稳定在|提升至|提高到|提高至|提升到|实现|超过|超|至|到)?[ \u3000]*$"
)
GROWTH_BEFORE = re.compile(
    r"(?P<word>增长|增加|上升|提高|提升|增幅|涨幅|下降|降低|减少|回落|下滑|降幅|减幅|下跌|缩减)"
    r"(?:了|为|达到?|幅度为?|幅度达到?)?[ \u3000]*$"
)
DECREASE_WORDS = frozenset({"下降", "降低", "减少", "回落", "下滑", "降幅", "减幅", "下跌", "缩减"})
# A share names its whole after 占 ("占全镇监测户的18.6%"), or not at all ("占比18.6%", "比重为18.6%"), or
# is a completion of a target ("为全年任务740万元的56.6%"): the three forms are checked alike.
SHARE_BEFORE = re.compile(
    r"(?:占比|比重|所占比例)(?:为|达到?|约|是)?[ \u3000]*$"
    r"|占(?!比)(?P<whole>[^，。；,;：:、]{0,20}?)(?:的)?(?:比重|比例|份额)?"
    r"(?:为|达到?|约|已达|仅)?[ \u3000]*$"
    r"|(?:为|是|达到?|完成)"
    r"(?P<target>[^，。；,;：:、占]{0,12}?(?:任务|目标|计划)[^，。；,;：:、]{0,8}?)的[ \u3000]*$"
)

MONEY_HINTS = re.compile(
    r"投资|收入|产值|总额|资金|金额|销售|营业|利润|税|成交|融资|补贴|补助|款|费|元|预算|支出|债务|财政|消费|GDP|生产总值"
)
PEOPLE_HINTS = re.compile(r"人口|人数|人员|群众|游客|居民|村民|农民|劳动力|学生|职工")
