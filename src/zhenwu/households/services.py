"""Every write to households, monitoring, benefits and subsidies, every figure, and who sees what in full.

Who sees identity numbers and phones in full: village staff (for their village) and the staff of the
civil affairs office (民政办, for the whole township), and system administrators. Everyone else who may
see a household at all (leaders, other offices, grid workers, county viewers) sees masked values only.
Even those allowed see masked values on every page; the full value is shown by a deliberate POST, and
each one is written to PersonalDataAccess (who, whose, when). Office staff see the households of the
whole township (households have no owning office): 民政办 runs the register, 农业农村办 the subsidies.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.core.periods import date_problem
from zhenwu.notifications.models import Kind
from zhenwu.notifications.services import Message, notify
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role, User

from . import crypto
from .models import (
    Benefit,
    BenefitKind,
    ClosedReason,
    Household,
    IncomeCheck,
    LeftReason,
    Member,
    MonitoringCase,
    MonitoringCategory,
    MonitoringState,
    MonitoringVisit,
    Move,
    PersonalDataAccess,
    Relation,
    RiskCause,
    SubsidyBatch,
    SubsidyPayment,
)

# The township offices that keep the register (民政办) and the subsidies (农业农村办), by code or name.
CIVIL_AFFAIRS = {"mzb", "民政办"}
AGRICULTURE = {"nyb", "农业农村办"}
CENT = Decimal("0.01")


# --- who may do what -------------------------------------------------------------------------------


def _in_office(user: Any, office: set[str]) -> bool:
    department = getattr(user, "department", None)
    return bool(
        user.role == Role.DEPARTMENT_STAFF and department and ({department.code, department.name} & office)
    )


def may_see_full(user: Any) -> bool:
    """Whether `user` may reveal identity numbers and phones in full (and export them unmasked)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return scope.sees_everything(user) or user.role == Role.VILLAGE_STAFF or _in_office(user, CIVIL_AFFAIRS)


def may_edit_register(user: Any) -> bool:
    """Village staff keep their village's register and benefits; 民政办 and the township admin all of it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        scope.sees_everything(user)
        or user.role in (Role.VILLAGE_STAFF, Role.TOWNSHIP_ADMIN)
        or _in_office(user, CIVIL_AFFAIRS)
    )


def may_visit(user: Any) -> bool:
    """Grid workers visit the households they look after, as do those who keep the register."""
    return may_edit_register(user) or (user.is_authenticated and user.role == Role.GRID_WORKER)


def may_approve_elimination(user: Any) -> bool:
    """Risk elimination is decided at the township: 民政办 or a township leader approves it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return scope.sees_everything(user) or user.role == Role.TOWNSHIP_LEADER or _in_office(user, CIVIL_AFFAIRS)


def may_manage_subsidies(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        scope.sees_everything(user)
        or user.role == Role.TOWNSHIP_ADMIN
        or _in_office(user, AGRICULTURE | CIVIL_AFFAIRS)
    )


