"""What kind of figure each is, and the subject it counts."""

import pytest

from tests.reader.helpers import figures, only


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("预计一季度完成固定资产投资4.9个亿。", "固定资产投资"),
        ("完成社会消费品零售总额2.55亿元。", "社会消费品零售总额"),
        ("镇锁定村级债务总额4300万元。", "村级债务总额"),
        ("饲养生猪16万头。", "生猪"),
        ("种植面积达9000多亩。", "种植面积"),
        ("发展袋料香菇、羊肚菌、大球盖菇等食用菌53万袋。", "食用菌"),
        ("共清理杂物150余吨。", "杂物"),
        ("正在培育的规上工业企业2家。", "规上工业企业"),
        ("今年先后招引了2个项目。", "项目"),
        ("目前我镇在库项目15个。", "在库项目"),
        ("受理市长热线工单320件。", "市长热线工单"),
        ("全镇粮播面积达到5.6万亩。", "粮播面积"),
    ],
)
def test_the_subject_is_the_noun_before_the_figure_without_verbs(sentence: str, subject: str) -> None:
    assert only(sentence).subject == subject


def test_growth_is_signed_and_a_decrease_is_negative() -> None:
    up, down = figures("收入同比增长28%，支出同比下降3.2%。")
    assert up.kind == "growth"
    assert up.value == 28
    assert down.kind == "growth"
    assert down.value is not None and down.value < 0


def test_a_share_and_a_rate_are_told_apart_from_a_plain_percentage() -> None:
    amount, share = figures("完成投资4.9亿元，占全年任务的49%。")
    assert (amount.kind, share.kind) == ("amount", "share")
    assert only("重大安全隐患整改率95%。").kind == "rate"
    assert only("城乡居民医疗保险征收已完成96.77%。").kind == "percent"


def test_a_growth_takes_the_subject_of_the_figure_it_describes() -> None:
    amount, growth = figures("完成规上工业产值1.28亿元，同比增长17.4%。")
    assert growth.subject == amount.subject == "规上工业产值"


def test_points_are_their_own_unit() -> None:
    figure = only("参保率提高2.1个百分点。")
    assert (figure.unit, figure.kind) == ("百分点", "growth")
