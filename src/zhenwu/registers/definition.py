"""A register's definition: the township's XLSForm workbook, checked and read into a `Definition`.

pyxform, the reference implementation of XLSForm, checks the workbook and makes the XForm; its English
errors are put into Chinese naming the sheet, row and column. The sheets are then read here (openpyxl,
read-only, within the upload limits) for what zhenwu needs: the fields with their labels and rules, the
choice lists, the ODK Entities sheet that makes a register of things or an activity updating one, and
zhenwu's own `zhenwu` sheet (kind, who may read and write, personal fields, figures), which pyxform
ignores. Every expression is compiled by the XPath engine here, so that a broken one is refused when the
definition is loaded, not when a grid worker saves a record.

Pure: no Django.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from functools import cached_property
from io import BytesIO
from typing import BinaryIO

import openpyxl
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from zhenwu.core.uploads import LIMITS, UploadRefused, check_archive, check_rows, read_capped

FIELD_TYPES = (
    "text", "integer", "decimal", "select_one", "select_multiple", "date", "geopoint", "image", "note",
    "calculate",
)  # fmt: skip
# The spellings XLSForm allows for the types zhenwu supports.
TYPE_ALIASES = {
    "text": "text", "string": "text", "integer": "integer", "int": "integer", "decimal": "decimal",
    "date": "date", "geopoint": "geopoint", "image": "image", "photo": "image", "note": "note",
    "calculate": "calculate",
}  # fmt: skip
KINDS = ("thing", "activity")
POINTS_AT = ("household", "member", "project", "case")
AGGREGATES = ("count", "sum", "avg", "distinct", "ratio")
# A ratio's numerator or denominator: one figure, or one figure less another ("locked - balance").
RATIO_TERM = re.compile(r"^(\w+)(?:\s*-\s*(\w+))?$")
# What a register keeps of each figure (Register.figures), for the figures to be computed without reading
# the workbook again.
FIGURE_KEYS = ("name", "label", "aggregate", "field", "filter", "unit", "zero", "numerator", "denominator")
ZERO_FLAG = "报零"  # the optional sixth part of a figure: state it even when it is 0
# The codes of org.models.Role (a test holds the two together): a definition is read without Django.
ROLE_CODES = (
    "county_viewer", "township_admin", "township_leader", "department_staff", "village_staff", "grid_worker",
)  # fmt: skip
SETTINGS = ("form_id", "form_title", "version", "default_language", "instance_name", "style")
ZHENWU_KEYS = (
    "kind", "identity", "readers", "writers", "offices", "personal", "points_at", "points_at_field",
    "opens_case", "section", "patrol_days",
)  # fmt: skip
# The work a register's figures report under (a work report's sub-sections): its `section` setting.
SECTIONS = {
    "economy": "经济指标", "projects": "项目建设与招商引资", "rural": "乡村振兴与农业",
    "governance": "基层治理与平安建设", "safety": "安全生产", "livelihood": "民生保障", "party": "党的建设",
    "other": "其他工作",
}  # fmt: skip
# form_id names the register in URLs (/api/v1/registers/<form_id>/) and in OpenRosa.
FORM_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
VERSION = re.compile(r"[A-Za-z0-9_.-]{1,64}")
REFERENCE = re.compile(r"\$\{([^}]*)\}")
# The longest patrol interval a thing register may declare (patrol_days): a year.
MAX_PATROL_DAYS = 366
# A figure named in a 主要做法 sentence: {hazards}.
METHOD_FIGURE = re.compile(r"\{(\w+)\}")
TRUE_WORDS = ("yes", "true", "true()", "1")
FALSE_WORDS = ("", "no", "false", "false()", "0")
_FLAG_WORDS = {"required": "必填", "read_only": "只读"}
# The rows one record may hold in a repeat: a campaign's outputs, a household's items in kind.
MAX_REPEAT_ROWS = 200


class DefinitionError(Exception):
    """A workbook that is not a definition zhenwu can use; each message names sheet, row and column."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Choice:
    name: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # one of FIELD_TYPES
    label: str
    hint: str
    required: bool
    required_message: str
    constraint: str
    constraint_message: str
    relevant: str  # the field's own, joined with the relevant of every group around it
    default: str
    read_only: bool
    calculation: str
    choices: tuple[Choice, ...]  # for select_one / select_multiple
    group: str  # "" or the group path "a/b" the field sits in (groups are flattened)
    save_to: str  # ODK Entities: the thing's property this field saves to ("" if none)
    personal: bool  # stored encrypted and shown masked (identity number, phone, address)
    row: int  # its row in the survey sheet, for messages
    # The repeat the field sits in ("" outside any). Such a field's `group` is the path of the groups
    # inside the repeat, and its `path` is below one instance of the repeat.
    repeat: str = ""

    @property
    def path(self) -> str:
        """Its path under the instance root (under a repeat instance for a repeat's field): "a/b/name"."""
        return f"{self.group}/{self.name}" if self.group else self.name


@dataclass(frozen=True)
class Repeat:
    """A repeat group (begin_repeat … end_repeat): a record holds a list of its rows, each a dict of its
    fields' values, under the repeat's name (产出: 名称、数量、单位 once per output). Repeats do not nest."""

    name: str
    label: str
    hint: str
    relevant: str  # its own, joined with the relevant of every group around it
    group: str  # "" or the path of the groups it sits in
    fields: tuple[Field, ...]  # in survey order, groups inside the repeat flattened
    row: int  # its begin_repeat row in the survey sheet

    @property
    def path(self) -> str:
        """The path of each of its instances under the instance root: "a/outputs"."""
        return f"{self.group}/{self.name}" if self.group else self.name

    @property
    def title(self) -> str:
        return self.label or self.name


def repeat_key(repeat: str, index: int, name: str) -> str:
    """Where a value of a repeat's row is named, as a Django formset names its input: "outputs-1-qty"
    is the field qty of the second row (index 1) of the repeat outputs."""
    return f"{repeat}-{index}-{name}"


def row_words(repeat: Repeat, index: int, item: Field | None = None) -> str:
    """ "产出第2项「数量」": a repeat's row (index 0 is 第1项) and its field, as a message names them."""
    words = f"{repeat.title}第{index + 1}项"
    return f"{words}「{item.label or item.name}」" if item is not None else words


@dataclass(frozen=True)
class FigureSpec:
    name: str
    label: str
    aggregate: str  # one of AGGREGATES
    field: str
    filter: str
    unit: str
    zero: bool = False  # stated even when it is 0 ("零赴省"), not left out as a figure of nothing
    numerator: str = ""  # a ratio's: a figure's name, or two names subtracted ("locked - balance")
    denominator: str = ""


