"""Redaction for the public feed: names after 联系人/姓名, phones, identity numbers and household doors go,
whatever surrounds them and however the digits are typed; the rest of the text stays as written."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from zhenwu.cases.redaction import MARK, redact
from zhenwu.core import idcard

# Text around the personal data: Chinese, punctuation and latin letters, but no digits (a digit next to
# a phone number makes a longer number, which is a different thing) and no label words.
HAN = "路灯不亮垃圾清运村口东西南北河边桥头反映请尽快处理已到现场"
filler = st.text(alphabet=HAN + "，。；！ \nabcXYZ", max_size=30)
mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
surnames = st.sampled_from("张王李赵刘陈杨黄周吴欧阳")
given_names = st.text(alphabet="伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚", min_size=1, max_size=2)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def groups(number: str) -> str:
    return f"{number[:3]} {number[3:7]} {number[7:]}"


@given(st.text())
@example("联系人：张三、李四，电话13800138000")
@example("3组12号门口")
def test_redacting_twice_changes_nothing_more(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(filler, mobiles, filler, st.sampled_from([str, groups, lambda n: n.translate(FULL_WIDTH)]))
def test_a_mobile_number_never_survives_however_it_is_written(
    before: str, number: str, after: str, write: object
) -> None:
    written = write(number)  # type: ignore[operator]
    published = redact(before + written + after)
    assert written not in published and number not in published
    assert MARK in published


@given(filler, st.from_regex(r"\A0[1-9][0-9]{1,2}\Z"), st.from_regex(r"\A[2-9][0-9]{6,7}\Z"), filler)
def test_a_landline_with_its_area_code_never_survives(before: str, area: str, local: str, after: str) -> None:
    for written in (f"{area}-{local}", f"({area}){local}", f"{area}{local}"):
        assert local not in redact(f"{before}{written}{after}")


@given(
    filler,
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 18)),
    st.integers(0, 999),
    filler,
)
def test_an_identity_number_never_survives(
    before: str, region: str, birth: date, seq: int, after: str
) -> None:
    number = idcard.compose(region, birth, seq)
    published = redact(f"{before}身份证{number}{after}")
    assert number not in published and number[6:14] not in published


LABELS = ["联系人", "联系人：", "姓名:", "姓名是", "户主：", "当事人: "]


@given(st.sampled_from(LABELS), surnames, given_names)
def test_a_name_given_after_its_label_goes_and_the_label_stays(label: str, surname: str, name: str) -> None:
    for after in ("，电话未留", "反映村口路灯不亮", "。", "", "先生反映"):
        published = redact(f"村民{label}{surname}{name}{after}")
        assert f"{label}{surname}{name}" not in published
        assert published.startswith(f"村民{label}{MARK}") and published.endswith(after)


@given(st.integers(1, 30), st.integers(1, 300), filler)
def test_a_households_door_goes_and_its_group_stays(group: int, door: int, after: str) -> None:
    assert redact(f"住东岗村{group}组{door}号{after}") == f"住东岗村{group}组{MARK}{after}"


@given(st.text(alphabet=HAN + "，。；！？、（）《》 \n\tabcXYZ-_*", max_size=200))
def test_text_without_digits_or_labels_is_left_exactly_as_written(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "2026年11月18日上午，12345热线转办，全村共1200户、3个村民小组",
        "人民路8号楼下有积水，约30平方米",
        "请于11月20号前清运；涉及资金15000元",
    ],
)
def test_dates_counts_amounts_and_hotline_numbers_are_not_personal_data(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("联系人：张三，电话13800138000，住东岗村3组12号", f"联系人：{MARK}，电话{MARK}，住东岗村3组{MARK}"),
        ("姓名李四 身份证420102199001011234", f"姓名{MARK} 身份证{MARK}"),
        ("联系人：张三、李四反映", f"联系人：{MARK}、{MARK}反映"),
        ("请拨打027-87654321或（０７１６）８１２３４５６", f"请拨打{MARK}或{MARK}"),
        ("座机：8123456", f"座机：{MARK}"),
        ("人民路8号门口", f"人民路{MARK}门口"),
        ("3栋2单元401室漏水", f"{MARK}漏水"),
        ("手机＋８６ １３８００１３８０００", f"手机{MARK}"),
        ("银行卡6222020200112233445", f"银行卡{MARK}"),
    ],
)
def test_worked_examples(text: str, published: str) -> None:
    assert redact(text) == published
