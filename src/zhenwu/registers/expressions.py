"""XLSForm expressions (constraint, relevant, calculation, default) evaluated over a record.

A record is turned into the instance an XForm client would hold — `<data><field>value</field>…</data>`,
groups nested as in the XForm, each row of a repeat one element of the repeat's name — and the expression,
with each `${name}` replaced by its field's path, is evaluated there by elementpath, a maintained XPath
engine. As pyxform writes them, `${name}` of a field in the same repeat as the expression's own field
is the relative path to it in the same row (`../qty`), and any other `${name}` the absolute path, so
that `sum(${qty})` and `count(${outputs})` outside a repeat read every row. The XForm functions
XLSForm uses and XPath lacks (selected, count-selected, today, regex, if, coalesce, int, position,
indexed-repeat, …) are registered on the parser.

Two things follow XPath 1.0 and ODK rather than XPath 2.0: a comparison with an empty or non-numeric
value is false instead of an error (`${age} > 18` while age is blank), and dates compare as dates
(`. <= today()`), as ODK Collect compares them.

Pure: no Django.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator, Mapping
from copy import copy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import elementpath
from elementpath import XPath2Parser, XPathContext, XPathNode, get_node_tree
from elementpath.datatypes import AbstractDateTime, UntypedAtomic

from zhenwu.registers.definition import Field, repeat_key, row_words

if TYPE_CHECKING:
    from zhenwu.registers.definition import Definition, Repeat

ROOT = "data"
XFORMS_NAMESPACE = "urn:zhenwu:xforms"
TIMEZONE = ZoneInfo("Asia/Shanghai")
REFERENCE = re.compile(r"\$\{\s*([^}\s]*)\s*\}")
# String literals are left as written when names are rewritten.
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
# XForm functions whose names XPath 2.0 reserves or defines differently: called under our prefix.
RENAMED = re.compile(r"(?<![\w:.-])(if|round|indexed-repeat)\s*\(")
# ODK's position(node) (a repeat row's number), not XPath's position() of the focus.
POSITION_OF = re.compile(r"(?<![\w:.-])position\s*\((?=\s*[^\s)])")
TODAY_CALL = re.compile(r"(?<![\w:.-])today\s*\(\s*\)")
RENAMED_TO = {"if": "cond", "round": "round", "indexed-repeat": "indexed-repeat"}
TOP = -1  # the row of a field outside any repeat
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EPOCH = date(1970, 1, 1)


class ExpressionError(Exception):
    """An expression that cannot be read or evaluated; the message is for the township admin."""


# ---------------------------------------------------------------------------------------------------
# The public functions


def evaluate(
    expression: str,
    values: Mapping[str, object],
    definition: Definition,
    *,
    current: str | None = None,
    today: date | None = None,
) -> object:
    """The value of `expression` on the record `values`; `.` is the field `current`.

    The result is a Python value: str, bool, int/float/Decimal; a node-set gives its first node's text
    ("" when empty). Raises ExpressionError when the expression cannot be evaluated.
    """
    return _Record(definition, values, today).evaluate(expression, current)


def is_true(
    expression: str,
    values: Mapping[str, object],
    definition: Definition,
    *,
    current: str | None = None,
    today: date | None = None,
) -> bool:
    """Whether `expression` holds, with XPath's boolean(); an empty expression holds."""
    return _Record(definition, values, today).is_true(expression, current)


def computed_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, object]:
    """The record's values with defaults filled in (for fields not given) and every calculation made.

    Values of names that are not fields are dropped; a repeat's rows are a list of such dicts under
    the repeat's name. A calculation that cannot be evaluated gives "".
    """
    return _Record(definition, values, today).computed()


def relevant_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, object]:
    """The computed values of the fields that are relevant: what a record keeps when it is saved.

    A repeat that is not relevant keeps no rows; a repeat without rows is left out, as a blank field is.
    """
    record = _Record(definition, values, today)
    result = record.computed()
    kept: dict[str, object] = {}
    for item in definition.items():
        if item.name not in result:
            continue
        if isinstance(item, Field):
            if item.type != "note" and record.relevant(item, TOP):
                kept[item.name] = result[item.name]
            continue
        rows = [
            {
                f.name: row[f.name]
                for f in item.fields
                if f.type != "note" and f.name in row and record.relevant(f, index)
            }
            for index, row in enumerate(record.rows.get(item.name, []))
            if record.row_relevant(item, index)
        ]
        if rows:
            kept[item.name] = rows
    return kept


