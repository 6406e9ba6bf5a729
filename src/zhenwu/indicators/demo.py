"""The demo township's indicators: 35 indicators named as township reports name them, this year's
targets (split across villages where villages report), and monthly values for last year and this year
to date. A few are behind time progress, one falls year on year, one value is missing, and one village
total disagrees with the township's own figure.

Deterministic for a given day: each indicator's numbers come from a generator seeded by its code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from zhenwu.core.periods import Period
from zhenwu.org.demo import TOWNSHIP
from zhenwu.org.models import Department, OrgKind, OrgUnit, User

from . import library
from .models import (
    ConsistencyRule,
    Direction,
    Indicator,
    IndicatorKind,
    MissingStrategy,
    Operator,
    RuleRight,
    Target,
    Value,
)
from .rules import evaluate_rules

C, L, R = IndicatorKind.CUMULATIVE, IndicatorKind.LEVEL, IndicatorKind.RATE
SEASONAL = [2, 5, 9, 14, 20, 28, 36, 45, 56, 70, 85, 100]  # most of the year's output in the fourth quarter
HARVEST = [3, 6, 10, 15, 30, 48, 55, 62, 80, 92, 97, 100]


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    unit: str
    kind: str
    department: str
    target: Decimal
    decimals: int = 2
    by_village: bool = False
    pace: Decimal = Decimal("1.02")  # the year's outcome against the target
    growth: Decimal = Decimal("0.08")  # this year against last year
    direction: str = Direction.HIGHER
    phasing: tuple[int, ...] | None = None


def D(text: str) -> Decimal:
    return Decimal(text)


SPECS = [
    Spec("gdzctz", "固定资产投资", "亿元", C, "jfb", D("9.6"), growth=D("0.28")),
    Spec("gytz", "工业投资", "亿元", C, "jfb", D("4.0"), pace=D("0.78")),
    Spec("shxfp", "社会消费品零售总额", "亿元", C, "jfb", D("5.2"), growth=D("0.169")),
    Spec("xeysl", "限额以上社会消费品零售额", "亿元", C, "jfb", D("2.1")),
    Spec("gsgycz", "规上工业产值", "亿元", C, "jfb", D("6.0"), growth=D("0.174"), phasing=tuple(SEASONAL)),
    Spec("gsgyzjz", "规上工业增加值", "亿元", C, "jfb", D("1.5"), phasing=tuple(SEASONAL)),
    Spec("czsr", "财政收入", "万元", C, "jfb", D("5200"), 1),
    Spec("ybggys", "一般公共预算收入", "万元", C, "jfb", D("3100"), 1),
    Spec("sssr", "税收收入", "万元", C, "jfb", D("2600"), 1, pace=D("0.8")),
    Spec("zsdwzj", "招商引资到位资金", "亿元", C, "jfb", D("3.5")),
    Spec("xzsczt", "新增市场主体", "户", C, "jfb", D("420"), 0, by_village=True),
    Spec("xzgsqy", "新增规上工业企业", "家", C, "jfb", D("3"), 0),
    Spec("zkxm", "在库项目数", "个", L, "jfb", D("36"), 0),
    Spec("wmjcke", "外贸进出口额", "万元", C, "jfb", D("8000"), 1, pace=D("0.96"), growth=D("-0.12")),
    Spec("nyzcz", "农业总产值", "亿元", C, "nyb", D("3.8"), phasing=tuple(HARVEST)),
    Spec("lsbzmj", "粮食播种面积", "亩", L, "nyb", D("42000"), 0, by_village=True),
    Spec("lszcl", "粮食总产量", "吨", C, "nyb", D("18500"), 0, phasing=tuple(HARVEST)),
    Spec("ncrjsr", "农村常住居民人均可支配收入", "元", C, "nyb", D("21500"), 0),
    Spec("cjtsr", "村集体经济收入", "万元", C, "nyb", D("560"), 1, by_village=True),
    Spec("gbznt", "高标准农田建设", "亩", C, "nyb", D("3000"), 0, pace=D("0.7")),
    Spec("szcl", "生猪出栏", "头", C, "nyb", D("16000"), 0, by_village=True),
    Spec("xzjy", "新增就业岗位", "个", C, "sbs", D("800"), 0, by_village=True),
    Spec("ylbxcb", "城乡居民养老保险参保人数", "人", L, "sbs", D("28000"), 0, by_village=True),
    Spec("yibaocb", "城乡居民医疗保险参保人数", "人", L, "sbs", D("36000"), 0, by_village=True),
    Spec("yingcb", "城乡居民医疗保险应参保人数", "人", L, "sbs", D("37000"), 0, by_village=True),
    Spec("yibaol", "城乡居民医疗保险参保率", "%", R, "sbs", D("97"), 1, by_village=True),
    Spec("xfbjl", "信访事项按期办结率", "%", R, "zzzx", D("98"), 1),
    Spec("wgsjbjl", "网格事件办结率", "%", R, "zzzx", D("95"), 1),
    Spec("xsfa", "刑事案件发案数", "起", C, "zzzx", D("40"), 0, direction=Direction.LOWER, growth=D("-0.1")),
    Spec("aqsg", "生产安全事故起数", "起", C, "yjb", D("2"), 0, pace=D("0.5"), direction=Direction.LOWER),
    Spec("yhzgl", "安全隐患整改率", "%", R, "yjb", D("100"), 1),
    Spec("dbjff", "发放低保金", "万元", C, "mzb", D("70"), 2),
    Spec("lsjz", "临时救助", "人次", C, "mzb", D("30"), 0),
    Spec("tkgy", "特困供养人数", "人", L, "mzb", D("80"), 0),
    Spec("xzjcdx", "新增防返贫监测对象", "户", C, "nyb", D("36"), 0),
    Spec("zwgk", "政务信息公开", "条", C, "dzb", D("260"), 0),
]
COMPUTED_RATES = {"yibaol": ("yibaocb", "yingcb")}
# What the demo township records elsewhere is bound to those records, never typed: (measure, option).
BOUND = {
    "zkxm": ("projects.in_library", ""),
    "xfbjl": ("cases.on_time_rate", "petition"),
    "wgsjbjl": ("cases.resolution_rate", "grid_event"),
    "yhzgl": ("cases.resolution_rate", "hazard"),
    "dbjff": ("households.benefit_paid", "dibao"),
    "lsjz": ("households.benefit_grants", "temporary"),
    "tkgy": ("households.benefit_people", "tekun"),
    "xzjcdx": ("households.new_monitored", ""),
}
MISSING = {
    ("xzjy", 12),
    ("zwgk", None),
}  # (indicator, village number or None for the township): no latest value
TOWNSHIP_OWN = {"szcl"}  # villages report, and the township enters its own statistics figure as well


def load() -> None:
    library.install()  # the indicator library, as `zhenwu init` installs it for a real township
    township = OrgUnit.objects.get(code=TOWNSHIP[0])
    if Indicator.objects.filter(township=township).exists():
        return
    today = timezone.localdate()
    latest = Period.latest_complete(today)
    villages = list(OrgUnit.objects.filter(parent=township, kind=OrgKind.VILLAGE).order_by("code"))
    indicators = _indicators(township)
    _targets_and_values(township, villages, indicators, latest)
    _rules(township, indicators)
    evaluate_rules(township, latest)


def _indicators(township: OrgUnit) -> dict[str, Indicator]:
    departments = {d.code: d for d in Department.objects.filter(township=township)}
    made = {}
    for position, spec in enumerate(SPECS, start=1):
        made[spec.code] = Indicator.objects.create(
            township=township, department=departments[spec.department], code=spec.code, name=spec.name,
            unit=spec.unit, kind=spec.kind, direction=spec.direction, decimals=spec.decimals,
            by_village=spec.by_village, position=position * 10,
        )  # fmt: skip
    for code, (source, option) in BOUND.items():
        made[code].source, made[code].source_option = source, option
        made[code].full_clean()
        made[code].save()
    for code, (numerator, denominator) in COMPUTED_RATES.items():
        rate = made[code]
        rate.numerator, rate.denominator = made[numerator], made[denominator]
        rate.save()
    return made


def _weights(count: int, rng: random.Random) -> list[Decimal]:
    raw = [Decimal(rng.randint(60, 140)) for _ in range(count)]
    total = sum(raw)
    return [w / total for w in raw]


def _targets_and_values(
    township: OrgUnit, villages: list[OrgUnit], indicators: dict[str, Indicator], latest: Period
) -> None:
    weights = _weights(len(villages), random.Random("village-weights"))
    accounts = {
        u.username: u for u in User.objects.filter(username__in=["jingfa", "admin", "cun01", "cun02"])
    }
    targets, values = [], []
    for spec in SPECS:
        indicator = indicators[spec.code]
        rng = random.Random(spec.code)
        places = Decimal(1).scaleb(-spec.decimals)
        phasing = [str(p) for p in spec.phasing] if spec.phasing else None
        targets.append(
            Target(
                indicator=indicator, org_unit=township, year=latest.year, value=spec.target, phasing=phasing
            )
        )
        if spec.code in COMPUTED_RATES or spec.code in BOUND:
            continue
        units = [(township, Decimal(1), None)]
        if spec.by_village:
            units = [(v, w, n) for n, (v, w) in enumerate(zip(villages, weights, strict=True), start=1)]
            if spec.code in TOWNSHIP_OWN:
                units.append((township, Decimal(1), None))
        for unit, weight, number in units:
            share_target = (spec.target * weight).quantize(places) if spec.kind != R else spec.target
            if unit != township:
                targets.append(
                    Target(
                        indicator=indicator,
                        org_unit=unit,
                        year=latest.year,
                        value=share_target,
                        phasing=phasing,
                    )
                )
            author = accounts.get(f"cun{number:02d}" if number else "jingfa") or accounts.get("admin")
            for period, amount in _series(spec, share_target, latest, rng):
                if (spec.code, number) in MISSING and period == latest:
                    continue
                values.append(
                    Value(indicator=indicator, org_unit=unit, year=period.year, month=period.month,
                          value=amount.quantize(places), entered_by=author)
                )  # fmt: skip
    Target.objects.bulk_create(targets)
    Value.objects.bulk_create(values)
    _disagree_once(indicators["szcl"], township, latest)


def _series(spec: Spec, target: Decimal, latest: Period, rng: random.Random) -> list[tuple[Period, Decimal]]:
    """Monthly values for last year (all twelve months) and this year to date."""
    this_year = target * spec.pace * Decimal(rng.uniform(0.97, 1.03))
    # A rate moves by points, not by a percentage of itself.
    last_year = this_year - Decimal("1.2") if spec.kind == R else this_year / (1 + spec.growth)
    series = []
    for year, annual, months in ((latest.year - 1, last_year, 12), (latest.year, this_year, latest.month)):
        for month in range(1, months + 1):
            series.append((Period(year, month), _value_at(spec, annual, month, rng)))
    return series


def _value_at(spec: Spec, annual: Decimal, month: int, rng: random.Random) -> Decimal:
    if spec.kind == R:
        return min(Decimal(100), annual + Decimal(rng.uniform(-1.5, 0.8)))
    if spec.kind == L:
        return annual * (Decimal("0.9") + Decimal("0.1") * month / 12)
    shares = spec.phasing or tuple(round(100 * m / 12, 2) for m in range(1, 13))
    return annual * Decimal(str(shares[month - 1])) / 100


def _disagree_once(indicator: Indicator, township: OrgUnit, latest: Period) -> None:
    """The township's own latest figure for 生猪出栏 is 120 head above the sum its villages report."""
    parts = Value.objects.filter(indicator=indicator, org_unit__parent=township, year=latest.year)
    for period_month in range(1, latest.month + 1):
        total = sum(v.value for v in parts if v.month == period_month)
        extra = Decimal(120) if period_month == latest.month else Decimal(0)
        Value.objects.filter(
            indicator=indicator, org_unit=township, year=latest.year, month=period_month
        ).update(value=total + extra)


def _rules(township: OrgUnit, indicators: dict[str, Indicator]) -> None:
    ConsistencyRule.objects.bulk_create(
        [
            ConsistencyRule(
                township=township, name="限额以上社零额不大于社会消费品零售总额", left=indicators["xeysl"],
                operator=Operator.LE, right=indicators["shxfp"],
            ),
            ConsistencyRule(
                township=township, name="医疗保险参保人数不大于应参保人数", left=indicators["yibaocb"],
                operator=Operator.LE, right=indicators["yingcb"],
            ),
            ConsistencyRule(
                township=township, name="生猪出栏：全镇数等于各村之和", left=indicators["szcl"],
                operator=Operator.EQ, right_kind=RuleRight.CHILDREN_SUM, missing=MissingStrategy.VIOLATION,
            ),
        ]
    )  # fmt: skip
