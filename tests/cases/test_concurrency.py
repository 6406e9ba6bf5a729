"""Two people acting on the same case at once: one succeeds, the other is told to refresh; nothing is lost."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseEvent
from zhenwu.cases.states import State


def test_acting_on_a_version_someone_else_moved_on_is_refused(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障")
    seen = case.version
    services.transition(cast.user("leader"), case.pk, "accept", seen)
    with pytest.raises(services.StaleCase, match=r"该事件已被钱镇长于11月18日 10:\d\d处理（受理），请刷新"):
        services.transition(
            cast.user("admin"), case.pk, "reject", seen, services.TransitionInput(note="重复")
        )
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert list(case.events.values_list("action", flat=True)) == ["report", "accept"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database for a writer, so there is no row race to test; "
    "CI runs this on PostgreSQL",
)
def test_two_connections_racing_on_postgresql_leave_one_winner(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("leader"), cast.village01, "petition", "劳动保障")
    seen = case.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(username: str, action: str, note: str) -> None:
        try:
            barrier.wait()
            services.transition(
                cast.user(username), case.pk, action, seen, services.TransitionInput(note=note)
            )
            outcomes[username] = "ok"
        except Exception as refusal:  # recorded, so that any failure shows in the assertion below
            outcomes[username] = str(refusal)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=("leader", "accept", "")),
        threading.Thread(target=attempt, args=("admin", "reject", "不属受理范围")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = "accept" if outcomes["leader"] == "ok" else "reject"
    loser = outcomes["admin" if winner == "accept" else "leader"]
    assert "ok" in outcomes.values() and re.fullmatch(
        r"该事件已被(钱镇长|赵管理)于.+处理（(受理|不予受理)），请刷新", loser
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == seen + 1
    assert list(CaseEvent.objects.filter(case=fresh).values_list("action", flat=True)) == ["report", winner]
