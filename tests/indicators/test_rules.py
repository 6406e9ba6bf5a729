"""Consistency rules: a relation that holds within the values' precision gives nothing; a violation
is listed with both sides and lives on: open → explained → fixed, reopened when the numbers move."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.indicators.conftest import YEAR, Catalog, value
from zhenwu.core.periods import Period
from zhenwu.indicators.models import (
    ConsistencyRule,
    MissingStrategy,
    RuleRight,
    RuleViolation,
    ViolationState,
)
from zhenwu.indicators.rules import Side, evaluate_rules, explain_violation, holds

AUGUST = Period(YEAR, 8)
D = Decimal


def test_rounding_within_the_written_precision_is_not_a_violation() -> None:
    """Twelve village values rounded to whole numbers may miss the township's figure by up to 6."""
    assert holds("==", Side(D(1000), 1, 0), Side(D(1006), 12, 0))
    assert not holds("==", Side(D(1000), 1, 0), Side(D(1007), 12, 0))
    assert holds("<=", Side(D("2.105"), 1, 2), Side(D("2.10"), 1, 2))
    assert not holds("<=", Side(D("2.12"), 1, 2), Side(D("2.10"), 1, 2))


def above_rule(cast: Cast, catalog: Catalog) -> ConsistencyRule:
    return ConsistencyRule.objects.create(
        township=cast.township,
        name="限上不大于社零",
        left=catalog.retail_above,
        operator="<=",
        right=catalog.retail,
    )


def test_a_violation_is_listed_with_both_sides(cast: Cast, catalog: Catalog) -> None:
    above_rule(cast, catalog)
    value(catalog.retail_above, cast.township, 8, "2.6")
    value(catalog.retail, cast.township, 8, "2.5")
    [violation] = evaluate_rules(cast.township, AUGUST)
    assert (violation.left_value, violation.right_value, violation.state) == (D("2.6"), D("2.5"), "open")


def test_a_missing_side_is_skipped_unless_the_rule_says_otherwise(cast: Cast, catalog: Catalog) -> None:
    rule = above_rule(cast, catalog)
    value(catalog.retail_above, cast.township, 8, "2.6")
    assert evaluate_rules(cast.township, AUGUST) == []
    rule.missing = MissingStrategy.VIOLATION
    rule.save()
    assert len(evaluate_rules(cast.township, AUGUST)) == 1


def test_explained_then_fixed_when_the_value_is_corrected(cast: Cast, catalog: Catalog) -> None:
    above_rule(cast, catalog)
    value(catalog.retail_above, cast.township, 8, "2.6")
    wrong = value(catalog.retail, cast.township, 8, "2.5")
    [violation] = evaluate_rules(cast.township, AUGUST)
    explain_violation(cast.user("jingfa"), violation, "限上数据来自统计局快报，社零为初步数")
    violation.refresh_from_db()
    assert violation.state == ViolationState.EXPLAINED and violation.explained_by == cast.user("jingfa")
    evaluate_rules(cast.township, AUGUST)
    violation.refresh_from_db()
    assert violation.state == ViolationState.EXPLAINED  # same numbers: the explanation still covers them
    wrong.value = D("2.55")
    wrong.save()
    evaluate_rules(cast.township, AUGUST)
    violation.refresh_from_db()
    assert violation.state == ViolationState.OPEN  # the numbers moved but still disagree
    wrong.value = D("2.7")
    wrong.save()
    assert evaluate_rules(cast.township, AUGUST) == []
    violation.refresh_from_db()
    assert violation.state == ViolationState.FIXED


def test_the_sum_of_villages_rule(cast: Cast, catalog: Catalog) -> None:
    ConsistencyRule.objects.create(
        township=cast.township, name="全镇等于各村之和", left=catalog.jobs, operator="==",
        right_kind=RuleRight.CHILDREN_SUM,
    )  # fmt: skip
    value(catalog.jobs, cast.township, 8, "50")
    value(catalog.jobs, cast.village01, 8, "30")
    value(catalog.jobs, cast.village02, 8, "20")
    assert evaluate_rules(cast.township, AUGUST) == []
    value(catalog.jobs, cast.village03, 8, "5")
    [violation] = evaluate_rules(cast.township, AUGUST)
    assert violation.right_value == D(55)


def test_saving_a_month_re_checks_the_rules(cast: Cast, catalog: Catalog, client: Client) -> None:
    above_rule(cast, catalog)
    client.force_login(cast.user("jingfa"))
    data = {"org": cast.township.code, "period": f"{YEAR}-08"}
    client.post(
        reverse("indicators:entry"),
        {**data, f"v{catalog.retail_above.pk}": "3", f"v{catalog.retail.pk}": "2"},
    )
    violation = RuleViolation.objects.get()
    page = client.get(reverse("indicators:violation-detail", args=[violation.pk])).content.decode()
    assert "限上不大于社零" in page and ">3<" in page and ">2<" in page


def test_an_explanation_is_required_and_leaders_cannot_explain(
    cast: Cast, catalog: Catalog, client: Client
) -> None:
    above_rule(cast, catalog)
    value(catalog.retail_above, cast.township, 8, "3")
    value(catalog.retail, cast.township, 8, "2")
    [violation] = evaluate_rules(cast.township, AUGUST)
    with pytest.raises(ValidationError):
        explain_violation(cast.user("jingfa"), violation, "  ")
    client.force_login(cast.user("leader"))
    url = reverse("indicators:violation-detail", args=[violation.pk])
    assert "保存说明" not in client.get(url).content.decode()
    assert client.post(url, {"explanation": "领导说明"}).status_code == 404
    violation.refresh_from_db()
    assert violation.state == ViolationState.OPEN
