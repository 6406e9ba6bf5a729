"""List counts: "2个项目（A、B）" or "A、B、C三项工程": the names listed match the number stated."""

from __future__ import annotations

import re

from zhenwu.reader.checks.common import Document, has_value
from zhenwu.reader.model import Figure, Finding, Severity
from zhenwu.reader.subject import after_first_verb

_MAX_COUNT = 50
_LIST_BACK = 80
_CLAUSE_ENDS = frozenset("，,。；;：:！!？?\n（(）)“”")
_PAREN = re.compile(r"[^，。；,;（(]{0,8}?[（(]([^（()）]{1,200})[）)]")
_LEAD = re.compile(r"^(?:包括|包含|含|即|分别是|分别为|为|是|[:：])+")
_SEPARATORS = re.compile(r"[、，,；;/]")
_JOINS = re.compile(r"和|及|与|以及")
_FIGURE_INSIDE = re.compile(r"\d|[xX]{2}")
_NOT_A_LIST = re.compile(r"以下简称|简称|下同|暂定|试行|草案|其中|不含|含\d")


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for figure in document.figures:
        if not _countable(figure):
            continue
        finding = _check_listed_after(document, figure) or _check_listed_before(document, figure)
        if finding is not None:
            findings.append(finding)
    return findings


def _countable(figure: Figure) -> bool:
    if figure.kind != "count" or not has_value(figure) or figure.approx or figure.value is None:
        return False
    return 1 <= figure.value <= _MAX_COUNT and figure.value == figure.value.to_integral_value()


def _item_range(content: str) -> tuple[int, int]:
    """Fewest and most items the text can list: names may themselves contain 和 (华邦保和)."""
    pieces = [p for p in _SEPARATORS.split(content) if p.strip()]
    joins = len(_JOINS.findall(content))
    return len(pieces), len(pieces) + joins


def _check_listed_after(document: Document, figure: Figure) -> Finding | None:
    match = _PAREN.match(document.view, figure.end)
    if match is None:
        return None
    content = _LEAD.sub("", match.group(1).strip())
    if not content or _FIGURE_INSIDE.search(content) or _NOT_A_LIST.search(content):
        return None
    return _judge(figure, content, has_etc="等" in content, certain=True)


def _list_region(view: str, start: int) -> str:
    """The words before a figure back to a comma or a stop; an enumeration comma does not end it."""
    i = start
    while i > max(0, start - _LIST_BACK) and view[i - 1] not in _CLAUSE_ENDS:
        i -= 1
    return view[i:start]


def _check_listed_before(document: Document, figure: Figure) -> Finding | None:
    region = after_first_verb(_list_region(document.view, figure.start)).lstrip("了")
    has_etc = "等" in region
    if has_etc:
        # "A、B等交通要道整治、C、D三项工程": what precedes 等 is one item's own examples.
        tail = region[region.rfind("等") + 1 :]
        if "、" in tail:
            region, has_etc = tail, False
    if "、" not in region or _FIGURE_INSIDE.search(region):
        return None
    # The list before a figure is read less surely than one in brackets: never more than a warning.
    return _judge(figure, region.rstrip("等"), has_etc, certain=False)


def _judge(figure: Figure, content: str, has_etc: bool, certain: bool) -> Finding | None:
    assert figure.value is not None
    count = int(figure.value)
    fewest, most = _item_range(content)
    if fewest < 2 and most < 2:
        return None
    if has_etc:
        if count >= fewest:
            return None
        severity: Severity = "warning"
    elif fewest <= count <= most:
        return None
    else:
        severity = "error" if certain else "warning"
    listed = fewest if fewest == most else f"{fewest}至{most}"
    message = f"列举数目不符：文中说{figure.text.strip()}，列出的名称有{listed}个（{content.strip()}）。"
    return Finding(
        rule="list_count",
        severity=severity,
        message=message,
        figures=(figure.id,),
        relation=f"{figure.text.strip()} = 列出的{listed}个名称",
        pairing="stated" if certain else "inferred",
    )
