"""The parts-and-whole check: "其中" parts against their total, and stated sums."""

from tests.reader.helpers import findings


def test_parts_that_add_up_to_their_total_give_no_finding() -> None:
    assert findings("全镇共有在建项目30个，其中工业项目18个、农业项目12个。", "parts") == []


def test_parts_below_their_total_are_fine_when_the_list_is_not_said_to_be_complete() -> None:
    assert findings("全年实施项目30个，其中工业项目18个。", "parts") == []


def test_a_part_larger_than_its_whole_is_an_error() -> None:
    (finding,) = findings("全镇共有在建项目30个，其中工业项目38个。", "parts")
    assert finding.severity == "error"


def test_parts_that_exceed_their_total_are_flagged() -> None:
    (finding,) = findings("全镇共有在建项目30个，其中工业项目18个、农业项目15个。", "parts")
    assert finding.severity in ("warning", "error")
    assert "18个" in finding.message and "15个" in finding.message and "33" in finding.message


def test_money_parts_after_qizhong_are_compared_in_yuan() -> None:
    assert findings("完成投资3.6亿元，其中工业投资2.1亿元、农业投资1.5亿元。", "parts") == []
    assert findings("完成投资3.6亿元，其中工业投资2600万元、农业投资1.5亿元。", "parts") == []
    assert findings("完成投资3.6亿元，其中工业投资4.1亿元。", "parts") != []


def test_parts_said_to_make_up_the_whole_must_add_up() -> None:
    (finding,) = findings("共排查隐患56处，其中已整改48处，其余6处正在整改。", "parts")
    assert finding.severity == "error"
    assert findings("共排查隐患56处，其中已整改48处，其余8处正在整改。", "parts") == []


def test_a_stated_sum_must_equal_its_terms() -> None:
    assert findings("新建村级道路18条、桥梁12座，维修道路5条、改造道路7条，合计12条。", "parts") == []
    (finding,) = findings("新建道路18条、维修道路13条，合计30条。", "parts")
    assert finding.severity == "error"


def test_qizhong_at_the_start_of_a_sentence_refers_to_the_last_total() -> None:
    text = "全镇共有监测户56户。其中，脱贫不稳定户20户，边缘易致贫户30户，突发严重困难户10户。"
    assert [f.severity for f in findings(text, "parts")] == ["warning"]
