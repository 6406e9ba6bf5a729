"""Precision first: an error only where the text itself pairs the figures, checked at their own precision.

The sentences are those of real township reports that made the reader cry wolf, or miss a real error.
"""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reader.helpers import errors, findings
from zhenwu.reader import analyse, to_json

# The report used 199 as its base while stating 198: each share is right for 199, wrong for 198.
WRONG_BASE = (
    "全村共有农户198户471人，其中一般农户120户183人，"
    "占比60.3%；脱贫户45户，占比22.6%；监测户33户，占比16.6%。"
)
RIGHT_BASE = (
    "全村共有农户198户471人，其中一般农户120户183人，"
    "占比60.6%；脱贫户45户，占比22.7%；监测户33户，占比16.7%。"
)


def test_shares_that_all_point_to_another_base_are_reported_once_with_that_base() -> None:
    (finding,) = findings(WRONG_BASE, "share")
    assert "199户" in finding.message and "「198户」" in finding.message
    assert "60.3%" in finding.message and "22.6%" in finding.message
    assert finding.severity == "error"


def test_a_share_is_never_paired_with_the_people_when_the_households_hold() -> None:
    assert findings(RIGHT_BASE, "share") == []
    assert "183人" not in " ".join(f.message for f in findings(WRONG_BASE, "share"))


def test_a_share_rounded_to_a_whole_percent_passes() -> None:
    assert findings("全村共有监测户198户，其中突发严重困难户4户，占2%。", "share") == []


def test_a_stated_share_is_checked_at_its_own_precision() -> None:
    """2% covers 1.5–2.5%: 4/198 = 2.02% passes, 6/198 = 3.03% does not."""
    assert findings("全村共有监测户198户，其中突发严重困难户6户，占2%。", "share") != []


def test_zhanbi_bizhong_and_zhan_de_are_checked_alike() -> None:
    for written in ("占18.6%", "占比18.6%", "占全部监测户的18.6%", "比重为18.6%"):
        text = f"全镇共有监测户1246户，其中脱贫户269户，{written}。"
        (finding,) = findings(text, "share")
        assert finding.severity == "error", written
        assert "21.59%" in finding.message


def test_a_whole_written_inside_the_share_is_the_stated_one() -> None:
    (finding,) = findings("财政收入完成1318万元，占全年任务2355万元的60%。", "share")
    assert finding.severity == "error" and finding.pairing == "stated"
    assert "55.97%" in finding.message


def test_a_completion_of_a_target_written_with_wei_is_a_share_of_it() -> None:
    assert findings("全镇财税总收入累计完成419万元，为全年任务740万元的56.6%。", "share") == []
    assert findings("全镇财税总收入累计完成419万元，为全年任务740万元的66.6%。", "share") != []


def test_a_part_bigger_than_a_total_the_reader_may_have_mistaken_is_only_a_hint() -> None:
    text = "全村共有农户198户471人，今年新纳入监测1户3人，其中脱贫户120户183人、一般农户78户288人。"
    assert errors(text) == []
    assert {f.severity for f in findings(text, "parts")} <= {"info"}


def test_parts_after_a_semicolon_are_not_an_error_against_the_revenue_total() -> None:
    text = (
        "财政一般预算收入任务174万，完成198万，其中税收性一般预算收入完成174万；"
        "财政支出年初预算1184万，调整预算1506万，实现支出1504万。"
    )
    assert errors(text) == []


def test_the_whole_of_a_share_is_not_the_total_of_the_parts_after_it() -> None:
    text = (
        "财政收入完成1318万元，占全年任务2355万元的60%。"
        "其中国税累计完成161万元，地税累计完成778万元，其他380万元。"
    )
    assert findings(text, "parts") == []
    over = (
        "财税总收入累计完成419万元，为全年任务740万元的56.6%。"
        "其中国税收入70万元，为全年任务的51%；地税收入375万元。"
    )
    (finding,) = findings(over, "parts")
    assert "419万元" in finding.message and finding.severity == "warning"


def test_every_error_says_what_it_checked_and_how_sure_the_pairing_is() -> None:
    audit = analyse("全镇共有在建项目30个，其中工业项目38个。财政收入完成1318万元，占全年任务2355万元的60%。")
    shown = to_json(audit)["findings"]
    assert {f["severity"] for f in shown} == {"error"}
    assert all(f["relation"] and f["pairing"] == "stated" for f in shown)


def test_blanks_and_placeholders_in_figures_and_years_are_flagged() -> None:
    text = "20xx年，兑付资金万元，无害化卫生厕所改建任务完成率%，育肥牛羊20xx0头(只)。"
    messages = " ".join(f.message for f in findings(text, "placeholder"))
    assert "20xx年" in messages and "兑付资金万元" in messages and "完成率%" in messages
    assert "20xx0头" in messages
    assert findings("共引进过千万元的项目10个，过亿元的4个，上万元的设备3台。", "placeholder") == []


def test_an_output_value_that_gives_no_possible_price_is_flagged() -> None:
    (finding,) = findings("种植柠檬4000余亩，产量4820吨，产值达77.12万元。", "plausibility")
    assert "0.16元" in finding.message
    assert findings("种植柠檬4000余亩，产量4820吨，产值达2892万元。", "plausibility") == []


def test_one_thing_counted_in_two_units_has_one_subject() -> None:
    audit = analyse("全镇共有建档立卡贫困户745户1456人，其中未脱贫贫困户767户、计2183人。")
    assert [f.subject for f in audit.figures] == ["建档立卡贫困户"] * 2 + ["未脱贫贫困户"] * 2


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=20, max_value=5000),
    cuts=st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=4),
    digits=st.sampled_from([0, 1, 2]),
    form=st.sampled_from(["占{p}%", "占比{p}%", "占全部农户的{p}%"]),
)
def test_a_consistent_paragraph_of_parts_and_shares_gives_no_error(
    total: int, cuts: list[int], digits: int, form: str
) -> None:
    parts = [max(1, total * c // 400) for c in cuts]
    clauses = []
    for n, part in enumerate(parts):
        share = (Decimal(part) * 100 / total).quantize(Decimal(1).scaleb(-digits))
        clauses.append(f"第{'一二三四'[n]}类农户{part}户，" + form.format(p=share))
    text = f"全村共有农户{total}户，其中" + "；".join(clauses) + "。"
    assert errors(text) == [], text


ERROR_SENTENCES = [
    "全镇共有在建项目30个，其中工业项目38个。",
    "财政收入完成1318万元，占全年任务2355万元的60%。",
    "新建道路18条、维修道路13条，合计30条。",
    "受理群众诉求2487件，已办结2333件，办结率83.8%。",
    "全镇完成投资50000万元，上年同期40000万元，同比增长35%。",
    "小麦播种面积3万亩，平均亩产400公斤，总产1500万公斤。",
    "建成文化广场、农家书屋、卫生室2个。",
]


def test_every_check_that_makes_an_error_names_the_relation() -> None:
    made = [f for text in ERROR_SENTENCES for f in analyse(text).findings if f.severity == "error"]
    assert len({f.rule for f in made}) >= 5
    assert all(f.relation for f in made), [f.message for f in made if not f.relation]
