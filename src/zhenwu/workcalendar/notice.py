"""Reading the State Council's yearly holiday notice (国务院办公厅关于某年部分节假日安排的通知).

Pure: text in, a table of dates out, no Django. The notice lists one holiday a line:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
    一、元旦：1月1日（周三）放假1天，不调休。
    一、元旦：1月1日放假，1月2日（星期一）补休。        (the older form)

Only the numbered lines are read; the address, the preamble and the closing paragraphs are left. Every
weekday the notice prints is checked against the date, and every "共N天" against the days listed, so that
a notice read for the wrong year, or mistyped, is refused with the line named instead of loaded wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"

# Copied from web pages, notices come with full-width or half-width punctuation, and spaces anywhere.
_PUNCTUATION = str.maketrans(
    {"：": ":", "（": "(", "）": ")", "，": ",", "；": ";", "\u3000": " ", "\xa0": " "}
)
_ITEM = re.compile(r"^([一二三四五六七八九十]+)、([^:]{1,20}):(.*)$")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?")
_COUNT = re.compile(r"(?:共|放假)(\d+)天")
_YEAR = re.compile(r"(\d{4})年(?:部分节假日|元旦|春节)")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
EXAMPLE = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"


class NoticeError(ValueError):
    """A notice that cannot be read; the message names the line, in Chinese."""


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str  # 春节, or 春节调休 for a make-up working day


@dataclass
class Notice:
    year: int
    days: list[NoticeDay] = field(default_factory=list)

    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == HOLIDAY]

    def makeup_workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == MAKEUP_WORKDAY]


def parse_notice(text: str, year: int | None = None) -> Notice:
    """The holidays and make-up working days of a notice's text. `year` is the year the caller means;
    the notice's own title or preamble says its year too, and the two must agree."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stated = _stated_year(text)
    if year is not None and stated is not None and stated != year:
        raise NoticeError(f"这份通知是{stated}年的节假日安排，与要载入的{year}年不符。")
    year = year or stated
    if year is None:
        raise NoticeError("通知中没有写明年份(如“关于2027年部分节假日安排的通知”)：请指定年份。")
    notice = Notice(year=year)
    seen: dict[date, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.translate(_PUNCTUATION).strip().replace(" ", "")
        item = _ITEM.match(line)
        if item is None:
            continue
        for day in _read_item(item.group(2), item.group(3), year, _where(number, raw)):
            if day.date in seen:
                raise NoticeError(
                    f"{_where(number, raw)}：{_shown(day.date)}在第{seen[day.date]}行已经出现过。"
                )
            seen[day.date] = number
            notice.days.append(day)
    if not notice.days:
        raise NoticeError(f"通知中没有找到放假安排：应有形如“{EXAMPLE}”的行。")
    notice.days.sort(key=lambda d: d.date)
    return notice


def _stated_year(text: str) -> int | None:
    found = _YEAR.search(text.translate(_PUNCTUATION).replace(" ", ""))
    return int(found.group(1)) if found else None


def _where(number: int, raw: str) -> str:
    shown = raw.strip()
    return f"第{number}行「{shown[:24]}{'…' if len(shown) > 24 else ''}」"


def _shown(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _read_item(name: str, body: str, year: int, where: str) -> list[NoticeDay]:
    """One numbered line: its holidays (a span, single days, a 补休 day) and its make-up working days."""
    holidays: list[date] = []
    workdays: list[date] = []
    for clause in re.split(r"[。,;]", body):
        dates = _dates(clause, year, where)
        if not dates:
            continue  # 不调休, 与周末连休, 共3天
        if "上班" in clause:
            workdays += dates
        elif "至" in clause and ("放假" in clause or "休" in clause):
            if len(dates) != 2:
                raise NoticeError(f"{where}：“{clause}”应写明起止两个日期。")
            first, last = dates
            if last < first:
                raise NoticeError(f"{where}：放假结束日{_shown(last)}早于开始日{_shown(first)}。")
            holidays += [first + timedelta(days=n) for n in range((last - first).days + 1)]
        elif "放假" in clause or "补休" in clause:
            holidays += dates
        else:
            raise NoticeError(f"{where}：无法识别“{clause}”是放假还是上班。")
    if not holidays:
        raise NoticeError(f"{where}：没有找到放假日期，应写成如“{EXAMPLE}”。")
    counted = _COUNT.search(body)
    if counted and int(counted.group(1)) != len(holidays):
        raise NoticeError(
            f"{where}：写明共{counted.group(1)}天，但列出的放假日期是{len(holidays)}天，请核对。"
        )
    return [NoticeDay(d, HOLIDAY, name) for d in holidays] + [
        NoticeDay(d, MAKEUP_WORKDAY, f"{name}调休") for d in workdays
    ]


def _dates(clause: str, year: int, where: str) -> list[date]:
    """The dates of a clause; a date without its month ("至3日") takes the month of the one before it."""
    dates: list[date] = []
    for found in _DATE.finditer(clause):
        year_text, month_text, day_text, note = found.groups()
        if month_text is None and not dates:
            raise NoticeError(f"{where}：“{found.group(0)}”没有写月份。")
        month = int(month_text) if month_text else dates[-1].month
        this_year = int(year_text) if year_text else (dates[-1].year if dates and not month_text else year)
        try:
            day = date(this_year, month, int(day_text))
        except ValueError:
            raise NoticeError(f"{where}：{this_year}年没有{month}月{day_text}日。") from None
        _check_weekday(day, note or "", where)
        dates.append(day)
    return dates


def _check_weekday(day: date, note: str, where: str) -> None:
    printed = _WEEKDAY.search(note)
    if printed and _WEEKDAYS[printed.group(1)] != day.weekday():
        raise NoticeError(
            f"{where}：{_shown(day)}是{WEEKDAY_NAMES[day.weekday()]}，通知写的是{printed.group(0)}："
            "请核对年份和日期。"
        )
