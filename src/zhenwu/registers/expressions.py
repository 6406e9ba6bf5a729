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
from elementpath import XPath2Parser, XPathContext
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

    The result is a Python value: str, bool, float/int/Decimal, or "" for an empty node-set.
    Raises ExpressionError when the expression cannot be evaluated.
    """
    instance = build_instance(definition, values)
    return _evaluate(expression, instance, definition, current, today or _today())


def is_true(
    expression: str,
    values: Mapping[str, object],
    definition: Definition,
    *,
    current: str | None = None,
    today: date | None = None,
) -> bool:
    """Whether `expression` holds, with XPath's boolean(); an empty expression holds."""
    if not expression.strip():
        return True
    instance = build_instance(definition, values)
    return _is_true(expression, instance, definition, current, today or _today())


def computed_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, object]:
    """The record's values with defaults filled in (for fields not given) and every calculation made.

    Fields are taken in survey order, twice, so that a calculation may use one further down.
    A calculation that cannot be evaluated gives "".
    """
    day = today or _today()
    result: dict[str, object] = {f.name: values[f.name] for f in definition.fields if f.name in values}
    for f in definition.fields:
        if f.name not in result and f.default and not f.calculation:
            result[f.name] = _default(f, result, definition, day)
    for _ in range(2):
        for f in definition.fields:
            if f.calculation:
                instance = build_instance(definition, result)
                try:
                    result[f.name] = to_text(_evaluate(f.calculation, instance, definition, f.name, day))
                except ExpressionError:
                    result[f.name] = ""
    return result


def relevant_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, object]:
    """The computed values of the fields that are relevant: what a record keeps when it is saved."""
    day = today or _today()
    result = computed_values(definition, values, day)
    instance = build_instance(definition, result)
    kept: dict[str, object] = {}
    for f in definition.fields:
        if f.type == "note" or f.name not in result:
            continue
        if _relevant(f, instance, definition, day):
            kept[f.name] = result[f.name]
    return kept


def check_record(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, str]:
    """Field name -> what is wrong with it, in Chinese; empty when the record may be saved.

    Fields that are not relevant are not checked (they are cleared when the record is saved). Never
    raises: an expression that fails is reported on its field.
    """
    day = today or _today()
    record = computed_values(definition, values, day)
    instance = build_instance(definition, record)
    errors: dict[str, str] = {}
    for f in definition.fields:
        if f.type in ("note", "calculate"):
            continue
        try:
            if not _relevant(f, instance, definition, day):
                continue
            problem = _field_problem(f, record.get(f.name), instance, definition, day)
        except ExpressionError as error:
            problem = f"无法检查此项：{error}"
        if problem:
            errors[f.name] = problem
    return errors


def expression_error(expression: str, definition: Definition, current: str | None = None) -> str:
    """What is wrong with `expression` (in Chinese, to follow a sheet/row/column), or "" if nothing.

    It is compiled and evaluated once on an empty record, as when a form is first opened.
    """
    try:
        _evaluate(expression, build_instance(definition, {}), definition, current, _today())
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
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(to_text(v) for v in value)
    if isinstance(value, UntypedAtomic | AbstractDateTime):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Evaluation


def _evaluate(
    expression: str, instance: ElementTree.Element, definition: Definition, current: str | None, today: date
) -> object:
    token = _compiled(_rewritten(expression, definition))
    item = instance
    if current:
        f = definition.fields_by_name.get(current)
        found = instance.find(f.path) if f is not None else None
        item = found if found is not None else instance
    context = XPathContext(instance, item=item, variables={"zhenwu_today": today.isoformat()})
    try:
        return _python(token.evaluate(context))
    except elementpath.ElementPathError as error:
        raise ExpressionError(_describe(error, expression)) from None
    except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
        raise ExpressionError(f"表达式“{expression}”无法计算（{error}）。") from None


