"""丁集镇, the township of the real first-quarter report tests/reports/corpus/002_figures.json annotates
(/work/shared/corpus/002_8a07943ded75fe7b.txt), as its offices keep its records: pure data.

The report is anonymised (xx镇, xxx村); the names here are made up around the few it leaves (施家沟村,
丁集污水处理场, 华邦保和), and the codes are invented (99…), so no real place is described. Every total the
report states is what these rows add up to; where the report rounds (9000多亩, 150余吨, 3700余人), the rows
hold the unrounded figure a ledger would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

COUNTY = ("汉南县", "990103000000")
TOWNSHIP = ("丁集镇", "990103102000")
VILLAGES = [
    ("丁集社区", "990103102001", "社区"),
    ("施家沟村", "990103102201", "村"),
    ("鸳鸯湖村", "990103102202", "村"),
    ("张集村", "990103102203", "村"),
    ("水镜村", "990103102204", "村"),
    ("隆中村", "990103102205", "村"),
    ("李庙村", "990103102206", "村"),
    ("清凉河村", "990103102207", "村"),
]
VILLAGE_NAMES = [name for name, _code, _kind in VILLAGES]
GRIDS_PER_VILLAGE = 2
OFFICES = [
    ("党政办", "dzb"),
    ("经济发展办", "jfb"),
    ("财政所", "czs"),
    ("应急管理办", "yjb"),
    ("社会事务办", "shb"),
    ("综治中心", "zzzx"),
    ("农业农村办", "nyb"),
]


def grid_name(village: str, number: int) -> str:
    return f"{village}第{number}网格"


# (name, phone, unit, office, role as the accounts sheet writes it)
ADMIN = ("丁集镇管理员", "dingji-admin", "Dingji-2022-start")
PEOPLE = [
    ("王书记", "13700000001", "丁集镇", "", "乡镇领导"),
    ("李镇长", "13700000002", "丁集镇", "", "乡镇领导"),
    ("张经发", "13700000011", "丁集镇", "经济发展办", "站所工作人员"),
    ("刘财政", "13700000012", "丁集镇", "财政所", "站所工作人员"),
    ("陈社事", "13700000013", "丁集镇", "社会事务办", "站所工作人员"),
    ("赵综治", "13700000014", "丁集镇", "综治中心", "站所工作人员"),
    ("孙农业", "13700000015", "丁集镇", "农业农村办", "站所工作人员"),
] + [
    (f"{village}书记", f"1370000010{n}", village, "", "村/社区工作人员")
    for n, village in enumerate(VILLAGE_NAMES)
]

# --- the indicator workbook -------------------------------------------------------------------------

# (code, name, unit, 类型, 方向, office, decimals, 2022 target or None, 2022 Jan–Mar, 2021 Jan–Mar or None).
# 2021's March is what the report's 同比 compares with: 4.9亿 is 28% above 3.82813亿.
INDICATORS = [
    ("gdzctz", "固定资产投资", "万元", "累计", "越高越好", "经济发展办", 1, 180000,
     (12300, 26800, 49000), (9800, 20500, Decimal("38281.3"))),
    ("shxfpls", "社会消费品零售总额", "万元", "累计", "越高越好", "经济发展办", 1, 95000,
     (9100, 17600, 25500), (7900, 15200, Decimal("21813.5"))),
    ("ggyzcz", "规上工业产值", "万元", "累计", "越高越好", "经济发展办", 1, 48000,
     (4100, 7900, 12800), (3600, 6800, Decimal("10902.9"))),
    ("ybyssr", "一般预算收入", "万元", "累计", "越高越好", "财政所", 1, 1300, (110, 220, 350), None),
    ("ybzsl", "城乡居民医疗保险征收率", "%", "比率", "越高越好", "社会事务办", 2, None,
     (Decimal("88.12"), Decimal("93.45"), Decimal("96.77")), None),
    ("jqzjz", "18岁及以上人群加强针累计接种人数", "人", "时点", "越高越好", "社会事务办", 0, None,
     (21530, 29876, 34865), None),
    ("xejz", "3至11岁人群第二剂次累计接种人数", "人", "时点", "越高越好", "社会事务办", 0, None,
     (7012, 7890, 8229), None),
]  # fmt: skip

# --- projects ---------------------------------------------------------------------------------------

AREA = "丁集片区"  # the report's "与襄城区接壤的xxx片区"


# (name, category, total 万元, 2022 planned 万元, Q1 completed 万元, place, location, first stage's day,
# the day of each later stage). The two the report says were brought in this year were signed in Q1 and
# started in March; the other thirteen were under construction before the year began.
PROJECTS = [
    ("万亿全屋智能家居产业园", "industry", 21000, 8000, 2300, "丁集社区", AREA,
     date(2021, 11, 20), {"signed": date(2022, 1, 12), "started": date(2022, 3, 10)}),
    ("华邦保和食品加工项目", "industry", 15000, 6000, 1700, "张集村", AREA,
     date(2021, 12, 6), {"signed": date(2022, 2, 18), "started": date(2022, 3, 22)}),
    ("十里风荷田园综合体", "rural", 18000, 5000, 1500, "施家沟村", AREA, date(2020, 9, 1), {}),
    ("春风燕语康养小区", "urban", 12000, 4000, 1200, "丁集社区", AREA, date(2020, 10, 15), {}),
    ("九洲岛四代房", "urban", 35000, 9000, 2600, "丁集社区", AREA, date(2021, 3, 5), {}),
    ("楚高新型建材", "industry", 20000, 7000, 2000, "李庙村", AREA, date(2021, 4, 12), {}),
    ("温泉小镇一期", "urban", 30000, 6000, 1800, "鸳鸯湖村", AREA, date(2021, 5, 20), {}),
    ("建材产业园标准化厂房", "industry", 25000, 8000, 2200, "李庙村", AREA, date(2021, 6, 8), {}),
    ("丁集物流园", "industry", 16000, 5000, 1400, "张集村", AREA, date(2021, 7, 1), {}),
    ("xx水乡田园综合体", "rural", 11000, 3000, 900, "水镜村", AREA, date(2021, 8, 16), {}),
    ("综合交通客运服务站", "infrastructure", 6000, 2500, 700, "丁集社区", "集镇", date(2021, 3, 18), {}),
    ("丁集污水处理场", "livelihood", 3000, 2000, 560, "丁集社区", "集镇", date(2021, 9, 6), {}),
    ("卫生院转迁", "livelihood", 4500, 2500, 690, "丁集社区", "集镇", date(2021, 10, 9), {}),
    ("自来水延伸入户工程", "livelihood", 2500, 1500, 420, "隆中村", "全镇", date(2021, 10, 25), {}),
    ("305省道提档升级工程", "infrastructure", 8000, 3000, 820, "清凉河村", "省道沿线", date(2021, 6, 28), {}),
]  # fmt: skip

# --- registers ----------------------------------------------------------------------------------------

# 服务企业台账 (adapted): (credit code, name, 行业 label, 规上, 培育类别 label, employees, village).
# 9 above scale; 森财木业 and 睿新鹏电子 cultivated to become so; one service enterprise cultivated.
ENTERPRISES = [
    ("91420624MA4F000011", "丁集万亿家居有限公司", "工业制造", "是", "无", 320, "丁集社区"),
    ("91420624MA4F000012", "华邦保和食品有限公司", "农产品加工", "是", "无", 210, "张集村"),
    ("91420624MA4F000013", "楚高建材有限公司", "新型建材", "是", "无", 180, "李庙村"),
    ("91420624MA4F000014", "丁集水泥制品有限公司", "新型建材", "是", "无", 150, "李庙村"),
    ("91420624MA4F000015", "鸳鸯湖农产品有限公司", "农产品加工", "是", "无", 95, "鸳鸯湖村"),
    ("91420624MA4F000016", "清凉河矿业有限公司", "工业制造", "是", "无", 130, "清凉河村"),
    ("91420624MA4F000017", "丁集纺织有限公司", "工业制造", "是", "无", 260, "丁集社区"),
    ("91420624MA4F000018", "水镜酒业有限公司", "农产品加工", "是", "无", 88, "水镜村"),
    ("91420624MA4F000019", "隆中机械有限公司", "工业制造", "是", "无", 140, "隆中村"),
    ("91420624MA4F000021", "森财木业有限公司", "工业制造", "否", "规上工业培育", 60, "施家沟村"),
    ("91420624MA4F000022", "睿新鹏电子有限公司", "工业制造", "否", "规上工业培育", 75, "丁集社区"),
    ("91420624MA4F000023", "南漳县新宗华机动车驾驶员培训学校", "其他服务业", "否", "重点服务业培育", 40,
     "丁集社区"),
    ("91420624MA4F000024", "丁集商贸有限公司", "商贸流通", "否", "无", 25, "丁集社区"),
]  # fmt: skip

# 村级债务台账: (code, village, creditor, type label, locked on, locked 元). 4300万元 in all.
DEBTS = [
    ("ZW-01", "丁集社区", "丁集建筑队", "工程建设欠款", date(2021, 6, 30), 5200000),
    ("ZW-02", "丁集社区", "县农商行", "借款", date(2021, 6, 30), 3800000),
    ("ZW-03", "施家沟村", "施家沟修路工程队", "工程建设欠款", date(2021, 6, 30), 4600000),
    ("ZW-04", "施家沟村", "村民集资", "公益事业垫资", date(2021, 6, 30), 1400000),
    ("ZW-05", "鸳鸯湖村", "鸳鸯湖水利工程队", "工程建设欠款", date(2021, 6, 30), 2100000),
    ("ZW-06", "鸳鸯湖村", "鸳鸯湖小学改造", "公益事业垫资", date(2021, 6, 30), 900000),
    ("ZW-07", "张集村", "张集供销社", "借款", date(2021, 6, 30), 1600000),
    ("ZW-08", "张集村", "张集村民组长报酬", "欠发报酬", date(2021, 6, 30), 500000),
    ("ZW-09", "水镜村", "水镜建筑公司", "工程建设欠款", date(2021, 6, 30), 6200000),
    ("ZW-10", "隆中村", "隆中砂石厂", "工程建设欠款", date(2021, 6, 30), 4800000),
    ("ZW-11", "李庙村", "李庙电力安装队", "工程建设欠款", date(2021, 6, 30), 5300000),
    ("ZW-12", "清凉河村", "清凉河桥梁工程队", "工程建设欠款", date(2021, 6, 30), 5400000),
    ("ZW-13", "清凉河村", "县农商行", "借款", date(2021, 6, 30), 1200000),
]
# 村级债务化解记录: (debt, resolved on, amount 元, 方式 label, 资金来源 label). 1352万元 in all; 鸳鸯湖村
# and 张集村 (the report's "xxx、xx集村全部清零") cleared.
RESOLUTIONS = [
    ("ZW-05", date(2022, 1, 18), 2100000, "偿还", "上级财政补助"),
    ("ZW-06", date(2022, 1, 25), 900000, "协商减免", "其他"),
    ("ZW-07", date(2022, 2, 21), 1600000, "偿还", "村集体经营收入"),
    ("ZW-08", date(2022, 2, 28), 500000, "偿还", "村集体经营收入"),
    ("ZW-01", date(2022, 3, 8), 2000000, "以物抵债或抵顶", "资产资源处置"),
    ("ZW-03", date(2022, 3, 15), 1820000, "偿还", "上级财政补助"),
    ("ZW-09", date(2022, 3, 22), 2400000, "偿还", "资产资源处置"),
    ("ZW-11", date(2022, 3, 29), 2200000, "协商减免", "其他"),
]

# 畜禽饲养统计: each village's report for the quarter (households raising livestock, pigs, poultry).
LIVESTOCK = [
    ("丁集社区", 1800, 12000, 130000),
    ("施家沟村", 3100, 22000, 215000),
    ("鸳鸯湖村", 2600, 19000, 190000),
    ("张集村", 3300, 24000, 240000),
    ("水镜村", 2900, 21000, 205000),
    ("隆中村", 2700, 20000, 200000),
    ("李庙村", 2800, 21000, 210000),
    ("清凉河村", 2800, 21000, 210000),
]


def specialty_industry() -> list[tuple[str, str, str, str, Decimal | None, int | None]]:
    """特色产业经营主体台账: 116 holders, (code, village, name, 类别 label, area 亩, bags): 100 growers
    with 9263.5亩 between them and 16 mushroom growers with 53万袋."""
    kinds = [
        ("特色种植", "火龙果"),
        ("特色种植", "草莓"),
        ("林果", "葡萄"),
        ("特色种植", "油菜"),
        ("中药材", "艾草"),
    ]
    rows: list[tuple[str, str, str, str, Decimal | None, int | None]] = []
    areas = [Decimal("92.5") if n % 2 else Decimal("92.77") for n in range(100)]
    areas[-1] += Decimal("9263.5") - sum(areas)
    for n, area in enumerate(areas):
        village = VILLAGE_NAMES[n % len(VILLAGE_NAMES)]
        kind, product = kinds[n % len(kinds)]
        rows.append((f"TS-{n + 1:03d}", village, f"{village}{product}种植户{n + 1:03d}", kind, area, None))
    bags = [33000] * 15 + [35000]
    for n, count in enumerate(bags, start=101):
        village = VILLAGE_NAMES[n % len(VILLAGE_NAMES)]
        rows.append((f"TS-{n:03d}", village, f"{village}食用菌合作社{n:03d}", "食用菌", None, count))
    return rows


# 衔接资金项目库: (code, village, name, 类别 label, 申请资金 元). 5 of 产业发展 and 12 of 基础设施, all
# reported to the county's rural revitalisation bureau in February.
INFRASTRUCTURE = [
    ("通组公路硬化", 900000), ("堰塘清淤", 300000), ("沟渠整治", 400000), ("安全饮水管网", 550000),
    ("村内道路亮化", 250000), ("桥梁维修", 650000), ("生产便道", 350000), ("排水沟渠", 300000),
    ("堰塘扩挖", 420000), ("通组公路硬化二期", 880000), ("污水管网", 760000), ("垃圾收集点", 180000),
]  # fmt: skip
LINKAGE_PROJECTS = [
    ("XJ-01", "施家沟村", "施家沟村油菜花海观光配套", "产业发展", 800000),
    ("XJ-02", "鸳鸯湖村", "鸳鸯湖村火龙果种植基地", "产业发展", 600000),
    ("XJ-03", "水镜村", "水镜村草莓大棚", "产业发展", 500000),
    ("XJ-04", "张集村", "张集村食用菌生产基地", "产业发展", 700000),
    ("XJ-05", "隆中村", "隆中村葡萄园", "产业发展", 450000),
    *[
        (f"XJ-{n:02d}", village, f"{village}{work}", "基础设施", money)
        for n, (work, money) in enumerate(INFRASTRUCTURE, start=6)
        for village in [VILLAGE_NAMES[n % len(VILLAGE_NAMES)]]
    ],
]

# 活动与宣传记录 (adapted): (title, 类别 label, office label, start, village count, staff, machinery,
# garbage trucks, audience, tons of garbage). The 七堆 campaign's four rounds: 550 villagers, 68 machines,
# 15 trucks, 152 tons; the three 有机小麦春季田管 trainings: 514 farmers.
ENV, TRAINING, NYB = "人居环境整治", "技术培训", "农业农村办"
CAMPAIGNS = [
    ("“七堆”革命第一轮集中整治", ENV, NYB, date(2022, 1, 10), 8, 40, 20, 4, 140, Decimal("38.5")),
    ("“七堆”革命305省道沿线整治", ENV, NYB, date(2022, 2, 14), 3, 30, 15, 3, 120, Decimal(35)),
    ("“七堆”革命第二轮集中整治", ENV, NYB, date(2022, 3, 1), 8, 45, 18, 4, 160, Decimal(42)),
    ("“七堆”革命交通要道提档整治", ENV, NYB, date(2022, 3, 21), 5, 35, 15, 4, 130, Decimal("36.5")),
    ("有机小麦春季田管技术培训(一)", TRAINING, NYB, date(2022, 2, 22), 3, 4, 0, 0, 168, None),
    ("有机小麦春季田管技术培训(二)", TRAINING, NYB, date(2022, 3, 3), 3, 4, 0, 0, 176, None),
    ("有机小麦春季田管技术培训(三)", TRAINING, NYB, date(2022, 3, 16), 2, 4, 0, 0, 170, None),
]  # fmt: skip

# 核酸采集演练记录: the drill of 8 March at three sites, 3712 people sampled and tested.
DRILL_DAY = date(2022, 3, 8)
DRILL = [("丁集社区", "丁集社区文化广场", 1520, 42), ("鸳鸯湖村", "鸳鸯湖村委会", 1106, 30),
         ("张集村", "张集村小学操场", 1086, 28)]  # fmt: skip

# 病虫害防控作业记录: (village, day, 防控对象 label, 方式 label, area 亩). 10.1万亩 of wheat sheath blight,
# 1.9万亩 of rape sclerotinia, 3000亩 of the rape rotation pilot base by drone.
WHEAT = [12000, 13500, 11800, 13200, 12500, 12600, 12700, 12700]  # 101000
RAPE = [2000, 2600, 2300, 2500, 2400, 2300, 2500, 2400]  # 19000
CROP_PROTECTION = [
    *[(v, date(2022, 3, 14 + n % 4), "小麦纹枯病", "人工或机械", Decimal(a)) for n, (v, a) in
      enumerate(zip(VILLAGE_NAMES, WHEAT, strict=True))],
    *[(v, date(2022, 3, 24 + n % 4), "油菜菌核病", "人工或机械", Decimal(a)) for n, (v, a) in
      enumerate(zip(VILLAGE_NAMES, RAPE, strict=True))],
    ("施家沟村", date(2022, 3, 18), "油菜轮作试点基地病虫害飞防和叶面喷硼", "无人机飞防", Decimal(3000)),
]  # fmt: skip

# 信访台账: the quarter's petitions (none went to the province or to Beijing).
PETITIONS = [
    ("XF-2022-001", "反映征地补偿款未足额发放", "土地征收", "施家沟村", date(2022, 1, 6), date(2022, 2, 20)),
    ("XF-2022-002", "反映在物流园务工被拖欠工资", "劳动保障", "张集村", date(2022, 1, 17), date(2022, 1, 28)),
    ("XF-2022-003", "反映道路硬化后排水不畅", "城乡建设", "水镜村", date(2022, 2, 9), date(2022, 3, 10)),
    ("XF-2022-004", "申请困难家庭临时救助", "民政救助", "隆中村", date(2022, 2, 23), date(2022, 3, 4)),
    ("XF-2022-005", "反映邻里宅基地界址争议", "其他", "李庙村", date(2022, 3, 15), None),
]  # fmt: skip
