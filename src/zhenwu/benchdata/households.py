"""Each village's household register: families with identity numbers that pass the GB 11643 check,
sealed (encrypted, blind-indexed, masked) by households.services.seal exactly as an entry is; about 2%
under monitoring with visits and income checks, about 5% on 低保/特困 and a few on 临时救助, and a
耕地地力保护补贴 batch each year paid to most households.

Region codes start with 97, which no province has, so no generated number can be a real person's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zhenwu.core import idcard
from zhenwu.households.demo import GIVEN, MEASURES, STREETS, SURNAMES, VISIT_NOTES
from zhenwu.households.models import (
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
from zhenwu.households.services import seal, subsidy_amount

from .scale import Clock
from .sink import Row, Sink
from .tree import County, Township, Village

SUBSIDY_RATE = Decimal("95.50")
MEMBER_COLUMNS = [
    "id", "household_id", "name", "relation", "gender", "birth_date", "id_number_cipher", "id_number_index",
    "id_number_masked", "phone_cipher", "phone_masked", "disabled", "tags", "left_reason", "left_note",
]  # fmt: skip
MONITORING_COLUMNS = [
    "id", "household_id", "category", "identified_on", "risk_causes", "measures", "state", "eliminated_on",
    "elimination_reason", "proposed_by_id", "approved_by_id", "approved_at",
]  # fmt: skip


@dataclass
class _Rows:
    households: list[Row]
    members: list[Row]
    monitoring: list[Row]
    visits: list[Row]
    incomes: list[Row]
    benefits: list[Row]
    payments: list[Row]


def generate(
    sink: Sink, clock: Clock, county: County, per_township: int, seed: int, used: set[str] | None = None
) -> None:
    """`used`: the identity numbers other counties of the same run gave out (the blind index is unique)."""
    used = set() if used is None else used  # one person, one number
    for township in county.townships:
        rng = random.Random(f"{seed}:households:{township.number}")
        rows = _Rows([], [], [], [], [], [], [])
        ids = list(sink.ids(Household, per_township))
        villages = township.villages
        for n, household_id in enumerate(ids):
            village = villages[n % len(villages)]
            _household(rows, rng, clock, township, village, n // len(villages) + 1, household_id, used)
        _monitoring(rows, sink, rng, clock, township, ids, villages)
        _benefits(rows, rng, clock, ids)
        batches = _subsidies(rows, sink, rng, clock, township, ids)
        _write(sink, rows, batches)


def _household(
    rows: _Rows,
    rng: random.Random,
    clock: Clock,
    township: Township,
    village: Village,
    number: int,
    household_id: int,
    used: set[str],
) -> None:
    grid = village.grids[number % len(village.grids)]
    rows.households.append(
        (
            household_id,
            grid.id,
            f"{village.unit.code}{number:04d}",
            f"{village.unit.name}{rng.choice(STREETS)}{rng.randint(1, 120)}号",
            rng.random() < 0.08,
            rng.random() < 0.05,
            rng.random() < 0.03,
            _moment(clock.start.date()),
            "",  # open: no 销户原因
            "",
        )
    )
    region = f"97{township.number % 100:02d}{village.number % 100:02d}"
    for name, relation, birth in _family(rng, clock.today):
        number = _unique_number(rng, region, birth, used)
        phone = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}" if relation == Relation.HEAD else ""
        sealed = seal(number, phone)
        rows.members.append(
            (
                household_id,
                name,
                relation,
                sealed.gender,
                sealed.birth_date,
                sealed.id_cipher,
                sealed.id_index,
                sealed.id_masked,
                sealed.phone_cipher,
                sealed.phone_masked,
                rng.random() < 0.02,
                "",
                "",  # on the register: no 销户原因
                "",
            )
        )


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
    )


def _family(rng: random.Random, today: date) -> list[tuple[str, str, date]]:
    """A head of household, usually a spouse, children of the right ages, sometimes a parent."""
    surname = rng.choice(SURNAMES)
    head_age = rng.randint(25, 88)
    head = today - timedelta(days=head_age * 365 + rng.randint(0, 364))
    people = [(_name(rng, surname), Relation.HEAD.value, head)]
    if rng.random() < 0.8:
        people.append((_name(rng), Relation.SPOUSE.value, head + timedelta(days=rng.randint(-1500, 1500))))
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if head_age < 70 else 0):
        child = head + timedelta(days=rng.randint(20, 38) * 365 + rng.randint(0, 364))
        if child < today:
            people.append((_name(rng, surname), Relation.CHILD.value, child))
    if head_age < 50 and rng.random() < 0.3:
        people.append((_name(rng, surname), Relation.PARENT.value, head - timedelta(days=27 * 365)))
    return [(n, r, min(b, today - timedelta(days=1))) for n, r, b in people]


def _unique_number(rng: random.Random, region: str, birth: date, used: set[str]) -> str:
    while True:
        number = idcard.compose(region, birth, rng.randint(0, 999))
        if number not in used:
            used.add(number)
            return number


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _monitoring(
    rows: _Rows,
    sink: Sink,
    rng: random.Random,
    clock: Clock,
    township: Township,
    ids: list[int],
    villages: list[Village],
) -> None:
    today, approver = clock.today, township.office_staff["mzb"]
    chosen = sorted(rng.sample(range(len(ids)), len(ids) // 50))
    case_ids = sink.ids(MonitoringCase, len(chosen))
    for case_id, n in zip(case_ids, chosen, strict=True):
        staff = township.village_staff[villages[n % len(villages)].unit.id]
        identified = today - timedelta(days=rng.randint(5, 365 * clock.years))
        roll, state, eliminated = rng.random(), MonitoringState.MONITORED, None
        if roll < 0.3 and (today - identified).days > 120:
            state, eliminated = MonitoringState.ELIMINATED, identified + timedelta(days=rng.randint(90, 120))
        elif roll < 0.4:
            state, eliminated = (
                MonitoringState.ELIMINATION_PROPOSED,
                today - timedelta(days=rng.randint(1, 4)),
            )
        rows.monitoring.append(
            (
                case_id,
                ids[n],
                rng.choice(MonitoringCategory.values),
                identified,
                ",".join(sorted(rng.sample(RiskCause.values, rng.randint(1, 2)))),
                rng.choice(MEASURES),
                state,
                eliminated if state != MonitoringState.MONITORED else None,
                "家庭收入稳定，“两不愁三保障”落实" if eliminated else "",
                staff if eliminated else None,
                approver if state == MonitoringState.ELIMINATED else None,
                _moment(eliminated) if state == MonitoringState.ELIMINATED and eliminated else None,
            )
        )
        for k in range(rng.randint(1, 3)):
            visited = min(today - timedelta(days=1), identified + timedelta(days=30 * (k + 1)))
            rows.visits.append((case_id, visited, staff, rng.choice(VISIT_NOTES)))
        for year in (today.year - 2, today.year - 1):
            rows.incomes.append((ids[n], year, Decimal(rng.randint(6000, 16000)), date(year, 11, 20)))


def _benefits(rows: _Rows, rng: random.Random, clock: Clock, ids: list[int]) -> None:
    today = clock.today
    for i, n in enumerate(rng.sample(range(len(ids)), len(ids) // 20)):
        starts = date(today.year - rng.randint(0, clock.years), rng.randint(1, 12), 1)
        starts = min(starts, date(today.year, 1, 1)) if starts > today else starts
        ends = None if rng.random() < 0.85 else starts + timedelta(days=rng.randint(200, 700))
        kind = BenefitKind.DIBAO if i % 5 else BenefitKind.TEKUN
        rows.benefits.append(
            (ids[n], kind, Decimal(rng.choice([420, 480, 560, 650, 780])), starts, ends, None, "")
        )
    for n in rng.sample(range(len(ids)), min(len(ids), len(ids) // 300 + 1)):
        day = today - timedelta(days=rng.randint(1, 365 * clock.years))
        rows.benefits.append(
            (
                ids[n],
                BenefitKind.TEMPORARY,
                None,
                day,
                day,
                Decimal(rng.choice([800, 1000, 1500, 2000, 3000])),
                rng.choice(["因病住院", "房屋受灾", "意外事故", "子女上学"]),
            )
        )


def _subsidies(
    rows: _Rows, sink: Sink, rng: random.Random, clock: Clock, township: Township, ids: list[int]
) -> list[Row]:
    """One batch a year; this year's is still being paid out in a few villages."""
    years = list(range(clock.today.year - clock.years + 1, clock.today.year + 1))
    batch_ids = sink.ids(SubsidyBatch, len(years))
    batches = [
        (
            batch_id,
            township.unit.id,
            f"{year}年耕地地力保护补贴",
            SubsidyKind.FARMLAND,
            year,
            SUBSIDY_RATE,
            _moment(min(date(year, 4, 1), clock.today - timedelta(days=1))),
        )
        for batch_id, year in zip(batch_ids, years, strict=True)
    ]
    for batch_id, year in zip(batch_ids, years, strict=True):
        paid_on = date(year, 5, 20)
        for household_id in ids:
            if rng.random() < 0.6:
                area = Decimal(rng.randint(50, 1200)) / 100
                unpaid = paid_on >= clock.today or (year == clock.today.year and household_id % 10 == 0)
                rows.payments.append(
                    (
                        batch_id,
                        household_id,
                        area,
                        subsidy_amount(area, SUBSIDY_RATE),
                        None if unpaid else paid_on,
                    )
                )
    return batches