def check_record(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, str]:
    """Field name -> what is wrong with it, in Chinese; empty when the record may be saved.

    A field of a repeat's row is named by `repeat_key` ("outputs-1-qty"), its message naming the repeat,
    the row and the field ("产出第2项「数量」：…"). Calculations and defaults are made first. Fields that
    are not relevant are not checked (they are cleared when the record is saved). Never raises: an
    expression that fails is reported on its field.
    """
    record = _Record(definition, values, today)
    result = record.computed()
    errors: dict[str, str] = {}
    for f in definition.fields:
        problem = record.checked(f, TOP, result.get(f.name))
        if problem:
            errors[f.name] = problem
    for repeat in definition.repeats:
        for index, row in enumerate(record.rows.get(repeat.name, [])):
            try:
                if not record.row_relevant(repeat, index):
                    continue
            except ExpressionError as error:
                errors[repeat.name] = f"无法检查「{repeat.title}」：{error}"
                break
            for f in repeat.fields:
                problem = record.checked(f, index, row.get(f.name))
                if problem:
                    errors[repeat_key(repeat.name, index, f.name)] = (
                        f"{row_words(repeat, index, f)}：{problem}"
                    )
    return errors


def rows_where(
    expression: str,
    values: Mapping[str, object],
    definition: Definition,
    field: str,
    today: date | None = None,
) -> list[dict[str, object]]:
    """The computed rows of the repeat holding `field` in which `expression` holds, read in each row:
    `.` is the row's `field` and `${sibling}` the same row's sibling (figures sum a repeat's field so)."""
    record = _Record(definition, values, today)
    record.computed()
    repeat = definition.any_field[field].repeat
    return [
        row
        for index, row in enumerate(record.rows.get(repeat, []))
        if record.row_relevant(definition.repeats_by_name[repeat], index)
        and record.is_true(expression, field, index)
    ]


def expression_error(expression: str, definition: Definition, current: str | None = None) -> str:
    """What is wrong with `expression` (in Chinese, to follow a sheet/row/column), or "" if nothing.

    It is compiled and evaluated once on an empty record, as when a form is first opened (with one
    empty row in the repeat of `current`, when it lies in one).
    """
    found = definition.any_field.get(current or "")
    values: dict[str, object] = {found.repeat: [{}]} if found is not None and found.repeat else {}
    try:
        _Record(definition, values, None).evaluate(expression, current, 0 if values else TOP)
    except ExpressionError as error:
        return str(error)
    return ""


# ---------------------------------------------------------------------------------------------------
# The instance


def build_instance(definition: Definition, values: Mapping[str, object]) -> ElementTree.Element:
    """`<data>` with an element per field (groups nested), holding the value as the XForm would, and an
    element of the repeat's name per row of a repeat, holding that row's fields."""
    root = ElementTree.Element(ROOT)
    groups: dict[str, ElementTree.Element] = {"": root}
    for item in definition.items():
        parent = _group_element(groups, item.group)
        if isinstance(item, Field):
            ElementTree.SubElement(parent, item.name).text = to_text(values.get(item.name))
            continue
        for row in repeat_rows(values.get(item.name)):
            instance = ElementTree.SubElement(parent, item.name)
            inner: dict[str, ElementTree.Element] = {"": instance}
            for f in item.fields:
                ElementTree.SubElement(_group_element(inner, f.group), f.name).text = to_text(row.get(f.name))
    return root


def repeat_rows(value: object) -> list[Mapping[str, object]]:
    """A repeat's value as a list of rows; anything that is not a list of mappings gives no rows (the
    server refuses it before it gets here)."""
    if not isinstance(value, list | tuple):
        return []
    return [row for row in value if isinstance(row, Mapping)]


