"""The placeholder check: an unfilled figure is at least a warning."""

from tests.reader.helpers import findings


def test_every_unfilled_placeholder_is_covered_by_a_warning() -> None:
    text = "固定资产投资完成xx.xxxx亿元，占全年任务的xx.x%，同比降低xx.xx%。共组织实施重点项目xx个。"
    found = findings(text, "placeholder")
    assert {f.severity for f in found} == {"warning"}
    assert sum(len(f.figures) for f in found) == 4


def test_a_filled_report_has_no_placeholder_finding() -> None:
    assert findings("固定资产投资完成4.9亿元，占全年任务的49%。", "placeholder") == []
