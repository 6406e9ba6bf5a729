"""`make demo` gives every demo user who acts something on their to-do list, and each item opens the page
where it is done, offering the user the action it asks for."""

from __future__ import annotations

from django.test import Client

from tests.conftest import Cast
from tests.demo_snapshot import load_demo
from zhenwu.notifications.todo import TodoKind, todo_list

# The kinds each demo account finds on the suite's day (2026-11-18): the leader approves risk
# eliminations; the admin checks resolved cases; the office accepts its project problems, marks a
# milestone done and writes for the annual report; the safety office accepts, handles and checks its
# hazards and writes for the report; the village and the grid worker visit households.
EXPECTED = {
    "admin": {TodoKind.VERIFY},
    "leader": {TodoKind.APPROVAL},
    "jingfa": {TodoKind.ACCEPT, TodoKind.MILESTONE, TodoKind.NARRATIVE},
    "minzheng": {TodoKind.APPROVAL, TodoKind.NARRATIVE},
    "anquan": {TodoKind.ACCEPT, TodoKind.HANDLE, TodoKind.VERIFY, TodoKind.NARRATIVE},
    "cun01": {TodoKind.ACCEPT, TodoKind.HANDLE, TodoKind.VISIT},
    "cun02": {TodoKind.ACCEPT, TodoKind.HANDLE, TodoKind.VERIFY},
    "wangge01": {TodoKind.VISIT},
    "xian": set(),
}
# What the case page offers for each kind of case item.
CASE_ACTIONS = {
    TodoKind.ACCEPT: {"accept"},
    TodoKind.HANDLE: {"assign", "start", "resolve"},
    TodoKind.VERIFY: {"verify"},
}


def test_the_demo_users_each_see_what_waits_for_them(cast: Cast, client: Client) -> None:
    load_demo()
    for username, kinds in EXPECTED.items():
        user = cast.user(username)
        listed = todo_list(user)
        assert {kind for kind, _ in listed.kinds()} == kinds, username
        client.force_login(user)
        for item in listed.items:
            page = client.get(item.link.split("#")[0])
            assert page.status_code == 200, (username, item)
            if item.kind in CASE_ACTIONS:
                offered = {
                    a for a in CASE_ACTIONS[item.kind] if f'data-action="{a}"' in page.content.decode()
                }
                assert offered, (username, item)
    overdue = todo_list(cast.user("cun01"))
    assert overdue.overdue_count and overdue.items[0].overdue