def may_read_access_log(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return scope.is_township_admin(user) or _in_office(user, CIVIL_AFFAIRS)


def _require(allowed: bool, actor: Any, unit: OrgUnit | None = None) -> None:
    if actor is None:
        return  # commands and the demo loader run as the system
    if not allowed or (unit is not None and not scope.unit_in_scope(actor, unit)):
        raise PermissionDenied("无权进行此操作。")


# --- identity numbers and phones -------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalNumbers:
    """What a member stores for an identity number and a phone, derived once from the clear values."""

    id_cipher: str
    id_index: str
    id_masked: str
    birth_date: date
    gender: str
    phone_cipher: str
    phone_masked: str


def seal(raw_id: str, raw_phone: str = "") -> PersonalNumbers:
    """Validate, then encrypt, index and mask; raises IdNumberError or ValueError with a Chinese message."""
    parsed = idcard.parse(raw_id)
    phone = idcard.validate_phone(raw_phone)
    return PersonalNumbers(
        id_cipher=crypto.encrypt(parsed.number),
        id_index=crypto.blind_index(parsed.number),
        id_masked=idcard.mask_id_number(parsed.number),
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        phone_cipher=crypto.encrypt(phone),
        phone_masked=idcard.mask_phone(phone),
    )


def index_of(raw_id: str) -> str | None:
    """The blind index of a typed number, or None when it is not a valid identity number."""
    try:
        return crypto.blind_index(idcard.parse(raw_id).number)
    except idcard.IdNumberError:
        return None


def apply_numbers(member: Member, numbers: PersonalNumbers) -> Member:
    member.id_number_cipher = numbers.id_cipher
    member.id_number_index = numbers.id_index
    member.id_number_masked = numbers.id_masked
    member.birth_date = numbers.birth_date
    member.gender = numbers.gender
    member.phone_cipher = numbers.phone_cipher
    member.phone_masked = numbers.phone_masked
    return member


@dataclass(frozen=True)
class Revealed:
    member: Member
    id_number: str
    phone: str


def reveal_member(actor: User, member: Member) -> Revealed:
    """The full identity number and phone of one member, for a user allowed to see them; logged."""
    if not may_see_full(actor) or not scope.unit_in_scope(actor, member.household.org_unit):
        raise PermissionDenied("无权查看完整身份证号和电话。")
    PersonalDataAccess.objects.create(
        actor=actor, member=member, org_unit=member.household.org_unit, what="查看完整身份证号和电话"
    )
    return Revealed(member=member, id_number=member.full_id_number(), phone=member.full_phone())


def log_full_export(actor: User, unit: OrgUnit, rows: int, reason: str, what: str = "名册") -> None:
    """A full export is logged like a reveal, with the reason its user gave."""
    if not may_see_full(actor) or not scope.unit_in_scope(actor, unit):
        raise PermissionDenied("无权导出完整身份证号和电话。")
    PersonalDataAccess.objects.create(
        actor=actor, org_unit=unit, what=f"导出含完整身份证号的{what}({rows}行)", reason=reason
    )


# --- households and members ------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    name: str
    relation: str
    id_number: str
    phone: str = ""
    disabled: bool = False
    tags: str = ""


def households_for(user: Any) -> QuerySet[Household]:
    """The households on the register in `user`'s scope; closed ones are kept, but shown only on their
    own page and under 已销户 (`closed_households_for`)."""
    return scope.scoped(user, Household.objects.open().select_related("org_unit"))


def closed_households_for(user: Any) -> QuerySet[Household]:
    return scope.scoped(user, Household.objects.filter(closed_on__isnull=False).select_related("org_unit"))


def search_households(
    user: Any, text: str, households: QuerySet[Household] | None = None
) -> QuerySet[Household]:
    """By household number, member name, or a full identity number (through the blind index only)."""
    households = households_for(user) if households is None else households
    text = text.strip()
    if not text:
        return households
    index = index_of(text)
    if index is not None:
        return households.filter(members__id_number_index=index)
    return households.filter(Q(number__startswith=text) | Q(members__name=text)).distinct()


def _register_unit(unit: OrgUnit) -> None:
    if unit.kind not in (OrgKind.VILLAGE, OrgKind.GRID):
        raise ValidationError({"org_unit": "农户只能登记在村/社区或网格下。"})


@transaction.atomic
def create_household(
    *,
    org_unit: OrgUnit,
    number: str,
    address: str = "",
    members: Iterable[MemberInput] = (),
    lifted_out: bool = False,
    left_behind_elderly: bool = False,
    left_behind_children: bool = False,
    actor: User | None = None,
) -> Household:
    _require(may_edit_register(actor) if actor else True, actor, org_unit)
    _register_unit(org_unit)
    household = Household(
        org_unit=org_unit,
        number=number.strip(),
        address=address,
        lifted_out=lifted_out,
        left_behind_elderly=left_behind_elderly,
        left_behind_children=left_behind_children,
    )
    household.full_clean()
    household.save()
    for member in members:
        add_member(household, member, actor=actor)
    return household


def add_member(household: Household, data: MemberInput, *, actor: User | None = None) -> Member:
    _writable(household, actor)
    try:
        numbers = seal(data.id_number, data.phone)
    except ValueError as error:
        raise ValidationError({"id_number": str(error)}) from None
    if Member.objects.filter(id_number_index=numbers.id_index).exists():
        raise ValidationError({"id_number": "此人已登记在其他户中：同一人不能属于两户。"})
    if data.relation == "head" and household.members.filter(relation="head").exists():
        raise ValidationError({"relation": "该户已有户主。"})
    member = apply_numbers(
        Member(
            household=household,
            name=data.name.strip(),
            relation=data.relation,
            disabled=data.disabled,
            tags=data.tags,
        ),
        numbers,
    )
    member.full_clean()
    member.save()
    return member


# --- editing, moving and closing ------------------------------------------------------------------
# Each change is a save of the record itself, so the activity log keeps it with its before and after
# (a member's masked number, never the number); a move is also a `Move`, shown on both households' pages.


def _writable(household: Household, actor: User | None) -> None:
    _require(may_edit_register(actor) if actor else True, actor, household.org_unit)
    if household.is_closed:
        raise ValidationError(f"农户{household.number}已于{household.closed_on:%Y-%m-%d}销户，不能再修改。")


def _present(member: Member) -> None:
    if member.has_left:
        raise ValidationError(f"{member.name}已于{member.left_on:%Y-%m-%d}销户，不能再修改。")


def _day_of(field_name: str, label: str, day: date) -> date:
    """A date the user typed for a change: not after today, nor absurdly far back."""
    if day > timezone.localdate():
        raise ValidationError({field_name: f"{label}不能晚于今天。"})
    if problem := date_problem(day, timezone.localdate()):
        raise ValidationError({field_name: f"{label}{problem}。"})
    return day


def _logged_as(actor: User | None) -> AbstractContextManager[None]:
    """The activity log names `actor` (a request's middleware already does; a command passes None)."""
    return acting_as(actor) if actor is not None else nullcontext()


def _head_of(household: Household) -> Member | None:
    return household.members.present().filter(relation=Relation.HEAD).first()


@transaction.atomic
def edit_household(
    household: Household,
    *,
    address: str,
    lifted_out: bool,
    left_behind_elderly: bool,
    left_behind_children: bool,
    head: Member | None = None,
    former_head_relation: str = "",
    actor: User | None = None,
) -> Household:
    """Address and tags; with `head`, another member becomes the head (户主) and the former head takes
    `former_head_relation` to them."""
    _writable(household, actor)
    with _logged_as(actor):
        if head is not None:
            _change_head(household, head, former_head_relation)
        household.address = address.strip()
        household.lifted_out = lifted_out
        household.left_behind_elderly = left_behind_elderly
        household.left_behind_children = left_behind_children
        household.full_clean()
        household.save()
    return household


def _change_head(household: Household, head: Member, former_head_relation: str) -> None:
    if head.household_id != household.pk or head.has_left:
        raise ValidationError({"head": "户主须是本户现有成员。"})
    former = _head_of(household)
    if former is not None and former.pk == head.pk:
        return
    if former is not None:
        if former_head_relation not in Relation.values or former_head_relation == Relation.HEAD:
            raise ValidationError({"former_head_relation": "请选择原户主与新户主的关系(不能是户主)。"})
        former.relation = former_head_relation
        former.save(update_fields=["relation"])  # first, as a household has one head at a time
    head.relation = Relation.HEAD
    head.save(update_fields=["relation"])


@dataclass(frozen=True)
class MemberChanges:
    """A member's fields as edited; an empty identity number or phone keeps the stored one."""

    name: str
    relation: str
    id_number: str = ""
    phone: str = ""
    clear_phone: bool = False
    disabled: bool = False
    tags: str = ""


@transaction.atomic
def edit_member(member: Member, data: MemberChanges, *, actor: User | None = None) -> Member:
    """Correct a member's record. A new identity number is checked, encrypted and indexed again (birth
    date and gender follow it); the head changes on the household's form, not here."""
    household = member.household
    _writable(household, actor)
    _present(member)
    if not data.name.strip():
        raise ValidationError({"name": "姓名不能为空。"})
    if data.relation != member.relation and Relation.HEAD in (data.relation, member.relation):
        raise ValidationError({"relation": "更换户主请在“修改户信息”中选择新户主。"})
    if data.id_number:
        _renumber(member, data.id_number)
    if data.phone or data.clear_phone:
        try:
            phone = "" if data.clear_phone else idcard.validate_phone(data.phone)
        except ValueError as error:
            raise ValidationError({"phone": str(error)}) from None
        member.phone_cipher = crypto.encrypt(phone)
        member.phone_masked = idcard.mask_phone(phone)
    member.name = data.name.strip()
    member.relation = data.relation
    member.disabled = data.disabled
    member.tags = data.tags.strip()
    with _logged_as(actor):
        member.full_clean()
        member.save()
    return member


def _renumber(member: Member, raw_id: str) -> None:
    try:
        parsed = idcard.parse(raw_id)
    except idcard.IdNumberError as error:
        raise ValidationError({"id_number": str(error)}) from None
    index = crypto.blind_index(parsed.number)
    if index == member.id_number_index:
        return
    if Member.objects.filter(id_number_index=index).exclude(pk=member.pk).exists():
        raise ValidationError({"id_number": "此人已登记在其他户中：同一人不能属于两户。"})
    member.id_number_cipher = crypto.encrypt(parsed.number)
    member.id_number_index = index
    member.id_number_masked = idcard.mask_id_number(parsed.number)
    member.birth_date = parsed.birth_date
    member.gender = parsed.gender


def _not_leaving_others_headless(member: Member) -> None:
    """The head goes last: the others are someone's household, so another head is chosen first."""
    if member.relation != Relation.HEAD:
        return
    others = member.household.members.present().exclude(pk=member.pk).count()
    if others:
        raise ValidationError(f"{member.name}是户主，本户还有{others}名成员：请先在“修改户信息”中更换户主。")


@transaction.atomic
def move_member(
    member: Member,
    *,
    to_household: Household,
    relation: str,
    moved_on: date,
    reason: str,
    actor: User | None = None,
) -> Move:
    """A member moves into another household (both within the actor's scope): 迁出 here, 迁入 there."""
    source = member.household
    _writable(source, actor)
    _present(member)
    if to_household.pk == source.pk:
        raise ValidationError({"to_household": "迁入户不能是本户。"})
    if to_household.is_closed:
        raise ValidationError({"to_household": f"农户{to_household.number}已销户，不能迁入。"})
    _require(may_edit_register(actor) if actor else True, actor, to_household.org_unit)
    if relation not in Relation.values:
        raise ValidationError({"relation": "请选择在迁入户中与户主的关系。"})
    if relation == Relation.HEAD and _head_of(to_household) is not None:
        raise ValidationError({"relation": f"农户{to_household.number}已有户主。"})
    _not_leaving_others_headless(member)
    _day_of("moved_on", "迁移日期", moved_on)
    if not reason.strip():
        raise ValidationError({"reason": "请填写迁移原因。"})
    with _logged_as(actor):
        member.household = to_household
        member.relation = relation
        member.save(update_fields=["household", "relation"])
        return _log_move(member, source, to_household, source.org_unit, to_household.org_unit,
                         moved_on, reason, actor)  # fmt: skip


@transaction.atomic
def move_household(
    household: Household, *, to_unit: OrgUnit, moved_on: date, reason: str, actor: User | None = None
) -> Move:
    """The whole household moves to another village or grid within the actor's scope."""
    _writable(household, actor)
    _require(may_edit_register(actor) if actor else True, actor, to_unit)
    _register_unit(to_unit)
    if to_unit.pk == household.org_unit_id:
        raise ValidationError({"org_unit": "迁入地与现所属村/网格相同。"})
    _day_of("moved_on", "迁移日期", moved_on)
    if not reason.strip():
        raise ValidationError({"reason": "请填写迁移原因。"})
    source = household.org_unit
    with _logged_as(actor):
        household.org_unit = to_unit
        household.save(update_fields=["org_unit"])
        return _log_move(None, household, household, source, to_unit, moved_on, reason, actor)


def _log_move(
    member: Member | None,
    source: Household,
    target: Household,
    from_unit: OrgUnit,
    to_unit: OrgUnit,
    moved_on: date,
    reason: str,
    actor: User | None,
) -> Move:
    return Move.objects.create(
        member=member, from_household=source, to_household=target, from_unit=from_unit, to_unit=to_unit,
        moved_on=moved_on, reason=reason.strip(), actor=actor,
    )  # fmt: skip


@transaction.atomic
def close_member(
    member: Member, *, left_on: date, reason: str, note: str = "", actor: User | None = None
) -> Member:
    """A member dies or moves away (死亡/迁出): kept on the household's page, counted no more from the day."""
    _writable(member.household, actor)
    _present(member)
    if reason not in LeftReason.values:
        raise ValidationError({"reason": "请选择销户原因：死亡或迁出。"})
    _day_of("left_on", "销户日期", left_on)
    _not_leaving_others_headless(member)
    member.left_on, member.left_reason, member.left_note = left_on, reason, note.strip()
    with _logged_as(actor):
        member.save(update_fields=["left_on", "left_reason", "left_note"])
    return member


@transaction.atomic
def close_household(
    household: Household, *, closed_on: date, reason: str, note: str = "", actor: User | None = None
) -> Household:
    """Close a household whose members are all gone, or which moves away whole (整户迁出: its members
    leave with it on the day). Its monthly benefits end on the day; nothing of it is counted after."""
    _writable(household, actor)
    if reason not in ClosedReason.values:
        raise ValidationError({"reason": "请选择销户原因。"})
    _day_of("closed_on", "销户日期", closed_on)
    present = household.members.present()
    if reason == ClosedReason.NO_MEMBERS and present.exists():
        raise ValidationError(
            {"reason": f"本户还有{present.count()}名成员未销户：请逐一销户，或选择“整户迁出”。"}
        )
    last_left = household.members.aggregate(last=Max("left_on"))["last"]
    if last_left is not None and closed_on < last_left:
        raise ValidationError({"closed_on": f"销户日期不能早于成员最后销户的日期{last_left:%Y-%m-%d}。"})
    with _logged_as(actor):
        for member in present:  # one by one, so that the log records each member's leaving
            member.left_on, member.left_reason, member.left_note = closed_on, LeftReason.MOVED_OUT, note
            member.save(update_fields=["left_on", "left_reason", "left_note"])
        _end_benefits_on_close(household, closed_on)
        household.closed_on, household.closed_reason, household.closed_note = closed_on, reason, note.strip()
        household.save(update_fields=["closed_on", "closed_reason", "closed_note"])
    return household


def _end_benefits_on_close(household: Household, closed_on: date) -> None:
    running = household.benefits.exclude(kind=BenefitKind.TEMPORARY).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=closed_on)
    )
    for benefit in running:
        if benefit.starts_on > closed_on:
            kind, starts = benefit.get_kind_display(), f"{benefit.starts_on:%Y-%m-%d}"
            raise ValidationError({"closed_on": f"本户{kind}起始于{starts}，晚于销户日期。"})
        benefit.ends_on = closed_on
        benefit.save(update_fields=["ends_on"])


