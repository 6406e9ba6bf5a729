"""一周一通报 and 一月一排名 delivered: each township's file for the week or month just ended, made as the
bulletin and ranking pages make it, put in the inboxes of its leaders and admins as an attachment.

Once per township and period: the key names both, and a township whose leaders all have it already is
neither counted nor rendered again, so the job may run twice or be run again after a killed worker.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from zhenwu.documents.model import date_text
from zhenwu.notifications.models import Kind, Notification
from zhenwu.notifications.services import Message, notify
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role, User

from . import outputs
from .services import Bulletin, Figures, Ranking, month_of, ranking, week_of, weekly_bulletin

LEADERS = [Role.TOWNSHIP_LEADER, Role.TOWNSHIP_ADMIN]


def deliver_weekly_bulletins(now: datetime) -> str:
    """Each township's bulletin of the week (Monday to Sunday) before the one `now` falls in."""
    start, end = week_of(timezone.localdate(now) - timedelta(days=7))
    files = told = 0
    for township in OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).order_by("path"):
        key = f"bulletin:{township.pk}:{start:%Y-%m-%d}"
        recipients = _leaders_without(township, key)
        if not recipients:
            continue
        bulletin = weekly_bulletin(scope.WHOLE_UNIT, township, start)
        files += 1
        told += notify(recipients, _bulletin_message(bulletin, key))
    return f"一周一通报({date_text(start)}—{date_text(end)})：{files} 个乡镇，送达 {told} 人"


def deliver_monthly_rankings(now: datetime) -> str:
    """Each township's ranking of its villages in the month before the one `now` falls in."""
    start, end = month_of(timezone.localdate(now).replace(day=1) - timedelta(days=1))
    files = told = 0
    for township in OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).order_by("path"):
        key = f"ranking:{township.pk}:{start:%Y-%m}"
        recipients = _leaders_without(township, key)
        if not recipients:
            continue
        ranked = ranking(scope.WHOLE_UNIT, township, start, end, OrgKind.VILLAGE)
        files += 1
        told += notify(recipients, _ranking_message(ranked, key))
    return f"一月一排名({start.year}年{start.month}月)：{files} 个乡镇，送达 {told} 人"


def _leaders_without(township: OrgUnit, key: str) -> list[User]:
    """The township's leaders and admins who have not had the notification `key`."""
    had = Notification.objects.filter(recipient=OuterRef("pk"), key=key)
    leaders = User.objects.filter(is_active=True, org_unit=township, role__in=LEADERS)
    return list(leaders.exclude(Exists(had)).order_by("pk"))


def _bulletin_message(bulletin: Bulletin, key: str) -> Message:
    unit, start, end, total = bulletin.unit, bulletin.start, bulletin.end, bulletin.report.total
    week = f"{start.month}月{start.day}日—{end.month}月{end.day}日"
    return Message(
        kind=Kind.BULLETIN,
        key=key,
        title=f"{unit.name}事件办理一周一通报（{week}）",
        body=(
            f"{week}共收件{total.received}件，办结{total.resolved}件，办结率{_rate(total.resolution_rate)}，"
            f"按期办结率{_rate(total.on_time_rate)}；截至目前超期未办结{total.overdue}件。详见附件。"
        ),
        link=_page("cases:bulletin", unit, start),
        attachment=(f"一周一通报-{unit.name}-{start}.docx", outputs.bulletin_docx(bulletin)),
    )


def _ranking_message(ranked: Ranking[Figures], key: str) -> Message:
    unit, start = ranked.unit, ranked.start
    month = f"{start.year}年{start.month}月"
    if ranked.ranked:
        first = "、".join(r.unit.name for r in ranked.ranked if r.rank == 1)
        body = f"{month}按按期办结率排名，第一名：{first}；参与排名{len(ranked.ranked)}个单元"
    else:
        body = f"{month}没有收件达到{ranked.minimum}件的单元，不排名次"
    body += f"，收件不足{ranked.minimum}件的{len(ranked.too_few)}个单元另列。详见附件。"
    return Message(
        kind=Kind.RANKING,
        key=key,
        title=f"{unit.name}事件办理一月一排名（{month}）",
        body=body,
        link=_page("cases:ranking", unit, start),
        attachment=(f"一月一排名-{unit.name}-{start:%Y-%m}.docx", outputs.ranking_docx(ranked)),
    )


def _rate(value: object) -> str:
    return "—" if value is None else f"{value}%"


def _page(route: str, unit: OrgUnit, day: date) -> str:
    return f"{reverse(route, kwargs={'code': unit.code})}?{urlencode({'date': day.isoformat()})}"
