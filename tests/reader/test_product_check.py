"""The product check: area × per-亩 figure = total, with unit conversion."""

from tests.reader.helpers import findings


def test_yield_times_area_that_matches_the_total_gives_no_finding() -> None:
    assert findings("全镇小麦播种面积3.2万亩，平均亩产450公斤，总产1440万公斤。", "product") == []


def test_units_are_converted_before_multiplying() -> None:
    """2万亩 × 900斤/亩 = 1800万斤 = 9000吨."""
    assert findings("小麦面积2万亩，亩产900斤，总产量9000吨。", "product") == []


def test_a_total_that_does_not_match_area_times_yield_is_an_error() -> None:
    (finding,) = findings("全镇小麦播种面积3.2万亩，平均亩产450公斤，总产1540万公斤。", "product")
    assert finding.severity == "error"
    assert "×" in finding.message


def test_a_subsidy_is_area_times_standard() -> None:
    assert findings("发放耕地地力保护补贴，面积5000亩，标准120元/亩，补贴资金60万元。", "product") == []
    (finding,) = findings("发放耕地地力保护补贴，面积5000亩，标准120元/亩，补贴资金70万元。", "product")
    assert finding.severity == "error"


def test_a_standard_written_as_per_mu_before_the_number_counts() -> None:
    assert findings("流转土地800亩，每亩补助200元，共发放补助16万元。", "product") == []
    assert findings("流转土地800亩，每亩补助200元，共发放补助26万元。", "product") != []
