"""The rate check: a rate named after an act (办结率, 整改率, 参保率) agrees with the counts beside it."""

from tests.reader.helpers import findings


def test_a_resolution_rate_that_does_not_follow_from_its_counts_is_an_error() -> None:
    """The issue's report: 2333 of 2487 is 93.8%, not 83.8%."""
    (finding,) = findings("受理群众诉求2487件，已办结2333件，办结率83.8%。", "rate")
    assert finding.severity == "error"
    assert finding.pairing == "stated"
    assert "「2333件」" in finding.message and "「2487件」" in finding.message
    assert "93.81%" in finding.message and "「83.8%」" in finding.message
    assert finding.relation == "「2333件」÷「2487件」"


def test_rates_that_follow_from_their_counts_give_no_finding() -> None:
    assert findings("受理群众诉求2487件，已办结2333件，办结率93.8%。", "rate") == []
    assert findings("排查隐患56处，已整改48处，整改率85.7%。", "rate") == []
    assert findings("应参保人数1.2万人，已参保11800人，参保率98.3%。", "rate") == []


def test_a_rate_is_checked_at_its_stated_precision_and_may_be_truncated() -> None:
    """48 of 56 is 85.71%: 86% rounds it and 85% truncates it; 84% is wrong."""
    assert findings("排查隐患56处，已整改48处，整改率86%。", "rate") == []
    assert findings("排查隐患56处，已整改48处，整改率85%。", "rate") == []
    assert findings("排查隐患56处，已整改48处，整改率84%。", "rate") != []


def test_the_total_in_the_previous_sentence_is_only_inferred_so_a_warning() -> None:
    (finding,) = findings("今年共受理群众诉求2487件。已办结2333件，办结率83.8%。", "rate")
    assert finding.severity == "warning"
    assert finding.pairing == "inferred"


def test_counts_of_a_different_act_are_not_the_rate_numerator() -> None:
    assert findings("受理群众诉求2487件，回访1200件，办结率83.8%。", "rate") == []


def test_counts_still_outstanding_are_not_the_numerator() -> None:
    assert findings("排查隐患56处，未整改8处，整改率85.7%。", "rate") == []


def test_a_rate_without_a_stated_total_is_not_checked() -> None:
    assert findings("已办结2333件，办结率83.8%。", "rate") == []


def test_an_on_time_rate_needs_an_on_time_count() -> None:
    assert findings("受理群众诉求2487件，已办结2333件，按期办结率83.8%。", "rate") == []


def test_several_possible_totals_make_a_hint_only_when_none_fits() -> None:
    """1876 of the 2000 grid events is 93.8%; of all 2487 it would be 75.4%."""
    assert findings("受理诉求2487件，其中网格事件2000件，已办结1876件，办结率93.8%。", "rate") == []
    (finding,) = findings("受理诉求2487件，其中网格事件2000件，已办结1876件，办结率73.8%。", "rate")
    assert finding.severity == "info"
    assert finding.pairing == "ambiguous"
