"""Small readers for tests: the figures and findings of a text, by what a test cares about."""

from __future__ import annotations

from zhenwu.reader import Figure, Finding, analyse


def figures(text: str) -> list[Figure]:
    return analyse(text).figures


def texts(text: str) -> list[str]:
    return [f.text for f in analyse(text).figures]


def only(text: str) -> Figure:
    found = analyse(text).figures
    assert len(found) == 1, [f.text for f in found]
    return found[0]


def findings(text: str, rule: str) -> list[Finding]:
    return [f for f in analyse(text).findings if f.rule == rule]


def errors(text: str) -> list[Finding]:
    return [f for f in analyse(text).findings if f.severity == "error"]
