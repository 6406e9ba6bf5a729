"""The template library: register definitions from real township work, written as XLSForm workbooks.

Each register below is plain data — its survey rows, choice lists, ODK Entities row and zhenwu's own
settings — and `write_library()` turns every one into `<form_id>.xlsx` beside this file. The workbooks
are committed; a township downloads one, adapts it (adds a field, renames a choice) and loads it.

    python -m zhenwu.registers.library.make        # rewrite every .xlsx here

A workbook has the XLSForm sheets `survey`, `choices`, `settings`, an `entities` sheet when the register
keeps things (list_name = its own form_id, a `label` expression) or updates them (list_name = the thing
register's form_id, `entity_id` = the field holding the thing's id), and a `zhenwu` sheet of `key` |
`value` rows: kind, readers, writers, offices, personal, points_at, points_at_field, and one
`figure:<name>` row per figure whose value is `label | aggregate | field | filter | unit`, and for an
activity one `methods:<name>` row per sentence its figures make in a work report's 主要做法, whose value
is `work | filter | sentence` (`开展爱国卫生活动{campaigns}，出动人员{people}`, over the records meeting
the filter).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
VERSION = "2026120401"  # 主要做法 sentences added

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "constraint",
    "constraint_message",
    "relevant",
    "calculation",
    "default",
    "read_only",
    "appearance",
    "parameters",
    "save_to",
)
PHOTO_PARAMETERS = "max-pixels=1280"  # a phone photo scaled down before it is sent
CHOICE_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version")

# Role codes (org.Role) and the standard office codes a township's offices carry.
ALL_STAFF = ""  # empty: every role
OFFICES = {
    "dzb": "党政办",
    "jfb": "经济发展办",
    "czs": "财政所",
    "yjb": "应急管理办",
    "shb": "社会事务办",
    "zzzx": "综治中心",
    "nyb": "农业农村办",
}
NOT_FUTURE = ". <= today()"
NOT_FUTURE_MESSAGE = "日期不能晚于今天"
PHONE = "regex(., '^1[3-9][0-9]{9}$') or regex(., '^0[0-9]{2,3}-?[0-9]{7,8}$')"
PHONE_MESSAGE = "请填写11位手机号或带区号的固定电话"


Row = dict[str, str]


def q(kind: str, name: str, label: str = "", **columns: str | bool) -> Row:
    """One survey row; `required=True` and `read_only=True` become `yes`."""
    row: Row = {"type": kind, "name": name, "label": label}
    if kind == "image":
        row["parameters"] = PHOTO_PARAMETERS
    for column, value in columns.items():
        if column not in SURVEY_COLUMNS:
            raise ValueError(f"unknown survey column {column!r} on {name}")
        row[column] = "yes" if value is True else str(value)
    return row


def date_done(name: str, label: str, **columns: str | bool) -> Row:
    """A date on which something was done: never in the future."""
    return q("date", name, label, constraint=NOT_FUTURE, constraint_message=NOT_FUTURE_MESSAGE, **columns)


def amount(name: str, label: str, most: str, **columns: str | bool) -> Row:
    """A sum of money in 元: positive, at most `most`."""
    return q(
        "decimal",
        name,
        label,
        constraint=f". > 0 and . <= {most}",
        constraint_message=f"金额应大于0且不超过{most}元",
        **columns,
    )


def count(name: str, label: str, most: int, least: int = 0, **columns: str | bool) -> Row:
    return q(
        "integer",
        name,
        label,
        constraint=f". >= {least} and . <= {most}",
        constraint_message=f"应为{least}到{most}之间的整数",
        **columns,
    )


def group(name: str, label: str, *rows: Row, relevant: str = "") -> list[Row]:
    begin = q("begin_group", name, label, **({"relevant": relevant} if relevant else {}))
    return [begin, *rows, {"type": "end_group", "name": name}]


def repeat(name: str, label: str, *rows: Row, hint: str = "") -> list[Row]:
    """A repeat group: a record holds its rows as a list (each output of a campaign, with its unit)."""
    begin = q("begin_repeat", name, label, **({"hint": hint} if hint else {}))
    return [begin, *rows, {"type": "end_repeat", "name": name}]


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    aggregate: str  # count | sum | avg | distinct | ratio
    field: str = ""  # a survey field; empty for count; a ratio's numerator
    filter: str = ""  # an XLSForm expression, or empty; a ratio's denominator
    unit: str = ""
    zero: bool = False  # stated even when it is 0

    def cell(self) -> str:
        parts = (self.label, self.aggregate, self.field, self.filter, self.unit)
        return " | ".join((*parts, "报零") if self.zero else parts)


@dataclass(frozen=True)
class Method:
    """A 主要做法 sentence: the work it belongs to, its figures in braces, over the records `filter` keeps."""

    name: str
    work: str
    sentence: str
    filter: str = ""

    def cell(self) -> str:
        return " | ".join((self.work, self.filter, self.sentence))


@dataclass(frozen=True)
class Register:
    form_id: str
    title: str
    kind: str  # thing | activity
    survey: list[Row | list[Row]]
    choices: dict[str, list[tuple[str, str]]]
    figures: list[Figure]
    summary: str  # one line for docs/registers.md: what it keeps
    offices: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    entity_label: str = ""  # a thing register: the label expression of each thing
    updates: str = ""  # an activity: the form_id of the thing register it updates
    entity_id: str = ""  # an activity: the expression holding the thing's id, e.g. ${lamp}
    points_at: str = ""  # household | member | project | case
    points_at_field: str = ""
    identity: str = ""  # a thing register: the field that numbers each thing (编号)
    opens_case: str = ""  # a case type code: a record with <code>_case_description opens such a case
    section: str = ""  # the work report sub-section its figures go to, when its offices do not say it
    patrol_days: str = ""  # a thing register: "30 | lamp_patrol", each thing patrolled within 30 days
    version: str = VERSION
    extra_settings: dict[str, str] = field(default_factory=dict)
    methods: list[Method] = field(default_factory=list)  # an activity's 主要做法 sentences

    def rows(self) -> list[Row]:
        flat: list[Row] = []
        for item in self.survey:
            flat.extend(item if isinstance(item, list) else [item])
        return flat

    def fields(self) -> dict[str, Row]:
        """Every named survey row that holds a value (not a group or repeat, not a note)."""
        skipped = ("begin_group", "end_group", "begin_repeat", "end_repeat", "note")
        return {row["name"]: row for row in self.rows() if row["type"] not in skipped}

    def entities_row(self) -> Row | None:
        if self.kind == "thing":
            return {"list_name": self.form_id, "label": self.entity_label}
        if self.updates:
            return {"list_name": self.updates, "entity_id": self.entity_id}
        return None

    def zhenwu_rows(self) -> list[tuple[str, str]]:
        rows = [
            ("kind", self.kind),
            ("identity", self.identity),
            ("readers", ",".join(self.readers)),
            ("writers", ",".join(self.writers)),
            ("offices", ",".join(self.offices)),
            ("personal", ",".join(self.personal)),
            ("points_at", self.points_at),
            ("points_at_field", self.points_at_field),
        ]
        if self.opens_case:
            rows.append(("opens_case", self.opens_case))
        if self.section:
            rows.append(("section", self.section))
        if self.patrol_days:
            rows.append(("patrol_days", self.patrol_days))
        rows.extend((f"figure:{figure.name}", figure.cell()) for figure in self.figures)
        rows.extend((f"methods:{method.name}", method.cell()) for method in self.methods)
        return rows


YES_NO = [("yes", "是"), ("no", "否")]
OFFICE_CHOICES = list(OFFICES.items())
OFFICE_STAFF = ("township_admin", "township_leader", "department_staff")
TOWNSHIP_READERS = ("county_viewer", "township_admin", "township_leader", "department_staff")

# ---------------------------------------------------------------------------------------------------
# 路灯: "1055盏路灯已经进行编号，并安排专人定期巡查"

STREET_LAMP = Register(
    form_id="street_lamp",
    title="路灯台账",
    kind="thing",
    summary="编号的每一盏路灯：位置、类型、功率、管护人和当前状态",
    offices=("nyb",),
    writers=(*OFFICE_STAFF, "village_staff"),
    personal=("keeper_phone",),
    entity_label="concat(${code}, ' ', ${place})",
    identity="code",
    # "1055盏路灯……安排专人定期巡查": a lamp not patrolled in 30 days is reminded of.
    patrol_days="30 | lamp_patrol",
    version="2026120501",  # patrol_days added
    survey=[
        group(
            "lamp",
            "路灯信息",
            q(
                "text",
                "code",
                "路灯编号",
                required=True,
                hint="按灯杆上的编号填写，如 DG-0123",
                constraint="regex(., '^[A-Za-z0-9-]{2,20}$')",
                constraint_message="编号只能包含字母、数字和连字符，2到20位",
                save_to="code",
            ),
            q("text", "place", "安装位置", required=True, hint="道路名称及门牌或地标", save_to="place"),
            q("select_one lamp_type", "lamp_type", "路灯类型", required=True, save_to="lamp_type"),
            count("power", "功率(瓦)", 1000, least=1),
            date_done("installed_on", "安装日期"),
            q("geopoint", "location", "位置坐标", hint="站在灯杆下用手机定位"),
        ),
        group(
            "upkeep",
            "管护",
            q(
                "select_one lamp_status",
                "status",
                "当前状态",
                required=True,
                default="normal",
                save_to="status",
            ),
            q("text", "keeper", "管护责任人"),
            q("text", "keeper_phone", "管护人电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
            q("image", "photo", "路灯照片"),
        ),
    ],
    choices={
        "lamp_type": [("solar", "太阳能"), ("mains", "市电"), ("hybrid", "风光互补")],
        "lamp_status": [
            ("normal", "正常"),
            ("broken", "损坏"),
            ("repairing", "维修中"),
            ("removed", "已拆除"),
        ],
    },
    figures=[
        Figure("total", "路灯总数", "count", unit="盏"),
        Figure("broken", "损坏路灯", "count", filter="${status} = 'broken'", unit="盏"),
        Figure("solar", "太阳能路灯", "count", filter="${lamp_type} = 'solar'", unit="盏"),
    ],
)

LAMP_PATROL = Register(
    form_id="lamp_patrol",
    title="路灯巡查维修记录",
    kind="activity",
    summary="每次巡查或维修一盏路灯：发现的故障、维修内容和费用，更新路灯的状态",
    offices=("nyb",),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    updates="street_lamp",
    entity_id="${lamp}",
    survey=[
        q("text", "lamp", "路灯编号", required=True, hint="所巡查或维修路灯的编号"),
        q("select_one visit_type", "visit_type", "记录类型", required=True, appearance="horizontal"),
        date_done("visit_date", "日期", required=True, default="today()"),
        q("select_one lamp_fault", "finding", "巡查发现", required=True, relevant="${visit_type} = 'patrol'"),
        q(
            "text",
            "repair_action",
            "维修内容",
            required=True,
            relevant="${visit_type} = 'repair'",
            hint="如：更换灯头、更换蓄电池",
        ),
        q(
            "decimal",
            "repair_cost",
            "维修费用(元)",
            relevant="${visit_type} = 'repair'",
            constraint=". >= 0 and . <= 100000",
            constraint_message="费用应在0到100000元之间",
        ),
        q(
            "select_one lamp_status",
            "status",
            "处理后状态",
            required=True,
            save_to="status",
            hint="巡查发现故障选“损坏”，修好后选“正常”",
        ),
        q("image", "photo", "现场照片"),
    ],
    choices={
        "visit_type": [("patrol", "巡查"), ("repair", "维修")],
        "lamp_fault": [
            ("ok", "正常"),
            ("no_light", "不亮"),
            ("flicker", "闪烁"),
            ("pole", "灯杆损坏"),
            ("battery", "光伏板或电池损坏"),
            ("other", "其他"),
        ],
        "lamp_status": STREET_LAMP.choices["lamp_status"],
    },
    figures=[
        Figure("patrols", "路灯巡查", "count", filter="${visit_type} = 'patrol'", unit="次"),
        Figure(
            "faults",
            "巡查发现故障",
            "count",
            filter="${visit_type} = 'patrol' and ${finding} != 'ok'",
            unit="处",
        ),
        Figure("repairs", "维修路灯", "count", filter="${visit_type} = 'repair'", unit="次"),
        Figure("repair_cost", "维修费用", "sum", field="repair_cost", unit="元"),
        Figure("lamps", "巡查维修路灯", "distinct", field="lamp", unit="盏"),
    ],
    methods=[
        Method(
            "patrols",
            "乡村振兴与农业",
            "巡查路灯{patrols}，发现故障{faults}，维修路灯{repairs}，投入维修资金{repair_cost}",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 水域与防溺水: 22处水域"一杆一圈一绳"

EQUIPPED = "if(${has_pole} = 'yes' and ${has_ring} = 'yes' and ${has_rope} = 'yes', 'yes', 'no')"

WATER = Register(
    form_id="water",
    title="水域台账",
    kind="thing",
    summary="每处水库、山塘、河道和坑塘：面积、水深、责任人、救生设备(一杆一圈一绳)和风险等级",
    offices=("yjb", "nyb"),
    writers=(*OFFICE_STAFF, "village_staff"),
    personal=("keeper_phone",),
    entity_label="concat(${code}, ' ', ${water_name})",
    identity="code",
    survey=[
        group(
            "water_info",
            "水域信息",
            q(
                "text",
                "code",
                "水域编号",
                required=True,
                save_to="code",
                constraint="string-length(.) >= 2 and string-length(.) <= 20",
                constraint_message="编号应为2到20个字符",
            ),
            q("text", "water_name", "水域名称", required=True, save_to="water_name"),
            q("select_one water_type", "water_type", "水域类型", required=True, save_to="water_type"),
            q(
                "decimal",
                "area",
                "水面面积(亩)",
                constraint=". > 0 and . <= 100000",
                constraint_message="面积应大于0且不超过100000亩",
            ),
            q(
                "decimal",
                "max_depth",
                "最大水深(米)",
                constraint=". > 0 and . <= 200",
                constraint_message="水深应在0到200米之间",
            ),
            q("geopoint", "location", "位置坐标"),
            q("select_one risk_level", "risk_level", "溺水风险等级", required=True, save_to="risk_level"),
        ),
        group(
            "keeper_info",
            "责任人",
            q("text", "keeper", "巡查责任人", required=True),
            q("text", "keeper_phone", "责任人电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
        ),
        group(
            "equipment",
            "救生设备(一杆一圈一绳)",
            q(
                "select_one yes_no",
                "has_pole",
                "救生杆",
                required=True,
                save_to="has_pole",
                appearance="horizontal",
            ),
            q(
                "select_one yes_no",
                "has_ring",
                "救生圈",
                required=True,
                save_to="has_ring",
                appearance="horizontal",
            ),
            q(
                "select_one yes_no",
                "has_rope",
                "救生绳",
                required=True,
                save_to="has_rope",
                appearance="horizontal",
            ),
            count("warning_signs", "警示牌(块)", 200, save_to="warning_signs"),
            q("calculate", "equipped", "设备齐全", calculation=EQUIPPED, save_to="equipped"),
            q("image", "photo", "现场照片"),
        ),
    ],
    choices={
        "water_type": [
            ("reservoir", "水库"),
            ("pond", "山塘、堰塘"),
            ("river", "河道"),
            ("ditch", "沟渠"),
            ("pit", "坑塘、取土坑"),
            ("other", "其他"),
        ],
        "risk_level": [("high", "高"), ("medium", "中"), ("low", "低")],
        "yes_no": YES_NO,
    },
    figures=[
        Figure("waters", "水域总数", "count", unit="处"),
        Figure("equipped", "一杆一圈一绳齐全", "count", filter="${equipped} = 'yes'", unit="处"),
        Figure("high_risk", "高风险水域", "count", filter="${risk_level} = 'high'", unit="处"),
    ],
)

DROWNING_PATROL = Register(
    form_id="drowning_patrol",
    title="防溺水巡查记录",
    kind="activity",
    summary="每次防溺水巡查一处水域：巡查人数、劝离人数、救生设备查验，更新水域的设备状态",
    offices=("yjb", "nyb"),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    updates="water",
    entity_id="${water}",
    survey=[
        q("text", "water", "水域编号", required=True),
        date_done("patrol_date", "巡查日期", required=True, default="today()"),
        count("patrollers", "巡查人数", 100, least=1, required=True),
        count(
            "persuaded", "劝离人数", 1000, required=True, default="0", hint="劝离在水边玩耍、游泳、垂钓的人数"
        ),
        group(
            "equipment",
            "救生设备查验",
            q(
                "select_one yes_no",
                "has_pole",
                "救生杆完好",
                required=True,
                save_to="has_pole",
                appearance="horizontal",
            ),
            q(
                "select_one yes_no",
                "has_ring",
                "救生圈完好",
                required=True,
                save_to="has_ring",
                appearance="horizontal",
            ),
            q(
                "select_one yes_no",
                "has_rope",
                "救生绳完好",
                required=True,
                save_to="has_rope",
                appearance="horizontal",
            ),
            q("calculate", "equipped", "设备齐全", calculation=EQUIPPED, save_to="equipped"),
            q(
                "text",
                "remedy",
                "补齐措施",
                required=True,
                relevant="${equipped} = 'no'",
                hint="缺失或损坏的设备由谁、何时补齐",
            ),
        ),
        q("geopoint", "location", "巡查位置"),
        q("image", "photo", "现场照片"),
    ],
    choices={"yes_no": YES_NO},
    figures=[
        Figure("patrols", "防溺水巡查", "count", unit="次"),
        Figure("patrollers", "出动巡查人员", "sum", field="patrollers", unit="人次"),
        Figure("persuaded", "劝离群众", "sum", field="persuaded", unit="人次"),
        Figure("waters", "巡查水域", "distinct", field="water", unit="处"),
        Figure("missing", "发现设备缺失", "count", filter="${equipped} = 'no'", unit="次"),
    ],
    methods=[
        Method(
            "patrols",
            "安全生产",
            "开展防溺水巡查{patrols}，出动巡查人员{patrollers}，劝离群众{persuaded}，覆盖重点水域{waters}",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 撂荒地图斑: a rectification measure and a re-cultivation date per plot

PLOT_STATUS = [
    ("needs_rectification", "需整改"),
    ("rectifying", "整改中"),
    ("recultivated", "已复耕"),
    ("excluded", "核实剔除(非耕地)"),
]

FARMLAND_PLOT = Register(
    form_id="farmland_plot",
    title="撂荒地图斑台账",
    kind="thing",
    summary="每个撂荒耕地图斑：面积、地类、承包户、撂荒原因、整改措施与时限、复耕日期",
    offices=("nyb",),
    writers=(*OFFICE_STAFF, "village_staff"),
    personal=("holder", "holder_phone"),
    entity_label="concat(${plot_code}, ' ', ${area}, '亩')",
    identity="plot_code",
    survey=[
        group(
            "plot",
            "图斑信息",
            q(
                "text",
                "plot_code",
                "图斑编号",
                required=True,
                save_to="plot_code",
                hint="按下发的图斑编号填写",
            ),
            q(
                "decimal",
                "area",
                "图斑面积(亩)",
                required=True,
                save_to="area",
                constraint=". > 0 and . <= 10000",
                constraint_message="面积应大于0且不超过10000亩",
            ),
            q("select_one land_type", "land_type", "地类", required=True),
            q("geopoint", "location", "图斑位置"),
            q("text", "holder", "承包户"),
            q("text", "holder_phone", "承包户电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
            q("select_multiple idle_cause", "cause", "撂荒原因", required=True),
        ),
        group(
            "rectification",
            "整改",
            q(
                "select_one plot_status",
                "status",
                "状态",
                required=True,
                default="needs_rectification",
                save_to="status",
            ),
            q(
                "text",
                "measure",
                "整改措施",
                required=True,
                relevant="${status} = 'needs_rectification' or ${status} = 'rectifying'",
                hint="如：流转给合作社种植油菜",
            ),
            q(
                "date",
                "deadline",
                "整改时限",
                relevant="${status} = 'needs_rectification' or ${status} = 'rectifying'",
            ),
            date_done(
                "recultivated_on",
                "复耕日期",
                relevant="${status} = 'recultivated'",
                save_to="recultivated_on",
            ),
            q("image", "photo", "现场照片"),
        ),
    ],
    choices={
        "land_type": [("paddy", "水田"), ("irrigated", "水浇地"), ("dry", "旱地")],
        "idle_cause": [
            ("labour", "缺劳力"),
            ("water", "缺水灌溉"),
            ("remote", "地块偏远"),
            ("low_return", "种植收益低"),
            ("damage", "水毁或地质灾害"),
            ("other", "其他"),
        ],
        "plot_status": PLOT_STATUS,
    },
    figures=[
        Figure("plots", "撂荒图斑", "count", unit="个"),
        Figure("area", "撂荒面积", "sum", field="area", unit="亩"),
        Figure("recultivated", "已复耕图斑", "count", filter="${status} = 'recultivated'", unit="个"),
        Figure(
            "recultivated_area",
            "已复耕面积",
            "sum",
            field="area",
            filter="${status} = 'recultivated'",
            unit="亩",
        ),
    ],
)

PLOT_RECULTIVATION = Register(
    form_id="plot_recultivation",
    title="撂荒地整改复耕记录",
    kind="activity",
    summary="一个图斑的整改或复耕：方式、作物、复耕面积和日期，更新图斑的状态与复耕日期",
    offices=("nyb",),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    updates="farmland_plot",
    entity_id="${plot}",
    survey=[
        q("text", "plot", "图斑编号", required=True),
        date_done("action_date", "日期", required=True, default="today()"),
        q("select_one way", "way", "整改方式", required=True),
        q("select_one crop", "crop", "种植作物", required=True),
        q(
            "decimal",
            "area_done",
            "复耕面积(亩)",
            required=True,
            constraint=". > 0 and . <= 10000",
            constraint_message="面积应大于0且不超过10000亩",
        ),
        q("select_one plot_status", "status", "整改后状态", required=True, save_to="status"),
        date_done(
            "recultivated_on",
            "复耕日期",
            required=True,
            relevant="${status} = 'recultivated'",
            save_to="recultivated_on",
        ),
        q("geopoint", "location", "现场位置"),
        q("image", "photo", "复耕照片"),
    ],
    choices={
        "way": [
            ("self", "农户自种"),
            ("transfer", "土地流转"),
            ("cooperative", "合作社托管"),
            ("collective", "村集体代耕"),
        ],
        "crop": [
            ("rice", "水稻"),
            ("wheat", "小麦"),
            ("rapeseed", "油菜"),
            ("corn", "玉米"),
            ("soybean", "大豆"),
            ("vegetable", "蔬菜"),
            ("other", "其他"),
        ],
        "plot_status": PLOT_STATUS,
    },
    figures=[
        Figure("actions", "整改复耕记录", "count", unit="次"),
        Figure("area", "复耕面积", "sum", field="area_done", filter="${status} = 'recultivated'", unit="亩"),
        Figure("plots", "复耕图斑", "distinct", field="plot", filter="${status} = 'recultivated'", unit="个"),
    ],
    methods=[Method("recultivation", "乡村振兴与农业", "整治复耕撂荒地图斑{plots}，复耕面积{area}")],
)

# ---------------------------------------------------------------------------------------------------
# 村级债务: "锁定村级债务4300万元，已化解1352万元"

VILLAGE_DEBT = Register(
    form_id="village_debt",
    title="村级债务台账",
    kind="thing",
    summary="锁定的每一笔村级债务：债权人、类型、锁定金额、已化解金额和余额(余额由化解记录更新)",
    offices=("czs",),
    readers=(*TOWNSHIP_READERS, "village_staff"),
    writers=(*OFFICE_STAFF, "village_staff"),
    personal=("creditor_phone",),
    entity_label="concat(${debt_code}, ' ', ${creditor})",
    identity="debt_code",
    survey=[
        q("text", "debt_code", "债务编号", required=True, save_to="debt_code"),
        q("text", "creditor", "债权人", required=True, save_to="creditor"),
        q("text", "creditor_phone", "债权人电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
        q("select_one debt_type", "debt_type", "债务类型", required=True, save_to="debt_type"),
        date_done("incurred_on", "形成日期"),
        date_done("locked_on", "锁定日期", required=True),
        amount("locked_amount", "锁定金额(元)", "100000000", required=True, save_to="locked_amount"),
        q(
            "decimal",
            "resolved_before",
            "锁定时已化解(元)",
            default="0",
            constraint=". >= 0 and . <= ${locked_amount}",
            constraint_message="已化解金额不能超过锁定金额",
        ),
        q(
            "decimal",
            "balance",
            "债务余额(元)",
            calculation="${locked_amount} - ${resolved_before}",
            read_only=True,
            hint="锁定金额减已化解金额，之后由化解记录更新",
            save_to="balance",
        ),
        q("text", "plan", "化解计划", hint="如：以村集体光伏收益逐年偿还"),
    ],
    choices={
        "debt_type": [
            ("construction", "工程建设欠款"),
            ("loan", "借款"),
            ("public_welfare", "公益事业垫资"),
            ("wages", "欠发报酬"),
            ("guarantee", "担保"),
            ("other", "其他"),
        ],
    },
    figures=[
        Figure("debts", "锁定村级债务笔数", "count", unit="笔"),
        Figure("locked", "锁定村级债务", "sum", field="locked_amount", unit="元"),
        Figure("balance", "村级债务余额", "sum", field="balance", unit="元"),
        # 已化解 ÷ 锁定 (the report's "全镇共化解债务31%"): what is no longer owed, of what was locked.
        Figure("resolved_share", "已化解锁定债务", "ratio", "locked - balance", "locked", "%"),
    ],
)

DEBT_RESOLUTION = Register(
    form_id="debt_resolution",
    title="村级债务化解记录",
    kind="activity",
    summary="一笔债务的一次化解：方式、资金来源、化解金额，减少该债务的余额",
    offices=("czs",),
    readers=(*TOWNSHIP_READERS, "village_staff"),
    writers=(*OFFICE_STAFF, "village_staff"),
    updates="village_debt",
    entity_id="${debt}",
    survey=[
        q("text", "debt", "债务编号", required=True, hint="村级债务台账中该笔债务的编号"),
        date_done("resolved_on", "化解日期", required=True, default="today()"),
        q(
            "decimal",
            "balance_before",
            "化解前余额(元)",
            required=True,
            hint="按债务台账中该笔债务的当前余额填写",
            constraint=". >= 0",
            constraint_message="余额不能为负数",
        ),
        q(
            "decimal",
            "amount",
            "化解金额(元)",
            required=True,
            constraint=". > 0 and . <= ${balance_before}",
            constraint_message="化解金额应大于0且不超过化解前余额",
        ),
        q("select_one way", "way", "化解方式", required=True),
        q("select_one source", "source", "资金来源", required=True),
        q(
            "decimal",
            "balance",
            "化解后余额(元)",
            calculation="${balance_before} - ${amount}",
            read_only=True,
            save_to="balance",
        ),
        q("image", "voucher", "凭证照片"),
    ],
    choices={
        "way": [
            ("repay", "偿还"),
            ("offset", "以物抵债或抵顶"),
            ("waive", "协商减免"),
            ("transfer", "划转或核销"),
            ("other", "其他"),
        ],
        "source": [
            ("collective", "村集体经营收入"),
            ("fiscal", "上级财政补助"),
            ("assets", "资产资源处置"),
            ("donation", "社会捐助"),
            ("other", "其他"),
        ],
    },
    figures=[
        Figure("resolved", "已化解债务", "sum", field="amount", unit="元"),
        Figure("resolutions", "化解笔次", "count", unit="笔次"),
        Figure("cleared", "化解清零债务", "count", filter="${balance} <= 0", unit="笔"),
        Figure("debts", "有化解的债务", "distinct", field="debt", unit="笔"),
    ],
    methods=[
        Method(
            "resolution",
            "财政与村级债务",
            "化解村级债务{resolutions}，化解金额{resolved}，其中清零债务{cleared}",
        )
    ],
)

# ---------------------------------------------------------------------------------------------------
# 服务企业: "走访企业及项目30余次，帮助解决诉求难题10余个"

ENTERPRISE = Register(
    form_id="enterprise",
    title="服务企业台账",
    kind="thing",
    summary="镇里包联服务的每家企业：信用代码、行业、是否规上、从业人数、包联干部",
    offices=("jfb",),
    readers=TOWNSHIP_READERS,
    writers=OFFICE_STAFF,
    personal=("contact_phone",),
    entity_label="${enterprise_name}",
    identity="credit_code",
    survey=[
        q(
            "text",
            "credit_code",
            "统一社会信用代码",
            required=True,
            save_to="credit_code",
            constraint="regex(., '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$')",
            constraint_message="统一社会信用代码应为18位",
        ),
        q("text", "enterprise_name", "企业名称", required=True, save_to="enterprise_name"),
        q("select_one industry", "industry", "行业", required=True, save_to="industry"),
        q(
            "select_one yes_no",
            "above_scale",
            "规模以上企业",
            required=True,
            save_to="above_scale",
            appearance="horizontal",
        ),
        count("employees", "从业人数", 100000, save_to="employees"),
        q("text", "address", "地址"),
        q("geopoint", "location", "位置坐标"),
        q("text", "contact", "企业联系人"),
        q("text", "contact_phone", "联系电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
        q("text", "liaison", "包联干部", required=True, save_to="liaison"),
        q(
            "date",
            "last_visit_on",
            "最近走访日期",
            read_only=True,
            hint="由走访企业记录自动更新",
            save_to="last_visit_on",
        ),
    ],
    choices={
        "industry": [
            ("manufacturing", "工业制造"),
            ("materials", "新型建材"),
            ("agri_processing", "农产品加工"),
            ("trade", "商贸流通"),
            ("logistics", "物流"),
            ("tourism", "文旅康养"),
            ("service", "其他服务业"),
            ("agriculture", "种养殖业"),
        ],
        "yes_no": YES_NO,
    },
    figures=[
        Figure("enterprises", "服务企业", "count", unit="家"),
        Figure("above_scale", "规上企业", "count", filter="${above_scale} = 'yes'", unit="家"),
        Figure("employees", "从业人员", "sum", field="employees", unit="人"),
    ],
)

ENTERPRISE_VISIT = Register(
    form_id="enterprise_visit",
    title="走访服务企业记录",
    kind="activity",
    summary="每次走访一家企业：走访方式、企业提出的诉求、是否解决及解决日期，更新企业的最近走访日期",
    offices=("jfb",),
    readers=TOWNSHIP_READERS,
    writers=OFFICE_STAFF,
    updates="enterprise",
    entity_id="${enterprise}",
    survey=[
        q("text", "enterprise", "统一社会信用代码", required=True, hint="被走访企业的信用代码"),
        date_done("visit_date", "走访日期", required=True, default="today()"),
        q("select_one visit_kind", "visit_kind", "走访方式", required=True),
        q("text", "visitors", "走访人员", required=True),
        q("calculate", "last_visit_on", "最近走访日期", calculation="${visit_date}", save_to="last_visit_on"),
        q("select_one yes_no", "has_request", "企业是否提出诉求", required=True, appearance="horizontal"),
        group(
            "request_group",
            "诉求",
            q("select_multiple request_type", "request_type", "诉求类别", required=True),
            q("text", "request", "诉求内容", required=True),
            q("select_one solved", "solved", "办理情况", required=True),
            q("text", "solution", "解决情况", relevant="${solved} != 'open'"),
            q(
                "date",
                "solved_on",
                "解决日期",
                required=True,
                relevant="${solved} = 'solved'",
                constraint=". >= ${visit_date} and . <= today()",
                constraint_message="解决日期应在走访日期之后且不晚于今天",
            ),
            relevant="${has_request} = 'yes'",
        ),
        q("image", "photo", "走访照片"),
    ],
    choices={
        "visit_kind": [
            ("visit", "上门走访"),
            ("project", "项目现场服务"),
            ("policy", "惠企政策宣讲"),
            ("meeting", "座谈会"),
        ],
        "yes_no": YES_NO,
        "request_type": [
            ("funding", "融资资金"),
            ("labour", "用工招工"),
            ("land", "用地"),
            ("approval", "审批手续"),
            ("utilities", "水电气路"),
            ("policy", "政策兑现"),
            ("other", "其他"),
        ],
        "solved": [
            ("solved", "已解决"),
            ("open", "办理中"),
            ("referred", "已转相关部门"),
            ("cannot", "暂无法解决"),
        ],
    },
    figures=[
        Figure("visits", "走访企业", "count", unit="次"),
        Figure("enterprises", "走访企业家数", "distinct", field="enterprise", unit="家"),
        Figure("requests", "企业诉求", "count", filter="${has_request} = 'yes'", unit="个"),
        Figure("solved", "解决诉求难题", "count", filter="${solved} = 'solved'", unit="个"),
    ],
    # "走访企业及项目30余次，帮助解决诉求难题10余个"
    methods=[
        Method(
            "visits",
            "项目建设与招商引资",
            "走访企业及项目{visits}，覆盖企业{enterprises}，收集企业诉求{requests}，帮助解决诉求难题{solved}",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 帮扶救助 and the 脱贫户 profile: records pointing at a household

# Every role reads them (grid workers visit the households); the households' masking rules keep the
# personal fields hidden from roles that may not see them.
HOUSEHOLD_AID = Register(
    form_id="household_aid",
    title="帮扶救助发放记录",
    kind="activity",
    summary="发给一户的帮扶救助：项目、现金金额或实物的名称、数量与单位、折价，领取人签领",
    offices=("shb", "nyb"),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    personal=("recipient", "recipient_id_number"),
    points_at="household",
    points_at_field="household",
    survey=[
        q("text", "household", "户编号", required=True, hint="受助户在户籍台账中的编号"),
        date_done("aid_date", "发放日期", required=True, default="today()"),
        q("select_one program", "program", "帮扶项目", required=True),
        q("select_one aid_form", "aid_form", "发放形式", required=True, appearance="horizontal"),
        amount("cash", "现金金额(元)", "200000", required=True, relevant="${aid_form} = 'cash'"),
        group(
            "in_kind",
            "实物",
            q("text", "item", "物品名称", required=True, hint="如：基础母羊、鸡苗、大米"),
            q(
                "decimal",
                "quantity",
                "数量",
                required=True,
                constraint=". > 0 and . <= 100000",
                constraint_message="数量应大于0且不超过100000",
            ),
            q("select_one unit", "unit", "单位", required=True),
            q(
                "decimal",
                "value",
                "折价(元)",
                constraint=". >= 0 and . <= 1000000",
                constraint_message="折价应在0到1000000元之间",
            ),
            relevant="${aid_form} = 'in_kind'",
        ),
        q("text", "recipient", "领取人", required=True),
        q(
            "text",
            "recipient_id_number",
            "领取人身份证号",
            constraint="regex(., '^[0-9]{17}[0-9Xx]$')",
            constraint_message="身份证号应为18位",
        ),
        q("image", "receipt", "签领单照片"),
    ],
    choices={
        "program": [
            ("pv_dividend", "光伏分红"),
            ("temporary_relief", "临时救助"),
            ("festival", "节日慰问"),
            ("industry", "产业扶持"),
            ("education", "教育资助"),
            ("medical", "医疗救助"),
            ("employment", "就业补贴"),
            ("other", "其他"),
        ],
        "aid_form": [("cash", "现金"), ("in_kind", "实物")],
        "unit": [
            ("zhi", "只"),
            ("tou", "头"),
            ("kg", "公斤"),
            ("bag", "袋"),
            ("box", "箱"),
            ("piece", "件"),
            ("set", "套"),
        ],
    },
    figures=[
        Figure("aids", "帮扶救助发放", "count", unit="次"),
        Figure("households", "受助户", "distinct", field="household", unit="户"),
        Figure("cash", "发放现金", "sum", field="cash", filter="${aid_form} = 'cash'", unit="元"),
        Figure(
            "in_kind_value", "发放实物折价", "sum", field="value", filter="${aid_form} = 'in_kind'", unit="元"
        ),
    ],
    methods=[
        Method(
            "aid", "民生保障", "开展帮扶救助{aids}，惠及{households}，发放现金{cash}、实物折价{in_kind_value}"
        )
    ],
)

POVERTY_PROFILE = Register(
    form_id="poverty_profile",
    title="脱贫户帮扶档案",
    kind="activity",
    summary="一户脱贫户或监测户的档案：类别、人口、人均纯收入、致贫返贫风险、帮扶措施和帮扶责任人",
    offices=("nyb", "shb"),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    personal=("helper_phone",),
    points_at="household",
    points_at_field="household",
    survey=[
        q("text", "household", "户编号", required=True),
        date_done("profile_date", "建档或更新日期", required=True, default="today()"),
        q("select_one category", "category", "户类别", required=True),
        count("members", "家庭人口", 20, least=1, required=True),
        q(
            "decimal",
            "income_per_person",
            "上年人均纯收入(元)",
            required=True,
            constraint=". >= 0 and . <= 1000000",
            constraint_message="收入应在0到1000000元之间",
        ),
        q("select_multiple cause", "cause", "致贫或返贫风险", required=True),
        q("select_multiple measure", "measures", "帮扶措施", required=True),
        q("select_one yes_no", "guaranteed", "两不愁三保障达标", required=True, appearance="horizontal"),
        q("text", "gap", "未达标情况", required=True, relevant="${guaranteed} = 'no'"),
        q("text", "helper", "帮扶责任人", required=True),
        q("text", "helper_phone", "帮扶责任人电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
        q("image", "card", "明白卡照片"),
    ],
    choices={
        "category": [
            ("stable", "稳定脱贫户"),
            ("unstable", "脱贫不稳定户"),
            ("marginal", "边缘易致贫户"),
            ("sudden", "突发严重困难户"),
        ],
        "cause": [
            ("illness", "因病"),
            ("disability", "因残"),
            ("schooling", "因学"),
            ("disaster", "因灾"),
            ("labour", "缺劳力"),
            ("skills", "缺技术"),
            ("funds", "缺资金"),
            ("accident", "因意外事故"),
            ("none", "无明显风险"),
        ],
        "measure": [
            ("industry", "产业帮扶"),
            ("employment", "就业帮扶"),
            ("education", "教育帮扶"),
            ("health", "健康帮扶"),
            ("housing", "住房保障"),
            ("dibao", "低保兜底"),
            ("insurance", "防贫保险"),
            ("public_job", "公益性岗位"),
        ],
        "yes_no": YES_NO,
    },
    figures=[
        Figure("profiles", "建档户", "distinct", field="household", unit="户"),
        Figure("people", "建档人口", "sum", field="members", unit="人"),
        Figure(
            "at_risk",
            "监测对象户",
            "distinct",
            field="household",
            filter="${category} != 'stable'",
            unit="户",
        ),
        Figure("below_guarantee", "两不愁三保障未达标", "count", filter="${guaranteed} = 'no'", unit="户次"),
    ],
    methods=[Method("profiles", "乡村振兴与农业", "建立脱贫户帮扶档案{profiles}，覆盖人口{people}")],
)

# ---------------------------------------------------------------------------------------------------
# 项目工程量: "道路1802米, 惠及19个村" — records pointing at a project

PROJECT_QUANTITY = Register(
    form_id="project_quantity",
    title="项目工程量与受益台账",
    kind="activity",
    summary="一个项目完成的一项工程量：内容、数量和单位、完成投资、受益村数、户数和人数",
    offices=("jfb", "nyb"),
    readers=(*TOWNSHIP_READERS, "village_staff"),
    writers=OFFICE_STAFF,
    points_at="project",
    points_at_field="project",
    survey=[
        q("text", "project", "项目编号", required=True),
        date_done("report_date", "填报日期", required=True, default="today()"),
        q("select_one work_item", "work_item", "工程内容", required=True),
        q(
            "decimal",
            "quantity",
            "完成数量",
            required=True,
            constraint=". > 0 and . <= 10000000",
            constraint_message="数量应大于0",
        ),
        q("select_one unit", "unit", "单位", required=True),
        q(
            "decimal",
            "investment",
            "完成投资(万元)",
            constraint=". >= 0 and . <= 1000000",
            constraint_message="投资应在0到1000000万元之间",
        ),
        group(
            "beneficiaries",
            "受益情况",
            count("villages", "受益村(社区)数", 200),
            q("text", "village_names", "受益村(社区)", hint="多个村用顿号分隔"),
            count("households", "受益户数", 1000000),
            count("people", "受益人数", 10000000),
        ),
        q("geopoint", "location", "位置坐标"),
        q("image", "photo", "现场照片"),
    ],
    choices={
        "work_item": [
            ("road", "道路硬化"),
            ("bridge", "桥梁"),
            ("drainage", "排水沟渠"),
            ("water_supply", "供水管网"),
            ("sewer", "污水管网"),
            ("lighting", "路灯安装"),
            ("greening", "绿化"),
            ("farmland", "高标准农田"),
            ("pond", "堰塘清淤"),
            ("building", "房屋建设"),
        ],
        "unit": [
            ("m", "米"),
            ("km", "公里"),
            ("m2", "平方米"),
            ("m3", "立方米"),
            ("mu", "亩"),
            ("lamp", "盏"),
            ("seat", "座"),
            ("unit", "处"),
        ],
    },
    figures=[
        Figure(
            "road",
            "硬化道路",
            "sum",
            field="quantity",
            filter="${work_item} = 'road' and ${unit} = 'm'",
            unit="米",
        ),
        Figure(
            "farmland",
            "建成高标准农田",
            "sum",
            field="quantity",
            filter="${work_item} = 'farmland' and ${unit} = 'mu'",
            unit="亩",
        ),
        Figure("investment", "完成投资", "sum", field="investment", unit="万元"),
        Figure("people", "受益群众", "sum", field="people", unit="人"),
        Figure("projects", "填报工程量的项目", "distinct", field="project", unit="个"),
    ],
    methods=[
        Method(
            "works",
            "项目建设与招商引资",
            "硬化道路{road}，建成高标准农田{farmland}，完成工程投资{investment}，惠及群众{people}",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 场所安全检查: "检查危化场所xxx家次，排查整改事故隐患xxx项"

HAZARD_CATEGORY = (
    "if(${place_type} = 'hazchem', 'chemicals', if(${place_type} = 'construction', 'construction', "
    "if(${place_type} = 'self_built', 'self_built', if(${place_type} = 'crowded' or ${place_type} = 'food', "
    "'small_venues', 'other'))))"
)

PLACE_INSPECTION = Register(
    form_id="place_inspection",
    title="场所安全检查记录",
    kind="activity",
    summary="每次检查一个场所：类型、检查结果、发现的隐患(发现隐患时平台据 hazard_case_* 字段开立隐患事件)",
    offices=("yjb",),
    writers=(*OFFICE_STAFF, "village_staff", "grid_worker"),
    opens_case="hazard",
    survey=[
        q("text", "place_name", "场所名称", required=True),
        q("select_one place_type", "place_type", "场所类型", required=True),
        date_done("inspect_date", "检查日期", required=True, default="today()"),
        q("text", "inspectors", "检查人员", required=True),
        q("geopoint", "location", "场所位置"),
        q("select_one result", "result", "检查结果", required=True),
        group(
            "hazard_case",
            "发现隐患(提交后自动生成隐患整改事件)",
            q("note", "hazard_case_note", "发现隐患的，提交后平台开立隐患整改事件，按时限跟踪整改销号。"),
            count("hazard_count", "隐患数量(项)", 100, least=1, required=True),
            q("select_one hazard_level", "hazard_case_level", "隐患等级", required=True),
            q(
                "text",
                "hazard_case_description",
                "隐患描述",
                required=True,
                hint="写明位置和问题，如：仓库消防通道堆放杂物",
            ),
            q(
                "date",
                "hazard_case_deadline",
                "整改时限",
                required=True,
                constraint=". >= ${inspect_date}",
                constraint_message="整改时限不能早于检查日期",
            ),
            q("image", "hazard_case_photo", "隐患照片"),
            # The hazard case's title and category (the case engine's 隐患类别), from the place.
            q("calculate", "hazard_case_title", calculation="concat(${place_name}, '：发现隐患')"),
            q("calculate", "hazard_case_category", calculation=HAZARD_CATEGORY),
            relevant="${result} = 'hazard'",
        ),
        q("image", "photo", "检查照片"),
    ],
    choices={
        "place_type": [
            ("hazchem", "危化场所"),
            ("crowded", "人员密集场所"),
            ("construction", "建筑工地"),
            ("mine", "非煤矿山"),
            ("school", "学校幼儿园"),
            ("food", "食品生产经营"),
            ("enterprise", "工贸企业"),
            ("self_built", "经营性自建房"),
            ("boat", "船舶码头"),
        ],
        "result": [("pass", "未发现隐患"), ("hazard", "发现隐患"), ("closed", "停业或关闭")],
        "hazard_level": [("general", "一般隐患"), ("major", "重大隐患")],
    },
    figures=[
        Figure("inspections", "检查场所", "count", unit="家次"),
        Figure("hazchem", "检查危化场所", "count", filter="${place_type} = 'hazchem'", unit="家次"),
        Figure("hazards", "排查事故隐患", "sum", field="hazard_count", unit="项"),
        Figure("with_hazard", "发现隐患的检查", "count", filter="${result} = 'hazard'", unit="家次"),
        Figure("major", "重大隐患检查", "count", filter="${hazard_case_level} = 'major'", unit="家次"),
    ],
    # "检查危化场所xxx家次，排查整改事故隐患xxx项"
    methods=[
        Method(
            "inspections",
            "安全生产",
            "检查各类场所{inspections}，其中危化场所{hazchem}，排查事故隐患{hazards}，发现的隐患均纳入隐患事件跟踪整改",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 活动与宣传: "开展重大爱卫活动10余次", "已累计发动群众550人，出动大型机械68台次"

OUTPUT_UNITS = [
    ("ton", "吨"),
    ("kg", "公斤"),
    ("copy", "份"),
    ("piece", "条(幅)"),
    ("session", "场次"),
    ("person", "人次"),
    ("m2", "平方米"),
    ("unit", "处"),
    ("vehicle", "辆"),
]

CAMPAIGN = Register(
    form_id="campaign",
    title="活动与宣传记录",
    kind="activity",
    summary="每次集中活动或宣传：日期、牵头站所、参与村、出动人员和机械、受众人数、成果(每项成果的数量与单位，可填多项)",
    survey=[
        q("text", "title", "活动名称", required=True),
        q("select_one campaign_type", "campaign_type", "活动类别", required=True),
        q("select_one office", "office", "牵头站所", required=True),
        date_done("start_date", "开始日期", required=True, default="today()"),
        q(
            "date",
            "end_date",
            "结束日期",
            constraint=". >= ${start_date} and . <= today()",
            constraint_message="结束日期应不早于开始日期且不晚于今天",
        ),
        group(
            "scope",
            "参与和出动",
            q("text", "villages", "参与村(社区)", hint="全镇或村名，多个村用顿号分隔"),
            count("village_count", "参与村(社区)数", 200, required=True),
            count("people", "出动人员(人次)", 100000, least=1, required=True),
            count("machinery", "出动机械(台次)", 10000, default="0"),
            count("audience", "受众或参与群众(人次)", 1000000, default="0"),
        ),
        repeat(
            "outputs",
            "活动成果",
            q("text", "output", "成果", required=True, hint="如：清理垃圾、发放宣传资料"),
            q(
                "decimal",
                "output_quantity",
                "数量",
                required=True,
                constraint=". > 0 and . <= 10000000",
                constraint_message="数量应大于0且不超过10000000",
            ),
            q("select_one output_unit", "output_unit", "单位", required=True),
            hint="每项成果一行：清理垃圾多少吨、发放资料多少份……",
        ),
        q("calculate", "output_count", "成果项数", calculation="count(${outputs})"),
        q("image", "photo", "活动照片"),
    ],
    choices={
        "campaign_type": [
            ("sanitation", "爱国卫生"),
            ("environment", "人居环境整治"),
            ("safety", "安全生产宣传"),
            ("drowning", "防溺水宣传"),
            ("fire", "森林防火"),
            ("anti_fraud", "反诈宣传"),
            ("law", "普法宣传"),
            ("training", "技术培训"),
            ("volunteer", "志愿服务"),
            ("drill", "应急演练"),
            ("other", "其他"),
        ],
        "office": OFFICE_CHOICES,
        "output_unit": OUTPUT_UNITS,
    },
    figures=[
        Figure("campaigns", "开展活动", "count", unit="次"),
        Figure("sanitation", "爱国卫生活动", "count", filter="${campaign_type} = 'sanitation'", unit="次"),
        Figure("people", "出动人员", "sum", field="people", unit="人次"),
        Figure("machinery", "出动机械", "sum", field="machinery", unit="台次"),
        Figure("audience", "受众群众", "sum", field="audience", unit="人次"),
        # Over the outputs: each output's quantity counts when that output is in tons.
        Figure(
            "garbage",
            "清理垃圾杂物",
            "sum",
            field="output_quantity",
            filter="${output_unit} = 'ton'",
            unit="吨",
        ),
        Figure(
            "leaflets",
            "发放宣传资料",
            "sum",
            field="output_quantity",
            filter="${output_unit} = 'copy'",
            unit="份",
        ),
        Figure(
            "banners",
            "张贴标语",
            "sum",
            field="output_quantity",
            filter="${output_unit} = 'piece'",
            unit="条",
        ),
        Figure(
            "served",
            "培训和服务群众",
            "sum",
            field="output_quantity",
            filter="${output_unit} = 'person'",
            unit="人次",
        ),
    ],
    # One sentence per kind of work, each over its campaigns: "开展爱卫活动12次，出动志愿者560人次，
    # 清理垃圾150余吨".
    methods=[
        Method(
            "sanitation",
            "乡村振兴与农业",
            "开展爱国卫生活动{campaigns}，出动人员{people}，出动机械{machinery}，清理垃圾杂物{garbage}",
            "${campaign_type} = 'sanitation'",
        ),
        Method(
            "environment",
            "乡村振兴与农业",
            "开展人居环境集中整治{campaigns}，出动人员{people}，出动机械{machinery}，清理垃圾杂物{garbage}",
            "${campaign_type} = 'environment'",
        ),
        Method(
            "training",
            "乡村振兴与农业",
            "开展农业技术培训{campaigns}，培训农民{served}",
            "${campaign_type} = 'training'",
        ),
        Method(
            "safety",
            "安全生产",
            "开展安全生产、防溺水和森林防火宣传{campaigns}，受众群众{audience}，发放宣传资料{leaflets}，"
            "张贴标语{banners}",
            "${campaign_type} = 'safety' or ${campaign_type} = 'drowning' or ${campaign_type} = 'fire'",
        ),
        Method(
            "drill",
            "安全生产",
            "开展应急演练{campaigns}，参与人员{people}",
            "${campaign_type} = 'drill'",
        ),
        Method(
            "publicity",
            "基层治理与平安建设",
            "开展反电诈和普法宣传{campaigns}，受众群众{audience}，发放宣传资料{leaflets}，张贴标语{banners}",
            "${campaign_type} = 'anti_fraud' or ${campaign_type} = 'law'",
        ),
        Method(
            "volunteer",
            "党的建设",
            "开展新时代文明实践志愿服务{campaigns}，出动志愿者{people}，服务群众{served}",
            "${campaign_type} = 'volunteer'",
        ),
    ],
    # The outputs became a repeat (two fixed output groups before): a new version for townships that
    # loaded the earlier one.
    version="2026120401",
)

# ---------------------------------------------------------------------------------------------------
# 物资发放: "灭鼠药68kg"

MATERIAL_DISTRIBUTION = Register(
    form_id="material_distribution",
    title="物资发放记录",
    kind="activity",
    summary="每次发放物资：物资、数量和单位、领取对象、受益户数、用途",
    survey=[
        date_done("given_on", "发放日期", required=True, default="today()"),
        q("select_one material", "material", "物资", required=True),
        q("text", "material_other", "物资名称", required=True, relevant="${material} = 'other'"),
        q(
            "decimal",
            "quantity",
            "数量",
            required=True,
            constraint=". > 0 and . <= 10000000",
            constraint_message="数量应大于0",
        ),
        q("select_one unit", "unit", "单位", required=True),
        q("select_one recipient_kind", "recipient_kind", "领取对象", required=True),
        q("text", "recipient", "领取单位或个人", required=True),
        count("beneficiaries", "受益户数", 1000000),
        q("text", "purpose", "用途", hint="如：春季灭鼠、防汛备汛"),
        q("image", "receipt", "签收单照片"),
    ],
    choices={
        "material": [
            ("rodenticide", "灭鼠药"),
            ("disinfectant", "消毒液"),
            ("leaflet", "宣传资料"),
            ("fertilizer", "化肥"),
            ("seed", "种子"),
            ("pesticide", "农药"),
            ("life_jacket", "救生衣"),
            ("extinguisher", "灭火器"),
            ("flood", "防汛物资"),
            ("relief", "救灾物资"),
            ("other", "其他"),
        ],
        "unit": [
            ("kg", "公斤"),
            ("ton", "吨"),
            ("bottle", "瓶"),
            ("box", "箱"),
            ("bag", "袋"),
            ("piece", "件(个)"),
            ("copy", "份"),
        ],
        "recipient_kind": [
            ("village", "村(社区)"),
            ("household", "农户"),
            ("enterprise", "企业"),
            ("school", "学校"),
            ("team", "队伍或志愿者"),
        ],
    },
    figures=[
        Figure("distributions", "物资发放", "count", unit="次"),
        Figure(
            "rodenticide",
            "发放灭鼠药",
            "sum",
            field="quantity",
            filter="${material} = 'rodenticide' and ${unit} = 'kg'",
            unit="公斤",
        ),
        Figure(
            "leaflets",
            "发放宣传资料",
            "sum",
            field="quantity",
            filter="${material} = 'leaflet' and ${unit} = 'copy'",
            unit="份",
        ),
        Figure("beneficiaries", "物资受益户", "sum", field="beneficiaries", unit="户"),
    ],
    methods=[
        Method(
            "materials",
            "民生保障",
            "发放各类物资{distributions}，惠及{beneficiaries}，其中灭鼠药{rodenticide}",
        )
    ],
)

# ---------------------------------------------------------------------------------------------------
# 规模养殖场: "饲养生猪16万头、家禽160万羽"

LIVESTOCK_FARM = Register(
    form_id="livestock_farm",
    title="规模养殖场台账",
    kind="thing",
    summary="每个规模养殖场：畜种、存栏和年出栏及单位、规模等级、粪污处理方式、防疫合格证",
    offices=("nyb",),
    writers=(*OFFICE_STAFF, "village_staff"),
    personal=("owner", "owner_phone"),
    entity_label="${farm_name}",
    identity="farm_name",
    survey=[
        group(
            "farm",
            "养殖场",
            q("text", "farm_name", "养殖场名称", required=True, save_to="farm_name"),
            q("text", "owner", "负责人", required=True),
            q("text", "owner_phone", "联系电话", constraint=PHONE, constraint_message=PHONE_MESSAGE),
            q("geopoint", "location", "位置坐标"),
            q(
                "decimal",
                "land_area",
                "占地面积(亩)",
                constraint=". > 0 and . <= 10000",
                constraint_message="面积应大于0且不超过10000亩",
            ),
        ),
        group(
            "scale",
            "规模",
            q("select_one species", "species", "畜种", required=True, save_to="species"),
            q(
                "integer",
                "stock",
                "存栏量",
                required=True,
                save_to="stock",
                constraint=". >= 0 and . <= 10000000",
                constraint_message="存栏量应在0到10000000之间",
            ),
            q(
                "integer",
                "annual_output",
                "年出栏量",
                constraint=". >= 0 and . <= 100000000",
                constraint_message="出栏量应在0到100000000之间",
                save_to="annual_output",
            ),
            q("select_one head_unit", "head_unit", "计量单位", required=True),
            q("select_one scale_level", "scale_level", "规模等级", required=True, save_to="scale_level"),
        ),
        group(
            "environment",
            "防疫与环保",
            q("select_one yes_no", "permit", "动物防疫条件合格证", required=True, appearance="horizontal"),
            q("select_one manure", "manure", "粪污处理方式", required=True),
            q("image", "photo", "养殖场照片"),
        ),
    ],
    choices={
        "species": [
            ("pig", "生猪"),
            ("cattle", "肉牛"),
            ("dairy", "奶牛"),
            ("sheep", "羊"),
            ("poultry", "家禽"),
            ("rabbit", "兔"),
            ("fish", "水产"),
        ],
        "head_unit": [("tou", "头"), ("zhi", "只"), ("yu", "羽"), ("jin", "斤")],
        "scale_level": [("large", "大型"), ("medium", "中型"), ("small", "小型")],
        "manure": [
            ("biogas", "沼气池"),
            ("compost", "堆沤还田"),
            ("organic", "有机肥加工"),
            ("third_party", "第三方集中处理"),
            ("none", "无处理设施"),
        ],
        "yes_no": YES_NO,
    },
    figures=[
        Figure("farms", "规模养殖场", "count", unit="家"),
        Figure("pigs", "生猪存栏", "sum", field="stock", filter="${species} = 'pig'", unit="头"),
        Figure("poultry", "家禽存栏", "sum", field="stock", filter="${species} = 'poultry'", unit="羽"),
        Figure("no_manure", "无粪污处理设施", "count", filter="${manure} = 'none'", unit="家"),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 保洁管护考核: "由镇环卫办定期打分，分值和管护费用挂钩"

SCORE_TOTAL = "${cleanliness} + ${facilities} + ${greenery} + ${response}"

UPKEEP_SCORE = Register(
    form_id="upkeep_score",
    title="保洁管护月度考核",
    kind="activity",
    summary="每月为一家保洁管护单位打分：四项得分、总分、等级，按分值核定当月管护费用",
    offices=("nyb",),
    writers=OFFICE_STAFF,
    survey=[
        q("text", "contractor", "管护单位", required=True),
        q("select_one area_kind", "area_kind", "管护内容", required=True),
        q(
            "date",
            "month",
            "考核月份",
            required=True,
            appearance="month-year",
            constraint=NOT_FUTURE,
            constraint_message="考核月份不能晚于本月",
        ),
        group(
            "scores",
            "评分",
            count("cleanliness", "保洁质量(40分)", 40, required=True),
            count("facilities", "设施完好(20分)", 20, required=True),
            count("greenery", "绿化养护(20分)", 20, required=True),
            count("response", "问题处置及时(20分)", 20, required=True),
            q("integer", "total", "总分", calculation=SCORE_TOTAL, read_only=True),
            q(
                "calculate",
                "grade",
                "等级",
                calculation=(
                    "if(${total} >= 90, '优秀', if(${total} >= 80, '良好',"
                    " if(${total} >= 60, '合格', '不合格')))"
                ),
            ),
            q("note", "total_note", "总分 ${total} 分，等级：${grade}"),
        ),
        q("text", "deductions", "扣分原因", required=True, relevant="${total} < 90"),
        amount("base_fee", "当月管护费基数(元)", "10000000", required=True),
        q(
            "decimal",
            "fee",
            "核定管护费(元)",
            calculation="if(${total} >= 60, round(${base_fee} * ${total} div 100, 2), 0)",
            read_only=True,
        ),
        q("note", "fee_note", "按分值核定当月管护费：${fee} 元(60分以下不予拨付)"),
        q("text", "scorer", "考核人", required=True),
        q("image", "photo", "检查照片"),
    ],
    choices={
        "area_kind": [
            ("green", "公共绿地"),
            ("road", "道路保洁"),
            ("river", "河道保洁"),
            ("village", "村庄保洁"),
            ("toilet", "公厕管护"),
        ],
    },
    figures=[
        Figure("assessments", "考核次数", "count", unit="次"),
        Figure("average", "平均得分", "avg", field="total", unit="分"),
        Figure("fees", "核定管护费", "sum", field="fee", unit="元"),
        Figure("failed", "不合格", "count", filter="${total} < 60", unit="次"),
    ],
    methods=[
        Method(
            "scores",
            "乡村振兴与农业",
            "开展保洁管护月度考核{assessments}，平均得分{average}，核定管护费{fees}，考核不合格{failed}并扣减管护费",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------------
# 党建活动: "开展主题党日活动12次，讲党课6次，参加党员860人次"

PARTY_ACTIVITY = Register(
    form_id="party_activity",
    title="党建活动记录",
    kind="activity",
    summary="每次组织生活或党建活动：类型(三会一课、主题党日、党员培训)、主题、参加党员人次",
    offices=("dzb",),
    section="party",
    writers=(*OFFICE_STAFF, "village_staff"),
    survey=[
        date_done("activity_date", "活动日期", required=True, default="today()"),
        q("select_one party_activity_type", "activity_type", "活动类型", required=True),
        q("text", "topic", "活动主题", required=True),
        count("attendees", "参加党员(人次)", 2000, 1, required=True),
        q("text", "host", "主持人"),
        q("image", "photo", "活动照片"),
    ],
    choices={
        "party_activity_type": [
            ("branch_meeting", "支部党员大会"),
            ("committee", "支委会"),
            ("group_meeting", "党小组会"),
            ("lecture", "党课"),
            ("theme_day", "主题党日"),
            ("training", "党员培训"),
        ],
    },
    figures=[
        Figure("activities", "开展党建活动", "count", unit="次"),
        Figure("theme_days", "开展主题党日活动", "count", filter="${activity_type} = 'theme_day'", unit="次"),
        Figure("lectures", "讲党课", "count", filter="${activity_type} = 'lecture'", unit="次"),
        Figure("trainings", "开展党员培训", "count", filter="${activity_type} = 'training'", unit="次"),
        Figure("attendees", "参加党员", "sum", field="attendees", unit="人次"),
    ],
)

# The first ten are the brief's first ten; the rest follow.
LIBRARY: list[Register] = [
    STREET_LAMP,
    LAMP_PATROL,
    WATER,
    DROWNING_PATROL,
    FARMLAND_PLOT,
    PLOT_RECULTIVATION,
    VILLAGE_DEBT,
    DEBT_RESOLUTION,
    ENTERPRISE,
    ENTERPRISE_VISIT,
    HOUSEHOLD_AID,
    POVERTY_PROFILE,
    PROJECT_QUANTITY,
    PLACE_INSPECTION,
    CAMPAIGN,
    MATERIAL_DISTRIBUTION,
    LIVESTOCK_FARM,
    UPKEEP_SCORE,
    PARTY_ACTIVITY,
]


def sheets(register: Register) -> dict[str, list[list[str]]]:
    """The workbook of one register as sheet name → rows of cell text (header first)."""
    choice_rows = [
        [list_name, name, label] for list_name, options in register.choices.items() for name, label in options
    ]
    book: dict[str, list[list[str]]] = {
        "survey": [list(SURVEY_COLUMNS)]
        + [[row.get(column, "") for column in SURVEY_COLUMNS] for row in register.rows()],
        "choices": [list(CHOICE_COLUMNS), *choice_rows],
        "settings": [list(SETTINGS_COLUMNS), [register.title, register.form_id, register.version]],
    }
    entities = register.entities_row()
    if entities is not None:
        columns = list(entities)
        book["entities"] = [columns, [entities[column] for column in columns]]
    book["zhenwu"] = [["key", "value"], *[[key, value] for key, value in register.zhenwu_rows()]]
    return book


def cells(path: Path) -> dict[str, list[list[str]]]:
    """A workbook on disk as sheet name → rows of cell text, blank cells as ""."""
    workbook = load_workbook(path, read_only=True)
    return {
        sheet.title: [
            ["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }


def write_workbook(register: Register, directory: Path = HERE) -> Path:
    """Write `<form_id>.xlsx`, unless the file there already holds exactly these cells.

    openpyxl stamps every save with the time, so rewriting an unchanged definition would change the file.
    """
    path = directory / f"{register.form_id}.xlsx"
    if path.exists() and cells(path) == sheets(register):
        return path
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets(register).items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column_cells in sheet.columns:
            widest = max(len(str(cell.value or "")) for cell in column_cells)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(60, max(10, widest + 2))
    workbook.save(path)
    return path


def write_library(directory: Path = HERE) -> list[Path]:
    return [write_workbook(register, directory) for register in LIBRARY]


if __name__ == "__main__":
    for written in write_library(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
