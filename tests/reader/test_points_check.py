"""The points check: a gap or a change between two percentages is written in 个百分点, and adds up."""

from tests.reader.helpers import findings


def test_a_gap_to_time_progress_written_in_percent_is_a_warning() -> None:
    """The issue's draft: 低于序时进度50.0% means fifty percentage points."""
    (finding,) = findings("固定资产投资完成率0.0%，低于序时进度50.0%。", "points")
    assert finding.severity == "warning"
    assert "「50.0%」" in finding.message and "个百分点" in finding.message


def test_a_gap_written_in_points_gives_no_finding() -> None:
    assert findings("固定资产投资完成率0.0%，低于序时进度50.0个百分点。", "points") == []


def test_a_rate_that_rises_by_percent_over_last_year_is_a_warning() -> None:
    (finding,) = findings("群众诉求办结率93.8%，比上年提高3.7%。", "points")
    assert finding.severity == "warning"
    assert "个百分点" in finding.message


def test_the_growth_of_an_amount_in_percent_is_not_misuse() -> None:
    assert findings("完成财政收入1.2亿元，同比增长12%。", "points") == []
    assert findings("农民人均可支配收入2.1万元，高于全县平均水平5%。", "points") == []
    assert findings("固定资产投资比上年提高12%。", "points") == []


def test_points_between_a_rate_and_last_years_rate_are_checked() -> None:
    assert findings("办结率83.8%，上年同期为80.1%，提高3.7个百分点。", "points") == []
    (finding,) = findings("办结率83.8%，上年同期为80.1%，提高5个百分点。", "points")
    assert finding.severity == "error"
    assert finding.pairing == "stated"
    assert "3.7个百分点" in finding.message and "「5个百分点」" in finding.message


def test_points_above_the_county_average_are_checked() -> None:
    assert findings("我镇参保率96.5%，全县平均为95.1%，高于全县平均1.4个百分点。", "points") == []
    assert findings("我镇参保率96.5%，全县平均为95.1%，高于全县平均2.4个百分点。", "points") != []


def test_the_direction_of_the_change_is_checked_too() -> None:
    (finding,) = findings("办结率83.8%，上年同期为80.1%，下降3.7个百分点。", "points")
    assert finding.severity == "error"


def test_points_at_the_precision_they_are_written_with() -> None:
    """83.8 − 80.1 = 3.7, written 4个百分点 holds at whole-point precision."""
    assert findings("办结率83.8%，上年同期为80.1%，提高4个百分点。", "points") == []


def test_zhenwus_own_gap_to_time_progress_with_the_progress_in_brackets_is_checked() -> None:
    """projects.services writes '完成年度计划投资的12.0%，低于序时进度（50.0%）38.0个百分点'."""
    assert findings("完成年度计划投资的12.0%，低于序时进度（50.0%）38.0个百分点。", "points") == []
    (finding,) = findings("完成年度计划投资的12.0%，低于序时进度（50.0%）28.0个百分点。", "points")
    assert finding.severity == "error"
    assert "-38个百分点" in finding.message


def test_the_growth_of_an_amount_after_its_share_is_not_misuse() -> None:
    text = "固定资产投资完成4.9亿元，占全年任务的49%，同比增长28%，超序时完成0.5亿元。"
    assert findings(text, "points") == []


def test_an_efficiency_or_a_growth_rate_rising_in_percent_is_not_a_share() -> None:
    assert findings("劳动生产率比上年提高5%。", "points") == []
    assert findings("办事效率提高20%。", "points") == []