def _group_element(groups: dict[str, ElementTree.Element], path: str) -> ElementTree.Element:
    if path in groups:
        return groups[path]
    parent_path, _, name = path.rpartition("/")
    element = ElementTree.SubElement(_group_element(groups, parent_path), name)
    groups[path] = element
    return element


def to_text(value: object) -> str:
    """A value as an XForm instance holds it: select_multiple space-separated, dates ISO, numbers plain."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal) and not value.is_finite():
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(to_text(v) for v in value)
    if isinstance(value, XPathNode):
        return str(value.string_value)
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Evaluation

# A field's place in the record: its name and its repeat row (TOP outside any repeat).
Place = tuple[str, int]


class _Record:
    """One record as an XForm instance, its XPath node tree built once and its values changed in place.

    elementpath reads an element's text when it evaluates, so a calculation written into the instance
    is seen by the expressions after it without building the tree again.
    """

    def __init__(self, definition: Definition, values: Mapping[str, object], today: date | None) -> None:
        self.definition = definition
        self.values = {f.name: values[f.name] for f in definition.fields if f.name in values}
        # Each repeat's rows, each holding its own fields' values only.
        self.rows: dict[str, list[dict[str, object]]] = {
            r.name: [
                {f.name: row[f.name] for f in r.fields if f.name in row}
                for row in repeat_rows(values.get(r.name))
            ]
            for r in definition.repeats
        }
        self.today = (today or _today()).isoformat()
        self.root = build_instance(definition, {**self.values, **self.rows})
        self.tree = get_node_tree(self.root)
        nodes = {id(getattr(node, "elem", None)): node for node in self.tree.iter()}
        self.elements: dict[Place, ElementTree.Element] = {}
        self.nodes: dict[Place, Any] = {}  # a field's place -> its node, the `.` of its expressions
        self.instances: dict[Place, Any] = {}  # (repeat, row) -> the row's node, where its relevant is read
        for f in definition.fields:
            self._keep((f.name, TOP), self.root.find(f.path), nodes)
        for repeat in definition.repeats:
            for index, instance in enumerate(self.root.findall(repeat.path)):
                self.instances[(repeat.name, index)] = nodes.get(id(instance))
                for f in repeat.fields:
                    self._keep((f.name, index), instance.find(f.path), nodes)

    def _keep(self, place: Place, element: ElementTree.Element | None, nodes: dict[int, Any]) -> None:
        if element is not None:
            self.elements[place] = element
            self.nodes[place] = nodes.get(id(element))

    def _places(self) -> Iterator[tuple[Field, int, dict[str, object]]]:
        """Every field in survey order with its row and the dict holding its value, a repeat's field
        once per row."""
        for item in self.definition.items():
            if isinstance(item, Field):
                yield item, TOP, self.values
                continue
            for index, row in enumerate(self.rows.get(item.name, [])):
                for f in item.fields:
                    yield f, index, row

    def set(self, name: str, value: object, row: int = TOP) -> None:
        (self.values if row == TOP else self.rows[self.definition.any_field[name].repeat][row])[name] = value
        self.elements[(name, row)].text = to_text(value)

    def computed(self) -> dict[str, object]:
        """Defaults for fields not given, then calculations in survey order, twice, so that a
        calculation may use one further down."""
        for f, row, held in self._places():
            if f.name not in held and f.default and not f.calculation:
                self.set(f.name, self._default(f, row), row)
        for _ in range(2):
            for f, row, _held in self._places():
                if f.calculation:
                    try:
                        self.set(f.name, to_text(self.evaluate(f.calculation, f.name, row)), row)
                    except ExpressionError:
                        self.set(f.name, "", row)
        result: dict[str, object] = dict(self.values)
        result.update({name: [dict(row) for row in rows] for name, rows in self.rows.items() if rows})
        return result

    def relevant(self, f: Field, row: int = TOP) -> bool:
        return not f.relevant or self.is_true(f.relevant, f.name, row)

    def row_relevant(self, repeat: Repeat, row: int) -> bool:
        """Whether a repeat's row is relevant: its relevant read with the row itself as `.`."""
        if not repeat.relevant:
            return True
        return bool(
            self._run(
                repeat.relevant,
                None,
                lambda token, result: token.boolean_value(result),
                node=self.instances.get((repeat.name, row)),
            )
        )

    def checked(self, f: Field, row: int, value: object) -> str:
        """What is wrong with a field's value in its place, "" when nothing or when it is not asked."""
        if f.type in ("note", "calculate"):
            return ""
        try:
            return self.problem(f, value, row) if self.relevant(f, row) else ""
        except ExpressionError as error:
            return f"无法检查此项：{error}"

    def problem(self, f: Field, value: object, row: int = TOP) -> str:
        text = to_text(value).strip()
        if not text:
            return (f.required_message or "此项必填。") if f.required else ""
        problem = _type_problem(f, text)
        if not problem and f.constraint and not self.is_true(f.constraint, f.name, row):
            problem = f.constraint_message or "填写的值不符合要求，请检查。"
        return problem

    def evaluate(self, expression: str, current: str | None, row: int = TOP) -> object:
        return _python(self._run(expression, current, lambda token, result: result, row=row))

    def is_true(self, expression: str, current: str | None, row: int = TOP) -> bool:
        if not expression.strip():
            return True
        return bool(
            self._run(expression, current, lambda token, result: token.boolean_value(result), row=row)
        )

    def _run(
        self, expression: str, current: str | None, finish: Any, *, row: int = TOP, node: Any = None
    ) -> Any:
        field = self.definition.any_field.get(current) if current else None
        token = _token(expression, self.definition, field)
        item = self.nodes.get((current, row)) if current else node
        context = XPathContext(self.tree, item=item, variables={"zhenwu_today": self.today})
        try:
            return finish(token, token.evaluate(context))
        except elementpath.ElementPathError as error:
            raise ExpressionError(_describe(error, expression)) from None
        except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
            raise ExpressionError(f"表达式“{expression}”无法计算（{error}）。") from None

    def _default(self, f: Field, row: int) -> object:
        from zhenwu.registers.definition import is_dynamic_default

        if not is_dynamic_default(f.default):
            return f.default
        try:
            return to_text(self.evaluate(f.default, f.name, row))
        except ExpressionError:
            return ""


