"""Property tests: no input crashes the reader, and every offset slices back to its figure's text."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenwu.core.numbers import parse_chinese_integer, parse_quantity
from zhenwu.reader import analyse, to_json

# Characters reports are made of, weighted towards the ones the grammar cares about.
REPORT_CHARS = (
    "0123456789.,%％０１２３４５６７８９．xX×"
    "零〇一二两三四五六七八九十百千万亿个余多约近超以上左右"
    "元吨斤亩米平方公里户人家次条项处名所袋头羽台辆"
    "其中占的全镇总计合计共由到增长下降提高百分点率达完成投资面积亩产标准同比去年同期等和、"
    "，。；：（）()“”《》〔〕\n\r \t\u3000\ufeff-+/"
)
report_text = st.text(alphabet=REPORT_CHARS, max_size=300)
any_text = st.text(max_size=200)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(report_text)
def test_report_like_text_never_crashes_and_offsets_slice_back(text: str) -> None:
    audit = analyse(text)
    for figure in audit.figures:
        assert text[figure.start : figure.end] == figure.text
    ids = {f.id for f in audit.figures}
    assert all(set(finding.figures) <= ids for finding in audit.findings)


@SETTINGS
@given(any_text)
def test_arbitrary_unicode_never_crashes_the_reader(text: str) -> None:
    audit = analyse(text)
    for figure in audit.figures:
        assert text[figure.start : figure.end] == figure.text


@SETTINGS
@given(report_text)
def test_the_json_output_is_always_serialisable(text: str) -> None:
    json.dumps(to_json(analyse(text)), ensure_ascii=False)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12))
def test_integers_written_out_in_digits_parse_back(n: int) -> None:
    quantity = parse_quantity(str(n))
    assert quantity is not None and quantity.value == n


@SETTINGS
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", max_size=12))
def test_chinese_numeral_parsing_returns_a_number_or_none_and_never_raises(text: str) -> None:
    value = parse_chinese_integer(text)
    assert value is None or value >= 0
