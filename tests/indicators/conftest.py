"""A small catalog of indicators in the demo township, made directly so each test states its values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.conftest import Cast
from zhenwu.indicators.models import Direction, Indicator, IndicatorKind, Target, Value
from zhenwu.org.models import Department, OrgUnit

YEAR = 2026


@dataclass
class Catalog:
    invest: Indicator  # 固定资产投资, cumulative, township only, 经发办
    retail: Indicator  # 社会消费品零售总额
    retail_above: Indicator  # 限额以上社零额
    jobs: Indicator  # 新增就业岗位, cumulative, by village, 社保所
    insured: Indicator  # level, by village
    due: Indicator  # level, by village
    insured_rate: Indicator  # computed rate insured ÷ due
    closed_rate: Indicator  # entered rate, 综治中心
    accidents: Indicator  # lower is better


def make(code: str, name: str, unit: str, department: Department, **extra: object) -> Indicator:
    return Indicator.objects.create(
        township=department.township, department=department, code=code, name=name, unit=unit, **extra
    )


def value(
    indicator: Indicator, unit: OrgUnit, month: int, amount: str, year: int = YEAR, note: str = ""
) -> Value:
    return Value.objects.create(
        indicator=indicator, org_unit=unit, year=year, month=month, value=Decimal(amount), note=note
    )


def target(
    indicator: Indicator, unit: OrgUnit, amount: str, year: int = YEAR, phasing: list[int] | None = None
) -> Target:
    return Target.objects.create(
        indicator=indicator, org_unit=unit, year=year, value=Decimal(amount),
        phasing=[str(p) for p in phasing] if phasing else None,
    )  # fmt: skip


@pytest.fixture
def catalog(cast: Cast) -> Catalog:
    jfb = cast.jingfa_department
    sbs = Department.objects.get(township=cast.township, code="sbs")
    zzzx = Department.objects.get(township=cast.township, code="zzzx")
    yjb = Department.objects.get(township=cast.township, code="yjb")
    insured = make(
        "insured", "医保参保人数", "人", sbs, kind=IndicatorKind.LEVEL, by_village=True, decimals=0
    )
    due = make("due", "应参保人数", "人", sbs, kind=IndicatorKind.LEVEL, by_village=True, decimals=0)
    return Catalog(
        invest=make("invest", "固定资产投资", "亿元", jfb),
        retail=make("retail", "社会消费品零售总额", "亿元", jfb),
        retail_above=make("retail_above", "限额以上社零额", "亿元", jfb),
        jobs=make("jobs", "新增就业岗位", "个", sbs, by_village=True, decimals=0),
        insured=insured,
        due=due,
        insured_rate=make(
            "insured_rate",
            "医保参保率",
            "%",
            sbs,
            kind=IndicatorKind.RATE,
            by_village=True,
            decimals=1,
            numerator=insured,
            denominator=due,
        ),
        closed_rate=make("closed_rate", "网格事件办结率", "%", zzzx, kind=IndicatorKind.RATE, decimals=1),
        accidents=make("accidents", "生产安全事故", "起", yjb, direction=Direction.LOWER, decimals=0),
    )
