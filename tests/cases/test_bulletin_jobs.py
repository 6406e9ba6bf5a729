"""一周一通报 every Monday 08:00 and 一月一排名 on the 1st at 08:00: each township's file for the week or
month just ended, in the inboxes of its leaders and admins only, once per township and period; the files
open in python-docx and name their week or month."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document

import zhenwu.cases.bulletin_tasks  # noqa: F401  (cases/tasks.py imports it once the case jobs land)
from tests.cases.test_figures import build
from tests.conftest import Cast
from zhenwu.cases import bulletins
from zhenwu.jobs import services as jobs
from zhenwu.jobs.registry import job
from zhenwu.notifications.models import Kind, Notification

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def at(month: int, day: int, hour: int = 8) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


def run_on(time_machine: Any, moment: datetime, name: str) -> str:
    time_machine.move_to(moment)
    return jobs.run_job(name).summary


def inbox(username: str, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, kind=kind))


def opened(notification: Notification) -> Any:
    with notification.attachment.open("rb") as file:
        return Document(BytesIO(file.read()))


def test_the_bulletin_runs_on_mondays_at_eight_and_the_ranking_on_the_first_at_eight() -> None:
    bulletin, ranking = job("weekly_bulletin"), job("monthly_ranking")
    assert bulletin is not None and ranking is not None
    assert bulletin.schedule.describe() == "每周一 08:00" and ranking.schedule.describe() == "每月1日 08:00"
    # Wednesday 18 November: the next bulletin is Monday the 23rd, the next ranking 1 December.
    assert jobs.next_run(bulletin, at(11, 18, 10)) == at(11, 23)
    assert jobs.next_run(ranking, at(11, 18, 10)) == at(12, 1)


def test_monday_brings_last_weeks_bulletin_to_the_township_leaders_and_admin_as_a_docx(
    cast: Cast, types: dict, time_machine: Any
) -> None:
    build(cast)  # twelve cases this week, Wednesday 18 November

    summary = run_on(time_machine, at(11, 23), "weekly_bulletin")

    assert summary == "一周一通报(2026年11月16日—2026年11月22日)：2 个乡镇，送达 3 人"
    for username in ("admin", "leader"):
        [notification] = inbox(username, Kind.BULLETIN)
        assert notification.title == "示范镇事件办理一周一通报（11月16日—11月22日）"
        assert notification.body.startswith("11月16日—11月22日共收件12件，办结6件，办结率50.0%")
        assert notification.link == f"/cases/bulletin/{cast.township.code}/?date=2026-11-16"
        assert notification.attachment.name.endswith("一周一通报-示范镇-2026-11-16.docx")
        document = opened(notification)
        assert document.core_properties.title == "示范镇事件办理一周一通报（2026年11月16日—2026年11月22日）"
        assert [p.text for p in document.paragraphs[:2]] == [
            "示范镇事件办理一周一通报",
            "(2026年11月16日—2026年11月22日)",
        ]
        assert document.tables[0].rows[1].cells[0].text == "东岗村"
    for nobody in ("jingfa", "minzheng", "cun01", "wangge01", "xian"):
        assert inbox(nobody, Kind.BULLETIN) == [], nobody
    # The other county's township admin has his own township's bulletin, with none of 示范镇's figures.
    [theirs] = inbox("outsider", Kind.BULLETIN)
    assert theirs.title.startswith("外镇")
    assert "示范镇" not in "".join(p.text for p in opened(theirs).paragraphs)
    assert theirs.body.startswith("11月16日—11月22日共收件0件")


def test_the_first_brings_last_months_ranking_as_a_docx_naming_the_month(
    cast: Cast, types: dict, time_machine: Any
) -> None:
    build(cast)

    summary = run_on(time_machine, at(12, 1), "monthly_ranking")

    assert summary == "一月一排名(2026年11月)：2 个乡镇，送达 3 人"
    [notification] = inbox("leader", Kind.RANKING)
    assert notification.title == "示范镇事件办理一月一排名（2026年11月）"
    assert notification.link == f"/cases/ranking/{cast.township.code}/?date=2026-11-01"
    document = opened(notification)
    assert document.core_properties.title == "示范镇事件办理一月一排名（2026年11月）"
    assert document.paragraphs[0].text == "示范镇事件办理一月一排名"
    assert document.paragraphs[1].text.startswith("(2026年11月)")
    assert len(inbox("admin", Kind.RANKING)) == 1
    assert inbox("jingfa", Kind.RANKING) == [] and inbox("cun01", Kind.RANKING) == []


def test_running_again_delivers_and_renders_nothing_twice(cast: Cast, types: dict, time_machine: Any) -> None:
    build(cast)
    run_on(time_machine, at(11, 23), "weekly_bulletin")
    run_on(time_machine, at(12, 1), "monthly_ranking")
    made = Notification.objects.count()

    assert run_on(time_machine, at(11, 23, 9), "weekly_bulletin").endswith("：0 个乡镇，送达 0 人")
    assert run_on(time_machine, at(12, 1, 9), "monthly_ranking").endswith("：0 个乡镇，送达 0 人")
    assert Notification.objects.count() == made
    # The next week is a bulletin of its own.
    run_on(time_machine, at(11, 30), "weekly_bulletin")
    assert len(inbox("leader", Kind.BULLETIN)) == 2


def test_a_run_killed_after_the_admin_had_it_brings_it_to_the_leader_only(
    cast: Cast, types: dict, time_machine: Any
) -> None:
    time_machine.move_to(at(11, 23))
    leader = cast.user("leader")
    # What a run killed after its first recipient leaves: the admin has the bulletin, the leader not.
    bulletin = bulletins.weekly_bulletin(bulletins.scope.WHOLE_UNIT, cast.township, at(11, 16).date())
    key = f"bulletin:{cast.township.pk}:2026-11-16"
    bulletins.notify([cast.user("admin")], bulletins._bulletin_message(bulletin, key))

    bulletins.deliver_weekly_bulletins(at(11, 23))

    assert len(inbox("admin", Kind.BULLETIN)) == 1
    assert len(Notification.objects.filter(recipient=leader, key=key)) == 1
