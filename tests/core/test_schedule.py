"""Back-scheduling counts working days backwards from the completion date, around weekends and holidays."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.schedule import back_schedule, latest_working_day, subtract_working_days
from zhenwu.core.workdays import WorkCalendar

# National Day 2026: 1-7 October off; Sunday 27 September and Saturday 10 October worked.
CALENDAR = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)


def test_a_completion_on_a_holiday_moves_back_to_the_last_working_day() -> None:
    assert latest_working_day(CALENDAR, date(2026, 10, 5)) == date(2026, 9, 30)
    assert latest_working_day(CALENDAR, date(2026, 10, 10)) == date(2026, 10, 10)  # a make-up Saturday


def test_subtracting_working_days_skips_the_holiday_week() -> None:
    # From Friday 9 October, three working days back: Thu 8, Wed 30 Sep, Tue 29 Sep.
    assert subtract_working_days(CALENDAR, date(2026, 10, 9), 3) == date(2026, 9, 29)


def test_each_step_ends_as_many_working_days_before_the_next_as_the_next_takes() -> None:
    steps = [("立项", 5), ("开工", 10), ("竣工验收", 3)]
    planned = back_schedule(CALENDAR, date(2026, 10, 14), steps)
    assert [name for name, _ in planned] == ["立项", "开工", "竣工验收"]
    assert planned[-1][1] == date(2026, 10, 14)
    assert planned[1][1] == date(
        2026, 10, 10
    )  # 3 working days before Wed 14 Oct: 13, 12, and Sat 10 (worked)
    assert CALENDAR.working_days_between(planned[1][1], planned[2][1]) == 3
    assert CALENDAR.working_days_between(planned[0][1], planned[1][1]) == 10


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.lists(st.integers(0, 60), min_size=1, max_size=8))
def test_planned_dates_are_working_days_in_order(completion: date, durations: list[int]) -> None:
    steps = [(f"步骤{n}", d) for n, d in enumerate(durations)]
    planned = [day for _, day in back_schedule(CALENDAR, completion, steps)]
    assert all(CALENDAR.is_working_day(day) for day in planned)
    assert planned == sorted(planned) and planned[-1] <= completion
    assert completion - planned[-1] < timedelta(days=10)
