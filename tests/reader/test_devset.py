"""The reader on the development set: real township and street-office reports from the web, every figure,
subject and relation annotated (tests/reader/devset, each NAME.json names its source), and on the corpus.

The bar: recall ≥ 0.95, subject ≥ 0.85, every annotated inconsistency flagged, no error where the text
holds, and no error that covers no annotated inconsistency.
"""

from pathlib import Path

import pytest

from zhenwu.reader import gold

DEVSET = Path(__file__).parent / "devset"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "gold.json"
SETS = [pytest.param(DEVSET, id="devset")]
if CORPUS.is_file():
    SETS.append(pytest.param(CORPUS, id="corpus"))


def test_the_development_set_holds_at_least_twelve_sourced_reports() -> None:
    annotations = sorted(DEVSET.glob("*.json"))
    assert len(annotations) >= 12
    for annotation in annotations:
        assert annotation.with_suffix(".txt").is_file()
        assert '"source": "http' in annotation.read_text(encoding="utf-8"), annotation.name


@pytest.mark.parametrize("path", SETS)
def test_the_reader_reaches_the_bar(path: Path) -> None:
    score = gold.score(gold.load(path))
    assert score.recall >= 0.95, score.misses
    assert score.subject >= 0.85, score.wrong_subjects
    assert score.lost_findings == []
    assert score.false_errors == []
