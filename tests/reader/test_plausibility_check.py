"""The plausibility check: a unit that does not fit its subject is a warning."""

import pytest

from tests.reader.helpers import findings


@pytest.mark.parametrize(
    "sentence",
    [
        "中心小学扩建教学楼3平方米。",
        "新修道路2米。",
        "项目总投资3.6元。",
        "群众满意度达120%。",
        "新增监测户2.5户。",
    ],
)
def test_an_implausible_figure_is_a_warning(sentence: str) -> None:
    assert [f.severity for f in findings(sentence, "plausibility")] == ["warning"]


@pytest.mark.parametrize(
    "sentence",
    [
        "中心小学扩建教学楼3000平方米。",
        "新修道路2公里。",
        "项目总投资3.6亿元。",
        "群众满意度达98%。",
        "全镇人口2.5万人。",
        "同比增长120%。",
    ],
)
def test_a_plausible_figure_gives_no_finding(sentence: str) -> None:
    assert findings(sentence, "plausibility") == []
