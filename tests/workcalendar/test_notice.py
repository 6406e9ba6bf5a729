"""The State Council's holiday notice is read line by line: the real 2025 and 2026 notices give exactly the
tables zhenwu ships, and a notice that cannot be read is refused with the line named."""

from datetime import date
from pathlib import Path

import pytest

from zhenwu.workcalendar import holidays
from zhenwu.workcalendar.notice import HOLIDAY, MAKEUP_WORKDAY, NoticeError, parse_notice

NOTICES = Path(__file__).parent / "notices"


def shipped(year: int) -> list[tuple[date, str, str]]:
    return [(d.date, d.kind, d.name) for d in holidays.shipped_days() if d.date.year == year]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notice_gives_the_table_zhenwu_ships(year: int) -> None:
    notice = parse_notice((NOTICES / f"{year}.txt").read_text(encoding="utf-8"), year)
    assert notice.year == year
    assert [(d.date, d.kind, d.name) for d in notice.days] == shipped(year)


def test_the_2026_notice_has_33_days_off_and_six_makeup_working_days() -> None:
    notice = parse_notice((NOTICES / "2026.txt").read_text(encoding="utf-8"))
    assert len(notice.holidays()) == 33
    assert [d.date for d in notice.makeup_workdays()] == [
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
    ]  # fmt: skip


def test_half_width_punctuation_as_web_pages_copy_it_reads_the_same() -> None:
    text = (NOTICES / "2025.txt").read_text(encoding="utf-8")
    half = text.translate(str.maketrans({"：": ":", "（": "(", "）": ")", "，": ","}))
    assert parse_notice(half).days == parse_notice(text).days


def test_a_span_across_months_and_a_single_day_without_makeup() -> None:
    notice = parse_notice("2025年部分节假日安排\n五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。")
    assert [d.date for d in notice.days] == [date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)]
    one = parse_notice("一、元旦：1月1日（周三）放假1天，不调休。", 2025)
    assert [(d.date, d.kind) for d in one.days] == [(date(2025, 1, 1), HOLIDAY)]


def test_the_older_form_with_a_day_given_in_lieu() -> None:
    notice = parse_notice(
        "一、元旦：1月1日放假，1月2日（星期一）补休。\n二、春节：1月22日（星期日）上班，1月27日至2月2日放假调休，共7天。",
        2017,
    )
    assert [d.date for d in notice.holidays()][:2] == [date(2017, 1, 1), date(2017, 1, 2)]
    assert [(d.date, d.kind, d.name) for d in notice.makeup_workdays()] == [
        (date(2017, 1, 22), MAKEUP_WORKDAY, "春节调休")
    ]


def test_a_makeup_day_in_the_year_before_keeps_its_written_year() -> None:
    notice = parse_notice(
        "一、元旦：1月1日（周六）至3日（周一）放假，共3天。2021年12月31日（周五）上班。", 2022
    )
    assert notice.makeup_workdays()[0].date == date(2021, 12, 31)


def test_a_notice_read_for_the_wrong_year_is_refused_by_its_weekdays() -> None:
    text = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。"
    with pytest.raises(NoticeError, match=r"第1行「一、元旦.*2027年1月1日是周五，通知写的是周四"):
        parse_notice(text, 2027)


def test_a_notice_of_another_year_than_asked_is_refused() -> None:
    with pytest.raises(NoticeError, match="这份通知是2026年的节假日安排，与要载入的2027年不符"):
        parse_notice((NOTICES / "2026.txt").read_text(encoding="utf-8"), 2027)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("三、清明节：4月4日（周六）至6日（周一）放假，共4天。", "写明共4天，但列出的放假日期是3天"),
        ("三、清明节：4月31日至5月2日放假。", "2026年没有4月31日"),
        ("三、清明节：4月6日至4日放假。", "放假结束日2026年4月4日早于开始日2026年4月6日"),
        ("三、清明节：4月4日另行通知。", "无法识别“4月4日另行通知”是放假还是上班"),
        ("三、清明节：另行通知。", "没有找到放假日期"),
        ("三、清明节：4日至6日放假。", "“4日”没有写月份"),
    ],
)
def test_a_line_it_cannot_read_is_named_with_the_reason(line: str, message: str) -> None:
    text = f"关于2026年部分节假日安排的通知\n\n{line}"
    with pytest.raises(NoticeError, match="第3行「三、清明节") as error:
        parse_notice(text)
    assert message in str(error.value)


def test_a_date_listed_twice_is_refused() -> None:
    text = "一、元旦：1月1日（周四）放假。\n二、春节：1月2日（周五）放假，1月1日（周四）上班。"
    with pytest.raises(NoticeError, match=r"第2行.*2026年1月1日在第1行已经出现过"):
        parse_notice(text, 2026)


def test_text_without_any_holiday_line_says_what_it_looked_for() -> None:
    with pytest.raises(NoticeError, match="没有找到放假安排"):
        parse_notice("关于2027年部分节假日安排的通知\n\n各省、自治区、直辖市人民政府：")
    with pytest.raises(NoticeError, match="请指定年份"):
        parse_notice("一、元旦：1月1日放假。")
