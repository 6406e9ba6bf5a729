"""How alike two short Chinese texts are: character bigrams, which need no word segmentation."""

from __future__ import annotations

PUNCTUATION = set(" \t\r\n,.;:!?，。；：！？、“”‘’\"'()（）【】[]《》-—")


def bigrams(text: str) -> set[str]:
    chars = [c for c in text.lower() if c not in PUNCTUATION]
    if len(chars) < 2:
        return {"".join(chars)} if chars else set()
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character bigrams, from 0.0 (nothing shared) to 1.0."""
    left, right = bigrams(a), bigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
