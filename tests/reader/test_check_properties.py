"""Property tests for the rate, repeated, points and dates checks: a consistent paragraph, generated
with its figures worked out exactly, gives no finding of the rule."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenwu.reader import analyse

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ACTS = st.sampled_from(
    [
        ("受理群众诉求", "已办结", "办结率", "件"),
        ("排查隐患", "已整改", "整改率", "处"),
        ("应参保人数", "已参保", "参保率", "人"),
        ("锁定问题", "已销号", "销号率", "个"),
    ]
)
PLACES = st.sampled_from([0, 1, 2])


def rule_findings(text: str, rule: str, dated: date | None = None) -> list[str]:
    return [f.message for f in analyse(text, dated=dated).findings if f.rule == rule]


def percent(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


@SETTINGS
@given(ACTS, st.integers(min_value=1, max_value=100000), st.data(), PLACES)
def test_counts_and_their_exact_rate_give_no_rate_finding(
    act: tuple[str, str, str, str], total: int, data: st.DataObject, places: int
) -> None:
    whole, done, rate, unit = act
    part = data.draw(st.integers(min_value=0, max_value=total))
    stated = percent(Decimal(part) * 100 / Decimal(total), places)
    text = f"{whole}{total}{unit}，{done}{part}{unit}，{rate}{stated}。"
    assert rule_findings(text, "rate") == [], text


SUBJECTS = st.sampled_from(["低保金", "耕地地力保护补贴", "特困供养金", "临时救助金", "残疾人两项补贴"])
FILLERS = st.lists(
    st.sampled_from(["社会救助工作扎实推进。", "各项民生实事稳步实施。", "全镇上下齐心协力。", "\n"]),
    max_size=4,
)


@SETTINGS
@given(
    SUBJECTS, st.integers(min_value=1, max_value=99999), FILLERS, st.sampled_from(["万元", "元", "户", "人"])
)
def test_a_figure_repeated_with_the_same_value_gives_no_repeated_finding(
    subject: str, value: int, filler: list[str], unit: str
) -> None:
    amount = f"{Decimal(value) / 100}"
    text = f"今年以来发放{subject}完成{amount}{unit}。" + "".join(filler) + f"发放{subject}{amount}{unit}。"
    assert rule_findings(text, "repeated") == [], text


@SETTINGS
@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=1000), PLACES)
def test_a_gap_written_in_points_with_its_rates_gives_no_points_finding(
    now_tenths: int, before_tenths: int, places: int
) -> None:
    now, before = Decimal(now_tenths) / 10, Decimal(before_tenths) / 10
    gap = now - before
    word = "提高" if gap >= 0 else "下降"
    points = abs(gap).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"办结率{now}%，上年同期为{before}%，{word}{points}个百分点。"
    assert rule_findings(text, "points") == [], text
    text = f"项目完成率{now}%，低于序时进度{points}个百分点。"
    assert rule_findings(text, "points") == [], text


def written_date(day: date, dated: date, with_year: bool) -> str:
    if with_year or day.year != dated.year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


@SETTINGS
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=300),
    st.booleans(),
)
def test_a_due_date_before_the_report_with_the_right_days_overdue_gives_no_dates_finding(
    dated: date, overdue: int, with_year: bool
) -> None:
    due = written_date(dated - timedelta(days=overdue), dated, with_year)
    text = f"污水管网项目计划{due}完成，已逾期{overdue}天。"
    assert rule_findings(text, "dates", dated) == [], text


@SETTINGS
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=300),
    st.booleans(),
)
def test_a_due_date_after_the_report_with_the_right_days_left_gives_no_dates_finding(
    dated: date, left: int, with_year: bool
) -> None:
    due = written_date(dated + timedelta(days=left), dated, with_year)
    text = f"距{due}还有{left}天。"
    assert rule_findings(text, "dates", dated) == [], text
