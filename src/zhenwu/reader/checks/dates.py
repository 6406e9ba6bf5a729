"""Dates: a claim of days overdue or days left must agree with the day the report speaks from
("计划12月28日完成，已逾期3天" cannot be written on 2 December).

The report's date is the one the caller gives (`zhenwu check --date`), else the date the report
signs with (its 落款, or a date line under the title); without one nothing is checked. A date written
without its year ("12月28日") is in the report's year. Days are counted as the report's date minus
the due date; a report may also count to a cut-off date it states ("截至11月30日").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from zhenwu.core.numbers import parse_chinese_integer
from zhenwu.reader.checks.common import Document
from zhenwu.reader.model import Figure, Finding, Pairing, Severity

_CN = "零〇一二两三四五六七八九十"
_NUMBER = rf"\d{{1,4}}|[{_CN}]{{1,4}}"
_DATE = re.compile(
    rf"(?:(?P<year>{_NUMBER})[ \u3000]*年[ \u3000]*)?"
    rf"(?P<month>{_NUMBER})[ \u3000]*月[ \u3000]*(?P<day>{_NUMBER})[ \u3000]*[日号]"
)
# A line that is only a date: the signature date at the end, or "（2026年12月2日）" under the title.
_DATE_LINE = re.compile(
    rf"^[ \u3000\t]*[（(]?[ \u3000]*(?P<year>{_NUMBER})[ \u3000]*年[ \u3000]*(?P<month>{_NUMBER})"
    rf"[ \u3000]*月[ \u3000]*(?P<day>{_NUMBER})[ \u3000]*日[ \u3000]*[）)]?[ \u3000\t\r]*$"
)
_CUT_OFF = re.compile(r"(?:截至|截止)(?:到|至|于)?[ \u3000]*$")
_OVERDUE = re.compile(r"(?:逾期|超期|超时|延期|拖期)了?[ \u3000]*(?P<days>\d+)[ \u3000]*天")
_LEFT = re.compile(r"(?:剩余|还剩|仅剩|尚余|还有|只有|仅有)[ \u3000]*(?P<days>\d+)[ \u3000]*天")
# Words that make a date a deadline: a start date ("12月1日开工") is not what days overdue count from.
_DEADLINE_BEFORE = re.compile(
    r"(?:计划|预计|要求|限期|截止|应于|应在|须于|需于|距离?|离|期限为?|到期日?为?)[ \u3000]*$"
)
_DEADLINE_AFTER = re.compile(
    r"[ \u3000]*(?:前|之前|以前|完成|完工|竣工|到期|办结|整改|交付|投用|投产|上报|报送|提交|截止)"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_EDGE_LINES = 6
_LOOK_BACK = 120


@dataclass(frozen=True, slots=True)
class _Claim:
    overdue: bool
    days: int
    start: int
    end: int


def check(document: Document) -> list[Finding]:
    dated = document.dated or document_date(document.audit.text)
    if dated is None:
        return []
    references = [dated, *_cut_off_dates(document, dated.year)]
    findings: list[Finding] = []
    for claim in _claims(document):
        finding = _check_claim(document, claim, dated, references)
        if finding is not None:
            findings.append(finding)
    return findings


def document_date(text: str) -> date | None:
    """The date a report signs with: a date line among its last lines, else one among its first."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in [*reversed(lines[-_EDGE_LINES:]), *lines[:_EDGE_LINES]]:
        match = _DATE_LINE.match(line)
        if match is not None:
            found = _to_date(match, None)
            if found is not None:
                return found
    return None


