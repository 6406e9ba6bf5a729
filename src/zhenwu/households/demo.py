"""Demo households: about 3,100 across the 12 demo villages and 60 grids, ~2% monitored, benefits, one
subsidy batch.

Every person is made up: names drawn from lists of surnames and given-name characters, identity numbers
that pass the GB 11643 check but carry a region code starting with 99, which does not exist. Records are
bulk-created (no per-row activity log: the loader is the system, not a user), so the demo loads in
seconds. Seeded, so the same day gives the same township; idempotent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu.core import idcard
from zhenwu.org import demo as org_demo
from zhenwu.org.models import OrgUnit, User

from . import crypto, services
from .models import (
    Benefit,
    BenefitKind,
    Household,
    IncomeCheck,
    Member,
    MonitoringCase,
    MonitoringCategory,
    MonitoringState,
    MonitoringVisit,
    Relation,
    RiskCause,
    SubsidyBatch,
    SubsidyKind,
    SubsidyPayment,
)

SEED = 20260108
HOUSEHOLDS_PER_VILLAGE = 260
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海波辉春梅金凤云德成林福荣庆祥"
STREETS = ["一组", "二组", "三组", "四组", "五组", "六组", "新村路", "河东街", "坪上", "老屋场"]
MEASURES = ["落实医疗救助", "公益性岗位安置", "产业帮扶：发放鸡苗", "纳入低保", "教育资助"]
VISIT_NOTES = ["户主身体好转，已外出务工", "家中无人，电话回访", "了解就医报销情况", "核实收入"]
BATCH_NAME = "2026年耕地地力保护补贴"
SUBSIDY_RATE = Decimal("95.50")


@dataclass
class _Person:
    name: str
    relation: str
    birth: date


def _name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _family(rng: random.Random, today: date) -> list[_Person]:
    surname = rng.choice(SURNAMES)
    head_age = rng.randint(28, 85)
    head_birth = today - timedelta(days=head_age * 365 + rng.randint(0, 364))
    people = [_Person(_name(rng, surname), Relation.HEAD, head_birth)]
    if rng.random() < 0.8:
        people.append(
            _Person(_name(rng), Relation.SPOUSE, head_birth + timedelta(days=rng.randint(-1500, 1500)))
        )
    if head_age < 70:
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            child_birth = head_birth + timedelta(days=rng.randint(20, 38) * 365 + rng.randint(0, 364))
            if child_birth < today:
                people.append(_Person(_name(rng, surname), Relation.CHILD, child_birth))
    if head_age < 50 and rng.random() < 0.3:
        people.append(_Person(_name(rng, surname), Relation.PARENT, head_birth - timedelta(days=27 * 365)))
    return people


def _numbers(rng: random.Random, region: str, birth: date, used: set[str]) -> str:
    while True:
        number = idcard.compose(region, birth, rng.randint(0, 999))
        if number not in used:
            used.add(number)
            return number


def load() -> None:
    township = OrgUnit.objects.get(code=org_demo.TOWNSHIP[0])
    if Household.objects.filter(org_unit__path__startswith=township.path).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    households = _load_register(rng, today)
    _load_monitoring(rng, today, households)
    _load_benefits(rng, today, households)
    _load_subsidies(rng, today, township, households)


def _load_register(rng: random.Random, today: date) -> list[Household]:
    used: set[str] = set()
    new_households: list[Household] = []
    families: list[list[_Person]] = []
    for v in range(1, len(org_demo.VILLAGES) + 1):
        grids = list(OrgUnit.objects.filter(parent__code=org_demo.village_code(v)).order_by("code"))
        for n in range(1, HOUSEHOLDS_PER_VILLAGE + 1):
            new_households.append(
                Household(
                    org_unit=grids[(n - 1) % len(grids)],
                    number=f"{org_demo.village_code(v)}{n:04d}",
                    address=f"{org_demo.VILLAGES[v - 1]}{rng.choice(STREETS)}{rng.randint(1, 120)}号",
                    lifted_out=rng.random() < 0.08,
                    left_behind_elderly=rng.random() < 0.05,
                    left_behind_children=rng.random() < 0.03,
                )
            )
            families.append(_family(rng, today))
    created = Household.objects.bulk_create(new_households, batch_size=1000)
    members: list[Member] = []
    for household, family in zip(created, families, strict=True):
        region = "990" + household.number[9:12]  # 990 + the village number: no such region exists
        for person in family:
            number = _numbers(rng, region, person.birth, used)
            phone = (
                f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}" if person.relation == "head" else ""
            )
            member = Member(
                household=household,
                name=person.name,
                relation=person.relation,
                disabled=rng.random() < 0.02,
            )
            services.apply_numbers(member, _sealed(number, phone))
            members.append(member)
    Member.objects.bulk_create(members, batch_size=2000)
    return created


def _sealed(number: str, phone: str) -> services.PersonalNumbers:
    parsed = idcard.parse(number)
    return services.PersonalNumbers(
        id_cipher=crypto.encrypt(number),
        id_index=crypto.blind_index(number),
        id_masked=idcard.mask_id_number(number),
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        phone_cipher=crypto.encrypt(phone),
        phone_masked=idcard.mask_phone(phone),
    )


def _load_monitoring(rng: random.Random, today: date, households: list[Household]) -> None:
    staff = User.objects.get(username="cun01")
    approver = User.objects.filter(username="minzheng").first() or User.objects.get(username="leader")
    chosen = rng.sample(households, len(households) // 50)
    cases: list[MonitoringCase] = []
    for household in chosen:
        identified = today - timedelta(days=rng.randint(5, 540))
        roll = rng.random()
        state = MonitoringState.MONITORED
        eliminated_on = None
        if roll < 0.3 and (today - identified).days > 120:
            state, eliminated_on = (
                MonitoringState.ELIMINATED,
                identified + timedelta(days=rng.randint(90, 120)),
            )
        elif roll < 0.4:
            state, eliminated_on = (
                MonitoringState.ELIMINATION_PROPOSED,
                today - timedelta(days=rng.randint(0, 4)),
            )
        cases.append(
            MonitoringCase(
                household=household,
                category=rng.choice(MonitoringCategory.values),
                identified_on=identified,
                risk_causes=",".join(sorted(rng.sample(RiskCause.values, rng.randint(1, 2)))),
                measures=rng.choice(
                    ["落实医疗救助", "公益性岗位安置", "产业帮扶：发放鸡苗", "纳入低保", "教育资助"]
                ),
                state=state,
                eliminated_on=eliminated_on if state != MonitoringState.MONITORED else None,
                elimination_reason="家庭收入稳定，“两不愁三保障”落实" if eliminated_on else "",
                proposed_by=staff if eliminated_on else None,
                approved_by=approver if state == MonitoringState.ELIMINATED else None,
                approved_at=timezone.now() if state == MonitoringState.ELIMINATED else None,
            )
        )
    created = MonitoringCase.objects.bulk_create(cases)
    visits = [
        MonitoringVisit(
            case=case,
            visited_on=min(today, case.identified_on + timedelta(days=30 * (k + 1))),
            visitor=staff,
            note=rng.choice(
                ["户主身体好转，已外出务工", "家中无人，电话回访", "了解就医报销情况", "核实收入"]
            ),
        )
        for case in created
        for k in range(rng.randint(1, 3))
    ]
    MonitoringVisit.objects.bulk_create(visits)
    IncomeCheck.objects.bulk_create(
        IncomeCheck(
            household=case.household,
            year=today.year - 1,
            per_capita_income=Decimal(rng.randint(6000, 16000)),
            checked_on=date(today.year - 1, 11, 20),
        )
        for case in created
    )


def _load_benefits(rng: random.Random, today: date, households: list[Household]) -> None:
    benefits: list[Benefit] = []
    chosen = rng.sample(households, len(households) // 25 + len(households) // 100)
    for i, household in enumerate(chosen):
        kind = BenefitKind.DIBAO if i % 5 else BenefitKind.TEKUN
        starts = date(today.year - rng.randint(0, 3), rng.randint(1, 12), 1)
        if starts > today:
            starts = date(today.year, 1, 1)
        ends = None if rng.random() < 0.85 else starts + timedelta(days=rng.randint(200, 700))
        benefits.append(
            Benefit(
                household=household,
                kind=kind,
                monthly_amount=Decimal(rng.choice([420, 480, 560, 650, 780])),
                starts_on=starts,
                ends_on=ends,
            )
        )
    for household in rng.sample(households, 30):
        day = date(today.year, rng.randint(1, today.month), 1)
        benefits.append(
            Benefit(
                household=household,
                kind=BenefitKind.TEMPORARY,
                amount=Decimal(rng.choice([800, 1000, 1500, 2000, 3000])),
                starts_on=day,
                ends_on=day,
                reason=rng.choice(["因病住院", "房屋受灾", "意外事故", "子女上学"]),
            )
        )
    Benefit.objects.bulk_create(benefits)


def _load_subsidies(rng: random.Random, today: date, township: OrgUnit, households: list[Household]) -> None:
    batch = SubsidyBatch.objects.create(
        org_unit=township, name=BATCH_NAME, kind=SubsidyKind.FARMLAND, year=today.year, rate=SUBSIDY_RATE
    )
    payments = []
    unpaid_villages = {org_demo.village_code(11), org_demo.village_code(12)}
    for household in households:
        if rng.random() < 0.6:
            area = Decimal(rng.randint(50, 1200)) / 100
            village = household.number[:12]
            payments.append(
                SubsidyPayment(
                    batch=batch,
                    household=household,
                    area=area,
                    amount=services.subsidy_amount(area, batch.rate),
                    paid_on=None if village in unpaid_villages else date(today.year, 5, 20),
                )
            )
    SubsidyPayment.objects.bulk_create(payments, batch_size=2000)
