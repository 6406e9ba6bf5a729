"""The share check: "A…占B的p%" must agree with A ÷ B."""

from tests.reader.helpers import errors, findings

TARGET_OK = "固定资产投资全年任务10亿元。1-6月完成固定资产投资4.9亿元，占全年任务的49%。"
TARGET_WRONG = "固定资产投资全年任务10亿元。1-6月完成固定资产投资4.9亿元，占全年任务的59%。"


def test_a_share_that_matches_its_target_gives_no_finding() -> None:
    assert findings(TARGET_OK, "share") == []


def test_a_share_that_misses_its_target_is_an_error_showing_the_division() -> None:
    (finding,) = findings(TARGET_WRONG, "share")
    assert finding.severity == "error"
    assert "÷" in finding.message and "49%" in finding.message and "59%" in finding.message


def test_a_share_of_the_whole_township_finds_the_total_by_its_name() -> None:
    right = "全镇共有监测户120户，其中脱贫不稳定户40户，占全镇监测户的33.3%。"
    wrong = "全镇共有监测户120户，其中脱贫不稳定户40户，占全镇监测户的43.3%。"
    assert findings(right, "share") == []
    assert [f.severity for f in findings(wrong, "share")] == ["error"]


def test_a_share_written_to_whole_percent_may_be_truncated() -> None:
    """31.4% written as 31% holds, and so does 31.6% written as 31%."""
    assert findings("锁定债务总额4300万元，已化解1352万元，全镇共化解债务31%。", "share") == []
    assert findings("锁定债务总额1000万元，已化解316万元，共化解债务31%。", "share") == []


def test_a_completion_share_without_zhan_is_only_ever_a_warning() -> None:
    (finding,) = findings("锁定村级债务总额4300万元，已化解1352万元，全镇共化解债务51%。", "share")
    assert finding.severity == "warning"


def test_a_share_of_a_whole_the_report_does_not_state_is_not_checked() -> None:
    assert errors("完成投资4.9亿元，占全县的12%。") == []
    assert errors("完成投资4.9亿元，占全年任务的52%。") == []
