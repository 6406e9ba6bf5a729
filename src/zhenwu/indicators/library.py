"""The indicators townships commonly report (常用指标库): a catalog to pick from, and the picking.

The catalog is data. It lists the kinds of figures township work reports give (the corpus of real
reports: 固定资产投资 "占全年任务的xx.x%", 社会消费品零售总额, 规上工业产值, 一般预算收入, 在库项目数,
生猪出栏, 城乡居民医疗保险征收 96.77%, 重大安全隐患整改率, 排查整改事故隐患 …, and the usual county
assessment lists), each with its unit, whether it accumulates through the year or is read at the end of
a period, which way is good, and the office that usually answers for it (the standard offices of
`zhenwu.onboarding`). Codes are those of the demo where the demo has the indicator, so a township's
own sheets and the demo name them alike.

`install()` puts the catalog in the `LibraryIndicator` table (`zhenwu init`); a township admin picks
from it at /indicators/library/, and `adopt()` creates the township's `Indicator` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zhenwu.activity.services import acting_as
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, User

from .models import Direction, Indicator, IndicatorKind, LibraryIndicator

C, L, R = IndicatorKind.CUMULATIVE, IndicatorKind.LEVEL, IndicatorKind.RATE
UP, DOWN = Direction.HIGHER, Direction.LOWER

# The standard offices the catalog names (code, name): `zhenwu init` creates them in a new township.
OFFICES = {
    "dzb": "党政办",
    "jfb": "经济发展办",
    "czs": "财政所",
    "yjb": "应急管理办",
    "shb": "社会事务办",
    "zzzx": "综治中心",
    "nyb": "农业农村办",
}

# (group, code, name, unit, kind, direction, decimals, by village, office, source, source option, note)
CATALOG: list[tuple[str, str, str, str, str, str, int, bool, str, str, str, str]] = [
    ("经济发展", "gdzctz", "固定资产投资", "亿元", C, UP, 2, False, "jfb", "", "", "年内累计完成额"),
    ("经济发展", "gytz", "工业投资", "亿元", C, UP, 2, False, "jfb", "", "", "固定资产投资中的工业部分"),
    ("经济发展", "shxfp", "社会消费品零售总额", "亿元", C, UP, 2, False, "jfb", "", "", ""),
    ("经济发展", "xeysl", "限额以上社会消费品零售额", "万元", C, UP, 1, False, "jfb", "", "", "限上企业"),
    ("经济发展", "gsgycz", "规上工业总产值", "亿元", C, UP, 2, False, "jfb", "", "", "规模以上工业企业"),
    ("经济发展", "gsgyzjz", "规上工业增加值", "亿元", C, UP, 2, False, "jfb", "", "", "现价"),
    ("经济发展", "xzgsqy", "新增规上工业企业", "家", C, UP, 0, False, "jfb", "", "", "当年新入规企业"),
    ("经济发展", "wmjcke", "外贸进出口总额", "万元", C, UP, 1, False, "jfb", "", "", ""),
    ("经济发展", "sjlywz", "实际利用外资", "万美元", C, UP, 1, False, "jfb", "", "", ""),
    ("经济发展", "zsdwzj", "招商引资到位资金", "亿元", C, UP, 2, False, "jfb", "", "", ""),
    ("经济发展", "zsqyxm", "招商引资签约项目", "个", C, UP, 0, False, "jfb", "", "", ""),
    ("经济发展", "zkxm", "在库项目数", "个", L, UP, 0, False, "jfb", "projects.in_library", "", "期末在库"),
    ("经济发展", "xzsczt", "新增市场主体", "户", C, UP, 0, True, "jfb", "", "", "企业与个体工商户"),
    ("财政税收", "czsr", "财政收入", "万元", C, UP, 1, False, "czs", "", "", "财政总收入"),
    ("财政税收", "ybggys", "一般公共预算收入", "万元", C, UP, 1, False, "czs", "", "", ""),
    ("财政税收", "sssr", "税收收入", "万元", C, UP, 1, False, "czs", "", "", ""),
    ("财政税收", "hjcjzw", "化解村级债务", "万元", C, UP, 1, True, "czs", "", "", "当年化解额"),
    ("农业农村", "nyzcz", "农业总产值", "亿元", C, UP, 2, False, "nyb", "", "", "农林牧渔业"),
    ("农业农村", "lsbzmj", "粮食播种面积", "亩", L, UP, 0, True, "nyb", "", "", ""),
    ("农业农村", "lszcl", "粮食总产量", "吨", C, UP, 0, False, "nyb", "", "", ""),
    ("农业农村", "ncrjsr", "农村常住居民人均可支配收入", "元", C, UP, 0, False, "nyb", "", "", ""),
    ("农业农村", "cjtsr", "村集体经济收入", "万元", C, UP, 1, True, "nyb", "", "", ""),
    ("农业农村", "gbznt", "高标准农田建设", "亩", C, UP, 0, False, "nyb", "", "", "当年新建"),
    ("农业农村", "szcl", "生猪出栏", "头", C, UP, 0, True, "nyb", "", "", ""),
    ("农业农村", "tscymj", "特色产业种植面积", "亩", L, UP, 0, True, "nyb", "", "", "一村一品"),
    ("农业农村", "xzjcdx", "新增防返贫监测对象", "户", C, UP, 0, False, "nyb",
     "households.new_monitored", "", "由平台的监测记录计算"),
    ("社会事务", "xzjy", "城镇新增就业", "人", C, UP, 0, True, "shb", "", "", ""),
    ("社会事务", "gyxgw", "开发公益性岗位", "个", C, UP, 0, False, "shb", "", "", ""),
    ("社会事务", "ylbxcb", "城乡居民养老保险参保人数", "人", L, UP, 0, True, "shb", "", "", ""),
    ("社会事务", "yibaocb", "城乡居民医疗保险参保人数", "人", L, UP, 0, True, "shb", "", "", ""),
    ("社会事务", "yibaol", "城乡居民医疗保险参保率", "%", R, UP, 2, True, "shb", "", "", "征收完成率"),
    ("社会事务", "dbjff", "发放低保金", "万元", C, UP, 2, False, "shb",
     "households.benefit_paid", "dibao", "由平台的发放记录计算"),
    ("社会事务", "lsjz", "临时救助", "人次", C, UP, 0, False, "shb",
     "households.benefit_grants", "temporary", "由平台的救助记录计算"),
    ("社会事务", "tkgy", "特困供养人数", "人", L, UP, 0, False, "shb",
     "households.benefit_people", "tekun", "由平台的救助记录计算"),
    ("安全生产", "aqsg", "生产安全事故起数", "起", C, DOWN, 0, False, "yjb", "", "", ""),
    ("安全生产", "aqsgsw", "生产安全事故死亡人数", "人", C, DOWN, 0, False, "yjb", "", "", ""),
    ("安全生产", "yhzgl", "安全隐患整改率", "%", R, UP, 1, False, "yjb",
     "cases.resolution_rate", "hazard", "由平台的隐患记录计算"),
    ("安全生产", "aqjc", "安全生产检查", "家次", C, UP, 0, False, "yjb", "", "", ""),
    ("平安建设", "xfbjl", "信访事项按期办结率", "%", R, UP, 1, False, "zzzx",
     "cases.on_time_rate", "petition", "由平台的信访记录计算"),
    ("平安建设", "wgsjbjl", "网格事件办结率", "%", R, UP, 1, False, "zzzx",
     "cases.resolution_rate", "grid_event", "由平台的事件记录计算"),
    ("平安建设", "xsfa", "刑事案件发案数", "起", C, DOWN, 0, False, "zzzx", "", "", ""),
    ("平安建设", "mdtjl", "矛盾纠纷调解成功率", "%", R, UP, 1, False, "zzzx", "", "", ""),
    ("政务服务", "rxbjl", "12345热线按期办结率", "%", R, UP, 1, False, "dzb",
     "cases.on_time_rate", "hotline", "由平台的热线工单计算"),
    ("政务服务", "zwgk", "政务信息公开", "条", C, UP, 0, False, "dzb", "", "", ""),
]  # fmt: skip


def install() -> tuple[int, int]:
    """Put the catalog's indicators that are missing into the library: (added, already there).
    One already there is left as an admin may have edited it."""
    present = set(LibraryIndicator.objects.values_list("code", flat=True))
    added = 0
    for position, row in enumerate(CATALOG, start=1):
        group, code, name, unit, kind, direction, decimals, by_village, office, source, option, note = row
        if code in present:
            continue
        LibraryIndicator.objects.create(
            code=code, name=name, group=group, unit=unit, kind=kind, direction=direction,
            decimals=decimals, by_village=by_village, department_code=office,
            department_name=OFFICES[office], source=source, source_option=option, note=note,
            position=position,
        )  # fmt: skip
        added += 1
    return added, len(CATALOG) - added


@dataclass(frozen=True)
class LibraryRow:
    """One library indicator as a township sees it: adopted already, or with the office it would go to."""

    entry: LibraryIndicator
    adopted: Indicator | None
    office: Department | None


def may_adopt(user: User, township: OrgUnit) -> bool:
    return (
        township.kind == OrgKind.TOWNSHIP
        and scope.is_township_admin(user)
        and scope.unit_in_scope(user, township)
    )


def rows_for(township: OrgUnit) -> list[LibraryRow]:
    """The library, each entry marked with the township's indicator of the same code or name."""
    indicators = list(Indicator.objects.filter(township=township).select_related("department"))
    by_code = {i.code: i for i in indicators}
    by_name = {i.name: i for i in indicators}
    offices = list(Department.objects.filter(township=township))
    return [
        LibraryRow(entry, by_code.get(entry.code) or by_name.get(entry.name), usual_office(entry, offices))
        for entry in LibraryIndicator.objects.all()
    ]


