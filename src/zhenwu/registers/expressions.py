"""XLSForm expressions (constraint, relevant, calculation, default) evaluated over a record.

A record is turned into the instance an XForm client would hold — `<data><field>value</field>…</data>`,
groups nested as in the XForm — and the expression, with each `${name}` replaced by its field's path, is
evaluated there by elementpath, a maintained XPath engine. The XForm functions XLSForm uses and XPath
lacks (selected, count-selected, today, regex, if, coalesce, int, …) are registered on the parser.

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

if TYPE_CHECKING:
    from zhenwu.registers.definition import Definition, Field

ROOT = "data"
XFORMS_NAMESPACE = "urn:zhenwu:xforms"
TIMEZONE = ZoneInfo("Asia/Shanghai")
REFERENCE = re.compile(r"\$\{\s*([^}\s]*)\s*\}")
# String literals are left as written when names are rewritten.
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
# XForm functions whose names XPath 2.0 reserves or defines differently: called under our prefix.
RENAMED = re.compile(r"(?<![\w:.-])(if|round)\s*\(")
TODAY_CALL = re.compile(r"(?<![\w:.-])today\s*\(\s*\)")
RENAMED_TO = {"if": "cond", "round": "round"}
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

    Values of names that are not fields are dropped. A calculation that cannot be evaluated gives "".
    """
    return _Record(definition, values, today).computed()


def relevant_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, object]:
    """The computed values of the fields that are relevant: what a record keeps when it is saved."""
    record = _Record(definition, values, today)
    result = record.computed()
    kept: dict[str, object] = {}
    for f in definition.fields:
        if f.type != "note" and f.name in result and record.relevant(f):
            kept[f.name] = result[f.name]
    return kept


def check_record(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, str]:
    """Field name -> what is wrong with it, in Chinese; empty when the record may be saved.

    Calculations and defaults are made first. Fields that are not relevant are not checked (they are
    cleared when the record is saved). Never raises: an expression that fails is reported on its field.
    """
    record = _Record(definition, values, today)
    result = record.computed()
    errors: dict[str, str] = {}
    for f in definition.fields:
        if f.type in ("note", "calculate"):
            continue
        try:
            problem = record.problem(f, result.get(f.name)) if record.relevant(f) else ""
        except ExpressionError as error:
            problem = f"无法检查此项：{error}"
        if problem:
            errors[f.name] = problem
    return errors


def checked_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> tuple[dict[str, str], dict[str, object]]:
    """`check_record` and then, when it finds nothing wrong, `relevant_values`, from one evaluation of
    the record (each field's relevance evaluated once): what the server checks of every record it
    keeps, and an import checks 100,000 of them. Raises as `relevant_values` does, never when there is
    something wrong."""
    record = _Record(definition, values, today)
    result = record.computed()
    errors: dict[str, str] = {}
    relevant: dict[str, bool] = {}
    for f in definition.fields:
        if f.type in ("note", "calculate"):
            continue
        try:
            relevant[f.name] = record.relevant(f)
            problem = record.problem(f, result.get(f.name)) if relevant[f.name] else ""
        except ExpressionError as error:
            problem = f"无法检查此项：{error}"
        if problem:
            errors[f.name] = problem
    if errors:
        return errors, {}
    kept: dict[str, object] = {}
    for f in definition.fields:
        if f.type == "note" or f.name not in result:
            continue
        if relevant[f.name] if f.name in relevant else record.relevant(f):  # a calculation's, here
            kept[f.name] = result[f.name]
    return errors, kept


def expression_error(expression: str, definition: Definition, current: str | None = None) -> str:
    """What is wrong with `expression` (in Chinese, to follow a sheet/row/column), or "" if nothing.

    It is compiled and evaluated once on an empty record, as when a form is first opened.
    """
    try:
        _Record(definition, {}, None).evaluate(expression, current)
    except ExpressionError as error:
        return str(error)
    return ""


# ---------------------------------------------------------------------------------------------------
# The instance


def build_instance(definition: Definition, values: Mapping[str, object]) -> ElementTree.Element:
    """`<data>` with an element per field (groups nested), holding the value as the XForm would."""
    root = ElementTree.Element(ROOT)
    groups: dict[str, ElementTree.Element] = {"": root}
    for f in definition.fields:
        parent = _group_element(groups, f.group)
        element = ElementTree.SubElement(parent, f.name)
        element.text = to_text(values.get(f.name))
    return root


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