def _token(expression: str, definition: Definition, current: Field | None = None) -> Any:
    """The parsed expression; an ExpressionError naming the expression as the admin wrote it."""
    try:
        return _compiled(_rewritten(expression, definition, current))
    except elementpath.ElementPathError as error:
        raise ExpressionError(_describe(error, expression)) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise ExpressionError(f"表达式“{expression}”无法解析（{error}）。") from None


def _rewritten(expression: str, definition: Definition, current: Field | None = None) -> str:
    """`${name}` as the field's path (as pyxform writes it: relative within the repeat of `current`,
    else absolute); XForm functions XPath 2.0 lacks or reserves, renamed. String literals are kept as
    written."""
    fields = definition.any_field
    repeats = definition.repeats_by_name

    def reference(found: re.Match[str]) -> str:
        name = found.group(1)
        f = fields.get(name)
        if f is None and name in repeats:
            return f" /{ROOT}/{repeats[name].path} "
        if f is None:
            raise ExpressionError(f"引用的字段“{name}”在survey表中不存在。")
        if f.repeat and current is not None and current.repeat == f.repeat:
            # Up from `.` to the row's element, then down to the sibling.
            up = "/".join([".."] * (current.path.count("/") + 1))
            return f" {up}/{f.path} "
        if f.repeat:
            return f" /{ROOT}/{repeats[f.repeat].path}/{f.path} "
        return f" /{ROOT}/{f.path} "

    pieces: list[str] = []
    position = 0
    for literal in LITERAL.finditer(expression):
        pieces.append(_code(expression[position : literal.start()], reference))
        pieces.append(literal.group(0))
        position = literal.end()
    pieces.append(_code(expression[position:], reference))
    return "".join(pieces)


def _code(text: str, reference: Any) -> str:
    text = REFERENCE.sub(reference, text)
    text = TODAY_CALL.sub("xf:today($zhenwu_today)", text)
    text = POSITION_OF.sub("xf:position(", text)
    return RENAMED.sub(lambda m: "xf:" + RENAMED_TO[m.group(1)] + "(", text)


