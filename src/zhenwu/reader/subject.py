"""The subject of a figure: the name of what it counts, read from the words around it.

A report writes "完成固定资产投资4.9个亿" or "正在培育的规上工业企业2家": the subject is the noun
phrase between the last verb and the number. For measure words it may follow instead
("2个项目", "xx所中小学").
"""

from __future__ import annotations

import re

from zhenwu.reader.clean import read_through
from zhenwu.reader.grammar import words

_STOP_AFTER = frozenset("xX零〇一二两三四五六七八九十百千万亿")
_BOUNDARY = frozenset('，,。；;：:！!？?、（()）“”‘’"《》【】[]〔〕\n\r\t ·')
_MAX_BACK = 32

_VERBS = words(
    "完成 实现 达到 累计 共计 合计 总计 预计 新增 新建 建成 建设 改造 "
    "提升 投入 发放 清理 清除 清运 拆除 整改 排查 检查 化解 锁定 饲养 "
    "养殖 种植 播种 发展 引进 招引 引导 开展 举办 组织 培训 出动 发动 "
    "动员 接种 检测 采样 处理 受理 办结 调处 走访 慰问 救助 帮扶 帮助 "
    "协助 开发 落实 铺设 硬化 绿化 修建 新修 维修 打造 申请 争取 谋划 "
    "签约 签订 开工 竣工 入库 纳入 覆盖 收纳 容纳 安置 转移 吸纳 带动 "
    "解决 减免 查处 劝导 纠违 查收 摸排 摸出 设置 取缔 拆解 收集 回收 "
    "征收 缴纳 健全 完善 建立 推广 推进 实施 安排 召开 印发 张贴 悬挂 "
    "发布 评选 创建 获评 获得 争创 培育 拥有 共有 现有 涉及 惠及 指导 "
    "参加 参与 投放 配备 配置 购置 采购 栽植 栽种 植树 造林 流转 整治 "
    "治理 修复 疏通 清淤 新增 增加 减少 下降 增长 提高 降低 挽回 追回 "
    "兑现 拨付 支付 补贴 补助 奖励 录入 登记 核查 核实 识别 监测 预警 "
    "发现 上报 报送 办理 回访 答复 接待 接访 化解 调解 排查出 入户 组建 "
    "成立 聘请 招聘 吸引 接待 实现了 完成了 达到了 出栏 "
    "存栏 收获 产出 累计完成"
)
_VERB_RE = re.compile("|".join(sorted(set(_VERBS), key=len, reverse=True)))

_TRAILING = re.compile(
    r"(?:达到了?|达|为|是|约|近|超过|超|逾|共计|合计|总计|累计|共|计|有|了|已经?|分别为|分别|均为|均|各|仅|只|就|都"
    r"|将近|接近|大约|突破|增至|增加到|提高到|提升至|提高至|提升到|在|至|到|的|之|占|同比|比上年|比去年|较上年"
    r"|较去年|同期|全部|总|一共|总共|达到|约为|高达|多达|仅为|又|再|还|新|预计完成|累计完成|完成了?|实现了?|预计|由|从"
    r"|圆满|顺利|全面|基本|提前|超额|如期|按时|积极|有效|扎实|稳步)$"
)
_LEADING = re.compile(
    r"^(?:截至目前|截止目前|截至|截止|目前|当前|今年以来|年初以来|开春以来|以来|今年|去年|全年|本年|年内|上半年"
    r"|下半年|前三季度|[一二三四1-4]季度|第[一二三四1-4]季度|\d+(?:-\d+)?月份?|\d+年度?|我镇|全镇|本镇|该镇"
    r"|我乡|全乡|本乡|我街道|全街道|本街道|全村|辖区内?|全区|全县|其中|同时|此外|另外|共|累计|预计|已经?|先后"
    r"|分别为|分别是|分别|还|均|全部|仅|并|对|把|将|向|为|给|让|使|于|的|了|和|及|与|等|是|有|又|再|也|都|已|占"
    r"|周?岁(?:及以上|以上|以下|及以下)|(?:及以上|以上|以下))"
)
# Words that begin with a character _LEADING takes for a particle: 对象 is one word, not 对 + 象.
_PARTICLE_WORDS = words(
    "对象 对口 对外 和谐 及时 有效 有机 有关 有害 有色 共同 共享 共建 共有产权 等级 使用 为民 于是 "
    "将军 还款 均衡 并网 占地 已婚 再生 再就业 给水 向阳 与会"
)
# A verb before one of these is part of the noun: 监测对象, 救助对象, 帮扶对象 are who is counted.
# So is one before 资金: "发放各类补助资金" counts 各类补助资金.
_NOUN_HEADS = words("对象 资金")
# Nouns too general to stand alone: keep the verb before them ("种植面积", "发放资金").
# A verb followed by these is part of a noun ("服务业", "养殖户", "救助金"), not the verb of the clause.
_NOUN_SUFFIXES = frozenset("业者员站所队点区园型性类费款金率量额户场基")
_GENERIC_HEADS = frozenset(
    words(
        "面积 人数 户数 金额 资金 总额 数量 规模 产量 总量 总数 人次 户 人 "
        "率 额 量 数 规模 比例 项目 工作 任务"
    )
)
# What is left of a date once its digits are cut off: "2023年我镇有贫困户" names 贫困户, not 年….
_DATE_UNIT = re.compile(r"^(?:年度|年|月份|月|日)")
_NOT_NOUN_START = re.compile(r"^(?:的|和|及|与|已|正|均|都|全|被|将|把|对|以上|左右|余|多|次|共|等|中|内|外)")


