"""The reader's scores on the development set of real reports and on the shared corpus.

usage: python bench/reader_devset.py

Prints recall, subject accuracy, findings kept and false errors for each set, with what was missed, and
writes bench/results/reader_devset.json. The bar (issue 21): recall ≥ 0.95, subject ≥ 0.85, every annotated
inconsistency flagged and no false error, on both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhenwu.reader import gold  # noqa: E402

SETS = {
    "devset": ROOT / "tests" / "reader" / "devset",
    "corpus": ROOT.parent / "shared" / "corpus" / "gold.json",
}
RESULTS = ROOT / "bench" / "results" / "reader_devset.json"


def main() -> None:
    results = {}
    for name, path in SETS.items():
        if not path.exists():
            print(f"{name}: not found at {path}")
            continue
        score = gold.score(gold.load(path))
        results[name] = score.as_dict()
        print(
            f"{name}: recall={score.recall:.3f} ({score.found}/{score.figures}) "
            f"subject={score.subject:.3f} ({score.subjects_right}/{score.subjects}) "
            f"findings={score.findings_kept}/{score.findings} false_errors={len(score.false_errors)}"
        )
        for line in score.misses + score.wrong_subjects + score.lost_findings + score.false_errors:
            print("  ", line)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
