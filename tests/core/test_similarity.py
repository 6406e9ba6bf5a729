"""Text similarity for duplicate detection: same words score high, unrelated text low, symmetric."""

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.similarity import similarity


def test_the_same_complaint_in_other_words_scores_higher_than_an_unrelated_one() -> None:
    original = "东岗村村口垃圾堆放多日无人清运，气味很大"
    again = "村口垃圾堆放好几天了，没人清运"
    unrelated = "邻里因宅基地边界发生纠纷"
    assert similarity(original, again) > 0.2
    assert similarity(original, unrelated) < 0.1


@given(st.text(max_size=40), st.text(max_size=40))
def test_similarity_is_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@given(st.text(alphabet="东西南北垃圾清运纠纷路灯", min_size=2, max_size=30))
def test_a_text_is_wholly_similar_to_itself(a: str) -> None:
    assert similarity(a, a) == 1.0