@dataclass(frozen=True)
class MethodSpec:
    """How a register's figures read in a work report's 主要做法: a sentence of the work it belongs to
    (安全生产), its figures named in braces: "检查场所{inspections}，排查事故隐患{hazards}". With a filter,
    its figures count only the records that meet it: "开展爱国卫生活动{campaigns}" over the campaigns
    whose type is 爱国卫生."""

    name: str
    work: str
    template: str
    filter: str = ""

    @property
    def parts(self) -> list[str]:
        """Text and figure names alternating: text at even places, a figure's name at odd ones."""
        return METHOD_FIGURE.split(self.template)


@dataclass(frozen=True)
class Definition:
    form_id: str
    title: str
    version: str
    fields: tuple[Field, ...]  # in survey order, groups flattened, notes included
    kind: str  # "thing" or "activity"
    entity_list: str
    entity_label: str
    entity_id_field: str
    points_at: str  # "household" | "member" | "project" | "case" | ""
    points_at_field: str
    readers: tuple[str, ...]
    writers: tuple[str, ...]
    offices: tuple[str, ...]
    figures: tuple[FigureSpec, ...]
    xform: str
    # pyxform's warnings in Chinese: the definition loads, the admin is told.
    warnings: tuple[str, ...] = ()
    # A thing register's own number for each thing (路灯编号, 图斑编号): unique in the township, what an
    # activity may name the thing by, and what a re-import of the list updates the thing by.
    identity_field: str = ""
    # A case type code (hazard): a record with a value in `<code>_case_description` opens a case of that
    # type from its `<code>_case_*` fields (see registers/cases.py).
    opens_case: str = ""
    # The repeat groups, each with its own fields (which `fields` does not hold), in survey order.
    repeats: tuple[Repeat, ...] = ()
    # The work report sub-section its figures go to (a key of SECTIONS), or "" to file them by office.
    section: str = ""
    # How its figures read in a work report's 主要做法 (activity registers only), in sheet order.
    methods: tuple[MethodSpec, ...] = ()
    # A thing register patrolled by an activity register (`patrol_days` = "30 | lamp_patrol"): a thing with
    # no record of `patrol_form` in `patrol_days` days is due, and its unit's writers are reminded. 0: none.
    patrol_days: int = 0
    patrol_form: str = ""

    @cached_property
    def fields_by_name(self) -> dict[str, Field]:
        """The fields outside any repeat, by name: the values a record holds directly."""
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> Field:
        """The field named `name` (outside any repeat); KeyError if there is none."""
        return self.fields_by_name[name]

    @cached_property
    def all_fields(self) -> tuple[Field, ...]:
        """Every field, those of the repeats included, in survey order."""
        return tuple(
            sorted([*self.fields, *(f for r in self.repeats for f in r.fields)], key=lambda f: f.row)
        )

    @cached_property
    def any_field(self) -> dict[str, Field]:
        """Every field by name, those of the repeats included (names are unique in the whole form)."""
        return {f.name: f for f in self.all_fields}

    @cached_property
    def repeats_by_name(self) -> dict[str, Repeat]:
        return {r.name: r for r in self.repeats}

    def items(self) -> list[Field | Repeat]:
        """The fields outside repeats and the repeats, in survey order: how a form lays them out."""
        return sorted([*self.fields, *self.repeats], key=lambda item: item.row)

    def repeat_place(self, key: str) -> tuple[Repeat, int, Field] | None:
        """The repeat, row index and field a `repeat_key` names; None for any other key."""
        for repeat in self.repeats:
            if not key.startswith(repeat.name + "-"):
                continue
            index, _, name = key[len(repeat.name) + 1 :].partition("-")
            found = next((f for f in repeat.fields if f.name == name), None)
            if index.isdigit() and found is not None:
                return repeat, int(index), found
        return None

    @property
    def definition_hash(self) -> str:
        """OpenRosa's formList `hash`: "md5:" and the md5 of the XForm a client downloads.

        Collect compares it with the md5 of the form file it holds, so it is the hash of the served
        document; pyxform makes the same XForm from the same workbook, so it is stable.
        """
        return "md5:" + hashlib.md5(self.xform.encode("utf-8"), usedforsecurity=False).hexdigest()


def workbook_hash(data: bytes) -> str:
    """ "md5:" and the md5 of an uploaded workbook: tells whether the same file was loaded again."""
    return "md5:" + hashlib.md5(data, usedforsecurity=False).hexdigest()


# ---------------------------------------------------------------------------------------------------
# Reading


def read_definition(source: bytes | BinaryIO, file_name: str) -> Definition:
    """The definition in an XLSForm workbook; `DefinitionError` with every fault found."""
    limit = LIMITS["register_definition"]
    try:
        data = read_capped(source, file_name, limit)
        check_archive(data, file_name, limit, "xlsx")
    except UploadRefused as refused:
        raise DefinitionError([str(refused)]) from None
    sheets = _read_sheets(data, file_name)
    saved_in_repeat = _save_to_in_repeats(sheets["survey"])
    if saved_in_repeat:  # pyxform refuses it too, in words that name neither the row nor the field
        raise DefinitionError(saved_in_repeat)
    xform, warnings = _convert(data, sheets)
    return _Reader(sheets, xform, warnings).definition()


@dataclass
class _Sheet:
    name: str
    header: list[str]  # lower-cased, stripped
    rows: list[tuple[int, dict[str, str]]]  # (row number in the workbook, column -> text)

    def column(self, names: tuple[str, ...]) -> str | None:
        """The first of `names` present in the header."""
        return next((n for n in names if n in self.header), None)


def _read_sheets(data: bytes, file_name: str) -> dict[str, _Sheet]:
    limit = LIMITS["register_definition"]
    try:
        book = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise DefinitionError(
            [f"无法打开文件“{file_name}”：它不是 .xlsx 文件，请上传 XLSForm 格式的 Excel 工作簿。"]
        ) from None
    sheets: dict[str, _Sheet] = {}
    try:
        for worksheet in book.worksheets:
            name = str(worksheet.title).strip().lower()
            rows = [(number, row) for number, row in _rows(worksheet.iter_rows(values_only=True))]
            check_rows(len(rows), file_name, limit)
            if not rows:
                sheets[name] = _Sheet(name, [], [])
                continue
            header = [_text(value).lower() for value in rows[0][1]]
            body = [
                (number, {h: _text(v) for h, v in zip(header, row, strict=False) if h})
                for number, row in rows[1:]
            ]
            sheets[name] = _Sheet(name, header, [(n, r) for n, r in body if any(r.values())])
    except UploadRefused as refused:
        raise DefinitionError([str(refused)]) from None
    finally:
        book.close()
    if "survey" not in sheets:
        raise DefinitionError(["工作簿缺少survey表：XLSForm 的字段写在名为“survey”的工作表中。"])
    return sheets


