"""Deadlines in working days follow the holiday table, make-up days included; property-tested."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.workdays import DayCount, WorkCalendar

# 2025 National Day and Mid-Autumn: 1-8 October off, Sunday 28 September and Saturday 11 October worked.
NATIONAL_DAY = WorkCalendar(
    holidays=frozenset(date(2025, 10, d) for d in range(1, 9)),
    makeup_workdays=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
day_sets = st.frozensets(dates, max_size=40)


def test_a_holiday_weekday_is_not_worked_and_a_makeup_sunday_is() -> None:
    assert not NATIONAL_DAY.is_working_day(date(2025, 10, 2))
    assert NATIONAL_DAY.is_working_day(date(2025, 9, 28))
    assert not NATIONAL_DAY.is_working_day(date(2025, 10, 12))


def test_five_working_days_from_the_eve_of_national_day_end_after_the_holiday() -> None:
    # 30 Sep (Tue) + 5 working days: 9 Oct (Thu), 10 Oct (Fri), 11 Oct (Sat, make-up), 13, 14 Oct.
    assert NATIONAL_DAY.add_days(date(2025, 9, 30), 5, DayCount.WORKING) == date(2025, 10, 14)


def test_twenty_working_days_differ_from_twenty_calendar_days() -> None:
    start = date(2025, 9, 26)
    assert NATIONAL_DAY.add_days(start, 20, DayCount.CALENDAR) == date(2025, 10, 16)
    assert NATIONAL_DAY.add_days(start, 20, DayCount.WORKING) == date(2025, 10, 30)


def test_zero_working_days_from_a_holiday_is_the_next_working_day() -> None:
    assert NATIONAL_DAY.add_working_days(date(2025, 10, 3), 0) == date(2025, 10, 9)


@given(start=dates, days=st.integers(min_value=0, max_value=60), holidays=day_sets, makeup=day_sets)
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(
    start: date, days: int, holidays: frozenset[date], makeup: frozenset[date]
) -> None:
    calendar = WorkCalendar(holidays=holidays, makeup_workdays=makeup)
    end = calendar.add_working_days(start, days)
    assert end >= start
    assert calendar.is_working_day(end)
    if days > 0:
        assert calendar.working_days_between(start, end) == days
        # and it is the first such day: the day before has one working day fewer
        assert calendar.working_days_between(start, end - timedelta(days=1)) == days - 1


@given(a=dates, b=dates, holidays=day_sets)
def test_counting_between_two_dates_is_antisymmetric_and_bounded(
    a: date, b: date, holidays: frozenset[date]
) -> None:
    calendar = WorkCalendar(holidays=holidays)
    between = calendar.working_days_between(a, b)
    assert between == -calendar.working_days_between(b, a)
    assert abs(between) <= abs((b - a).days)


@given(start=dates, days=st.integers(min_value=0, max_value=400))
def test_calendar_days_ignore_the_holiday_table(start: date, days: int) -> None:
    assert NATIONAL_DAY.add_days(start, days, DayCount.CALENDAR) == start + timedelta(days=days)


@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_without_holidays_five_working_days_are_one_week(start: date, days: int) -> None:
    calendar = WorkCalendar()
    assert calendar.add_working_days(start, 5 * days) - calendar.add_working_days(start, 0) <= timedelta(
        days=7 * days
    )
    monday = start - timedelta(days=start.weekday())
    assert calendar.add_working_days(monday, 5) == monday + timedelta(days=7)
