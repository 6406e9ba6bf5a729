"""A year of made-up records for the template library's registers, for the demo township's villages.

Pure Python (no Django): `demo_records(...)` returns, per register form_id, the records a township would
have entered over the twelve months up to `today` — things first (lamps, waters, plots, debts,
enterprises, farms), then what was done to them in date order, so that applying the activities one by
one leaves every thing in a consistent state (a debt's balance never goes below zero, a repaired lamp
is 正常 again). Values are the text an XForm instance holds, as ODK Collect would submit them: dates
`YYYY-MM-DD`, numbers as decimal text, select_multiple space separated, geopoints `lat lon alt acc`; a
repeat (a campaign's outputs) a list of rows, each a dict of such texts.
Photos are left out. Seeded, so the same inputs give the same records.

The figures follow the corpus reports: 1055 numbered street lamps, 22 waters with 一杆一圈一绳,
4300万元 of locked village debt of which about a third is resolved in the year, 30-odd enterprise visits
a quarter, hundreds of place inspections with hazards found.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

SEED = 20261202
LAMPS = 1055
WATERS = 22
LOCKED_DEBT = Decimal("43000000")
SHARE_RESOLVED = Decimal("0.31")
TOWNSHIP_CONTRACTORS = [
    ("green", "示范园林绿化有限公司"),
    ("road", "城乡环卫服务有限公司"),
    ("river", "清源河道保洁队"),
]
ROADS = ["主干道", "村道", "新村路", "河东街", "学校路", "文化广场", "老街", "环村路"]
GROUPS = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳敏静丽强磊军洋勇艳杰涛明超霞平刚华兰红建国志文海波辉春梅金凤云德成林福荣祥"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ENTERPRISE_WORDS = [
    "兴达",
    "华邦",
    "森财",
    "睿新",
    "楚高",
    "恒通",
    "富民",
    "丰源",
    "鑫盛",
    "永泰",
    "宏发",
    "绿野",
]
ENTERPRISE_KINDS = [
    ("manufacturing", "机械制造有限公司"),
    ("materials", "新型建材有限公司"),
    ("agri_processing", "农产品加工有限公司"),
    ("trade", "商贸有限公司"),
    ("logistics", "物流有限公司"),
    ("tourism", "生态旅游开发有限公司"),
    ("service", "驾驶员培训有限公司"),
    ("agriculture", "种养殖专业合作社"),
]
REQUESTS = {
    "funding": "流动资金紧张，希望协调银行贷款",
    "labour": "旺季招工难，需要帮助对接劳务",
    "land": "扩建用地指标尚未落实",
    "approval": "环评手续办理进度慢",
    "utilities": "厂区供电容量不足，需要增容",
    "policy": "技改补贴尚未兑现",
}
WATER_KINDS = [("reservoir", "水库"), ("pond", "堰塘"), ("river", "河段"), ("pit", "坑塘"), ("ditch", "渠")]
PLACE_KINDS = [
    ("hazchem", ["加油站", "液化气站", "烟花爆竹经营点"]),
    ("crowded", ["农贸市场", "超市", "幸福院"]),
    ("construction", ["安置房工地", "道路施工点"]),
    ("school", ["中心小学", "幼儿园"]),
    ("food", ["食品加工厂", "餐馆"]),
    ("enterprise", ["木业加工厂", "建材厂"]),
    ("self_built", ["经营性自建房"]),
]
# The case engine's hazard category of a place type (make.HAZARD_CATEGORY computes the same in the form).
HAZARD_CATEGORIES = {
    "hazchem": "chemicals",
    "construction": "construction",
    "self_built": "self_built",
    "crowded": "small_venues",
    "food": "small_venues",
}
HAZARDS = [
    "消防通道堆放杂物",
    "灭火器过期未更换",
    "电线私拉乱接",
    "安全出口指示灯损坏",
    "气瓶未按规定存放",
    "脚手架未设防护网",
]
CAMPAIGNS = [
    ("sanitation", "nyb", "爱国卫生运动集中清洁日", "清理垃圾杂物", "ton"),
    ("environment", "nyb", "人居环境“七堆”集中整治", "清理垃圾杂物", "ton"),
    ("safety", "yjb", "安全生产月宣传", "发放宣传资料", "copy"),
    ("drowning", "yjb", "防溺水安全教育进校园", "发放宣传资料", "copy"),
    ("fire", "yjb", "森林防火宣传", "张贴标语", "piece"),
    ("anti_fraud", "zzzx", "反电诈宣传进村入户", "发放宣传资料", "copy"),
    ("law", "zzzx", "民法典普法宣传", "发放宣传资料", "copy"),
    ("training", "nyb", "小麦春季田管技术培训", "培训农民", "person"),
    ("volunteer", "dzb", "新时代文明实践志愿服务", "服务群众", "person"),
    ("drill", "yjb", "防汛应急演练", "演练场次", "session"),
]
MATERIALS = [
    ("rodenticide", "kg", (2, 12), "春季灭鼠"),
    ("disinfectant", "bottle", (10, 60), "农贸市场消杀"),
    ("leaflet", "copy", (200, 1500), "安全生产宣传"),
    ("seed", "bag", (20, 120), "撂荒地复耕"),
    ("life_jacket", "piece", (5, 30), "防溺水"),
    ("extinguisher", "piece", (5, 40), "森林防火"),
    ("flood", "bag", (50, 300), "防汛备汛"),
]


@dataclass(frozen=True)
class DemoRecord:
    """One record as entered: the unit (org unit code) it belongs to, its office, and its field values.

    `thing` is the 编号 of the thing the record concerns — a thing record's own, or the one an activity
    names in its entity field — so that a loader can put the stored thing's id in that field.
    """

    form_id: str
    unit: str
    office: str
    made_on: date
    data: dict[str, Any]  # field name -> text; a repeat's name -> its rows (dicts of text)
    thing: str = ""


# The field holding each thing's 编号, and the field in which an activity names the thing it updates.
THING_CODE_FIELDS = {
    "street_lamp": "code",
    "water": "code",
    "farmland_plot": "plot_code",
    "village_debt": "debt_code",
    "enterprise": "credit_code",
    "livestock_farm": "farm_name",
}
ENTITY_FIELDS = {
    "lamp_patrol": "lamp",
    "drowning_patrol": "water",
    "plot_recultivation": "plot",
    "debt_resolution": "debt",
    "enterprise_visit": "enterprise",
}


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


class _Township:
    """The generator's state: one seeded random source and the records made so far."""

    def __init__(
        self,
        township: str,
        villages: Sequence[tuple[str, str]],
        today: date,
        households: Mapping[str, Sequence[str]],
        projects: Sequence[str],
        seed: int,
    ) -> None:
        self.township = township
        self.villages = list(villages)
        self.today = today
        self.start = today - timedelta(days=364)
        self.households = households
        self.projects = list(projects)
        self.random = random.Random(seed)
        self.records: dict[str, list[DemoRecord]] = {}

    # -- helpers

    def add(self, form_id: str, unit: str, office: str, made_on: date, /, **data: Any) -> dict[str, Any]:
        values = {name: value for name, value in data.items() if value not in ("", [])}
        code_field = THING_CODE_FIELDS.get(form_id) or ENTITY_FIELDS.get(form_id, "")
        thing = values[code_field] if code_field else ""
        self.records.setdefault(form_id, []).append(DemoRecord(form_id, unit, office, made_on, values, thing))
        return values

    def day(self, start: date | None = None, end: date | None = None) -> date:
        first, last = start or self.start, end or self.today
        return first + timedelta(days=self.random.randrange((last - first).days + 1))

    def months(self) -> list[date]:
        """The first day of each of the twelve months up to today."""
        firsts, month = [], date(self.start.year, self.start.month, 1)
        while month <= self.today:
            if month >= self.start.replace(day=1):
                firsts.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return firsts[-12:]

    def person(self) -> str:
        return self.random.choice(SURNAMES) + "".join(self.random.sample(GIVEN, self.random.choice((1, 2))))

    def phone(self) -> str:
        return "1" + self.random.choice("3578") + "".join(self.random.choices("0123456789", k=9))

    def point(self, index: int) -> str:
        # Around a made-up centre; villages spread on a small grid, things scattered inside them.
        lat = 31.70 + (index % 4) * 0.03 + self.random.uniform(-0.01, 0.01)
        lon = 111.85 + (index // 4) * 0.03 + self.random.uniform(-0.01, 0.01)
        return f"{lat:.6f} {lon:.6f} 0 5"

    # -- things and what was done to them

    def lamps(self) -> None:
        shares = [self.random.uniform(0.6, 1.4) for _ in self.villages]
        counts = [int(LAMPS * share / sum(shares)) for share in shares]
        counts[0] += LAMPS - sum(counts)
        lamps: list[tuple[str, str]] = []
        for v, ((unit, name), number) in enumerate(zip(self.villages, counts, strict=True), start=1):
            keeper, keeper_phone = self.person(), self.phone()
            for n in range(1, number + 1):
                code = f"L{v:02d}-{n:04d}"
                kind = self.random.choices(["solar", "mains", "hybrid"], [6, 3, 1])[0]
                self.add(
                    "street_lamp",
                    unit,
                    "nyb",
                    self.start,
                    code=code,
                    place=f"{name}{self.random.choice(ROADS)}{n}号杆",
                    lamp_type=kind,
                    power=str(self.random.choice([30, 40, 60, 80, 100])),
                    installed_on=self.day(date(2018, 1, 1), self.start).isoformat(),
                    location=self.point(v - 1),
                    status="normal",
                    keeper=keeper,
                    keeper_phone=keeper_phone,
                )
                lamps.append((unit, code))
        faults = ["no_light", "no_light", "flicker", "pole", "battery", "other"]
        for month in self.months():
            for unit, code in self.random.sample(lamps, 120):
                patrolled = self.day(month, min(month + timedelta(days=27), self.today))
                finding = "ok" if self.random.random() < 0.88 else self.random.choice(faults)
                status = "normal" if finding == "ok" else "broken"
                self.add(
                    "lamp_patrol",
                    unit,
                    "nyb",
                    patrolled,
                    lamp=code,
                    visit_type="patrol",
                    visit_date=patrolled.isoformat(),
                    finding=finding,
                    status=status,
                )
                repaired = patrolled + timedelta(days=self.random.randint(2, 20))
                if status == "broken" and repaired <= self.today:
                    self.add(
                        "lamp_patrol",
                        unit,
                        "nyb",
                        repaired,
                        lamp=code,
                        visit_type="repair",
                        visit_date=repaired.isoformat(),
                        status="normal",
                        repair_action=self.random.choice(
                            ["更换灯头", "更换蓄电池", "更换控制器", "扶正灯杆"]
                        ),
                        repair_cost=_money(Decimal(self.random.randint(80, 900))),
                    )

    def waters(self) -> None:
        waters: list[tuple[str, str]] = []
        for w in range(WATERS):
            v = w % len(self.villages)
            unit, name = self.villages[v]
            kind, word = self.random.choice(WATER_KINDS)
            complete = w % 7 != 3
            code = f"SY-{w + 1:03d}"
            self.add(
                "water",
                unit,
                "yjb",
                self.start,
                code=code,
                water_name=f"{name[:2]}{self.random.choice(GROUPS)}{word}",
                water_type=kind,
                area=str(self.random.randint(3, 300)),
                max_depth=f"{self.random.uniform(1.5, 12):.1f}",
                location=self.point(v),
                risk_level=self.random.choice(["high", "medium", "medium", "low"]),
                keeper=self.person(),
                keeper_phone=self.phone(),
                has_pole="yes",
                has_ring="yes",
                has_rope="yes" if complete else "no",
                warning_signs=str(self.random.randint(1, 6)),
                equipped="yes" if complete else "no",
            )
            waters.append((unit, code))
        for unit, code in waters:
            patrolled = self.start
            while True:
                summer = 5 <= patrolled.month <= 9
                patrolled += timedelta(
                    days=self.random.randint(5, 9) if summer else self.random.randint(25, 35)
                )
                if patrolled > self.today:
                    break
                rope = "no" if self.random.random() < 0.06 else "yes"
                self.add(
                    "drowning_patrol",
                    unit,
                    "yjb",
                    patrolled,
                    water=code,
                    patrol_date=patrolled.isoformat(),
                    patrollers=str(self.random.randint(2, 5)),
                    persuaded=str(self.random.randint(0, 8) if summer else 0),
                    has_pole="yes",
                    has_ring="yes",
                    has_rope=rope,
                    equipped=rope,
                    remedy="" if rope == "yes" else "救生绳被盗，村里三日内补齐",
                    location=self.point(self.random.randrange(len(self.villages))),
                )

    def plots(self) -> None:
        for v, (unit, _name) in enumerate(self.villages, start=1):
            for n in range(1, self.random.randint(6, 10) + 1):
                code = f"TB{v:02d}{n:03d}"
                area = Decimal(self.random.randint(5, 180)) / 10
                measure = self.random.choice(["流转给合作社种植油菜", "农户自种小麦", "村集体代耕水稻"])
                self.add(
                    "farmland_plot",
                    unit,
                    "nyb",
                    self.start,
                    plot_code=code,
                    area=str(area),
                    land_type=self.random.choice(["paddy", "dry", "dry"]),
                    location=self.point(v - 1),
                    holder=self.person(),
                    holder_phone=self.phone(),
                    cause=" ".join(
                        sorted(self.random.sample(["labour", "water", "remote", "low_return"], 2))
                    ),
                    status="needs_rectification",
                    measure=measure,
                    deadline=(self.start + timedelta(days=120)).isoformat(),
                )
                if self.random.random() < 0.25:
                    continue  # still waiting for rectification
                way = self.random.choice(["self", "transfer", "cooperative", "collective"])
                crop = self.random.choice(["rice", "wheat", "rapeseed", "corn", "soybean"])
                begun = self.day(self.start, self.today - timedelta(days=60))
                self.add(
                    "plot_recultivation",
                    unit,
                    "nyb",
                    begun,
                    plot=code,
                    action_date=begun.isoformat(),
                    way=way,
                    crop=crop,
                    area_done=str(area),
                    status="rectifying",
                )
                done = begun + timedelta(days=self.random.randint(15, 60))
                self.add(
                    "plot_recultivation",
                    unit,
                    "nyb",
                    done,
                    plot=code,
                    action_date=done.isoformat(),
                    way=way,
                    crop=crop,
                    area_done=str(area),
                    status="recultivated",
                    recultivated_on=done.isoformat(),
                    location=self.point(v - 1),
                )

    def debts(self) -> None:
        debts: list[tuple[str, str, Decimal]] = []
        weights = [self.random.uniform(0.3, 1.7) for _ in self.villages]
        for v, ((unit, name), weight) in enumerate(zip(self.villages, weights, strict=True), start=1):
            village_total = (LOCKED_DEBT * Decimal(weight / sum(weights))).quantize(Decimal("1"))
            parts = self.random.randint(2, 5)
            cuts = sorted(self.random.sample(range(1, 100), parts - 1))
            shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
            for n, share in enumerate(shares, start=1):
                locked = (village_total * share / 100).quantize(Decimal("1"))
                kind = self.random.choice(["construction", "construction", "loan", "public_welfare", "wages"])
                creditor = (
                    f"{self.random.choice(ENTERPRISE_WORDS)}建筑工程有限公司"
                    if kind == "construction"
                    else self.person()
                )
                code = f"ZW{v:02d}-{n:02d}"
                self.add(
                    "village_debt",
                    unit,
                    "czs",
                    self.start,
                    debt_code=code,
                    creditor=creditor,
                    creditor_phone=self.phone(),
                    debt_type=kind,
                    incurred_on=self.day(date(2012, 1, 1), date(2019, 12, 31)).isoformat(),
                    locked_on=self.start.isoformat(),
                    locked_amount=_money(locked),
                    resolved_before="0.00",
                    balance=_money(locked),
                    plan=f"以{name}集体经营收入逐年偿还",
                )
                debts.append((unit, code, locked))
        target = LOCKED_DEBT * SHARE_RESOLVED
        resolved = Decimal(0)
        balances = {code: locked for _unit, code, locked in debts}
        while resolved < target:
            unit, code, locked = self.random.choice(debts)
            before = balances[code]
            if before <= 0:
                continue
            amount = min(before, (locked * Decimal(self.random.uniform(0.1, 0.6))).quantize(Decimal("1")))
            amount = min(amount, target - resolved) if target - resolved > 1000 else amount
            when = self.day()
            self.add(
                "debt_resolution",
                unit,
                "czs",
                when,
                debt=code,
                resolved_on=when.isoformat(),
                balance_before=_money(before),
                amount=_money(amount),
                way=self.random.choice(["repay", "repay", "offset", "waive", "transfer"]),
                source=self.random.choice(["collective", "fiscal", "assets"]),
                balance=_money(before - amount),
            )
            balances[code] = before - amount
            resolved += amount
        # Resolutions of one debt must follow each other: put them in date order and rechain balances.
        chained = sorted(self.records["debt_resolution"], key=lambda record: record.data["resolved_on"])
        balances = {code: locked for _unit, code, locked in debts}
        self.records["debt_resolution"] = []
        for record in chained:
            before = balances[record.data["debt"]]
            after = before - Decimal(record.data["amount"])
            balances[record.data["debt"]] = after
            record.data.update(balance_before=_money(before), balance=_money(after))
            self.records["debt_resolution"].append(record)

    def enterprises(self) -> None:
        enterprises: list[tuple[str, str]] = []
        for e in range(40):
            unit, _name = self.villages[e % len(self.villages)]
            industry, suffix = ENTERPRISE_KINDS[e % len(ENTERPRISE_KINDS)]
            word = ENTERPRISE_WORDS[e % len(ENTERPRISE_WORDS)] + ("" if e < len(ENTERPRISE_WORDS) else f"{e}")
            code = "91990101" + "".join(self.random.choices(CREDIT_CHARS, k=10))
            self.add(
                "enterprise",
                unit,
                "jfb",
                self.start,
                credit_code=code,
                enterprise_name=f"示范县{word}{suffix}",
                industry=industry,
                above_scale="yes" if e < 9 else "no",
                employees=str(self.random.randint(8, 300 if e < 9 else 60)),
                address=f"示范镇{self.random.choice(ROADS)}{self.random.randint(1, 200)}号",
                location=self.point(e % len(self.villages)),
                contact=self.person(),
                contact_phone=self.phone(),
                liaison=self.person(),
            )
            enterprises.append((unit, code))
        for _ in range(130):
            unit, code = self.random.choice(enterprises)
            visited = self.day()
            data = {
                "enterprise": code,
                "visit_date": visited.isoformat(),
                "visit_kind": self.random.choice(["visit", "visit", "project", "policy", "meeting"]),
                "visitors": f"{self.person()}、{self.person()}",
                "last_visit_on": visited.isoformat(),
                "has_request": "no",
            }
            if self.random.random() < 0.4:
                kind = self.random.choice(list(REQUESTS))
                solved_on = visited + timedelta(days=self.random.randint(3, 45))
                solved = "solved" if self.random.random() < 0.7 and solved_on <= self.today else "open"
                data.update(has_request="yes", request_type=kind, request=REQUESTS[kind], solved=solved)
                if solved == "solved":
                    data.update(solution="已协调解决", solved_on=solved_on.isoformat())
            self.add("enterprise_visit", unit, "jfb", visited, **data)

    def farms(self) -> None:
        for v, (unit, name) in enumerate(self.villages, start=1):
            for n in range(self.random.randint(1, 4)):
                species, head_unit, stock = self.random.choice(
                    [
                        ("pig", "tou", (500, 6000)),
                        ("poultry", "yu", (5000, 60000)),
                        ("cattle", "tou", (50, 400)),
                        ("sheep", "zhi", (200, 1500)),
                        ("fish", "jin", (20000, 200000)),
                    ]
                )
                head = self.random.randint(*stock)
                level = "large" if head > stock[1] * 0.7 else "medium" if head > stock[1] * 0.3 else "small"
                self.add(
                    "livestock_farm",
                    unit,
                    "nyb",
                    self.start,
                    farm_name=f"{name[:2]}{self.random.choice(ENTERPRISE_WORDS)}养殖场{n + 1}号",
                    owner=self.person(),
                    owner_phone=self.phone(),
                    location=self.point(v - 1),
                    land_area=str(self.random.randint(5, 120)),
                    species=species,
                    stock=str(head),
                    annual_output=str(head * 2 if species in ("pig", "poultry") else head // 2),
                    head_unit=head_unit,
                    scale_level=level,
                    permit="yes" if self.random.random() < 0.9 else "no",
                    manure=self.random.choice(["biogas", "compost", "organic", "third_party", "compost"]),
                )

    # -- records pointing at households and projects

    def aid(self) -> None:
        programs = [
            ("pv_dividend", "cash", (300, 1200)),
            ("festival", "cash", (200, 500)),
            ("temporary_relief", "cash", (500, 3000)),
            ("education", "cash", (1000, 2500)),
            ("industry", "in_kind", (10, 45)),
            ("festival", "in_kind", (1, 3)),
        ]
        for unit, households in self.households.items():
            for household in households:
                for _ in range(self.random.randint(1, 3)):
                    program, form, (low, high) = self.random.choice(programs)
                    given = self.day()
                    data = {
                        "household": household,
                        "aid_date": given.isoformat(),
                        "program": program,
                        "aid_form": form,
                        "recipient": self.person(),
                    }
                    if form == "cash":
                        data["cash"] = _money(Decimal(self.random.randint(low, high)))
                    elif program == "industry":
                        item, unit_code, price = self.random.choice(
                            [("基础母羊", "zhi", 900), ("鸡苗", "zhi", 8), ("仔猪", "tou", 600)]
                        )
                        quantity = self.random.randint(low, high) * (20 if item == "鸡苗" else 1)
                        data.update(
                            item=item,
                            quantity=str(quantity),
                            unit=unit_code,
                            value=_money(Decimal(quantity * price)),
                        )
                    else:
                        data.update(
                            item="大米",
                            quantity=str(self.random.randint(low, high)),
                            unit="bag",
                            value=_money(Decimal(120)),
                        )
                    self.add("household_aid", unit, "shb", given, **data)
                profiled = self.day()
                category = self.random.choice(["stable", "stable", "unstable", "marginal", "sudden"])
                guaranteed = "yes" if self.random.random() < 0.95 else "no"
                self.add(
                    "poverty_profile",
                    unit,
                    "nyb",
                    profiled,
                    household=household,
                    profile_date=profiled.isoformat(),
                    category=category,
                    members=str(self.random.randint(1, 6)),
                    income_per_person=_money(Decimal(self.random.randint(6500, 16000))),
                    cause=" ".join(
                        sorted(self.random.sample(["illness", "disability", "schooling", "labour"], 2))
                    ),
                    measures=" ".join(
                        sorted(self.random.sample(["industry", "employment", "health", "dibao"], 2))
                    ),
                    guaranteed=guaranteed,
                    gap="" if guaranteed == "yes" else "住房存在安全隐患，正在改造",
                    helper=self.person(),
                    helper_phone=self.phone(),
                )

    def project_quantities(self) -> None:
        items = [
            ("road", "m", (300, 2500)),
            ("drainage", "m", (200, 1500)),
            ("water_supply", "km", (2, 15)),
            ("lighting", "lamp", (20, 120)),
            ("farmland", "mu", (500, 3000)),
            ("pond", "unit", (3, 20)),
        ]
        for project in self.projects:
            unit, _name = self.random.choice(self.villages)
            for _ in range(self.random.randint(1, 3)):
                item, unit_code, (low, high) = self.random.choice(items)
                reported = self.day()
                villages = self.random.sample(self.villages, self.random.randint(1, 4))
                households = self.random.randint(50, 900)
                self.add(
                    "project_quantity",
                    unit,
                    "jfb",
                    reported,
                    project=project,
                    report_date=reported.isoformat(),
                    work_item=item,
                    quantity=str(self.random.randint(low, high)),
                    unit=unit_code,
                    investment=f"{self.random.uniform(10, 400):.2f}",
                    villages=str(len(villages)),
                    village_names="、".join(name for _code, name in villages),
                    households=str(households),
                    people=str(households * 3),
                )

    # -- inspections, campaigns, materials, upkeep

    def inspections(self) -> None:
        for _ in range(420):
            v = self.random.randrange(len(self.villages))
            unit, name = self.villages[v]
            kind, places = self.random.choice(PLACE_KINDS)
            inspected = self.day()
            data = {
                "place_name": f"{name[:2]}{self.random.choice(places)}",
                "place_type": kind,
                "inspect_date": inspected.isoformat(),
                "inspectors": f"{self.person()}、{self.person()}",
                "location": self.point(v),
                "result": "pass",
            }
            if self.random.random() < 0.22:
                data.update(
                    result="hazard",
                    hazard_count=str(self.random.randint(1, 4)),
                    hazard_case_level="major" if self.random.random() < 0.05 else "general",
                    hazard_case_description=self.random.choice(HAZARDS),
                    hazard_case_deadline=(
                        inspected + timedelta(days=self.random.choice([7, 15, 30]))
                    ).isoformat(),
                    # As the form calculates them: the hazard case's title and category.
                    hazard_case_title=f"{data['place_name']}：发现隐患",
                    hazard_case_category=HAZARD_CATEGORIES.get(kind, "other"),
                )
            self.add("place_inspection", unit, "yjb", inspected, **data)

    def campaigns(self) -> None:
        for _ in range(60):
            kind, office, title, output, output_unit = self.random.choice(CAMPAIGNS)
            started = self.day()
            township_wide = self.random.random() < 0.4
            villages = self.villages if township_wide else self.random.sample(self.villages, 1)
            people = self.random.randint(20, 120) * len(villages)
            outputs = [self.output(output, output_unit, len(villages))]
            if self.random.random() < 0.35:  # a second output: leaflets handed out, or banners put up
                second, second_unit = (
                    ("张贴标语", "piece") if output_unit == "copy" else ("发放宣传资料", "copy")
                )
                outputs.append(self.output(second, second_unit, len(villages)))
            self.add(
                "campaign",
                self.township if township_wide else villages[0][0],
                office,
                started,
                title=title,
                campaign_type=kind,
                office=office,
                start_date=started.isoformat(),
                end_date=min(
                    started + timedelta(days=self.random.choice([0, 0, 1, 6])), self.today
                ).isoformat(),
                villages="全镇" if township_wide else villages[0][1],
                village_count=str(len(villages)),
                people=str(people),
                machinery=str(
                    self.random.randint(0, 6) * len(villages) if kind in ("sanitation", "environment") else 0
                ),
                audience=str(self.random.randint(100, 600) * len(villages)),
                outputs=outputs,
                output_count=str(len(outputs)),
            )

    def output(self, output: str, unit: str, villages: int) -> dict[str, str]:
        """One row of a campaign's outputs: what, how much (more when more villages took part), unit."""
        quantity = {
            "ton": f"{self.random.uniform(2, 40) * villages:.1f}",
            "copy": str(self.random.randint(200, 800) * villages),
            "piece": str(self.random.randint(10, 40) * villages),
            "person": str(self.random.randint(40, 200)),
            "session": str(self.random.randint(1, 3)),
        }[unit]
        return {"output": output, "output_quantity": quantity, "output_unit": unit}

    def materials(self) -> None:
        for _ in range(50):
            material, unit_code, (low, high), purpose = self.random.choice(MATERIALS)
            unit, name = self.random.choice(self.villages)
            given = self.day()
            self.add(
                "material_distribution",
                unit,
                "",
                given,
                given_on=given.isoformat(),
                material=material,
                quantity=str(self.random.randint(low, high)),
                unit=unit_code,
                recipient_kind="village",
                recipient=name,
                beneficiaries=str(self.random.randint(30, 400)),
                purpose=purpose,
            )

    def upkeep(self) -> None:
        contractors = [(self.township, kind, name, Decimal(30000)) for kind, name in TOWNSHIP_CONTRACTORS]
        contractors += [(unit, "village", f"{name}保洁队", Decimal(6000)) for unit, name in self.villages]
        for month in self.months():
            for unit, kind, name, base in contractors:
                scores = [
                    self.random.randint(28, 40),
                    self.random.randint(13, 20),
                    self.random.randint(13, 20),
                    self.random.randint(12, 20),
                ]
                total = sum(scores)
                grade = (
                    "优秀" if total >= 90 else "良好" if total >= 80 else "合格" if total >= 60 else "不合格"
                )
                fee = (base * total / 100).quantize(Decimal("0.01")) if total >= 60 else Decimal(0)
                self.add(
                    "upkeep_score",
                    unit,
                    "nyb",
                    month,
                    contractor=name,
                    area_kind=kind,
                    month=month.isoformat(),
                    cleanliness=str(scores[0]),
                    facilities=str(scores[1]),
                    greenery=str(scores[2]),
                    response=str(scores[3]),
                    total=str(total),
                    grade=grade,
                    deductions="" if total >= 90 else "部分路段垃圾清运不及时",
                    base_fee=_money(base),
                    fee=_money(fee),
                    scorer=self.person(),
                )

    # -- party life

    def party(self) -> None:
        """三会一课 in the villages, theme days and trainings: four a month, some for the whole township."""
        kinds = [
            ("branch_meeting", "支部党员大会"),
            ("theme_day", "主题党日"),
            ("lecture", "党课"),
            ("training", "党员培训"),
            ("committee", "支委会"),
            ("group_meeting", "党小组会"),
        ]
        for month in self.months():
            for _ in range(4):
                kind, name = self.random.choice(kinds)
                township_wide = kind in ("theme_day", "training") and self.random.random() < 0.5
                unit, village = (
                    (self.township, "全镇") if township_wide else self.random.choice(self.villages)
                )
                held = self.day(month, min(self.today, month + timedelta(days=27)))
                self.add(
                    "party_activity",
                    unit,
                    "dzb",
                    held,
                    activity_date=held.isoformat(),
                    activity_type=kind,
                    topic=f"{village[:4]}{name}：学习贯彻党的创新理论",
                    attendees=str(self.random.randint(15, 45) * (4 if township_wide else 1)),
                    host=self.person(),
                )


def demo_records(
    township: str,
    villages: Sequence[tuple[str, str]],
    today: date,
    households: Mapping[str, Sequence[str]] | None = None,
    projects: Sequence[str] = (),
    seed: int = SEED,
) -> dict[str, list[DemoRecord]]:
    """Per form_id, a year of records: things first, then activities in date order.

    `township` and `villages` are org unit codes (villages with their names); `households` maps a
    village code to the ids of some of its households (aid and poverty profiles point at them);
    `projects` are project ids (quantities point at them). Without them those registers get no records.
    """
    made = _Township(township, villages, today, households or {}, projects, seed)
    made.lamps()
    made.waters()
    made.plots()
    made.debts()
    made.enterprises()
    made.farms()
    made.aid()
    made.project_quantities()
    made.inspections()
    made.campaigns()
    made.materials()
    made.upkeep()
    made.party()
    return {
        form_id: sorted(records, key=lambda record: record.made_on)
        for form_id, records in made.records.items()
    }