def _number(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else parse_chinese_integer(text)


def _to_date(match: re.Match[str], year: int | None) -> date | None:
    written_year = _number(match["year"])
    month, day = _number(match["month"]), _number(match["day"])
    chosen = written_year if written_year is not None else year
    if chosen is None or month is None or day is None:
        return None
    try:
        return date(chosen, month, day)
    except ValueError:
        return None


def _cut_off_dates(document: Document, year: int) -> list[date]:
    """Dates the report counts to ("截至11月30日"), which a count of days may use instead."""
    found: list[date] = []
    for match in _DATE.finditer(document.view):
        if _CUT_OFF.search(document.view, max(0, match.start() - 4), match.start()):
            cut_off = _to_date(match, year)
            if cut_off is not None:
                found.append(cut_off)
    return found


def _claims(document: Document) -> list[_Claim]:
    claims = [_Claim(True, int(m["days"]), m.start(), m.end()) for m in _OVERDUE.finditer(document.view)]
    claims += [_Claim(False, int(m["days"]), m.start(), m.end()) for m in _LEFT.finditer(document.view)]
    return claims


def _due_dates(document: Document, claim: _Claim, year: int) -> list[tuple[re.Match[str], date]]:
    """Dates stated earlier in the claim's sentence, nearest last; not the cut-off dates."""
    window = max(0, claim.start - _LOOK_BACK)
    ends = [m.end() for m in _SENTENCE_END.finditer(document.view, window, claim.start)]
    start = ends[-1] if ends else window
    found: list[tuple[re.Match[str], date]] = []
    for match in _DATE.finditer(document.view, start, claim.start):
        if _CUT_OFF.search(document.view, max(0, match.start() - 4), match.start()):
            continue
        if not _is_deadline(document, match):
            continue
        due = _to_date(match, year)
        if due is not None:
            found.append((match, due))
    return found


def _is_deadline(document: Document, match: re.Match[str]) -> bool:
    view = document.view
    before = view[max(0, match.start() - 4) : match.start()]
    return bool(_DEADLINE_BEFORE.search(before) or _DEADLINE_AFTER.match(view, match.end(), match.end() + 4))


def _check_claim(document: Document, claim: _Claim, dated: date, references: list[date]) -> Finding | None:
    dues = _due_dates(document, claim, dated.year)
    if not dues:
        return None
    match, due = dues[-1]
    # A year left out may also be the year before (a report of January on a December deadline) or after.
    written_year = match["year"] is not None
    options = [due] if written_year else _near_years(due)
    if any(_holds(claim, option, reference) for option in options for reference in references):
        return None
    counted = _days(claim, due, dated)
    off_by_one = any(
        abs(_days(claim, option, ref) - claim.days) == 1 for option in options for ref in references
    )
    pairing: Pairing = "stated" if len(dues) == 1 else "inferred"
    severity: Severity = "info" if off_by_one and counted >= 0 else "error"
    return _finding(document, claim, match.group(), dated, counted, severity, pairing)


def _near_years(due: date) -> list[date]:
    options = [due]
    for shift in (-1, 1):
        try:
            options.append(due.replace(year=due.year + shift))
        except ValueError:
            continue
    return options


def _days(claim: _Claim, due: date, reference: date) -> int:
    """Days overdue (reference − due) or days left (due − reference)."""
    delta: timedelta = reference - due if claim.overdue else due - reference
    return delta.days


def _holds(claim: _Claim, due: date, reference: date) -> bool:
    return _days(claim, due, reference) == claim.days


def _finding(
    document: Document,
    claim: _Claim,
    due_text: str,
    dated: date,
    counted: int,
    severity: Severity,
    pairing: Pairing,
) -> Finding:
    figure = _figure_at(document, claim)
    written = document.audit.text[claim.start : claim.end]
    shown = f"{dated.year}年{dated.month}月{dated.day}日"
    if counted < 0:
        state = "尚未到期" if claim.overdue else "已经过期"
        what = f"报告日期{shown}时，{due_text}{state}"
    else:
        what = (
            f"报告日期{shown}与{due_text}相差{counted}天"
            if claim.overdue
            else f"{due_text}距报告日期{shown}还有{counted}天"
        )
    message = f"日期不符：{what}，文中写作“{written}”。"
    if severity == "info":
        message += "相差1天，可能是计数方式不同，请核实。"
    return Finding(
        rule="dates",
        severity=severity,
        message=message,
        figures=(figure.id,) if figure is not None else (),
        relation=f"{shown}−{due_text}" if claim.overdue else f"{due_text}−{shown}",
        pairing=pairing,
        span=(claim.start, claim.end),
    )


def _figure_at(document: Document, claim: _Claim) -> Figure | None:
    for figure in document.figures:
        if claim.start <= figure.start < claim.end:
            return figure
    return None