def _save_to_in_repeats(survey: _Sheet) -> list[str]:
    column = survey.column(("save_to",))
    if column is None:
        return []
    errors: list[str] = []
    repeats: list[str] = []
    for number, row in survey.rows:
        head = (_type_words(row.get("type", "")) or [""])[0]
        if head in ("begin_repeat", "end_repeat"):
            repeats = [*repeats, row.get("name", "")] if head == "begin_repeat" else repeats[:-1]
        elif repeats and row.get(column, ""):
            errors.append(
                where("survey", number, column)
                + f"重复组“{repeats[-1]}”内的字段不能填写save_to：对象的属性只能来自重复组外的字段。"
            )
    return errors


def _rows(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows with any content and their numbers in the workbook."""
    for number, row in enumerate(rows, start=1):
        if any(_text(value) for value in row):
            yield number, row


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date typed into a cell, as a default
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _convert(data: bytes, sheets: dict[str, _Sheet]) -> tuple[str, list[str]]:
    """pyxform's XForm and its warnings in Chinese; its error in Chinese as a DefinitionError."""
    warnings: list[str] = []
    try:
        result = convert(xlsform=data, warnings=warnings, file_type=".xlsx")
    except PyXFormError as error:
        raise DefinitionError([translate(str(error), sheets)]) from None
    except Exception as error:  # pyxform fails with bare exceptions on some malformed workbooks
        raise DefinitionError([f"XLSForm 无法转换：{error}"]) from None
    found = dict.fromkeys([*warnings, *result.warnings])  # pyxform may give one twice; keep its order
    return result.xform, [translate(w, sheets, warning=True) for w in found]


# ---------------------------------------------------------------------------------------------------
# pyxform's messages in Chinese

_ROW = re.compile(r"^\s*\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"On the '(\w+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")
_QUOTED = re.compile(r"'([^']*)'")


def translate(message: str, sheets: dict[str, _Sheet] | None = None, *, warning: bool = False) -> str:
    """One pyxform error or warning in Chinese, naming sheet, row and column where it says them."""
    row_match = _ROW.match(message)
    row = int(row_match.group(1)) if row_match else 0
    body = message[row_match.end() :] if row_match else message
    sheet_match = _SHEET.search(body)
    sheet = sheet_match.group(1) if sheet_match else "survey"
    column_match = _COLUMN.search(body)
    column = column_match.group(1) if column_match else ""
    for pattern, make in _TRANSLATIONS:
        found = pattern.search(body)
        if found:
            column, text = make(found, column)
            if pattern is _NO_CHOICES:
                return text
            if pattern in _NAMES_TYPE and not row and sheets:
                row = _row_with(sheets, "survey", "type", found.group(1))
            if pattern in _NAMES_FIELD and not row and sheets:
                row = _row_with(sheets, "survey", "name", found.group(1))
            return where(sheet, row, column) + text
    # A message not met yet keeps pyxform's words, so that nothing it said is lost.
    return where(sheet, row, column) + ("XLSForm 提示：" if warning else "XLSForm 检查未通过：") + body


def where(sheet: str, row: int, column: str = "") -> str:
    """ "survey表第3行「name」列：" — the start of every message about a place in the workbook."""
    place = f"{sheet}表"
    if row:
        place += f"第{row}行"
    if column:
        place += f"「{column}」列"
    return place + "："


def _row_with(sheets: dict[str, _Sheet], sheet: str, column: str, value: str) -> int:
    found = sheets.get(sheet)
    if found is None:
        return 0
    return next((n for n, r in found.rows if r.get(column, "") == value), 0)


_UNKNOWN_TYPE = re.compile(r"Unknown question type '([^']*)'")
_NO_LABEL = re.compile(r"survey element named '([^']*)' has no label")
_GROUP_WORDS = {"begin_group": "分组", "begin_repeat": "重复组"}
_Translation = Callable[[re.Match[str], str], tuple[str, str]]
_NO_CHOICES = re.compile(r"There should be a choices sheet")
_NAMES_TYPE = (_UNKNOWN_TYPE,)
_NAMES_FIELD = (_NO_LABEL,)
_TRANSLATIONS: list[tuple[re.Pattern[str], _Translation]] = [
    (_UNKNOWN_TYPE, lambda m, c: ("type", f"未知的题型“{m.group(1)}”。")),
    (
        re.compile(r"must be unique within their nearest parent"),
        lambda m, c: ("name", "字段名重复：同一分组内的字段名不能相同。"),
    ),
    (
        re.compile(r"Names must begin with a letter or underscore"),
        lambda m, c: (
            c or "name",
            "名称无效：须以英文字母或下划线开头，其后只能是字母、数字、下划线、连字符或点。",
        ),
    ),
    (
        re.compile(r"List name not in choices sheet: (\S+)"),
        lambda m, c: ("type", f"选项列表“{m.group(1)}”在choices表中不存在。"),
    ),
    (
        re.compile(r"Could not find the name '([^']*)'"),
        lambda m, c: (c, f"引用的字段“{m.group(1)}”在survey表中不存在。"),
    ),
    (
        re.compile(r"Choice names must be unique"),
        lambda m, c: ("name", "选项名重复：同一选项列表中的选项名不能相同。"),
    ),
    (
        re.compile(r"Unmatched '(begin_\w+)'.*name '([^']*)'"),
        lambda m, c: (
            "type",
            f"{_GROUP_WORDS.get(m.group(1), '分组')}“{m.group(2)}”的{m.group(1)}没有对应的结束行"
            f"（{m.group(1).replace('begin', 'end')}）。",
        ),
    ),
    (
        re.compile(r"Unmatched '(end_\w+)'"),
        lambda m, c: ("type", f"{m.group(1)}前面没有对应的开始行（{m.group(1).replace('end', 'begin')}）。"),
    ),
    (
        re.compile(r"column names are invalid.*?: ('.*?')\. "),
        lambda m, c: ("", f"不支持的列名：{m.group(1)}。"),
    ),
    (
        re.compile(r"^Missing calculation"),
        lambda m, c: ("calculation", "calculate字段缺少计算式（calculation）。"),
    ),
    (
        _NO_CHOICES,
        lambda m, c: ("", "工作簿缺少choices表：选择题的选项写在choices表中（list_name、name、label三列）。"),
    ),
    (
        re.compile(r"Reference variables names must be unique anywhere.*The name '([^']*)'"),
        lambda m, c: (
            c,
            f"引用的字段名“{m.group(1)}”在survey表中出现了不止一次：被引用的字段名须在整个survey表中唯一。",
        ),
    ),
    (
        re.compile(r"Use the max-pixels parameter"),
        lambda m, c: (
            "parameters",
            "建议为照片填写 max-pixels 参数（如 max-pixels=1600），可加快提交并节省存储空间。",
        ),
    ),
    (
        _NO_LABEL,
        lambda m, c: ("label", f"字段“{m.group(1)}”缺少标签（label）。"),
    ),
    (
        re.compile(r"Choices should have a label"),
        lambda m, c: ("label", "选项缺少标签（label）。"),
    ),
    (
        re.compile(r"Question or group with no name"),
        lambda m, c: ("name", "缺少字段名（name）。"),
    ),
    (
        re.compile(r"save_to column, add an entities sheet"),
        lambda m, c: ("save_to", "填写了save_to，但工作簿没有entities表。"),
    ),
    (
        re.compile(r"must not be 'name' or 'label'"),
        lambda m, c: ("save_to", "save_to不能是name或label（不区分大小写）。"),
    ),
    (
        re.compile(r"does not have a label, but a 'label' is required"),
        lambda m, c: ("label", "物的台账须填写label（物的名称，如 ${lamp_no}）；工作记录须填写entity_id。"),
    ),
]


# ---------------------------------------------------------------------------------------------------
# The sheets read into a Definition


@dataclass
class _Reader:
    sheets: dict[str, _Sheet]
    xform: str
    warnings: list[str]
    errors: list[str] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)

    def definition(self) -> Definition:
        settings = self._settings()
        choices = self._choices()
        fields, self.repeats = self._fields(choices)
        zhenwu = self._zhenwu()
        entity = self._entities(settings["form_id"], zhenwu.get("kind", ("", 0))[0], fields)
        personal = self._personal(zhenwu, fields)
        fields = [replace(f, personal=True) if f.name in personal else f for f in fields]
        points_at, points_at_field = self._points_at(zhenwu, fields)
        identity = self._identity(zhenwu, zhenwu.get("kind", ("", 0))[0], fields)
        opens_case = self._opens_case(zhenwu, fields)
        section = self._section(zhenwu)
        patrol_days, patrol_form = self._patrol(zhenwu, entity.kind)
        figures = self._figures(zhenwu, [*fields, *(f for r in self.repeats for f in r.fields)])
        methods = self._methods(zhenwu, entity.kind, figures)
        readers, writers = self._roles(zhenwu, "readers"), self._roles(zhenwu, "writers")
        if self.errors:
            raise DefinitionError(self.errors)
        definition = Definition(
            form_id=settings["form_id"],
            title=settings.get("form_title") or settings["form_id"],
            version=settings.get("version", ""),
            fields=tuple(fields),
            kind=entity.kind,
            entity_list=entity.list_name,
            entity_label=entity.label,
            entity_id_field=entity.id_field,
            points_at=points_at,
            points_at_field=points_at_field,
            readers=readers,
            writers=writers,
            offices=_codes(zhenwu.get("offices", ("", 0))[0]),
            figures=tuple(figures),
            xform=self.xform,
            warnings=tuple(self.warnings),
            identity_field=identity,
            opens_case=opens_case,
            repeats=tuple(self.repeats),
            section=section,
            methods=tuple(methods),
            patrol_days=patrol_days,
            patrol_form=patrol_form,
        )
        self._check_expressions(definition)
        return definition

    # settings -----------------------------------------------------------------------------------

    def _settings(self) -> dict[str, str]:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            raise DefinitionError(["settings表：缺少form_id。请在settings表的form_id列填写台账的英文编号。"])
        for column in sheet.header:
            if column and column not in SETTINGS:
                self.errors.append(
                    where("settings", 1, column)
                    + f"不支持的设置“{column}”，可用的设置：{'、'.join(SETTINGS)}。"
                )
        number, values = sheet.rows[0]
        form_id = values.get("form_id", "")
        if not form_id:
            raise DefinitionError(
                [
                    where("settings", number, "form_id")
                    + "缺少form_id。请填写台账的英文编号，如 street_lamps。"
                ]
            )
        if not FORM_ID.fullmatch(form_id):
            self.errors.append(
                where("settings", number, "form_id")
                + f"form_id“{form_id}”无效：须以英文字母或下划线开头，"
                + "只含字母、数字、下划线或连字符，至多64个字符。"
            )
        version = values.get("version", "")
        if version and not VERSION.fullmatch(version):
            self.errors.append(
                where("settings", number, "version")
                + f"版本号“{version}”无效：只能含字母、数字、点、下划线或连字符，至多64个字符。"
            )
        if len(sheet.rows) > 1:
            self.errors.append(where("settings", sheet.rows[1][0]) + "settings表只能有一行设置。")
        return values

    # choices and survey -------------------------------------------------------------------------

    def _choices(self) -> dict[str, list[Choice]]:
        sheet = self.sheets.get("choices")
        lists: dict[str, list[Choice]] = {}
        if sheet is None:
            return lists
        label = _label_column(sheet, "label")
        for _number, row in sheet.rows:
            list_name = row.get("list_name") or row.get("list name", "")
            name = row.get("name", "")
            if name:  # pyxform refuses a choice without a name
                # A choice without a label (pyxform warns) is shown by its name.
                text = row.get(label, "") if label else ""
                lists.setdefault(list_name, []).append(Choice(name, text or name))
        return lists

    def _fields(self, choices: dict[str, list[Choice]]) -> tuple[list[Field], list[Repeat]]:
        """The fields outside repeats and the repeats with theirs, groups flattened into paths."""
        sheet = self.sheets["survey"]
        columns = _SurveyColumns.of(sheet)
        groups: list[tuple[str, str]] = []  # (name, relevant)
        fields: list[Field] = []
        repeats: list[Repeat] = []
        repeat: _OpenRepeat | None = None
        nested = 0  # repeats opened inside the open one (refused), to find the end_repeat that closes it
        for number, row in sheet.rows:
            words = _type_words(row.get("type", ""))
            if not words:
                continue
            head = words[0]
            if head == "begin_group":
                groups.append((row.get("name", ""), row.get(columns.relevant or "", "")))
                continue
            if head == "end_group":
                if groups and (repeat is None or len(groups) > repeat.depth):
                    groups.pop()
                continue
            if head == "begin_repeat":
                if repeat is not None:
                    nested += 1
                    self.errors.append(
                        where("survey", number, "type")
                        + f"台账暂不支持重复组嵌套：重复组“{row.get('name', '')}”"
                        f"在重复组“{repeat.name}”之内，请把它移到外面，或改为普通分组（begin_group）。"
                    )
                    continue
                repeat = self._open_repeat(number, row, columns, groups)
                continue
            if head == "end_repeat":
                if nested:
                    nested -= 1
                elif repeat is not None:
                    repeats.append(repeat.closed())
                    del groups[repeat.depth :]
                    repeat = None
                continue
            if nested:
                continue
            inner = groups[repeat.depth :] if repeat is not None else groups
            made = self._field(number, row, words, columns, choices, inner)
            if made is None:
                continue
            if repeat is None:
                fields.append(made)
            elif self._fits_repeat(made, repeat.name, columns):
                repeat.fields.append(replace(made, repeat=repeat.name))
        self._check_unique(fields, repeats)
        if not fields and not repeats and not self.errors:
            self.errors.append("survey表：没有字段。请在survey表中每行写一个字段（type、name、label）。")
        return fields, repeats

    def _open_repeat(
        self, number: int, row: dict[str, str], columns: _SurveyColumns, groups: list[tuple[str, str]]
    ) -> _OpenRepeat:
        if row.get("repeat_count", ""):
            self.errors.append(
                where("survey", number, "repeat_count")
                + "台账暂不支持repeat_count（固定的重复次数）：请清空此格，由填报人逐项添加。"
            )
        return _OpenRepeat(
            name=row.get("name", ""),
            label=row.get(columns.label or "", ""),
            hint=row.get(columns.hint or "", ""),
            relevant=_joined([g[1] for g in groups] + [row.get(columns.relevant or "", "")]),
            group="/".join(g[0] for g in groups),
            row=number,
            depth=len(groups),
        )

    def _fits_repeat(self, made: Field, repeat: str, columns: _SurveyColumns) -> bool:
        """What a field inside a repeat may not be: a photo, or a property a thing keeps."""
        if made.type == "image":
            self.errors.append(
                where("survey", made.row, "type")
                + f"重复组“{repeat}”内暂不支持照片（image）：请把照片字段放在重复组外。"
            )
            return False
        if made.save_to:
            self.errors.append(
                where("survey", made.row, columns.save_to or "save_to")
                + f"重复组“{repeat}”内的字段不能填写save_to：对象的属性只能来自重复组外的字段。"
            )
            return False
        return True

    def _check_unique(self, fields: list[Field], repeats: list[Repeat]) -> None:
        """A record holds its values by field name (a repeat's rows under the repeat's name), so a name may
        be used once in the whole form."""
        named = [(f.name, f.row) for f in fields]
        named += [(r.name, r.row) for r in repeats] + [(f.name, f.row) for r in repeats for f in r.fields]
        first: dict[str, int] = {}
        for name, row in sorted(named, key=lambda pair: pair[1]):
            if name in first:
                self.errors.append(
                    where("survey", row, "name")
                    + f"字段名“{name}”与第{first[name]}行重复："
                    + "台账的字段名须在整个survey表中唯一，分组不同也不行。"
                )
            first.setdefault(name, row)

    def _in_repeat(self, name: str) -> str:
        """The repeat holding the field `name`, or "": settings that name a field want one outside."""
        return next((r.name for r in self.repeats for f in r.fields if f.name == name), "")

    def _missing(self, key: str, name: str) -> str:
        """Why the zhenwu sheet's `key` cannot name `name`: no such field, or one inside a repeat."""
        repeat = self._in_repeat(name)
        if repeat:
            return f"{key}中的字段“{name}”在重复组“{repeat}”内：须是重复组外的字段（每条记录只有一个值）。"
        return f"{key}中的字段“{name}”在survey表中不存在。"

    def _field(
        self,
        number: int,
        row: dict[str, str],
        words: list[str],
        columns: _SurveyColumns,
        choices: dict[str, list[Choice]],
        groups: list[tuple[str, str]],
    ) -> Field | None:
        head = words[0]
        kind = TYPE_ALIASES.get(head, head)
        options: tuple[Choice, ...] = ()
        if kind in ("select_one", "select_multiple"):
            if len(words) != 2:
                self.errors.append(
                    where("survey", number, "type") + f"题型“{row['type']}”须写作“{kind} 选项列表名”。"
                )
                return None
            options = tuple(choices.get(words[1], ()))
        elif kind not in FIELD_TYPES or len(words) != 1:
            self.errors.append(
                where("survey", number, "type") + f"台账暂不支持题型“{row['type']}”，"
                f"可用的题型：{'、'.join(FIELD_TYPES)}、begin_group、begin_repeat。"
            )
            return None
        required = self._flag(number, row, columns.required, "required")
        read_only = self._flag(number, row, columns.read_only, "read_only")
        relevant = _joined([g[1] for g in groups] + [row.get(columns.relevant or "", "")])
        return Field(
            name=row.get("name", ""),
            type=kind,
            label=row.get(columns.label or "", ""),
            hint=row.get(columns.hint or "", ""),
            required=required,
            required_message=row.get(columns.required_message or "", ""),
            constraint=row.get("constraint", ""),
            constraint_message=row.get(columns.constraint_message or "", ""),
            relevant=relevant,
            default=row.get("default", ""),
            read_only=read_only,
            calculation=row.get(columns.calculation or "", ""),
            choices=options,
            group="/".join(g[0] for g in groups),
            save_to=row.get(columns.save_to or "", ""),
            personal=False,
            row=number,
        )

    def _flag(self, number: int, row: dict[str, str], column: str | None, name: str) -> bool:
        value = row.get(column or "", "")
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() not in FALSE_WORDS:
            self.errors.append(
                where("survey", number, column or name)
                + f"“{value}”无效：请填 yes 或留空（台账暂不支持按条件{_FLAG_WORDS[name]}）。"
            )
        return False

    # entities and zhenwu sheets -------------------------------------------------------------------

    def _zhenwu(self) -> dict[str, tuple[str, int]]:
        """The zhenwu sheet's key -> (value, row)."""
        sheet = self.sheets.get("zhenwu")
        settings: dict[str, tuple[str, int]] = {}
        if sheet is None:
            return settings
        if "key" not in sheet.header or "value" not in sheet.header:
            self.errors.append(where("zhenwu", 1) + "zhenwu表的第一行须是两列的列名：key 和 value。")
            return settings
        for number, row in sheet.rows:
            key, value = row.get("key", ""), row.get("value", "")
            if key not in ZHENWU_KEYS and not key.startswith(("figure:", "methods:")):
                self.errors.append(
                    where("zhenwu", number, "key")
                    + f"未知的设置“{key}”，可用的设置：{'、'.join(ZHENWU_KEYS)}、"
                    "figure:指标名、methods:句式名。"
                )
                continue
            if key in settings:
                self.errors.append(where("zhenwu", number, "key") + f"设置“{key}”重复。")
                continue
            settings[key] = (value, number)
        kind, number = settings.get("kind", ("", 0))
        if kind and kind not in KINDS:
            self.errors.append(
                where("zhenwu", number, "value")
                + f"kind“{kind}”无效：请填 thing（物的台账）或 activity（工作记录）。"
            )
        return settings

    def _entities(self, form_id: str, kind: str, fields: list[Field]) -> _Entity:
        sheet = self.sheets.get("entities")
        if sheet is None or not sheet.rows:
            if kind == "thing":
                self.errors.append(
                    "entities表：物的台账（kind = thing）须有entities表，"
                    "list_name填本台账的form_id，label填物的名称。"
                )
            if any(f.save_to for f in fields):
                first = next(f.row for f in fields if f.save_to)
                self.errors.append(
                    where("survey", first, "save_to") + "填写了save_to，但工作簿没有entities表。"
                )
            return _Entity("activity", "", "", "")
        number, row = sheet.rows[0]
        list_name, label, entity_id = row.get("list_name", ""), row.get("label", ""), row.get("entity_id", "")
        is_thing = list_name == form_id
        if kind == "thing" and not is_thing:
            self.errors.append(
                where("entities", number, "list_name")
                + f"物的台账的list_name须是本台账的form_id“{form_id}”。"
            )
        if kind == "activity" and is_thing:
            self.errors.append(
                where("entities", number, "list_name")
                + "工作记录（kind = activity）的list_name须是它所更新的物的台账的form_id，不能是自己的。"
            )
        if (kind or ("thing" if is_thing else "activity")) == "thing":
            if not label:
                self.errors.append(
                    where("entities", number, "label") + "物的台账须填写label（物的名称，如 ${lamp_no}）。"
                )
            return _Entity("thing", list_name, label, "")
        id_field = ""
        if entity_id:
            found = REFERENCE.fullmatch(entity_id.strip())
            if found is None:
                self.errors.append(
                    where("entities", number, "entity_id")
                    + "entity_id须写作 ${字段名}，指向记录所更新之物的字段。"
                )
            else:
                id_field = found.group(1).strip()
        return _Entity("activity", list_name, label, id_field)

    def _personal(self, zhenwu: dict[str, tuple[str, int]], fields: list[Field]) -> set[str]:
        value, number = zhenwu.get("personal", ("", 0))
        names = set(_codes(value))
        known = {f.name for f in fields}
        for name in sorted(names - known):
            self.errors.append(where("zhenwu", number, "value") + self._missing("personal", name))
        return names & known

    def _identity(self, zhenwu: dict[str, tuple[str, int]], kind: str, fields: list[Field]) -> str:
        name, number = zhenwu.get("identity", ("", 0))
        name = _bare_name(name)
        if not name:
            return ""
        found = {f.name: f for f in fields}.get(name)
        if kind == "activity":
            self.errors.append(
                where("zhenwu", number, "value") + "只有对象台账(kind=thing)才能设置identity。"
            )
        elif found is None:
            self.errors.append(where("zhenwu", number, "value") + self._missing("identity", name))
        elif found.type not in ("text", "integer") or not found.required:
            self.errors.append(
                where("zhenwu", number, "value")
                + f"identity字段“{name}”应为必填的text或integer字段：它是每个对象的编号。"
            )
        return name

    def _opens_case(self, zhenwu: dict[str, tuple[str, int]], fields: list[Field]) -> str:
        code, number = zhenwu.get("opens_case", ("", 0))
        code = code.strip()
        if code and f"{code}_case_description" not in {f.name for f in fields}:
            self.errors.append(
                where("zhenwu", number, "value")
                + f"opens_case“{code}”须有字段“{code}_case_description”(事件内容)，记录填了它才开立事件。"
            )
        return code

    def _section(self, zhenwu: dict[str, tuple[str, int]]) -> str:
        section, number = zhenwu.get("section", ("", 0))
        section = section.strip()
        by_name = {name: code for code, name in SECTIONS.items()}
        section = by_name.get(section, section)
        if section and section not in SECTIONS:
            choices = "、".join(f"{code}（{name}）" for code, name in SECTIONS.items())
            self.errors.append(
                where("zhenwu", number, "value") + f"section“{section}”无效，可选：{choices}。"
            )
            return ""
        return section

    def _patrol(self, zhenwu: dict[str, tuple[str, int]], kind: str) -> tuple[int, str]:
        """`patrol_days`: "30 | lamp_patrol", the days within which each thing must be patrolled and the
        form_id of the activity register whose records are its patrols."""
        value, number = zhenwu.get("patrol_days", ("", 0))
        if not value.strip():
            return 0, ""
        at = where("zhenwu", number, "value")
        days, _, form = (part.strip() for part in value.partition("|"))
        if kind != "thing":
            self.errors.append(
                at + "patrol_days只用于物的台账（kind = thing）：写明每个对象多少天内须巡查一次。"
            )
        elif not days.isdigit() or not 1 <= int(days) <= MAX_PATROL_DAYS:
            self.errors.append(
                at + f"patrol_days的天数“{days}”无效：应为1到{MAX_PATROL_DAYS}的整数，如 30 | lamp_patrol。"
            )
        elif not FORM_ID.fullmatch(form):
            self.errors.append(
                at + "patrol_days须写明巡查记录台账的form_id：天数 | form_id，如 30 | lamp_patrol。"
            )
        else:
            return int(days), form
        return 0, ""

    def _points_at(self, zhenwu: dict[str, tuple[str, int]], fields: list[Field]) -> tuple[str, str]:
        points_at, number = zhenwu.get("points_at", ("", 0))
        target, target_row = zhenwu.get("points_at_field", ("", 0))
        target = _bare_name(target)
        if points_at and points_at not in POINTS_AT:
            self.errors.append(
                where("zhenwu", number, "value")
                + f"points_at“{points_at}”无效：可填 household、member、project 或 case。"
            )
        if points_at and not target:
            self.errors.append(
                where("zhenwu", number, "value") + "填写了points_at，还须填写points_at_field。"
            )
        if target and target not in {f.name for f in fields}:
            self.errors.append(
                where("zhenwu", target_row, "value") + self._missing("points_at_field", target)
            )
        if target and not points_at:
            self.errors.append(
                where("zhenwu", target_row, "value") + "填写了points_at_field，还须填写points_at。"
            )
        return points_at, target

    def _roles(self, zhenwu: dict[str, tuple[str, int]], key: str) -> tuple[str, ...]:
        value, number = zhenwu.get(key, ("", 0))
        roles = _codes(value)
        for role in roles:
            if role not in ROLE_CODES:
                self.errors.append(
                    where("zhenwu", number, "value")
                    + f"{key}中的角色“{role}”不存在，可用的角色：{'、'.join(ROLE_CODES)}。"
                )
        return roles

    def _figures(self, zhenwu: dict[str, tuple[str, int]], fields: list[Field]) -> list[FigureSpec]:
        by_name = {f.name: f for f in fields}
        figures: list[FigureSpec] = []
        for key, (value, number) in zhenwu.items():
            if not key.startswith("figure:"):
                continue
            made = self._figure(key.removeprefix("figure:").strip(), value, number, by_name, figures)
            if made is not None:
                figures.append(made)
        return figures

    def _figure(
        self, name: str, value: str, number: int, by_name: dict[str, Field], above: list[FigureSpec]
    ) -> FigureSpec | None:
        at = where("zhenwu", number, "value")
        parts = [p.strip() for p in value.split("|")]
        if not name or len(parts) not in (5, 6):
            self.errors.append(
                at + "指标须写作“名称 | 统计方式 | 字段 | 筛选条件 | 单位”（共5段，可留空），"
                f"零值也要报告的指标可加第6段“{ZERO_FLAG}”。"
            )
            return None
        label, aggregate, target, condition, unit = parts[:5]
        flag = parts[5] if len(parts) == 6 else ""
        if flag not in ("", ZERO_FLAG):
            self.errors.append(at + f"指标“{name}”的第6段“{flag}”无效：只能填“{ZERO_FLAG}”或留空。")
            return None
        if aggregate == "ratio":
            return self._ratio(name, label, target, condition, unit, flag == ZERO_FLAG, at, above)
        target = _bare_name(target)
        if aggregate not in AGGREGATES:
            self.errors.append(at + f"统计方式“{aggregate}”无效：可填 count、sum、avg、distinct 或 ratio。")
            return None
        if aggregate != "count" and not target:
            self.errors.append(at + f"统计方式 {aggregate} 须填写字段。")
            return None
        if target and target not in by_name:
            self.errors.append(at + f"指标“{name}”的字段“{target}”在survey表中不存在。")
            return None
        if aggregate in ("sum", "avg") and by_name[target].type not in ("integer", "decimal"):
            self.errors.append(at + f"指标“{name}”求和或平均的字段“{target}”须是数字（integer 或 decimal）。")
            return None
        if target and by_name[target].repeat and aggregate not in ("sum", "avg"):
            self.errors.append(
                at + f"指标“{name}”的字段“{target}”在重复组“{by_name[target].repeat}”内："
                "重复组内的字段只能求和（sum）或平均（avg），按每一项计算。"
            )
            return None
        return FigureSpec(name, label or name, aggregate, target, condition, unit, flag == ZERO_FLAG)

    def _ratio(
        self,
        name: str,
        label: str,
        numerator: str,
        denominator: str,
        unit: str,
        zero: bool,
        at: str,
        above: list[FigureSpec],
    ) -> FigureSpec | None:
        """`名称 | ratio | 分子 | 分母 | %`: one figure as a share of another, each a figure declared above
        it (not a ratio) or one less another, all of one unit:
        化解债务 | ratio | locked - balance | locked | %."""
        declared = {f.name: f for f in above if f.aggregate != "ratio"}
        names = []
        for words, term in (("分子", numerator), ("分母", denominator)):
            found = RATIO_TERM.match(term)
            if found is None:
                self.errors.append(
                    at + f"指标“{name}”的{words}“{term}”无效：须填写上方已设置的一个指标名，"
                    "或两个指标名相减（如 locked - balance）。"
                )
                return None
            for part in filter(None, found.groups()):
                if part not in declared:
                    known = "、".join(declared) or "无"
                    self.errors.append(
                        at + f"指标“{name}”的{words}引用的指标“{part}”未在其上方设置（不能引用比率指标），"
                        f"可用的指标：{known}。"
                    )
                    return None
                names.append(part)
        units = sorted({declared[n].unit for n in names})
        if len(units) > 1:
            self.errors.append(at + f"指标“{name}”的分子和分母须是同一单位的指标，现为：{'、'.join(units)}。")
            return None
        if unit not in ("", "%"):
            self.errors.append(at + f"比率指标“{name}”的单位须是“%”或留空。")
            return None
        return FigureSpec(name, label or name, "ratio", "", "", "%", zero, numerator, denominator)

    def _methods(
        self, zhenwu: dict[str, tuple[str, int]], kind: str, figures: list[FigureSpec]
    ) -> list[MethodSpec]:
        """`methods:<name>` rows: `work | sentence`, the sentence naming the register's figures in braces."""
        names = [f.name for f in figures]
        methods = []
        for key, (value, number) in zhenwu.items():
            if not key.startswith("methods:"):
                continue
            made = self._method(key.removeprefix("methods:").strip(), value, number, kind, names)
            if made is not None:
                methods.append(made)
        return methods

    def _method(self, name: str, value: str, number: int, kind: str, names: list[str]) -> MethodSpec | None:
        at = where("zhenwu", number, "value")
        parts = [p.strip() for p in value.split("|")]
        if not name or len(parts) > 3 or not parts[-1]:
            self.errors.append(
                at + "主要做法句式须写作“工作 | 筛选条件 | 句式”（工作和筛选条件可省略），"
                "如：安全生产 | ${place_type} = 'hazchem' | 检查危化场所{inspections}。"
            )
            return None
        if kind != "activity":
            self.errors.append(
                at + "只有工作记录台账（kind = activity）才能设置主要做法句式：句式写开展的工作。"
            )
            return None
        work, condition, template = {1: ("", "", parts[0]), 2: (parts[0], "", parts[-1])}.get(
            len(parts), parts
        )
        named = METHOD_FIGURE.findall(template)
        bare = METHOD_FIGURE.sub("", template)
        if "{" in bare or "}" in bare:
            self.errors.append(at + f"句式“{name}”的花括号须成对，括号内只写指标名，如 {{inspections}}。")
            return None
        if not named:
            self.errors.append(
                at + f"句式“{name}”须至少引用一个指标，如 {{inspections}}：主要做法写有数字的工作。"
            )
            return None
        unknown = [n for n in named if n not in names]
        if unknown:
            known = "、".join(names) or "（本台账未设置指标）"
            self.errors.append(
                at
                + f"句式“{name}”引用的指标“{unknown[0]}”未设置（figure:{unknown[0]}），可用的指标：{known}。"
            )
            return None
        return MethodSpec(name, work, template, condition)

    # expressions ----------------------------------------------------------------------------------

    def _check_expressions(self, definition: Definition) -> None:
        """Every expression compiled and run once on an empty record, so a broken one is refused now."""
        from zhenwu.registers.expressions import expression_error

        names = set(definition.any_field) | set(definition.repeats_by_name)
        for repeat in definition.repeats:
            problem = repeat.relevant and (
                _reference_error(repeat.relevant, names) or expression_error(repeat.relevant, definition)
            )
            if problem:
                self.errors.append(where("survey", repeat.row, "relevant") + problem)
        for f in definition.all_fields:
            for column, text in (
                ("constraint", f.constraint),
                ("relevant", f.relevant),
                ("calculation", f.calculation),
                ("default", f.default if is_dynamic_default(f.default) else ""),
            ):
                if text:
                    problem = _reference_error(text, names) or expression_error(text, definition, f.name)
                    if problem:
                        self.errors.append(where("survey", f.row, column) + problem)
        if definition.entity_label:
            problem = _reference_error(definition.entity_label, names) or expression_error(
                definition.entity_label, definition
            )
            if problem:
                row = self.sheets["entities"].rows[0][0]
                self.errors.append(where("entities", row, "label") + problem)
        for figure in definition.figures:
            if figure.filter:
                problem = _reference_error(figure.filter, names) or expression_error(
                    figure.filter, definition
                )
                if problem:
                    row = self._zhenwu_row(f"figure:{figure.name}")
                    self.errors.append(
                        where("zhenwu", row, "value") + f"指标“{figure.name}”的筛选条件{problem}"
                    )
        for method in definition.methods:
            if method.filter:
                problem = _reference_error(method.filter, names) or expression_error(
                    method.filter, definition
                )
                if problem:
                    row = self._zhenwu_row(f"methods:{method.name}")
                    self.errors.append(
                        where("zhenwu", row, "value") + f"句式“{method.name}”的筛选条件{problem}"
                    )
        if self.errors:
            raise DefinitionError(self.errors)

    def _zhenwu_row(self, key: str) -> int:
        return _row_with(self.sheets, "zhenwu", "key", key)


@dataclass
class _OpenRepeat:
    """A repeat whose end_repeat is not read yet."""

    name: str
    label: str
    hint: str
    relevant: str
    group: str
    row: int
    depth: int  # how many groups were open around it
    fields: list[Field] = field(default_factory=list)

    def closed(self) -> Repeat:
        return Repeat(
            self.name, self.label, self.hint, self.relevant, self.group, tuple(self.fields), self.row
        )


@dataclass(frozen=True)
class _Entity:
    kind: str
    list_name: str
    label: str
    id_field: str


@dataclass(frozen=True)
class _SurveyColumns:
    label: str | None
    hint: str | None
    required: str | None
    required_message: str | None
    constraint_message: str | None
    relevant: str | None
    read_only: str | None
    calculation: str | None
    save_to: str | None

    @classmethod
    def of(cls, sheet: _Sheet) -> _SurveyColumns:
        return cls(
            label=_label_column(sheet, "label"),
            hint=_label_column(sheet, "hint"),
            required=sheet.column(("required",)),
            required_message=_label_column(sheet, "required_message")
            or _label_column(sheet, "jr:requiredmsg"),
            constraint_message=_label_column(sheet, "constraint_message")
            or _label_column(sheet, "jr:constraintmsg")
            or _label_column(sheet, "constraint_msg"),
            relevant=sheet.column(("relevant", "relevance")),
            read_only=sheet.column(("read_only", "readonly")),
            calculation=sheet.column(("calculation", "calculate")),
            save_to=sheet.column(("save_to",)),
        )


def _label_column(sheet: _Sheet, base: str) -> str | None:
    """The column of `base` to read: a Chinese `base::中文 (zh)` column, else plain `base`, else the first."""
    columns = [c for c in sheet.header if c == base or c.startswith(base + "::")]
    for column in columns:
        language = column.partition("::")[2]
        if any(mark in language for mark in ("zh", "chinese", "中文")):
            return column
    if base in columns:
        return base
    return columns[0] if columns else None


def _type_words(text: str) -> list[str]:
    """`select one yn` and `begin group` as XLSForm allows them, in their underscore spelling."""
    words = text.split()
    if (
        len(words) >= 2
        and words[0] in ("select", "begin", "end")
        and words[1] in ("one", "multiple", "group", "repeat")
    ):
        words = [f"{words[0]}_{words[1]}", *words[2:]]
    return words


def _joined(conditions: list[str]) -> str:
    present = [c for c in conditions if c]
    if len(present) <= 1:
        return present[0] if present else ""
    return " and ".join(f"({c})" for c in present)


def _codes(text: str) -> tuple[str, ...]:
    """Comma-separated codes; a Chinese comma or 、 counts as one."""
    return tuple(c.strip() for c in re.split(r"[,，、]", text) if c.strip())


def _bare_name(text: str) -> str:
    found = REFERENCE.fullmatch(text.strip())
    return found.group(1).strip() if found else text.strip()


def _reference_error(text: str, names: set[str]) -> str:
    for name in REFERENCE.findall(text):
        if name.strip() not in names:
            return f"引用的字段“{name}”在survey表中不存在。"
    return ""


def is_dynamic_default(default: str) -> bool:
    """A default that is an expression (today(), ${a} + 1) rather than a literal value."""
    return "${" in default or "(" in default