def _is_true(
    expression: str, instance: ElementTree.Element, definition: Definition, current: str | None, today: date
) -> bool:
    token = _compiled(_rewritten(expression, definition))
    item = instance
    if current:
        f = definition.fields_by_name.get(current)
        found = instance.find(f.path) if f is not None else None
        item = found if found is not None else instance
    context = XPathContext(instance, item=item, variables={"zhenwu_today": today.isoformat()})
    try:
        return bool(token.boolean_value(token.evaluate(context)))
    except elementpath.ElementPathError as error:
        raise ExpressionError(_describe(error, expression)) from None
    except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
        raise ExpressionError(f"表达式“{expression}”无法计算（{error}）。") from None


def _relevant(f: Field, instance: ElementTree.Element, definition: Definition, today: date) -> bool:
    return not f.relevant or _is_true(f.relevant, instance, definition, f.name, today)


def _default(f: Field, values: Mapping[str, object], definition: Definition, today: date) -> object:
    from zhenwu.registers.definition import is_dynamic_default

    if not is_dynamic_default(f.default):
        return f.default
    try:
        return to_text(_evaluate(f.default, build_instance(definition, values), definition, f.name, today))
    except ExpressionError:
        return ""


def _rewritten(expression: str, definition: Definition) -> str:
    """`${name}` as the field's absolute path; XForm functions XPath 2.0 reserves under our prefix."""
    paths = {f.name: f"/{ROOT}/{f.path}" for f in definition.fields}

    def reference(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in paths:
            raise ExpressionError(f"引用的字段“{name}”在survey表中不存在。")
        return f" {paths[name]} "

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
    text = RENAMED.sub(lambda m: "xf:" + RENAMED_TO[m.group(1)] + "(", text)
    return text.replace("today()", "xf:today($zhenwu_today)").replace("jr:choice-name(", "xf:choice-name(")


_parse_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _compiled(expression: str) -> Any:
    """The parsed expression; parsing is not thread-safe, evaluating a parsed one is."""
    with _parse_lock:
        try:
            return _PARSER.parse(expression)
        except elementpath.ElementPathError as error:
            raise ExpressionError(_describe(error, expression)) from None
        except (ValueError, TypeError, RecursionError) as error:
            raise ExpressionError(f"表达式“{expression}”无法解析（{error}）。") from None


def _describe(error: Exception, expression: str) -> str:
    text = str(error)
    if "unknown function" in text or "XPST0017" in text:
        found = re.search(r"'([\w:.-]+)'", text)
        name = found.group(1) if found else ""
        return f"表达式“{_shown(expression)}”中的函数“{name}”不存在或参数个数不对。"
    if "XPST0003" in text:
        return f"表达式“{_shown(expression)}”语法有误，请检查括号、引号和运算符是否配对。"
    return f"表达式“{_shown(expression)}”有误：{text}"


def _shown(expression: str) -> str:
    """The expression as the admin wrote it, without our rewriting."""
    return (
        re.sub(r"\s*/data/([\w/.-]+)\s*", lambda m: "${" + m.group(1).rsplit("/", 1)[-1] + "}", expression)
        .replace("xf:", "")
        .replace("($zhenwu_today)", "()")
    )


def _python(result: object) -> object:
    """An XPath result as a plain Python value: a node-set gives its first node's text."""
    if isinstance(result, list):
        if not result:
            return ""
        result = result[0]
    if isinstance(result, ElementTree.Element):
        return result.text or ""
    if isinstance(result, UntypedAtomic | AbstractDateTime):
        return str(result)
    if hasattr(result, "value") and isinstance(getattr(result, "value", None), ElementTree.Element):
        element = result.value
        return element.text or ""
    return result


# ---------------------------------------------------------------------------------------------------
# The checks of one field


def _field_problem(
    f: Field, value: object, instance: ElementTree.Element, definition: Definition, today: date
) -> str:
    text = to_text(value).strip()
    if not text:
        if f.required:
            return f.required_message or "此项必填。"
        return ""
    problem = _type_problem(f, text)
    if problem:
        return problem
    if f.constraint and not _is_true(f.constraint, instance, definition, f.name, today):
        return f.constraint_message or "填写的值不符合要求，请检查。"
    return ""


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


def _today() -> date:
    return datetime.now(TIMEZONE).date()


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
