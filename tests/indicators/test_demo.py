"""The demo township's indicators: named as reports name them, with the warnings a leader must see."""

import pytest
from django.utils import timezone

from tests.demo_snapshot import load_demo
from zhenwu.core.periods import Period
from zhenwu.indicators import services
from zhenwu.indicators.models import Indicator, RuleViolation, Target, Value
from zhenwu.org.models import User


@pytest.fixture
def demo(db: None) -> User:
    load_demo()
    return User.objects.get(username="leader")


def test_the_demo_has_thirty_indicators_with_targets_and_two_years_of_values(demo: User) -> None:
    names = set(Indicator.objects.values_list("name", flat=True))
    assert len(names) >= 30
    assert {"固定资产投资", "社会消费品零售总额", "规上工业产值", "财政收入", "新增就业岗位"} <= names
    assert Target.objects.count() > len(names)  # split across villages too
    years = set(Value.objects.values_list("year", flat=True))
    assert len(years) == 2


def test_the_demo_shows_each_kind_of_warning(demo: User) -> None:
    latest = services.latest_period(demo, demo.org_unit)
    assert latest is not None
    rows = services.progress_for_unit(demo, demo.org_unit, latest)
    codes = {w.code for r in rows for w in r.warnings}
    assert {"behind", "yoy", "missing"} <= codes
    assert sum(1 for r in rows if any(w.code == "behind" for w in r.warnings)) >= 2
    assert RuleViolation.objects.filter(state="open").count() >= 1
    assert latest == Period.latest_complete(timezone.localdate())