_parse_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _compiled(expression: str) -> Any:
    """Parsing is not thread-safe (the parser keeps its state), evaluating a parsed expression is."""
    with _parse_lock:
        return _PARSER.parse(expression)


def _describe(error: Exception, expression: str) -> str:
    text = str(error)
    if "XPST0017" in text or "unknown function" in text:
        found = re.search(r"'([\w:.-]+)'", text)
        name = found.group(1).removeprefix("xf:") if found else ""
        return f"表达式“{expression}”中的函数“{name}”不存在或参数个数不对。"
    if "XPST0003" in text:
        return f"表达式“{expression}”语法有误，请检查括号、引号和运算符是否配对。"
    return f"表达式“{expression}”有误：{text}"


def _python(result: object) -> object:
    """An XPath result as a plain Python value: a node-set gives its first node's text."""
    if isinstance(result, list):
        if not result:
            return ""
        result = result[0]
    if isinstance(result, XPathNode):
        return str(result.string_value)
    if isinstance(result, UntypedAtomic | AbstractDateTime):
        return str(result)
    return result


def _today() -> date:
    return datetime.now(TIMEZONE).date()


# ---------------------------------------------------------------------------------------------------
# The checks of one field


def _type_problem(f: Field, text: str) -> str:
    if f.type == "integer":
        return "" if re.fullmatch(r"[+-]?\d{1,18}", text) else "请填写整数。"
    if f.type == "decimal":
        return "" if _decimal(text) is not None else "请填写数字。"
    if f.type == "date":
        return "" if _date(text) is not None else "请填写日期，格式如 2026-11-18。"
    if f.type == "geopoint":
        return _geopoint_problem(text)
    if f.type == "select_one":
        names = {c.name for c in f.choices}
        return "" if text in names else f"“{text}”不是可选的选项。"
    if f.type == "select_multiple":
        names = {c.name for c in f.choices}
        wrong = [t for t in text.split() if t not in names]
        return f"“{'、'.join(wrong)}”不是可选的选项。" if wrong else ""
    return ""


def _decimal(text: str) -> Decimal | None:
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date(text: str) -> date | None:
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _geopoint_problem(text: str) -> str:
    parts = text.split()
    numbers = [_decimal(p) for p in parts]
    if len(parts) not in (2, 3, 4) or any(n is None for n in numbers):
        return "位置须写作“纬度 经度 [海拔 精度]”，如 30.52 114.31。"
    latitude, longitude = numbers[0], numbers[1]
    assert latitude is not None and longitude is not None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return "位置的纬度须在 -90 到 90 之间，经度须在 -180 到 180 之间。"
    return ""


# ---------------------------------------------------------------------------------------------------
# The XPath parser with the XForm functions


def _strings(value: object) -> str:
    """XPath string() of an argument as elementpath passes it."""
    if isinstance(value, list):
        value = value[0] if value else ""
    found = _python(value)
    if isinstance(found, float) and found.is_integer():
        return str(int(found))
    return to_text(found)


def _number(value: object) -> float:
    """XPath number(), with an ISO date read as days since 1970 as ODK reads it."""
    if isinstance(value, list):
        value = value[0] if value else ""
    found = _python(value)
    if isinstance(found, bool):
        return 1.0 if found else 0.0
    if isinstance(found, int | float | Decimal):
        return float(found)
    text = to_text(found).strip()
    day = _date(text)
    if day is not None:
        return float((day - EPOCH).days)
    try:
        return float(text) if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text) else math.nan
    except ValueError:
        return math.nan


def _selected(values: object, choice: object) -> bool:
    return _strings(choice).strip() in _strings(values).split()


def _count_selected(values: object) -> int:
    return len(_strings(values).split())


def _regex(value: object, pattern: object) -> bool:
    try:
        return re.search(_strings(pattern), _strings(value)) is not None
    except re.error as error:
        raise ValueError(f"正则表达式有误：{error}") from None


def _if(condition: object, then: object, otherwise: object) -> object:
    chosen = then if _boolean(condition) else otherwise
    return _python(chosen[0] if isinstance(chosen, list) and chosen else chosen)