def moves_of(household: Household) -> QuerySet[Move]:
    """Every move into or out of a household, and of the household itself, newest first."""
    return (
        Move.objects.filter(Q(from_household=household) | Q(to_household=household))
        .select_related("member", "from_household", "to_household", "from_unit", "to_unit", "actor")
        .order_by("-moved_on", "-pk")
    )


# --- monitoring ------------------------------------------------------------------------------------


def _causes(causes: Iterable[str]) -> str:
    chosen = [c for c in RiskCause.values if c in set(causes)]
    if not chosen:
        raise ValidationError({"risk_causes": "请至少选择一项风险类型。"})
    return ",".join(chosen)


@transaction.atomic
def identify(
    *,
    household: Household,
    category: str,
    identified_on: date,
    risk_causes: Iterable[str],
    measures: str = "",
    actor: User | None = None,
) -> MonitoringCase:
    """Identify a household as a monitoring object (识别纳入); one open case per household."""
    _writable(household, actor)
    if household.monitoring_cases.exclude(state=MonitoringState.ELIMINATED).exists():
        raise ValidationError("该户已是监测对象，请在现有记录中更新。")
    case = MonitoringCase(
        household=household,
        category=category,
        identified_on=identified_on,
        risk_causes=_causes(risk_causes),
        measures=measures,
    )
    case.full_clean()
    case.save()
    return case


