"""`GET /api/v1/dashboard?org=<code>`: the leaders' dashboard as JSON, for the caller's scope.

The answer is the page's own: both are made by one build and kept together (`dashboard.rendered`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.core.progress import Status
from zhenwu.households.models import MonitoringState
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit
from zhenwu.projects.models import Stage

from . import dashboard as cockpit

NOT_FOUND = "记录不存在或无权查看。"


def _text(help_text: str = "", *, null: bool = False) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, allow_null=null)


def _counts(name: str, keys: list[str], help_text: str) -> Any:
    """An object of counts by key (a status, a stage): every key present, zero when none."""
    return inline_serializer(
        name, {str(key): serializers.IntegerField() for key in keys}, help_text=help_text
    )


ORG = inline_serializer(
    "DashboardOrg",
    {"code": _text(), "name": _text(), "kind": serializers.ChoiceField(OrgKind.values)},
)
SPAN = {"start": serializers.DateField(), "end": serializers.DateField(help_text="含当日")}
STATUS_HELP = "ahead 达到序时；behind 落后序时(超过容差)；no_time_progress 无序时可比；not_reported 未报"
INDICATOR_CODES = serializers.ListField(child=_text(), help_text="指标编码；县级为各乡镇的，一镇一次")
INDICATORS = inline_serializer(
    "DashboardIndicators",
    {
        "period": _text("YYYY-MM：指标按已结束的月份统计(1至该月累计)"),
        "status_counts": _counts("DashboardStatusCounts", list(Status), STATUS_HELP),
        "tolerance_points": _text("落后序时进度不超过此百分点仍计为达到序时", null=True),
        "behind": INDICATOR_CODES,
        "not_reported": INDICATOR_CODES,
        "partial": serializers.ListField(child=_text(), help_text="合计缺少未报村/社区数据的指标编码"),
        "worst": inline_serializer(
            "DashboardWorstIndicator",
            {
                "org": _text("乡镇或村的编码"),
                "code": _text(),
                "name": _text(),
                "completion": _text("占全年任务的百分比，一位小数", null=True),
                "time_progress": _text("序时进度百分比", null=True),
                "gap_points": _text("较序时进度的百分点", null=True),
                "partial": serializers.BooleanField(help_text="合计不全"),
            },
            many=True,
            help_text="落后序时进度最多的指标(至多5项)",
        ),
        "by_township": inline_serializer(
            "DashboardTownshipIndicators",
            {
                "org": _text(),
                "name": _text(),
                "status_counts": _counts("DashboardTownshipStatusCounts", list(Status), STATUS_HELP),
                "tolerance_points": _text(null=True),
                "behind": serializers.ListField(child=_text()),
                "not_reported": serializers.ListField(child=_text()),
            },
            many=True,
            help_text="各乡镇(县级)或本乡镇的指标情况；村及以下为空",
        ),
    },
)
CASE_COUNTS = inline_serializer(
    "DashboardCaseCounts",
    {
        **SPAN,
        "received": serializers.IntegerField(help_text="受理(收件)，不含重复合并"),
        "resolved": serializers.IntegerField(help_text="其中已办结"),
        "on_time": serializers.IntegerField(help_text="其中按期办结"),
        "overdue": serializers.IntegerField(help_text="当前超期未办结(不论何时收件)"),
        "resolution_rate": _text("办结率，一位小数", null=True),
        "on_time_rate": _text("按期办结率，一位小数", null=True),
    },
)
HOUSEHOLD_COUNT = inline_serializer(
    "DashboardHouseholdCount",
    {"households": serializers.IntegerField(), "people": serializers.IntegerField()},
)
RANKED_UNIT = inline_serializer(
    "DashboardRankedUnit",
    {
        "rank": serializers.IntegerField(
            allow_null=True, help_text="名次，并列同名次；null 为列出但不参与排名"
        ),
        "org": _text(),
        "name": _text(),
        "value": _text("办结率/按期办结率(%)，或指标平均较序时进度的百分点；一位小数", null=True),
        "last_three": serializers.BooleanField(help_text="末三位"),
        "note": _text("不参与排名的原因"),
        "received": serializers.IntegerField(allow_null=True, help_text="事件：收件数"),
        "paced": serializers.IntegerField(allow_null=True, help_text="指标：按序时考核的指标数"),
        "ahead": serializers.IntegerField(allow_null=True, help_text="指标：其中达到序时的"),
    },
    many=True,
    help_text="倒序：最落后的在前，不参与排名的在后",
)
RANKED_FIGURE = inline_serializer(
    "DashboardRankedFigure",
    {
        "key": serializers.ChoiceField(["resolution_rate", "on_time_rate", "indicators"]),
        "label": _text(),
        "unit": _text("value 的单位：% 或 个百分点"),
        "span": _text("排名所按的月份，如 11月、1-10月"),
        "start": serializers.DateField(allow_null=True, help_text="事件：排名月份的首日"),
        "end": serializers.DateField(allow_null=True, help_text="事件：排名月份的末日"),
        "period": _text("指标：YYYY-MM", null=True),
        "fallback": serializers.BooleanField(help_text="本月数据尚少，按上一个完整月份排名"),
        "note": _text(),
        "rule": _text("排名规则"),
        "rows": RANKED_UNIT,
    },
    many=True,
)
DASHBOARD = inline_serializer(
    "Dashboard",
    {
        "org": ORG,
        "built_at": serializers.DateTimeField(
            help_text="数据生成时间：几分钟内再次请求沿用同一份，与页面一致"
        ),
        "periods": inline_serializer(
            "DashboardPeriods",
            {
                "today": serializers.DateField(),
                "month": inline_serializer("DashboardMonth", SPAN, help_text="本月：事件按收件日期统计"),
                "year": inline_serializer("DashboardYear", SPAN, help_text="今年累计"),
                "indicators": _text("YYYY-MM：指标和项目投资所按的已结束月份"),
            },
        ),
        "indicators": INDICATORS,
        "cases": inline_serializer("DashboardCases", {"month": CASE_COUNTS, "year": CASE_COUNTS}),
        "projects": inline_serializer(
            "DashboardProjects",
            {
                "period": _text("YYYY-MM"),
                "by_stage": _counts("DashboardProjectStages", list(Stage.values), "各阶段项目数(当前状态)"),
                "overdue_milestones": serializers.IntegerField(help_text="逾期节点数"),
                "planned_investment": _text("本年计划投资，元"),
                "completed_investment": _text("截至 period 完成投资，元"),
                "completion": _text("完成计划的百分比", null=True),
                "time_progress": _text("序时进度百分比"),
            },
        ),
        "households": inline_serializer(
            "DashboardHouseholds",
            {
                "by_state": _counts(
                    "DashboardMonitoringStates", list(MonitoringState.values), "各状态监测户数"
                ),
                "new_this_month": HOUSEHOLD_COUNT,
                "new_this_year": HOUSEHOLD_COUNT,
                "unvisited": serializers.IntegerField(help_text="本月应走访未走访户数"),
            },
        ),
        "ranking": inline_serializer(
            "DashboardRanking",
            {
                "child_kind": serializers.ChoiceField(
                    OrgKind.values, allow_null=True, help_text="排名的下级单元"
                ),
                "figures": RANKED_FIGURE,
            },
        ),
    },
)


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="单元编码；默认为调用者所属单元"),
        OpenApiParameter("fresh", str, description="非空时重新统计(否则几分钟内沿用已生成的一份)"),
    ],
    responses=DASHBOARD,
)
@api_view(["GET"])
def dashboard(request: Request) -> Response:
    """The leaders' dashboard of a unit: indicators, cases, projects, households and the ranking of the
    units under it, for the caller's scope."""
    kept = cockpit.rendered(request.user, _unit(request), fresh=bool(request.query_params.get("fresh")))
    built_at = serializers.DateTimeField().to_representation(kept.built_at)
    return Response({**kept.data, "built_at": built_at})


def _unit(request: Request) -> OrgUnit:
    code = request.query_params.get("org")
    unit = (
        scope.visible_units(request.user).filter(code=code).first()
        if code
        else scope.scope_root(request.user)
    )
    if unit is None:
        raise NotFound(NOT_FOUND)
    return unit