def usual_office(entry: LibraryIndicator, offices: list[Department]) -> Department | None:
    """The township's office the entry names, by code, else by name."""
    for office in offices:
        if office.code == entry.department_code:
            return office
    return next((o for o in offices if o.name == entry.department_name), None)


@transaction.atomic
def adopt(user: User, township: OrgUnit, picks: list[tuple[LibraryIndicator, Department]]) -> list[Indicator]:
    """Create the township's indicators from the picked library entries, each owned by the office given;
    an entry the township has already (same code or name) is skipped. All or nothing; logged."""
    if not may_adopt(user, township):
        raise PermissionDenied("只有本镇管理员可以从常用指标库选取指标。")
    existing = Indicator.objects.filter(township=township)
    taken = set(existing.values_list("code", flat=True)) | set(existing.values_list("name", flat=True))
    position = existing.aggregate(last=Max("position"))["last"] or 0
    created = []
    with acting_as(user):
        for entry, office in picks:
            if entry.code in taken or entry.name in taken:
                continue
            if office.township_id != township.pk:
                raise ValidationError(f"「{entry.name}」：所选站所不属于{township.name}。")
            position += 1
            indicator = Indicator(
                township=township, department=office, code=entry.code, name=entry.name, unit=entry.unit,
                kind=entry.kind, direction=entry.direction, decimals=entry.decimals,
                by_village=entry.by_village, source=entry.source, source_option=entry.source_option,
                position=position,
            )  # fmt: skip
            try:
                indicator.full_clean()
            except ValidationError as error:
                raise ValidationError(f"「{entry.name}」：{'；'.join(error.messages)}") from error
            indicator.save()
            taken |= {entry.code, entry.name}
            created.append(indicator)
    return created