def _clause_start(view: str, start: int, floor: int) -> int:
    i = start
    limit = max(floor, start - _MAX_BACK)
    while i > limit and view[i - 1] not in _BOUNDARY:
        i -= 1
    return i


def _strip_trailing(region: str) -> str:
    while region:
        match = _TRAILING.search(region)
        if match is None or match.start() == match.end():
            return region
        region = region[: match.start()]
    return region


def _strip_leading(region: str) -> str:
    """Drop leading time words and particles, but never half of a word: a one-character particle that
    would leave a single character behind was the start of a word this module does not know, and the
    subject is then none rather than that fragment."""
    while region:
        if region.startswith(_PARTICLE_WORDS):
            return region
        match = _LEADING.match(region)
        if match is None or not match.group():
            return region
        if len(match.group()) == 1 and len(region) == 2:
            return ""
        region = region[match.end() :]
    return region


def _is_verb(region: str, match: re.Match[str]) -> bool:
    """A verb of the clause, not the start of a noun ("服务业", "养殖户", "监测对象")."""
    after = region[match.end() :]
    return after[:1] not in _NOUN_SUFFIXES and not after.startswith(_NOUN_HEADS)


def _after_last_verb(region: str) -> tuple[str, str]:
    last = None
    for match in _VERB_RE.finditer(region):
        if _is_verb(region, match):
            last = match
    if last is None:
        return region, ""
    return region[last.end() :], last.group()


def _after_last_de(region: str) -> str:
    """'正在培育的规上工业企业' -> '规上工业企业'; '香菇等食用菌' -> '食用菌'."""
    cut = max(region.rfind("的"), region.rfind("等"))
    if cut >= 0 and len(region) - cut - 1 >= 2:
        return region[cut + 1 :]
    return region


def _clean(region: str) -> str | None:
    region = read_through(region).strip(" \u3000\t")
    if not region or not any("\u4e00" <= ch <= "\u9fff" for ch in region):
        return None
    digit_cut = max(
        (i for i, ch in enumerate(region) if (ch.isascii() and ch.isalnum()) or ch == "%"), default=-1
    )
    if digit_cut >= 0:
        region = _strip_leading(_DATE_UNIT.sub("", region[digit_cut + 1 :], count=1))
    return region[-16:] or None


def _before_verb(region: str, verb: str) -> str | None:
    """When the clause ends in its verb, the act is what is counted: '实施临时救助45人次' names
    临时救助, '累计接种34865人' names 接种."""
    head = region[: region.rfind(verb)]
    previous, _ = _after_last_verb(head)
    named = _clean(_strip_leading(_after_last_de(_strip_trailing(previous))))
    return (named + verb) if named and len(named) <= 4 else verb


def subject_before(view: str, start: int, floor: int) -> str | None:
    """The noun phrase that names the figure starting at `start`, read back to a boundary."""
    region = read_through(view[_clause_start(view, start, floor) : start])
    region = _strip_trailing(region.strip())
    tail, verb = _after_last_verb(region)
    tail = _strip_leading(_strip_trailing(tail))
    if tail in _GENERIC_HEADS and verb:
        tail = verb + tail
    elif not tail and verb:
        return _before_verb(region, verb)
    tail = _strip_leading(_after_last_de(tail))
    return _clean(tail)


def verbs_in(text: str) -> set[str]:
    """The verbs of a clause, to tell whether two figures are said of the same action."""
    return {m.group() for m in _VERB_RE.finditer(text) if _is_verb(text, m)}


def clause_before(view: str, start: int, floor: int = 0) -> str:
    """The words between the previous boundary (a comma, a stop) and `start`."""
    return read_through(view[_clause_start(view, start, floor) : start])


def after_last_verb(region: str) -> str:
    return _after_last_verb(region)[0]


def after_first_verb(region: str) -> str:
    """'持续开展A整治、B治理' -> 'A整治、B治理': list items may contain verbs of their own."""
    for match in _VERB_RE.finditer(region):
        if _is_verb(region, match):
            return region[match.end() :]
    return region


def noun_after(view: str, end: int) -> str | None:
    """The noun a measure word introduces ("2个项目" -> "项目"); None when a verb or a mark follows."""
    i = end
    limit = min(len(view), end + 8)
    while i < limit and view[i] not in _BOUNDARY and not view[i].isdigit() and view[i] not in _STOP_AFTER:
        i += 1
    words = read_through(view[end:i])
    if not words or _NOT_NOUN_START.match(words) or _VERB_RE.match(words):
        return None
    verb = _VERB_RE.search(words)
    if verb is not None:
        words = words[: verb.start()]
    for cut in (
        "的",
        "和",
        "及",
        "与",
        "已",
        "正",
        "均",
        "都",
        "实现",
        "被",
        "等",
        "共",
        "顺利",
        "全部",
        "全面",
        "正在",
        "基本",
        "有序",
        "稳步",
    ):
        pos = words.find(cut)
        if pos > 0:
            words = words[:pos]
    words = words[:6]
    if len(words) < 1 or not all("\u4e00" <= ch <= "\u9fff" for ch in words):
        return None
    return words
