"""The dashboard's case counts (counted in the database) are `case_figures`' numbers, whatever the period,
the breakdown and the user: cases received long ago and overdue now, merged duplicates, other places."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import make_case
from tests.cases.test_figures import build
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case
from zhenwu.cases.states import State


def _more(cast: Cast) -> None:
    """Beyond `build`: an old case open past its deadline, an old one resolved, a merged duplicate."""
    wangge = cast.user("wangge01")
    now = timezone.now()
    old = make_case(cast.user("cun01"), cast.grid0102, title="旧事件")
    Case.objects.filter(pk=old.pk).update(
        received_at=now - timedelta(days=40), deadline=now - timedelta(days=30)
    )
    done = make_case(wangge, cast.grid0101, title="旧办结")
    Case.objects.filter(pk=done.pk).update(
        received_at=now - timedelta(days=40), state=State.RESOLVED, resolved_at=now - timedelta(days=39)
    )
    merged = make_case(wangge, cast.grid0101, title="重复")
    Case.objects.filter(pk=merged.pk).update(state=State.MERGED, deadline=now - timedelta(hours=2))
    make_case(None, cast.other_grid, title="外县事件")


@pytest.mark.parametrize("username", ["leader", "xian", "cun01"])
def test_the_counts_are_the_figures(cast: Cast, types: dict, username: str) -> None:
    build(cast)
    _more(cast)
    user = cast.user(username)
    today = timezone.localdate()
    unit = user.org_unit
    assert unit is not None
    for days in (0, 6, 60):
        for child_kind in ("township", "village", "grid"):
            start = today - timedelta(days=days)
            counts = services.case_counts(user, unit, start, today, child_kind=child_kind)
            figures = services.case_figures(user, unit, start, today, child_kind=child_kind)
            assert _numbers(counts.total) == _numbers(figures.total), (days, child_kind)
            assert [(u, _numbers(c)) for u, c in counts.by_child] == [
                (u, _numbers(f)) for u, f in figures.by_child
            ], (days, child_kind)


def test_an_old_case_overdue_now_is_counted_overdue_not_received(cast: Cast, types: dict) -> None:
    build(cast)
    _more(cast)
    today = timezone.localdate()
    counts = services.case_counts(cast.user("leader"), cast.township, today - timedelta(days=6), today)
    assert (counts.total.received, counts.total.overdue) == (12, 2)


def _numbers(figures: object) -> tuple[int, ...]:
    return tuple(getattr(figures, name) for name in ("received", "resolved", "on_time", "overdue"))
