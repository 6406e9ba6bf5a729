"""Preparing a new township on an empty install: the first step of a real township (`zhenwu init`, and
the first-run page /setup/, call the same function).

`prepare_township` creates only what is missing, and says what it created and what it found:

- the county and the township, by their official 12-digit codes (统计用区划代码);
- the standard township offices (站所/办), among them those the case catalog routes cases to;
- the standard case types with their categories, levels and deadlines (`cases.catalog`);
- the national holiday tables zhenwu ships (`workcalendar.holidays`), saying when this year's or next
  year's is missing and how to load it;
- the indicator library (`indicators.library`) the township admin picks the township's indicators from.

Run again, it changes nothing, and says so. A unit already there under another name is reported, never
renamed: a name is the township's to change, in the admin site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhenwu.cases import catalog
from zhenwu.cases.models import CaseCategory, CaseType
from zhenwu.core.text import is_blank, text_problem
from zhenwu.indicators import library
from zhenwu.org import services as org_services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.workcalendar import holidays
from zhenwu.workcalendar import services as calendar

# The standard offices of a township (code, name). The case catalog routes to dzb (热线, 依申请公开),
# zzzx (网格事件, 信访) and yjb (安全隐患); the indicator library names the others.
OFFICES = list(library.OFFICES.items())

# What the fields are called, in the form and in messages.
LABELS = {
    "township": "乡镇/街道名称",
    "code": "乡镇/街道代码",
    "county": "县/区名称",
    "county_code": "县/区代码",
}
_CODE = re.compile(r"\d{12}")
Report = list[tuple[str, str]]  # ("created" | "found" | "warning", sentence)


@dataclass
class Preparation:
    """What `prepare_township` did: sentences of what it created, what it found, and what needs the
    admin (a name that differs, a holiday table missing)."""

    county: OrgUnit
    township: OrgUnit
    created: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def lines(self) -> list[str]:
        lines = [f"新建：{line}" for line in self.created] + [f"已有：{line}" for line in self.found]
        lines += [f"请注意：{line}" for line in self.warnings]
        if not self.changed:
            lines.append(f"没有改动：{self.township.name}已经准备好，本次运行未写入任何记录。")
        return lines


def check_names_and_codes(township: str, code: str, county: str, county_code: str) -> dict[str, str]:
    """What is wrong with the four values, by field, in Chinese (empty when all is well)."""
    errors: dict[str, str] = {}
    for name, value in (("township", township), ("county", county)):
        problem = text_problem(value) or ("不能为空" if is_blank(value) else "")
        if problem or len(value) > 64:
            errors[name] = f"「{LABELS[name]}」{problem or '不能超过64个字'}。"
    if not _CODE.fullmatch(county_code):
        errors["county_code"] = f"「{LABELS['county_code']}」应为12位数字的统计用区划代码，如 990102000000。"
    elif not county_code.endswith("000000"):
        errors["county_code"] = f"「{LABELS['county_code']}」应以 000000 结尾(县级代码是前6位)。"
    if not _CODE.fullmatch(code):
        errors["code"] = f"「{LABELS['code']}」应为12位数字的统计用区划代码，如 990102101000。"
    elif not code.endswith("000") or code[6:9] == "000":
        errors["code"] = f"「{LABELS['code']}」应是乡镇级代码：第7至9位为乡镇序号，最后3位为 000。"
    elif "county_code" not in errors and code[:6] != county_code[:6]:
        errors["code"] = f"「{LABELS['code']}」{code} 的前6位应与县/区代码的前6位 {county_code[:6]} 相同。"
    return errors


@transaction.atomic
def prepare_township(
    *, township: str, code: str, county: str, county_code: str, today: date | None = None
) -> Preparation:
    """Create what a new township needs and is missing; all or nothing. Raises ValidationError by field
    ("township", "code", "county", "county_code") when a value is wrong or a code is taken."""
    township, code, county, county_code = (v.strip() for v in (township, code, county, county_code))
    errors = check_names_and_codes(township, code, county, county_code)
    if errors:
        raise ValidationError(errors)
    report: Report = []
    county_unit = _unit(OrgKind.COUNTY, county_code, county, None, "county_code", report)
    township_unit = _unit(OrgKind.TOWNSHIP, code, township, county_unit, "code", report)
    _offices(township_unit, report)
    _case_types(report)
    _intake_offices(township_unit, report)
    _holidays(today or timezone.localdate(), report)
    _library(report)
    done = Preparation(county=county_unit, township=township_unit)
    for outcome, sentence in report:
        {"created": done.created, "found": done.found, "warning": done.warnings}[outcome].append(sentence)
    return done


def _unit(
    kind: OrgKind,
    code: str,
    name: str,
    parent: OrgUnit | None,
    field_name: str,
    report: Report,
) -> OrgUnit:
    label = f"{kind.label} {name}({code})"
    unit = OrgUnit.objects.filter(code=code).select_related("parent").first()
    if unit is None:
        twin = OrgUnit.objects.filter(kind=kind, parent=parent, name=name).first()
        if twin is not None:  # the same township under a code of its own making: never a second one
            raise ValidationError({
                field_name: f"已有名为「{name}」的{kind.label}，编码为 {twin.code}：请核对代码，"
                "或在管理后台「组织单元」把它的编码改为统计用区划代码后再运行。"
            })  # fmt: skip
        report.append(("created", label))
        return org_services.create_org_unit(kind=kind, code=code, name=name, parent=parent)
    if unit.kind != kind:
        raise ValidationError({field_name: f"代码 {code} 已被{unit.get_kind_display()}「{unit.name}」使用。"})
    if parent is not None and unit.parent_id != parent.pk:
        above = unit.parent.name if unit.parent else "无上级"
        raise ValidationError(
            {field_name: f"{kind.label}「{unit.name}」({code})已存在，但隶属于「{above}」。"}
        )
    report.append(("found", f"{kind.label} {unit.name}({code})"))
    if unit.name != name:
        report.append((
            "warning",
            f"代码 {code} 的{kind.label}已存在，名为「{unit.name}」，与填写的「{name}」不同：未改名。"
            "如需改名，请在管理后台「组织单元」中修改。",
        ))  # fmt: skip
    return unit


def _offices(township: OrgUnit, report: Report) -> None:
    existing = list(Department.objects.filter(township=township))
    by_code = {d.code: d for d in existing}
    by_name = {d.name: d for d in existing}
    created, found = [], []
    for code, name in OFFICES:
        if code in by_code:
            found.append(by_code[code].name)
        elif name in by_name:
            found.append(name)
            report.append((
                "warning",
                f"站所「{name}」已存在，编码为 {by_name[name].code} 而不是标准编码 {code}：按编码分派的事项"
                "和指标库的默认责任站所找不到它，请在管理后台「站所/办」把编码改为 " + code + "。",
            ))  # fmt: skip
        else:
            org_services.create_department(township=township, code=code, name=name)
            created.append(name)
    if created:
        report.append(("created", f"站所 {len(created)} 个：{'、'.join(created)}"))
    if found:
        report.append(("found", f"站所 {len(found)} 个：{'、'.join(found)}"))


def _case_types(report: Report) -> None:
    types_before = set(CaseType.objects.values_list("code", flat=True))
    categories_before = CaseCategory.objects.count()
    installed = catalog.install()
    new = [t.name for t in installed if t.code not in types_before]
    new_categories = CaseCategory.objects.count() - categories_before
    if new or new_categories:
        report.append(
            ("created", f"案件类型 {len(new)} 类({'、'.join(new) or '无'})，分类 {new_categories} 个")
        )
    old = [t.name for t in installed if t.code in types_before]
    if old:
        report.append(("found", f"案件类型 {len(old)} 类：{'、'.join(old)}"))


def _intake_offices(township: OrgUnit, report: Report) -> None:
    """Every case type that routes to an office must find it in the township, or its cases wait unrouted."""
    codes = set(Department.objects.filter(township=township).values_list("code", flat=True))
    for case_type in CaseType.objects.exclude(intake_department_code="").order_by("order", "code"):
        if case_type.intake_department_code not in codes:
            report.append((
                "warning",
                f"案件类型「{case_type.name}」由编码为 {case_type.intake_department_code} 的站所受理，"
                f"{township.name}没有这个站所：请在管理后台新建，或修改该案件类型的受理站所编码。",
            ))  # fmt: skip


def _holidays(today: date, report: Report) -> None:
    added, present = calendar.install_shipped()
    years = "、".join(str(y) for y in holidays.shipped_years())
    if added:
        report.append(("created", f"节假日表 {added} 天({years}年法定节假日与调休上班日)"))
    if present:
        report.append(("found", f"节假日表 {present} 天({years}年)"))
    loaded = calendar.years_with_table()
    for year in (today.year, today.year + 1):
        if year not in loaded:
            report.append(("warning", f"{year}年的节假日表还没有：{holidays.how_to_load(year)}"))


def _library(report: Report) -> None:
    added, present = library.install()
    if added:
        report.append(("created", f"常用指标库 {added} 项(到“指标 → 常用指标库”为本镇选用)"))
    if present:
        report.append(("found", f"常用指标库 {present} 项"))


@transaction.atomic
def create_first_admin(*, township: OrgUnit, username: str, password: str, display_name: str) -> User:
    """The install's first account: the township's admin, who may use the admin site as the demo's
    `admin` does. Refused once any account exists (the first-run page is then closed)."""
    # Two first-run posts at once: the second waits on the township's row, then finds the first account.
    OrgUnit.objects.select_for_update().get(pk=township.pk)
    if User.objects.exists():
        raise PermissionDenied("已有账户，初始化已完成。")
    return org_services.create_user(
        username=username,
        password=password,
        role=Role.TOWNSHIP_ADMIN,
        org_unit=township,
        display_name=display_name,
    )
