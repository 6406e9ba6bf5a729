"""A figure's subject is a whole word or phrase of the sentence, never a stray piece of one:
"新增监测对象48人" counts 监测对象, not 象 (what was left of 对象 once 对 was taken for a preposition)."""

import pytest

from tests.reader.helpers import figures, only


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("新增监测对象48人。", "监测对象"),
        ("新增防返贫监测对象8户27人。", "防返贫监测对象"),
        ("截至11月18日，共有防返贫监测对象12户48人。", "防返贫监测对象"),
        ("全年纳入救助对象35户。", "救助对象"),
        ("评选和谐家庭20户。", "和谐家庭"),
        ("建成共同富裕示范村3个。", "共同富裕示范村"),
    ],
)
def test_a_word_that_begins_with_a_particle_stays_whole(sentence: str, subject: str) -> None:
    assert figures(sentence)[0].subject == subject


@pytest.mark.parametrize("sentence", ["新增对象48人。", "共有对象12户。", "其中和谐5户。"])
def test_no_subject_is_a_single_character_cut_from_a_word(sentence: str) -> None:
    subject = only(sentence).subject
    assert subject is None or len(subject) > 1, subject


def test_the_particles_themselves_are_still_dropped() -> None:
    assert only("对全镇企业开展安全检查，检查企业86家。").subject == "企业"
    assert only("截至目前，全镇共有在库项目15个。").subject == "在库项目"