def _boolean(value: object) -> bool:
    if isinstance(value, list):
        return bool(value)
    found = _python(value)
    if isinstance(found, float):
        return not (found == 0 or math.isnan(found))
    return bool(found)


def _coalesce(first: object, second: object) -> str:
    text = _strings(first)
    return text if text else _strings(second)


def _int(value: object) -> float:
    number = _number(value)
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


def _round(value: object, digits: object = 0) -> float:
    number = _number(value)
    places = int(_number(digits)) if not math.isnan(_number(digits)) else 0
    if math.isnan(number) or math.isinf(number):
        return number
    # Half away from zero, as ODK rounds, not Python's half to even.
    scale = Decimal(1).scaleb(-places)
    return float(Decimal(str(number)).quantize(scale, rounding="ROUND_HALF_UP"))


def _today_function(today: object) -> str:
    return _strings(today)


def _once(value: object) -> object:
    return _python(value)


def _position(node: object) -> int:
    """ODK's position(..): the number of a repeat's row, counted among the rows (1 for the first)."""
    if isinstance(node, list):
        node = node[0] if node else None
    element = getattr(node, "elem", None)
    parent = getattr(getattr(node, "parent", None), "elem", None)
    if element is None or parent is None:
        raise ValueError("position() 须指向重复组的一项，如 position(..)")
    same = [child for child in parent if child.tag == element.tag]
    return next(n for n, child in enumerate(same, start=1) if child is element)


def _indexed_repeat(values: object, repeat: object, index: object) -> str:
    """XLSForm's indexed-repeat(${field}, ${repeat}, n): the field's value in the repeat's n-th row."""
    rows = repeat if isinstance(repeat, list) else [repeat]
    number = _number(index)
    if math.isnan(number) or not 1 <= number <= len(rows):
        return ""
    row = getattr(rows[int(number) - 1], "elem", None)
    for node in values if isinstance(values, list) else [values]:
        element = getattr(node, "elem", None)
        if row is not None and element is not None and any(e is element for e in row.iter()):
            return _strings(node)
    return ""


def _comparison(symbol: str, base: type[Any]) -> type[Any]:
    """A comparison token with XPath 1.0's conversions (and dates as ODK compares them)."""

    def evaluate(self: Any, context: Any = None) -> bool:
        left = list(_atoms(self[0], context))
        right = list(_atoms(self[1], context))
        return any(_compare(symbol, a, b) for a in left for b in right)

    return type(f"XForm{base.__name__}", (base,), {"evaluate": evaluate})


def _atoms(token: Any, context: Any) -> Iterator[object]:
    result = token.evaluate(copy(context))
    items = result if isinstance(result, list) else [result]
    for item in items:
        yield _python(item)


def _compare(symbol: str, left: object, right: object) -> bool:
    if symbol in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _boolean(left) == _boolean(right)
        elif _is_number(left) or _is_number(right):
            equal = _number(left) == _number(right)
        else:
            equal = to_text(left) == to_text(right)
        return equal if symbol == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[symbol]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _make_parser() -> XPath2Parser:
    parser = XPath2Parser(
        compatibility_mode=True, namespaces={"xf": XFORMS_NAMESPACE, "jr": "http://openrosa.org/javarosa"}
    )
    parser.external_function(_selected, name="selected")
    parser.external_function(_count_selected, name="count-selected")
    parser.external_function(_regex, name="regex")
    parser.external_function(_coalesce, name="coalesce")
    parser.external_function(_int, name="int")
    parser.external_function(_once, name="once")
    parser.external_function(_if, name="cond", prefix="xf")
    parser.external_function(_round, name="round", prefix="xf")
    parser.external_function(_today_function, name="today", prefix="xf")
    parser.external_function(_position, name="position", prefix="xf")
    parser.external_function(
        _indexed_repeat,
        name="indexed-repeat",
        prefix="xf",
        sequence_types=("node()*", "node()*", "item()?", "xs:string"),
    )
    for symbol in ("=", "!=", "<", ">", "<=", ">="):
        parser.symbol_table[symbol] = _comparison(symbol, parser.symbol_table[symbol])
    return parser


_PARSER = _make_parser()
