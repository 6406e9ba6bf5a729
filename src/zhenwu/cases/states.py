"""The life of a case: its states, and which transitions each party to a case may make.

Pure: the services decide which parties a user is to a case (dispatcher of its handling unit, its
handler, a verifier) and ask this module what those parties may do from the case's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    REPORTED = "reported"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    RETURNED = "returned"
    ESCALATED = "escalated"
    REJECTED = "rejected"
    REOPENED = "reopened"
    MERGED = "merged"


LABELS: dict[State, str] = {
    State.REPORTED: "上报",
    State.ACCEPTED: "受理",
    State.ASSIGNED: "已分派",
    State.IN_PROGRESS: "处置中",
    State.RESOLVED: "办结",
    State.VERIFIED: "核查销号",
    State.RETURNED: "退回",
    State.ESCALATED: "上报升级",
    State.REJECTED: "不予受理",
    State.REOPENED: "重新办理",
    State.MERGED: "重复合并",
}


class Outcome(StrEnum):
    """What a state says of the problem: still open, fixed, or closed without fixing."""

    OPEN = "open"
    FIXED = "fixed"
    NOT_FIXED = "not_fixed"


OUTCOMES: dict[State, Outcome] = {
    State.RESOLVED: Outcome.FIXED,
    State.VERIFIED: Outcome.FIXED,
    State.REJECTED: Outcome.NOT_FIXED,
    State.MERGED: Outcome.NOT_FIXED,
}

OPEN_STATES = frozenset(s for s in State if s not in OUTCOMES)
FIXED_STATES = frozenset(s for s, o in OUTCOMES.items() if o is Outcome.FIXED)


def outcome(state: State) -> Outcome:
    return OUTCOMES.get(state, Outcome.OPEN)


def is_open(state: State) -> bool:
    return state in OPEN_STATES


class Party(StrEnum):
    """How a user stands to a case."""

    DISPATCHER = "dispatcher"  # acts for the handling unit: accepts, assigns, escalates
    HANDLER = "handler"  # does the work: the assignee, or the handling office or unit
    VERIFIER = "verifier"  # checks the result: a dispatcher who did not resolve it


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[State]
    target: State | None  # None: the state stays (a deadline extension)
    parties: frozenset[Party]
    needs_note: bool = False
    note_label: str = "说明"


def _t(
    action: str,
    label: str,
    sources: set[State],
    target: State | None,
    parties: set[Party],
    needs_note: bool = False,
    note_label: str = "说明",
) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(parties), needs_note, note_label)


D, H, V = Party.DISPATCHER, Party.HANDLER, Party.VERIFIER
S = State
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("accept", "受理", {S.REPORTED, S.ESCALATED}, S.ACCEPTED, {D}),
        _t("reject", "不予受理", {S.REPORTED, S.ESCALATED}, S.REJECTED, {D}, True, "不予受理的理由"),
        _t("merge", "合并为重复事件", {S.REPORTED, S.ACCEPTED}, S.MERGED, {D}),
        _t("assign", "分派", {S.ACCEPTED, S.RETURNED, S.REOPENED, S.ASSIGNED}, S.ASSIGNED, {D}),
        _t("start", "开始处置", {S.ACCEPTED, S.ASSIGNED, S.REOPENED}, S.IN_PROGRESS, {H}),
        _t(
            "resolve",
            "办结",
            {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED},
            S.RESOLVED,
            {H},
            True,
            "办理结果",
        ),
        _t("return", "退回", {S.ASSIGNED, S.IN_PROGRESS}, S.RETURNED, {H}, True, "退回理由"),
        _t(
            "escalate",
            "上报升级",
            {S.REPORTED, S.ESCALATED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED, S.REOPENED},
            S.ESCALATED,
            {D, H},
            True,
            "升级理由",
        ),
        _t("verify", "核查销号", {S.RESOLVED}, S.VERIFIED, {V}),
        _t("reopen", "重新办理", {S.RESOLVED, S.VERIFIED}, S.REOPENED, {V}, True, "重新办理的理由"),
        _t(
            "follow_up",
            "跟进记录",
            (set(OPEN_STATES) - {S.REPORTED}) | {S.RESOLVED},
            None,
            {D, H},
            True,
            "跟进情况(如隐患整改复查)",
        ),
        _t(
            "extend",
            "延期",
            set(OPEN_STATES) - {S.REPORTED, S.ESCALATED},
            None,
            {D},
            True,
            "延期理由",
        ),
    ]
}


class IllegalTransition(Exception):
    """A transition the case's state or the user's part in it does not allow; the message is for the user."""


class WrongState(IllegalTransition):
    """The case's state does not allow the transition; the services add who put it in that state."""

    def __init__(self, transition: Transition, state: State) -> None:
        self.transition, self.state = transition, state
        super().__init__(f"事件当前状态为“{LABELS[state]}”，不能{transition.label}。")


PARTY_WORDS = {
    Party.DISPATCHER: "承办单位的工作人员",
    Party.HANDLER: "承办人",
    Party.VERIFIER: "未经办该事件的承办单位工作人员",
}


class NotAParty(IllegalTransition):
    """The user is none of the parties the transition is open to; the services say which rule keeps them
    out (their role, their unit or office, or having resolved the case themselves)."""

    def __init__(self, transition: Transition) -> None:
        self.transition = transition
        parties = "或".join(PARTY_WORDS[p] for p in Party if p in transition.parties)
        super().__init__(f"只有{parties}可以对该事件执行“{transition.label}”。")


def allowed(state: State, parties: frozenset[Party]) -> list[Transition]:
    """The transitions open to someone who is `parties` to a case in `state`, in the order shown."""
    return [t for t in TRANSITIONS.values() if state in t.sources and t.parties & parties]


def check(action: str, state: State, parties: frozenset[Party]) -> Transition:
    """The transition named `action`, or IllegalTransition saying why it may not be made."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise IllegalTransition(f"未知的操作：{action}。")
    if state not in transition.sources:
        raise WrongState(transition, state)
    if not transition.parties & parties:
        raise NotAParty(transition)
    return transition