def update_measures(case: MonitoringCase, measures: str, *, actor: User | None = None) -> MonitoringCase:
    _require(may_edit_register(actor) if actor else True, actor, case.household.org_unit)
    case.measures = measures
    case.save(update_fields=["measures"])
    return case


def record_visit(case: MonitoringCase, *, visited_on: date, note: str, actor: User) -> MonitoringVisit:
    _require(may_visit(actor), actor, case.household.org_unit)
    if not note.strip():
        raise ValidationError({"note": "请填写走访情况。"})
    visit = MonitoringVisit(case=case, visited_on=visited_on, note=note.strip(), visitor=actor)
    visit.full_clean()
    visit.save()
    return visit


def record_income(
    household: Household,
    *,
    year: int,
    per_capita_income: Decimal,
    checked_on: date,
    actor: User | None = None,
) -> IncomeCheck:
    _require(may_edit_register(actor) if actor else True, actor, household.org_unit)
    check, _ = IncomeCheck.objects.update_or_create(
        household=household,
        year=year,
        defaults={"per_capita_income": per_capita_income, "checked_on": checked_on},
    )
    return check


def propose_elimination(
    case: MonitoringCase, *, eliminated_on: date, reason: str, actor: User | None = None
) -> MonitoringCase:
    """The village proposes 风险消除 with a date and reason; the township approves it."""
    _require(may_edit_register(actor) if actor else True, actor, case.household.org_unit)
    if case.state != MonitoringState.MONITORED:
        raise ValidationError("只有监测中的对象可以提出风险消除。")
    if not reason.strip():
        raise ValidationError({"elimination_reason": "请填写风险消除理由。"})
    if eliminated_on < case.identified_on:
        raise ValidationError({"eliminated_on": "风险消除日期不能早于识别日期。"})
    case.state = MonitoringState.ELIMINATION_PROPOSED
    case.eliminated_on = eliminated_on
    case.elimination_reason = reason.strip()
    case.proposed_by = actor
    case.save()
    return case


