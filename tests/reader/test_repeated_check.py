"""The repeated-measure check: one measure printed twice in a document must have one value."""

from tests.reader.helpers import findings

LOW_INCOME = (
    "今年以来发放低保金完成93.3万元，惠及困难群众800余人。社会救助工作扎实推进，发放低保金33.68万元。"
)


def test_one_measure_with_two_values_is_a_warning_naming_both_places() -> None:
    """The issue's draft: 93.3万元 and 33.68万元 of the same 低保金."""
    (finding,) = findings(LOW_INCOME, "repeated")
    assert finding.severity == "warning"
    assert finding.pairing == "inferred"
    assert "「93.3万元」" in finding.message and "「33.68万元」" in finding.message
    assert "低保金" in finding.message
    assert len(finding.figures) == 2


def test_the_same_value_printed_twice_gives_no_finding() -> None:
    text = "上半年发放低保金93.3万元。社会救助工作扎实推进，发放低保金93.3万元。"
    assert findings(text, "repeated") == []


def test_values_within_rounding_or_approximation_give_no_finding() -> None:
    assert findings("发放低保金93.3万元。另外，发放低保金93.28万元。", "repeated") == []
    assert findings("发放低保金93万余元。另外，发放低保金93.3万元。", "repeated") == []


def test_different_periods_are_different_measures() -> None:
    assert findings("上半年发放低保金93.3万元。全年发放低保金180万元。", "repeated") == []
    assert findings("上半年发放低保金93.3万元。发放低保金180万元。", "repeated") == []
    assert findings("1-6月发放低保金93.3万元。一季度发放低保金33.68万元。", "repeated") == []
    assert findings("今年发放低保金93.3万元。去年发放低保金83.68万元。", "repeated") == []


def test_a_part_is_not_the_same_measure_as_its_whole() -> None:
    assert findings("发放低保金93.3万元。其中，发放低保金33.68万元给城镇居民。", "repeated") == []
    assert findings("发放低保金93.3万元。东风村发放低保金3.68万元。", "repeated") == []


def test_a_target_is_not_the_same_measure_as_its_achievement() -> None:
    assert findings("全年目标发放低保金120万元。上半年发放低保金93.3万元。", "repeated") == []
    assert findings("发放低保金93.3万元。下半年计划发放低保金33.68万元。", "repeated") == []


def test_generic_subjects_are_not_compared() -> None:
    assert findings("争取上级资金93.3万元。整合涉农资金33.68万元。", "repeated") == []
    assert findings("投入资金93.3万元。投入资金33.68万元。", "repeated") == []


def test_a_series_of_values_is_a_list_not_a_contradiction() -> None:
    text = "发放低保金93.3万元。发放低保金33.68万元。发放低保金12.5万元。"
    assert findings(text, "repeated") == []


def test_tallies_of_campaigns_and_figures_of_one_domain_are_not_compared() -> None:
    """zhenwu's half-year report: a total of all campaigns, then one domain's campaign."""
    text = (
        "活动与宣传记录：开展活动26次，受众群众49692人次，张贴标语43条。\n"
        "三是在基层治理与平安建设方面，开展普法宣传5次，受众群众4277人次，张贴标语27条。"
    )
    assert findings(text, "repeated") == []
    assert findings("发放低保金93.3万元。在社会救助方面，发放低保金33.68万元。", "repeated") == []


def test_the_same_words_twice_in_one_sentence_with_two_values_is_a_warning() -> None:
    """A real report (devset b_01): the second clause repeats the first with other figures."""
    text = "2023年我镇有建档立卡贫困户745户1456人,2023年新识别贫困户19户67人,2023年新识别贫困户1户3人。"
    (finding,) = findings(text, "repeated")
    assert finding.severity == "warning"
    assert "「19户」" in finding.message and "「1户」" in finding.message


def test_one_sentence_relating_two_values_of_a_measure_is_not_a_repeat() -> None:
    assert findings("监测户由85户减少到80户。", "repeated") == []
    assert findings("发放低保金93.3万元，较上年发放低保金83.2万元增加10.1万元。", "repeated") == []


def test_counts_of_two_categories_in_one_list_are_not_a_repeat() -> None:
    """A real report (devset b_04): rural and urban 低保对象."""
    text = "截止6月10日,全乡共有农村低保户873户、低保对象1355人;城市低保户21户、低保对象28人。"
    assert findings(text, "repeated") == []
