"""Every action the code base can record has its Chinese name in one mapping: the log's own actions, and
each step a case's event can record, found by reading the calls that record them."""

from __future__ import annotations

import ast
from pathlib import Path

from auditlog.models import LogEntry

import zhenwu
from zhenwu.activity.services import ACTION_LABELS
from zhenwu.cases.models import EVENT_ACTION_LABELS, CaseEvent
from zhenwu.cases.states import TRANSITIONS

SOURCE = Path(zhenwu.__file__).parent

# The calls that record a case event, and which argument carries the action code.
RECORD_CALLS = {"_append_event": 2, "_event": 1}
# Lists of (action, …) steps that the ledger import and the demo turn into events.
STEP_LISTS = {"steps", "chain"}


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _first_strings(node: ast.AST) -> set[str]:
    """The action codes leading the tuples of a step list."""
    found: set[str] = set()
    for n in ast.walk(node):
        first = n.elts[0] if isinstance(n, ast.Tuple) and n.elts else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def recorded_event_actions() -> set[str]:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "migrations" in path.parts or ("CaseEvent" not in text and "_append_event" not in text):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call):
                called = _name(node.func)
                if called in RECORD_CALLS and len(node.args) > RECORD_CALLS[called]:
                    codes |= _strings(node.args[RECORD_CALLS[called]])
                for keyword in node.keywords:
                    if keyword.arg == "action" and called in {"CaseEvent", "create"}:
                        codes |= _strings(keyword.value)
                if called == "append" and _name(getattr(node.func, "value", node.func)) in STEP_LISTS:
                    codes |= _first_strings(node)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_name(t) in STEP_LISTS for t in targets) and node.value is not None:
                    codes |= _first_strings(node.value)
    return codes


def test_the_scan_finds_the_calls_that_record_events() -> None:
    found = recorded_event_actions()
    assert {"report", "escalate", "notice", "publish", "unpublish", "resolve", "verify"} <= found


def test_every_case_event_action_the_code_can_record_has_a_chinese_name() -> None:
    codes = recorded_event_actions() | set(TRANSITIONS)
    unnamed = sorted(c for c in codes if not EVENT_ACTION_LABELS.get(c))
    assert unnamed == []


def test_an_event_shows_its_action_by_the_one_mapping() -> None:
    assert CaseEvent(action="resolve").action_label == EVENT_ACTION_LABELS["resolve"] == "办结"
    assert CaseEvent(action="notice").action_label == "签发整改通知书"


def test_every_action_of_the_log_itself_has_a_chinese_name() -> None:
    assert {a: ACTION_LABELS.get(a) for a, _ in LogEntry.Action.choices} == {
        LogEntry.Action.CREATE: "新增",
        LogEntry.Action.UPDATE: "修改",
        LogEntry.Action.DELETE: "删除",
        LogEntry.Action.ACCESS: "查看",
    }