class _Record:
    """One record as an XForm instance, its XPath node tree built once and its values changed in place.

    elementpath reads an element's text when it evaluates, so a calculation written into the instance
    is seen by the expressions after it without building the tree again.
    """

    def __init__(self, definition: Definition, values: Mapping[str, object], today: date | None) -> None:
        self.definition = definition
        self.values = {f.name: values[f.name] for f in definition.fields if f.name in values}
        self.today = (today or _today()).isoformat()
        self.root = build_instance(definition, self.values)
        self.tree = get_node_tree(self.root)
        nodes = {id(getattr(node, "elem", None)): node for node in self.tree.iter()}
        self.elements: dict[str, ElementTree.Element] = {}
        self.nodes: dict[str, Any] = {}  # field name -> its node, the `.` of its expressions
        for f in definition.fields:
            element = self.root.find(f.path)
            if element is not None:
                self.elements[f.name] = element
                self.nodes[f.name] = nodes.get(id(element))

    def set(self, name: str, value: object) -> None:
        self.values[name] = value
        self.elements[name].text = to_text(value)

    def computed(self) -> dict[str, object]:
        """Defaults for fields not given, then calculations in survey order, twice, so that a
        calculation may use one further down."""
        for f in self.definition.fields:
            if f.name not in self.values and f.default and not f.calculation:
                self.set(f.name, self._default(f))
        for _ in range(2):
            for f in self.definition.fields:
                if f.calculation:
                    try:
                        self.set(f.name, to_text(self.evaluate(f.calculation, f.name)))
                    except ExpressionError:
                        self.set(f.name, "")
        return dict(self.values)

    def relevant(self, f: Field) -> bool:
        return not f.relevant or self.is_true(f.relevant, f.name)

    def problem(self, f: Field, value: object) -> str:
        text = to_text(value).strip()
        if not text:
            return (f.required_message or "此项必填。") if f.required else ""
        problem = _type_problem(f, text)
        if not problem and f.constraint and not self.is_true(f.constraint, f.name):
            problem = f.constraint_message or "填写的值不符合要求，请检查。"
        return problem

    def evaluate(self, expression: str, current: str | None) -> object:
        return _python(self._run(expression, current, lambda token, result: result))

    def is_true(self, expression: str, current: str | None) -> bool:
        if not expression.strip():
            return True
        return bool(self._run(expression, current, lambda token, result: token.boolean_value(result)))

    def _run(self, expression: str, current: str | None, finish: Any) -> Any:
        token = _token(expression, self.definition)
        item = self.nodes.get(current) if current else None
        context = XPathContext(self.tree, item=item, variables={"zhenwu_today": self.today})
        try:
            return finish(token, token.evaluate(context))
        except elementpath.ElementPathError as error:
            raise ExpressionError(_describe(error, expression)) from None
        except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
            raise ExpressionError(f"表达式“{expression}”无法计算（{error}）。") from None

    def _default(self, f: Field) -> object:
        from zhenwu.registers.definition import is_dynamic_default

        if not is_dynamic_default(f.default):
            return f.default
        try:
            return to_text(self.evaluate(f.default, f.name))
        except ExpressionError:
            return ""


def _token(expression: str, definition: Definition) -> Any:
    """The parsed expression; an ExpressionError naming the expression as the admin wrote it."""
    try:
        return _compiled(_rewritten(expression, definition))
    except elementpath.ElementPathError as error:
        raise ExpressionError(_describe(error, expression)) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise ExpressionError(f"表达式“{expression}”无法解析（{error}）。") from None


def _rewritten(expression: str, definition: Definition) -> str:
    """`${name}` as the field's absolute path; XForm functions XPath 2.0 lacks or reserves, renamed.

    String literals are kept as written.
    """
    fields = definition.fields_by_name

    def reference(found: re.Match[str]) -> str:
        f = fields.get(found.group(1))
        if f is None:
            raise ExpressionError(f"引用的字段“{found.group(1)}”在survey表中不存在。")
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
    for symbol in ("=", "!=", "<", ">", "<=", ">="):
        parser.symbol_table[symbol] = _comparison(symbol, parser.symbol_table[symbol])
    return parser


_PARSER = _make_parser()
