"""Properties of the notice parser: any table written as the State Council writes it reads back exactly,
and any text whatever is either read or refused with a NoticeError, never another exception."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.workcalendar.notice import HOLIDAY, MAKEUP_WORKDAY, WEEKDAY_NAMES, NoticeError, parse_notice

NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
NUMERALS = "一二三四五六七"
Item = tuple[date, date, list[date]]


@st.composite
def tables(draw: st.DrawFn) -> tuple[int, list[Item]]:
    year = draw(st.integers(2001, 2099))
    cursor = date(year, 1, 1)
    items: list[Item] = []
    for _ in range(draw(st.integers(1, 7))):
        first = cursor + timedelta(days=draw(st.integers(0, 30)))
        last = first + timedelta(days=draw(st.integers(0, 8)))
        if last.year != year:
            break
        cursor = last + timedelta(days=1)
        makeup = []
        for _ in range(draw(st.integers(0, 2))):
            day = cursor + timedelta(days=draw(st.integers(0, 10)))
            if day.year != year:
                break
            makeup.append(day)
            cursor = day + timedelta(days=1)
        items.append((first, last, makeup))
    return year, items


def written(day: date, with_month: bool = True) -> str:
    month = f"{day.month}月" if with_month else ""
    return f"{month}{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"


def notice_text(year: int, items: list[Item]) -> str:
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", ""]
    for n, (first, last, makeup) in enumerate(items):
        span = (
            written(first)
            if first == last
            else f"{written(first)}至{written(last, last.month != first.month)}"
        )
        days = (last - first).days + 1
        work = f"{'、'.join(written(d) for d in makeup)}上班。" if makeup else ""
        lines.append(f"　　{NUMERALS[n]}、{NAMES[n]}：{span}放假调休，共{days}天。{work}")
    return "\n".join(lines)


@given(tables())
def test_a_table_written_as_a_notice_reads_back_exactly(table: tuple[int, list[Item]]) -> None:
    year, items = table
    if not items:
        return
    notice = parse_notice(notice_text(year, items), year)
    expected = []
    for n, (first, last, makeup) in enumerate(items):
        expected += [(first + timedelta(days=k), HOLIDAY, NAMES[n]) for k in range((last - first).days + 1)]
        expected += [(d, MAKEUP_WORKDAY, f"{NAMES[n]}调休") for d in makeup]
    assert [(d.date, d.kind, d.name) for d in notice.days] == sorted(expected)


FRAGMENTS = st.sampled_from(
    [
        "一、",
        "元旦",
        "：",
        ":",
        "1月",
        "31日",
        "至",
        "（周四）",
        "放假",
        "上班",
        "，",
        "。",
        "\n",
        "共3天",
        "2027年",
        "0月",
        "99日",
    ]
)


@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=3)), max_size=30), st.none() | st.integers(2000, 2100))
def test_any_text_is_read_or_refused_with_a_notice_error(parts: list[str], year: int | None) -> None:
    try:
        parse_notice("".join(parts), year)
    except NoticeError as error:
        assert str(error)
