"""The compiler's outline of a report: which catalogue figures each sub-section of 工作成效 prints and in
what order, the lead sentence said before them, the figures set aside, and where each office's narrative
entry goes. Pure: no Django; `services` loads and saves it as a `ReportOutline`.

An outline is kept per township and report kind, not per year, so that next year's 一季度 report is
arranged like this year's. A custom span (any months) takes the outline of the kind covering the same
months (1—6月 is 上半年's, 1—8月 is m8's), else one of its own named by its months ("span:3-8").

A figure the catalogue gains after the outline was saved is not printed until the compiler adds it: it is
offered (新增可选指标) until added or set aside (`dismissed`). Removing a figure sets it aside too, so that
it is not offered again; it can be restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from zhenwu.registers.definition import SECTIONS

if TYPE_CHECKING:
    from .catalogue import CatalogueEntry
    from .compose import Entry

SECTION_TITLES: dict[str, str] = dict(SECTIONS)
PARTS = {"highlights": "工作成效", "methods": "主要做法", "problems": "存在问题", "plans": "下步计划"}
LEAD_LIMIT = 200  # characters of a lead sentence: one or two sentences, not a paragraph of its own


@dataclass(frozen=True)
class Placement:
    """Where one narrative entry goes: a part, and for 工作成效 a sub-section ("" = 其他重点工作)."""

    entry: int
    part: str
    section: str = ""

    @property
    def code(self) -> str:
        """The page's one-select value: "highlights:economy", "methods"."""
        return f"{self.part}:{self.section}" if self.part == "highlights" else self.part


@dataclass
class Arrangement:
    sections: dict[str, list[str]] = field(default_factory=dict)  # sub-section -> catalogue keys, in order
    dismissed: list[str] = field(default_factory=list)  # keys set aside: neither printed nor offered
    leads: dict[str, str] = field(default_factory=dict)  # sub-section -> its lead sentence
    placement: list[Placement] = field(default_factory=list)  # in order
    labels: dict[str, str] = field(default_factory=dict)  # key -> label, to name a key with no value

    @property
    def keys(self) -> set[str]:
        return {key for keys in self.sections.values() for key in keys}

    def outline(self) -> dict[str, list[str]]:
        return {section: list(self.sections.get(section, [])) for section in SECTION_TITLES}


def outline_kind(code: str, start: date, end: date, kinds: dict[str, tuple[int, int]]) -> str:
    """The key an outline is saved under: the report kind's code (`kinds`: code -> its first and last
    month), or for a custom span the kind covering the same months, else "span:<first>-<last>"."""
    if code in kinds:
        return code
    for kind, months in kinds.items():
        if months == (start.month, end.month):
            return kind
    return f"span:{start.month}-{end.month}"


def default(found: Sequence[CatalogueEntry], entries: Sequence[Entry] = ()) -> Arrangement:
    """Every entry with a value, in the catalogue's order; each narrative entry in its own part."""
    sections: dict[str, list[str]] = {section: [] for section in SECTION_TITLES}
    for item in found:
        sections[item.section].append(item.key)
    return Arrangement(
        sections=sections,
        labels={item.key: item.label for item in found},
        placement=[Placement(e.id, e.section, e.subsection) for e in entries],
    )


def offered(arrangement: Arrangement, found: Iterable[CatalogueEntry]) -> list[CatalogueEntry]:
    """Figures with a value that the outline neither prints nor set aside: new since it was saved."""
    known = arrangement.keys | set(arrangement.dismissed)
    return [item for item in found if item.key not in known]


def unknown_keys(arrangement: Arrangement, known: set[str]) -> list[str]:
    return [key for key in [*arrangement.keys, *arrangement.dismissed] if key not in known]


def apply(arrangement: Arrangement, action: str, found: dict[str, CatalogueEntry]) -> Arrangement:
    """One button of the page: "up|economy|key", "down|…", "remove|economy|key", "add|key",
    "dismiss|key", "restore|key", "eup|<entry id>", "edown|<entry id>". Unknown actions change nothing."""
    verb, _, rest = action.partition("|")
    sections = {s: list(keys) for s, keys in arrangement.sections.items()}
    dismissed = list(arrangement.dismissed)
    placement = list(arrangement.placement)
    if verb in ("up", "down", "remove"):
        section, _, key = rest.partition("|")
        keys = sections.get(section, [])
        if key in keys:
            at = keys.index(key)
            if verb == "remove":
                keys.pop(at)
                dismissed.append(key)
            else:
                _swap(keys, at, -1 if verb == "up" else 1)
    elif verb in ("add", "restore") and rest not in arrangement.keys:
        dismissed = [k for k in dismissed if k != rest]
        if rest in found:  # one with no value this span stays out until it has one to add
            sections.setdefault(found[rest].section, []).append(rest)
    elif verb == "dismiss" and rest not in dismissed:
        dismissed.append(rest)
    elif verb in ("eup", "edown") and rest.isdigit():
        ids = [p.entry for p in placement]
        if int(rest) in ids:
            _swap(placement, ids.index(int(rest)), -1 if verb == "eup" else 1)
    labels = dict(arrangement.labels) | {key: item.label for key, item in found.items()}
    return replace(arrangement, sections=sections, dismissed=dismissed, placement=placement, labels=labels)


def _swap(items: list[Any], at: int, step: int) -> None:
    other = at + step
    if 0 <= other < len(items):
        items[at], items[other] = items[other], items[at]


def place(entries: Sequence[Entry], placement: Sequence[Placement]) -> list[Entry]:
    """The chosen entries in the parts and order the compiler placed them; an entry never placed (a new
    one, or a year whose entries the outline has not seen) keeps its own part, after the placed ones."""
    where = {p.entry: (n, p) for n, p in enumerate(placement)}
    placed = sorted((e for e in entries if e.id in where), key=lambda e: where[e.id][0])
    rest = [e for e in entries if e.id not in where]
    return [replace(e, section=where[e.id][1].part, subsection=where[e.id][1].section) for e in placed] + rest


def parse_placement(entry: int, code: str) -> Placement | None:
    """A select's value back to a placement; None for a value no part has."""
    part, _, section = code.partition(":")
    if part not in PARTS or (section and (part != "highlights" or section not in SECTION_TITLES)):
        return None
    return Placement(entry, part, section)


def placement_choices() -> list[tuple[str, str]]:
    highlights = [(f"highlights:{code}", f"工作成效·{title}") for code, title in SECTION_TITLES.items()]
    rest = [(part, title) for part, title in PARTS.items() if part != "highlights"]
    return [*highlights, ("highlights:", "工作成效·其他重点工作"), *rest]


# --- stored as JSON ----------------------------------------------------------------------------------


def placement_json(placement: Iterable[Placement]) -> list[dict[str, Any]]:
    return [{"entry": p.entry, "part": p.part, "section": p.section} for p in placement]


def placement_from_json(data: Iterable[dict[str, Any]]) -> list[Placement]:
    return [Placement(int(d["entry"]), str(d["part"]), str(d.get("section", ""))) for d in data]
