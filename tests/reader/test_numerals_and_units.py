"""Which numbers are figures, and what each is worth in its base unit."""

from decimal import Decimal

import pytest

from tests.reader.helpers import only, texts


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("预计一季度完成固定资产投资4.9个亿，", "4.9个亿", Decimal("490000000"), "元"),
        ("完成一般预算收入350万元。", "350万元", Decimal("3500000"), "元"),
        ("争取上级资金两千万元。", "两千万元", Decimal("20000000"), "元"),
        ("完成道路投资2350 万元。", "2350 万元", Decimal("23500000"), "元"),
        ("共清理杂物150余吨。", "150余吨", Decimal("150000"), "kg"),
        ("收购稻谷2000斤。", "2000斤", Decimal("1000"), "kg"),
        ("种植面积达9000多亩，", "9000多亩", Decimal("9000"), "亩"),
        ("拆除违建3万余平方米。", "3万余平方米", Decimal("30000"), "平方米"),
        ("镇域面积86.5平方公里。", "86.5平方公里", Decimal("86500000"), "平方米"),
        ("新修村道3.2公里。", "3.2公里", Decimal("3200"), "米"),
        ("饲养生猪16万头。", "16万头", Decimal("160000"), "头"),
        ("受益群众三百多人。", "三百多人", Decimal("300"), "人"),
        ("走访百余户。", "百余户", Decimal("100"), "户"),
        ("发放宣传册千余份。", "千余份", Decimal("1000"), "份"),
        ("培训农民500余人次。", "500余人次", Decimal("500"), "人次"),
        ("城乡居民医疗保险征收已完成96.77%。", "96.77%", Decimal("96.77"), "%"),
        ("参保率达到９８．５％。", "９８．５％", Decimal("98.5"), "%"),
        ("群众满意度达百分之九十五。", "百分之九十五", Decimal("95"), "%"),
    ],
)
def test_a_figure_is_read_with_its_normalised_value_and_unit(
    sentence: str, text: str, value: Decimal, unit: str
) -> None:
    figure = only(sentence)
    assert figure.text == text
    assert figure.value == value
    assert figure.unit == unit


@pytest.mark.parametrize(
    ("sentence", "value"),
    [("农村饮水安全达标率100，", Decimal(100)), ("5G信号覆盖率达100。", Decimal(100))],
)
def test_a_rate_without_percent_sign_after_a_rate_word_is_a_percentage(sentence: str, value: Decimal) -> None:
    figure = only(sentence)
    assert (figure.value, figure.unit, figure.kind) == (value, "%", "rate")


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年5月份召开会议。",
        "一是强化领导。二是压实责任。",
        "(一)主要经济指标完成情况",
        "第二季度工作计划",
        "根据〔2024〕5号文件精神",
        "全县排名前3名。",
        "于3月8日上午开展演练。",
        "18岁及以上人群",
        "实施“一村一品”、“五个一批”、“一人一档”工程",
        "千方百计优服务，开展百日攻坚，十年禁捕。",
        "施家沟村与207国道相连，编号221381。",
        "发挥五位一体作用，力争一年一个样，三年大变样。",
    ],
)
def test_years_dates_ordinals_headings_and_slogans_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []


def test_a_number_wrapped_across_lines_is_one_figure_with_offsets_spanning_the_break() -> None:
    text = "全镇今年以来在各项重点工作中累计完成固定资产投资4.\n9亿元，同比增长12%。"
    figure = only(text.split("，")[0])
    assert figure.text == "4.\n9亿元"
    assert figure.value == Decimal("490000000")


def test_a_paragraph_break_does_not_join_two_numbers() -> None:
    assert texts("农村饮水安全达标率100。\n2024年工作计划") == ["100"]


def test_approximation_words_mark_a_figure_as_approximate() -> None:
    assert only("检测3700余人。").approx
    assert only("面积约3000亩。").approx
    assert only("完成投资500万元以上。").approx
    assert not only("今年新签约2个项目。").approx


def test_placeholders_are_figures_with_no_value() -> None:
    for sentence, text in [
        ("完成xx.xxxx亿元。", "xx.xxxx亿元"),
        ("占x.x%。", "x.x%"),
        ("投入xxx万元。", "xxx万元"),
    ]:
        figure = only(sentence)
        assert (figure.text, figure.placeholder, figure.value) == (text, True, None)


def test_a_township_name_written_xx_is_not_a_placeholder_figure() -> None:
    assert texts("xx镇xx村召开会议，建设xx新城。") == []
