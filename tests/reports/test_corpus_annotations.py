"""The annotation of the real Q1 report (tests/reports/corpus/002_figures.json) holds what it quotes: each
figure's text at its offsets in the report, inside its quote, and what each figure needs by its kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ANNOTATIONS = json.loads((Path(__file__).resolve().parent / "corpus" / "002_figures.json").read_text("utf-8"))
KINDS = ("indicator", "project", "case", "household", "text")


@pytest.mark.skipif(not (CORPUS / ANNOTATIONS["doc"]).is_file(), reason=f"corpus not found at {CORPUS}")
def test_each_figure_is_its_quote_at_its_offsets() -> None:
    text = (CORPUS / ANNOTATIONS["doc"]).read_text(encoding="utf-8")
    for figure in ANNOTATIONS["figures"]:
        assert figure["doc"] == ANNOTATIONS["doc"]
        start, end = figure["start"], figure["end"]
        assert text[start:end] == figure["text"], figure
        inside = figure["quote"].index(figure["text"])
        assert text[start - inside : start - inside + len(figure["quote"])] == figure["quote"], figure


def test_each_figure_says_what_it_is_and_where_a_township_keeps_it() -> None:
    starts = [f["start"] for f in ANNOTATIONS["figures"]]
    assert starts == sorted(set(starts))
    for figure in ANNOTATIONS["figures"]:
        assert figure["kind"] in KINDS or figure["kind"].startswith("register:"), figure
        if figure.get("context"):
            assert figure["reason"] and "missing_reason" not in figure, figure
        else:
            assert figure["value"] is not None and figure["unit"] and figure["near"] and figure["source"], (
                figure
            )