def _write(sink: Sink, rows: _Rows, batches: list[Row]) -> None:
    def numbered(model: type, batch: list[Row]) -> list[Row]:
        first = sink.ids(model, len(batch)).start
        return [(first + n, *row) for n, row in enumerate(batch)]

    sink.write(
        Household,
        [
            "id",
            "org_unit_id",
            "number",
            "address",
            "lifted_out",
            "left_behind_elderly",
            "left_behind_children",
            "created_at",
            "closed_reason",
            "closed_note",
        ],
        rows.households,
    )
    sink.write(Member, MEMBER_COLUMNS, numbered(Member, rows.members))
    sink.write(MonitoringCase, MONITORING_COLUMNS, rows.monitoring)
    sink.write(
        MonitoringVisit,
        ["id", "case_id", "visited_on", "visitor_id", "note"],
        numbered(MonitoringVisit, rows.visits),
    )
    sink.write(
        IncomeCheck,
        ["id", "household_id", "year", "per_capita_income", "checked_on"],
        numbered(IncomeCheck, rows.incomes),
    )
    sink.write(
        Benefit,
        ["id", "household_id", "kind", "monthly_amount", "starts_on", "ends_on", "amount", "reason"],
        numbered(Benefit, rows.benefits),
    )
    sink.write(SubsidyBatch, ["id", "org_unit_id", "name", "kind", "year", "rate", "created_at"], batches)
    sink.write(
        SubsidyPayment,
        ["id", "batch_id", "household_id", "area", "amount", "paid_on"],
        numbered(SubsidyPayment, rows.payments),
    )
