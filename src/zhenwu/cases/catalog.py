"""The five case types of a township and their categories, as the statutes and practice set them.

Installed by the demo (and by a new installation's admin, from the admin site or `install()`); after
that they are data, edited in the admin site.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import CaseCategory, CaseType, DayCountChoice, EscalationRule


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    prefix: str
    deadline_days: int | None
    deadline_count: str
    acceptance_days: int | None
    extension_days: int
    has_levels: bool
    intake_department_code: str
    open311: bool
    categories: list[tuple[str, str]]


STANDARD_TYPES = [
    TypeSpec(
        "grid_event", "网格事件", "WG", 7, DayCountChoice.CALENDAR, None, 0, True, "zzzx", True,
        [("dispute", "矛盾纠纷"), ("sanitation", "环境卫生"), ("street_vending", "占道经营"),
         ("safety", "安全隐患"), ("public_order", "社会治安"), ("livelihood", "民生诉求"), ("other", "其他")],
    ),
    TypeSpec(
        "hazard", "安全隐患排查整治", "YH", 30, DayCountChoice.CALENDAR, None, 0, False, "yjb", False,
        [("small_venues", "六小场所"), ("self_built", "自建房"), ("chemicals", "危化品"),
         ("fireworks", "烟花爆竹"), ("construction", "建筑施工"), ("traffic", "交通"), ("fire", "消防"),
         ("other", "其他")],
    ),
    TypeSpec(
        "petition", "信访", "XF", 60, DayCountChoice.CALENDAR, 15, 30, False, "zzzx", False,
        [("land", "土地征收"), ("labour", "劳动保障"), ("housing", "城乡建设"), ("welfare", "民政救助"),
         ("law", "政法"), ("other", "其他")],
    ),
    TypeSpec(
        "hotline", "市长热线/12345", "RX", None, DayCountChoice.WORKING, None, 0, False, "dzb", False,
        [("complaint", "投诉"), ("request", "求助"), ("consult", "咨询"), ("suggestion", "建议")],
    ),
    TypeSpec(
        "disclosure", "依申请公开", "GK", 20, DayCountChoice.WORKING, None, 20, False, "dzb", False,
        [("finance", "财政资金"), ("land", "征地拆迁"), ("subsidy", "惠农补贴"), ("other", "其他信息")],
    ),
]  # fmt: skip


# 自动升级: (from level or None for any, working days overdue, to level) per type. Grid events go up one
# level at a time (分级处置): a 一级 event two working days past its deadline to the village, a 二级 one a
# week past it to the township, so that a case the village received from the grid still has three
# working days there. A hazard the township handed down to a village for rectification comes back to the
# township (its 应急办) three working days past the deadline. Petitions, hotline tickets and disclosure
# requests are handled at the township with statutory deadlines: nothing above it to escalate to.
STANDARD_RULES: dict[str, list[tuple[int | None, int, int]]] = {
    "grid_event": [(1, 2, 2), (2, 5, 3)],
    "hazard": [(None, 3, 3)],
}


def install() -> list[CaseType]:
    """Create the standard types, categories and escalation rules that do not exist yet; existing ones are
    left as edited (a rule switched off stays off)."""
    installed = []
    for order, spec in enumerate(STANDARD_TYPES, start=1):
        case_type, _ = CaseType.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "prefix": spec.prefix,
                "deadline_days": spec.deadline_days,
                "deadline_count": spec.deadline_count,
                "acceptance_days": spec.acceptance_days,
                "extension_days": spec.extension_days,
                "has_levels": spec.has_levels,
                "intake_department_code": spec.intake_department_code,
                "open311": spec.open311,
                "order": order,
            },
        )
        for position, (code, name) in enumerate(spec.categories, start=1):
            CaseCategory.objects.get_or_create(
                code=f"{spec.code}-{code}", defaults={"case_type": case_type, "name": name, "order": position}
            )
        for from_level, days, to_level in STANDARD_RULES.get(spec.code, []):
            EscalationRule.objects.get_or_create(
                case_type=case_type,
                from_level=from_level,
                defaults={"overdue_days": days, "to_level": to_level},
            )
        installed.append(case_type)
    return installed
