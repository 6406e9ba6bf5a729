"""The demo township's narrative entries for this year's half-year report: what each office writes
about its methods, problems and plans, so the demo report reads as a whole first draft; and the general
office's call for the annual report's entries, open on the offices' to-do lists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhenwu.org.demo import TOWNSHIP
from zhenwu.org.models import Department, OrgUnit, User

from .models import EntryRequest, NarrativeEntry

ENTRIES = [
    ("jfb", "methods", "坚持项目为王",
     "实行班子成员包联重点项目制度，周调度、月研判，倒排工期、挂图作战，协调解决用地、资金等要素问题。"),
    ("jfb", "methods", "优化营商环境",
     "推行帮办代办服务，企业开办、项目审批全程跟踪，对重点企业实行一企一策、专人联系。"),
    ("zzzx", "methods", "做实网格化治理",
     "全面推行网格员日巡查制度，事件一级网格处置、二级村级处置、三级镇级处置，落实一周一通报、一月一排名。"),
    ("mzb", "methods", "兜牢民生底线",
     "常态化开展防返贫动态监测，对监测对象逐户落实帮扶措施，低保、特困和临时救助资金按时足额发放。"),
    ("jfb", "problems", "要素保障压力较大",
     "部分项目用地指标和资金未落实，前期手续办理周期较长，影响项目开工进度。"),
    ("jfb", "plans", "全力冲刺全年目标",
     "紧盯固定资产投资、工业投资等指标，对落后序时进度的指标逐项分析原因、制定追赶措施。"),
    ("zzzx", "plans", "提升事件办理质效",
     "对超期事件逐件督办销号，完善考核排名办法，推动按期办结率稳步提升。"),
]  # fmt: skip


def load() -> None:
    township = OrgUnit.objects.get(code=TOWNSHIP[0])
    author = User.objects.get(username="admin")
    load_request(township, author)
    if NarrativeEntry.objects.filter(org_unit=township).exists():
        return
    offices = {d.code: d for d in Department.objects.filter(township=township)}
    year = timezone.localdate().year
    NarrativeEntry.objects.bulk_create(
        NarrativeEntry(
            department=offices[office], org_unit=township, year=year, kind="half-year", section=section,
            title=title, text=text, author=author,
        )
        for office, section, title, text in ENTRIES
    )  # fmt: skip


def load_request(township: OrgUnit, author: User) -> None:
    """The general office has asked every office for its material for this year's annual report, due
    in a week: the offices' to-do lists show it until they write."""
    today = timezone.localdate()
    if EntryRequest.objects.filter(org_unit=township).exists():
        return
    EntryRequest.objects.create(
        org_unit=township, year=today.year, kind="annual", due_on=today + timedelta(days=7),
        note="请各站所报送全年工作亮点、主要做法、存在问题和明年计划，每条一个标题和一段话。",
        requested_by=author,
    )  # fmt: skip