def decide_elimination(case: MonitoringCase, *, approve: bool, actor: User | None = None) -> MonitoringCase:
    """Approve (the risk is eliminated from the proposed date) or send back to monitoring."""
    _require(may_approve_elimination(actor) if actor else True, actor, case.household.org_unit)
    if case.state != MonitoringState.ELIMINATION_PROPOSED:
        raise ValidationError("该对象没有待审批的风险消除。")
    if approve:
        case.state = MonitoringState.ELIMINATED
        case.approved_by = actor
        case.approved_at = timezone.now()
    else:
        case.state = MonitoringState.MONITORED
        case.eliminated_on = None
        case.proposed_by = None
    case.save()
    return case


# --- benefits --------------------------------------------------------------------------------------


@transaction.atomic
def grant_benefit(
    *,
    household: Household,
    kind: str,
    starts_on: date,
    monthly_amount: Decimal | None = None,
    ends_on: date | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    actor: User | None = None,
) -> Benefit:
    _writable(household, actor)
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and (problem := date_problem(day, timezone.localdate())):
            raise ValidationError({name: f"日期{problem}。"})
    if kind == BenefitKind.TEMPORARY:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "临时救助须填写大于0的金额。"})
        if not reason.strip():
            raise ValidationError({"reason": "临时救助须填写事由。"})
        monthly_amount, ends_on = None, starts_on
    else:
        if monthly_amount is None or monthly_amount <= 0:
            raise ValidationError({"monthly_amount": "低保、特困须填写大于0的月发放金额。"})
        amount = None
        overlapping = household.benefits.filter(kind=kind).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if overlapping.exists():
            raise ValidationError("该户已有未终止的同类救助，请先终止。")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "终止日期不能早于起始日期。"})
    benefit = Benefit(
        household=household,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_amount=monthly_amount,
        amount=amount,
        reason=reason.strip(),
    )
    benefit.full_clean()
    benefit.save()
    return benefit


def end_benefit(benefit: Benefit, *, ends_on: date, actor: User | None = None) -> Benefit:
    _require(may_edit_register(actor) if actor else True, actor, benefit.household.org_unit)
    if ends_on < benefit.starts_on:
        raise ValidationError({"ends_on": "终止日期不能早于起始日期。"})
    benefit.ends_on = ends_on
    benefit.save(update_fields=["ends_on"])
    return benefit


def months_paid(benefit: Benefit, start: date, end: date) -> int:
    """Calendar months from `start` to `end` in which a monthly benefit was paid (any day of it active)."""
    first = max(benefit.starts_on, start)
    last = min(benefit.ends_on or end, end)
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


# --- subsidies -------------------------------------------------------------------------------------


def subsidy_amount(area: Decimal, rate: Decimal) -> Decimal:
    """Area × rate to the fen, rounded half up as the banks' payment files are."""
    return (area * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def create_batch(
    *, org_unit: OrgUnit, name: str, kind: str, year: int, rate: Decimal, actor: User | None = None
) -> SubsidyBatch:
    _require(may_manage_subsidies(actor) if actor else True, actor, org_unit)
    batch = SubsidyBatch(org_unit=org_unit, name=name.strip(), kind=kind, year=year, rate=rate)
    batch.full_clean()
    batch.save()
    return batch


def add_payment(
    batch: SubsidyBatch, household: Household, area: Decimal, *, actor: User | None = None
) -> Any:
    _require(may_manage_subsidies(actor) if actor else True, actor, household.org_unit)
    if area <= 0:
        raise ValidationError({"area": "面积应大于0。"})
    payment = SubsidyPayment(
        batch=batch, household=household, area=area, amount=subsidy_amount(area, batch.rate)
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def pay_batch(batch: SubsidyBatch, *, paid_on: date, actor: User) -> int:
    """Mark every unpaid line of the batch that `actor` can see as paid on `paid_on`; returns how many."""
    _require(may_manage_subsidies(actor), actor)
    unpaid = scope.scoped(actor, batch.payments.filter(paid_on__isnull=True))
    count = 0
    for payment in unpaid.select_for_update():
        payment.paid_on = paid_on
        payment.save(update_fields=["paid_on"])  # one by one, so the activity log records each
        count += 1
    return count


# --- figures for the reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdCount:
    """新增监测对象x户x人, with the cases counted."""

    households: int
    people: int
    records: QuerySet[MonitoringCase]

    def sentence(self) -> str:
        return f"新增监测对象{self.households}户{self.people}人"


def new_monitored(user: Any, start: date, end: date, unit: OrgUnit | None = None) -> HouseholdCount:
    """Households identified as monitoring objects from `start` to `end` inclusive, and their people."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    cases = cases.filter(identified_on__range=(start, end))
    return _household_count(cases, end)


def by_village(count: HouseholdCount) -> dict[str, tuple[int, int]]:
    """A count split by village (a grid's household counts for its village): name -> (户, 人)."""
    people: dict[int, int] = {}
    village_of: dict[int, OrgUnit] = {}
    cases = count.records.select_related("household__org_unit__parent").annotate(
        people=Count("household__members", filter=Q(household__members__left_on__isnull=True))
    )
    for case in cases:
        unit = case.household.org_unit
        village_of[case.household_id] = unit.parent if unit.kind == OrgKind.GRID and unit.parent else unit
        people[case.household_id] = case.people  # type: ignore[attr-defined]
    result: dict[str, tuple[int, int]] = {}
    # In the tree's order (by path), as the township lists its villages.
    for household, village in sorted(village_of.items(), key=lambda item: item[1].path):
        households, persons = result.get(village.name, (0, 0))
        result[village.name] = (households + 1, persons + people[household])
    return result


def closed_monitored(user: Any, start: date, end: date, unit: OrgUnit | None = None) -> HouseholdCount:
    """Households whose risk was eliminated (approved) with an elimination date in the period."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    cases = cases.filter(state=MonitoringState.ELIMINATED, eliminated_on__range=(start, end))
    return _household_count(cases, end)


def monitored_on(user: Any, day: date, unit: OrgUnit | None = None) -> HouseholdCount:
    """Households under monitoring at the end of `day`, read from their cases' dates: identified by then
    and not yet eliminated by then. A case closed after `day` counts, as it was then; a proposal not
    yet approved leaves the household monitored."""
    return _household_count(_monitoring_cases_on(user, day, unit), day)


def _monitoring_cases_on(user: Any, day: date, unit: OrgUnit | None) -> QuerySet[MonitoringCase]:
    """The monitoring cases open at the end of `day`: identified by then and not eliminated by then."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    closed = Q(state=MonitoringState.ELIMINATED, eliminated_on__lte=day)
    return cases.filter(identified_on__lte=day).exclude(closed)


def _household_count(cases: QuerySet[MonitoringCase], day: date) -> HouseholdCount:
    """The cases' households and people on the register at the end of `day`: a household closed, or a
    person who died or moved away, by then is counted no more (their records stay in `records`)."""
    cases = cases.filter(household__in=Household.objects.open_on(day))
    households = cases.values("household").distinct().count()
    people = Member.objects.present_on(day).filter(household__in=cases.values("household")).count()
    return HouseholdCount(households, people, cases)


@dataclass(frozen=True)
class Money:
    """An amount in 元 with the records it adds up."""

    yuan: Decimal
    records: list[Any] = field(default_factory=list)

    @property
    def wan(self) -> Decimal:
        return (self.yuan / 10000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def sentence(self, what: str) -> str:
        return f"发放{what}{self.wan}万元"


def benefit_paid(
    user: Any, kind: str, start: date, end: date, unit: OrgUnit | None = None, *, paid_by: date | None = None
) -> Money:
    """发放低保金/特困供养金 (monthly × months active) or 临时救助 (one-off) from `start` to `end`, as paid by
    `paid_by` (today unless told: a report's date). A grant is an entitlement: a month that has not
    begun by then (December's, on 18 November) is not yet paid, so a span running past that day counts
    to it; a month is paid in the month (低保 and 特困 are paid monthly)."""
    end = min(end, paid_by or timezone.localdate())
    if end < start:
        return Money(Decimal(0).quantize(CENT), [])
    benefits = _in_unit(scope.scoped(user, Benefit.objects.filter(kind=kind)), unit, "household__org_unit")
    if kind == BenefitKind.TEMPORARY:
        rows = list(benefits.filter(starts_on__range=(start, end)))
        return Money(sum((b.amount or Decimal(0) for b in rows), Decimal(0)).quantize(CENT), rows)
    rows = list(benefits.filter(starts_on__lte=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)))
    total = sum(((b.monthly_amount or Decimal(0)) * months_paid(b, start, end) for b in rows), Decimal(0))
    return Money(total.quantize(CENT), rows)


def benefits_in_force(user: Any, kind: str, day: date, unit: OrgUnit | None = None) -> tuple[int, int]:
    """How many households receive a monthly benefit (低保, 特困) on `day`, and how many people they have."""
    benefits = _in_unit(scope.scoped(user, Benefit.objects.filter(kind=kind)), unit, "household__org_unit")
    benefits = benefits.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    benefits = benefits.filter(household__in=Household.objects.open_on(day))
    households = benefits.values("household").distinct().count()
    people = Member.objects.present_on(day).filter(household__in=benefits.values("household")).count()
    return households, people


@dataclass(frozen=True)
class SubsidyFigure:
    """补贴面积x亩, 资金x元, 发放率x%: due and paid over the lines in scope."""

    area: Decimal
    due: Decimal
    paid: Decimal
    lines: int
    records: QuerySet[SubsidyPayment]

    @property
    def paid_rate(self) -> Decimal:
        if not self.due:
            return Decimal(0)
        return (self.paid * 100 / self.due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def sentence(self) -> str:
        return f"补贴面积{self.area}亩，资金{self.due}元，发放率{self.paid_rate}%"


def subsidy_figure(
    user: Any, batch: SubsidyBatch | None = None, unit: OrgUnit | None = None
) -> SubsidyFigure:
    payments = _in_unit(scope.scoped(user, SubsidyPayment.objects.all()), unit, "household__org_unit")
    if batch is not None:
        payments = payments.filter(batch=batch)
    totals = payments.aggregate(
        area=Sum("area"),
        due=Sum("amount"),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
        lines=Count("pk"),
    )
    # SQLite adds decimals as floats: to the fen they are exact at any township's scale.
    return SubsidyFigure(
        area=Decimal(totals["area"] or 0).quantize(CENT),
        due=Decimal(totals["due"] or 0).quantize(CENT),
        paid=Decimal(totals["paid"] or 0).quantize(CENT),
        lines=totals["lines"],
        records=payments,
    )


def batches_for(user: Any) -> list[SubsidyBatch]:
    """The batches a user can see: set up in their scope, or paying households in their scope."""
    own = scope.scoped(user, SubsidyBatch.objects.all()).values("pk")
    paying = scope.scoped(user, SubsidyPayment.objects.all()).values("batch")
    return list(SubsidyBatch.objects.filter(Q(pk__in=own) | Q(pk__in=paying)).order_by("-year", "-pk"))


def batch_in_scope_or_404(user: Any, pk: int) -> SubsidyBatch:
    for batch in batches_for(user):
        if batch.pk == pk:
            return batch
    raise Http404("记录不存在或无权查看。")


@dataclass(frozen=True)
class TagCounts:
    households: int
    people: int
    lifted_out: int
    monitored: int
    dibao: int
    tekun: int
    left_behind_elderly: int
    left_behind_children: int


def tag_counts(user: Any, today: date, unit: OrgUnit | None = None) -> TagCounts:
    households = _in_unit(households_for(user), unit, "org_unit")
    totals = households.aggregate(
        n=Count("pk"),
        lifted=Count("pk", filter=Q(lifted_out=True)),
        elderly=Count("pk", filter=Q(left_behind_elderly=True)),
        children=Count("pk", filter=Q(left_behind_children=True)),
    )
    open_cases = MonitoringCase.objects.exclude(state=MonitoringState.ELIMINATED)
    active = Benefit.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return TagCounts(
        households=totals["n"],
        people=Member.objects.present_on(today).filter(household__in=households).count(),
        lifted_out=totals["lifted"],
        monitored=households.filter(pk__in=open_cases.values("household")).count(),
        dibao=households.filter(pk__in=active.filter(kind=BenefitKind.DIBAO).values("household")).count(),
        tekun=households.filter(pk__in=active.filter(kind=BenefitKind.TEKUN).values("household")).count(),
        left_behind_elderly=totals["elderly"],
        left_behind_children=totals["children"],
    )


def monitored_by_category_on(user: Any, day: date, unit: OrgUnit | None = None) -> dict[str, HouseholdCount]:
    """Households under monitoring at the end of `day`, by category (脱贫不稳定户, 边缘易致贫户,
    突发严重困难户): identified by then, and not yet eliminated by then."""
    cases = _monitoring_cases_on(user, day, unit)
    found = {}
    for category in MonitoringCategory.values:
        count = _household_count(cases.filter(category=category), day)
        if count.households:
            found[category] = count
    return found


def monitoring_visits(
    user: Any, start: date, end: date, unit: OrgUnit | None = None
) -> QuerySet[MonitoringVisit]:
    """Follow-up visits (走访) to monitored households from `start` to `end` inclusive."""
    visits = MonitoringVisit.objects.filter(case__in=scope.scoped(user, MonitoringCase.objects.all()))
    return _in_unit(visits, unit, "case__household__org_unit").filter(visited_on__range=(start, end))


def monitoring_breakdown(user: Any, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Monitoring cases of households on the register, by category and state: 户 and 人 for each pair
    that has any."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    present = Q(household__members__left_on__isnull=True)
    rows = (
        cases.filter(household__closed_on__isnull=True)
        .values("category", "state")
        .annotate(
            households=Count("household", distinct=True),
            people=Count("household__members", distinct=True, filter=present),
        )
        .order_by("category", "state")
    )
    return list(rows)


def monitoring_by_state(user: Any, unit: OrgUnit | None = None) -> dict[str, int]:
    """Monitoring cases by state (户: a household has at most one open case)."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    cases = cases.filter(household__closed_on__isnull=True)
    counts = dict(cases.values_list("state").annotate(n=Count("pk")).order_by())
    return {state: counts.get(state, 0) for state in MonitoringState.values}


def unvisited_monitored(user: Any, since: date, unit: OrgUnit | None = None) -> QuerySet[MonitoringCase]:
    """Households under monitoring (not yet proposed for elimination) with no visit since `since`:
    the follow-ups due (应走访未走访)."""
    cases = _in_unit(scope.scoped(user, MonitoringCase.objects.all()), unit, "household__org_unit")
    visited = MonitoringVisit.objects.filter(case=OuterRef("pk"), visited_on__gte=since)
    cases = cases.filter(state=MonitoringState.MONITORED, household__closed_on__isnull=True)
    return cases.exclude(Exists(visited))


# A household under monitoring is visited by this day of each month: due on the to-do lists by it, and
# reminded of from it.
VISIT_DUE_DAY = 20
# A reminder lists at most this many households, then says how many more.
UNVISITED_LINES = 50


def remind_unvisited(now: datetime) -> str:
    """From the 20th, tell the grid worker of each household under monitoring not visited this month, and
    its village's staff, which households they still have to visit: one notification a recipient a month
    (the key names the month and the recipient's unit), listing household numbers and masked names."""
    today = timezone.localdate(now)
    if today.day < VISIT_DUE_DAY:
        return f"未到提醒日：每月{VISIT_DUE_DAY}日起提醒本月未走访的监测户"
    month = today.replace(day=1)
    head = Member.objects.filter(household=OuterRef("household"), relation=Relation.HEAD).values("name")[:1]
    cases = list(
        unvisited_monitored(scope.WHOLE_UNIT, month)
        .annotate(head_name=Subquery(head))
        .select_related("household__org_unit__parent")
        .order_by("household__org_unit__path", "household__number")
    )
    by_unit: dict[int, list[MonitoringCase]] = defaultdict(list)  # by grid and by village
    for case in cases:
        for unit in _visiting_units(case.household.org_unit):
            by_unit[unit.pk].append(case)
    told = 0
    for user in _not_told_unvisited(list(by_unit), month):
        told += notify([user], _unvisited_message(user, month, today, by_unit[user.org_unit_id]))
    return f"提醒 {told} 人(本月未走访监测户 {len(cases)} 户)"


def _visiting_units(unit: OrgUnit) -> list[OrgUnit]:
    """The grid whose worker visits a household placed at `unit`, and its village (a household placed at
    a village has no grid yet: its village only)."""
    if unit.kind == OrgKind.MICROGRID and unit.parent is not None:
        unit = unit.parent
    if unit.kind == OrgKind.GRID and unit.parent is not None:
        return [unit, unit.parent]
    return [unit] if unit.kind == OrgKind.VILLAGE else []


def _not_told_unvisited(units: list[int], month: date) -> list[User]:
    """The grid workers and village staff of `units` not told yet this month."""
    return list(
        User.objects.filter(is_active=True, org_unit_id__in=units)
        .filter(
            Q(role=Role.GRID_WORKER, org_unit__kind=OrgKind.GRID)
            | Q(role=Role.VILLAGE_STAFF, org_unit__kind=OrgKind.VILLAGE)
        )
        .exclude(notifications__key__startswith=f"unvisited:{month:%Y-%m}:")
        .select_related("org_unit")
        .order_by("pk")
    )


def _unvisited_message(user: User, month: date, today: date, cases: list[MonitoringCase]) -> Message:
    assert user.org_unit is not None
    lines = [
        f"{c.household.number} {masked_name(c.head_name or '')} {c.get_category_display()}"  # type: ignore[attr-defined]
        + (f"（{c.household.org_unit.name}）" if user.role == Role.VILLAGE_STAFF else "")
        for c in cases
    ]
    if len(lines) > UNVISITED_LINES:
        lines = [*lines[:UNVISITED_LINES], f"……共{len(cases)}户"]
    return Message(
        kind=Kind.UNVISITED,
        key=f"unvisited:{month:%Y-%m}:unit:{user.org_unit_id}",
        title=f"{month.month}月尚有{len(cases)}户监测对象未走访",
        body="\n".join(
            [f"截至{today.month}月{today.day}日，以下监测户本月尚未走访，请在月底前走访并登记：", *lines]
        ),
        link=f"{reverse('households:monitoring-list')}?{urlencode({'unit': user.org_unit.code})}",
    )


def masked_name(name: str) -> str:
    """张** : a name in a notification, which may leave the platform by e-mail or a chat group."""
    return name[:1] + "*" * (len(name) - 1)


def _in_unit(queryset: QuerySet[Any], unit: OrgUnit | None, org_field: str) -> QuerySet[Any]:
    """Narrow a scoped queryset further to one unit's subtree (a village page inside a township view)."""
    if unit is None:
        return queryset
    return queryset.filter(**{f"{org_field}__path__startswith": unit.path})


def month_bounds(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
