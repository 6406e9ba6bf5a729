"""XPath 1.0 values and the XForm function library, as the ODK XForms specification defines them.

`expressions` parses an XLSForm expression with elementpath and evaluates it over a record; the
operators and every function an XLSForm may call land here, on plain Python values:

- a node-set is a list of the nodes' string values (a field reference is a node-set of one);
- a string is `str`, a number is `float` (XPath 1.0 numbers are IEEE doubles), a boolean is `bool`.

The conversions are XPath 1.0's, extended as the ODK spec says: `number()` reads an ISO date as the
days since 1970-01-01, so dates are compared, added to and subtracted. Where the spec leaves a choice
open, the answer is ODK Collect's (JavaRosa), because the server checks again what Collect accepted:

- a node-set used as a boolean is true when it holds a non-empty value (an empty field is false);
- `regex()` is a whole match (the ODK documentation: "an exact and complete match");
- `sum()`, `max()` and `min()` skip blanks; `round()` rounds half towards positive infinity.

Functions zhenwu does not evaluate are listed in REFUSED with the reason given to the township admin,
and refused when a definition is loaded.

Pure: no Django.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from zhenwu.registers.definition import Definition

TIMEZONE = ZoneInfo("Asia/Shanghai")
EPOCH = date(1970, 1, 1)
# XPath 1.0's Number: digits with an optional point and an optional minus, nothing else (no "+",
# no exponent, no thousands separator), with whitespace around.
NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")
ISO_DATE = re.compile(r"-?\d{4}-\d{2}-\d{2}")
ISO_DATE_TIME = re.compile(r"-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# A node-set (its nodes' values), a string, a number or a boolean.
Value = list[str] | str | float | bool


@dataclass(frozen=True)
class Node:
    """A node of a node-set as the functions that read where a node is (position, indexed-repeat) take
    it: its value, its number among its parent's children of its name (1 for the first), and the
    identity of the node and of each node it lies in (itself included)."""

    value: str
    position: int
    key: int
    within: frozenset[int]


# ---------------------------------------------------------------------------------------------------
# What an evaluation knows besides its arguments


@dataclass(frozen=True)
class Environment:
    today: str  # ISO date
    definition: Definition
    values: Mapping[str, object]  # the record's values by field name
    current: str | None  # the field whose expression this is (`.`)


ENVIRONMENT: ContextVar[Environment] = ContextVar("zhenwu_xpath_environment")


# ---------------------------------------------------------------------------------------------------
# Conversions


def string(value: Value) -> str:
    """XPath string(): a node-set gives its first node's value."""
    if isinstance(value, list):
        return value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return value


def number_text(number: float) -> str:
    """A number as XPath writes it: whole numbers without a point, NaN and Infinity spelled out."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer():
        return str(int(number))
    return repr(number)


def number(value: Value) -> float:
    """XPath number(), with an ISO date (or date and time) read as days since 1970-01-01."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = string(value)
    if NUMBER.fullmatch(text):
        return float(text)
    days = epoch_days(text.strip())
    return math.nan if days is None else days


def boolean(value: Value) -> bool:
    """XPath boolean(); a node-set is true when it holds a value, as Collect reads a field."""
    if isinstance(value, list):
        return len(value) > 1 or (len(value) == 1 and value[0] != "")
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, bool):
        return value
    return value != ""


def epoch_days(text: str) -> float | None:
    """Days since 1970-01-01 of an ISO date (whole days) or date and time (UTC, with the fraction)."""
    moment = _moment_of_text(text)
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return (moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() / 86400
    return float((moment - EPOCH).days)


def _moment_of_text(text: str) -> date | datetime | None:
    try:
        if ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if ISO_DATE_TIME.fullmatch(text):
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)
    except ValueError:
        return None
    return None


def _members(value: Value) -> list[str | float | bool]:
    """The items of an argument: a node-set's values, or the one value."""
    return list(value) if isinstance(value, list) else [value]


# ---------------------------------------------------------------------------------------------------
# Operators


def compare(symbol: str, left: Value, right: Value) -> bool:
    """XPath 1.0 comparison (section 3.4): a node-set compares by any of its values."""
    if isinstance(left, bool) or isinstance(right, bool):
        if symbol in ("=", "!="):
            equal = boolean(left) == boolean(right)
            return equal if symbol == "=" else not equal
        return _relate(symbol, number(left), number(right))
    return any(_compare_items(symbol, a, b) for a in _members(left) for b in _members(right))


def _compare_items(symbol: str, left: Any, right: Any) -> bool:
    if symbol in ("=", "!="):
        if isinstance(left, float) or isinstance(right, float):
            equal = number(left) == number(right)
        else:
            equal = left == right
        return equal if symbol == "=" else not equal
    return _relate(symbol, number(left), number(right))


def _relate(symbol: str, left: float, right: float) -> bool:
    if symbol == "<":
        return left < right
    if symbol == ">":
        return left > right
    if symbol == "<=":
        return left <= right
    return left >= right


def arithmetic(symbol: str, left: Value, right: Value) -> float:
    """+, -, *, div and mod on XPath numbers (dates as days); never raises."""
    a, b = number(left), number(right)
    if symbol == "+":
        return a + b
    if symbol == "-":
        return a - b
    if symbol == "*":
        return a * b
    if symbol == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
        return a / b
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)  # the sign of the dividend, as XPath's mod


# ---------------------------------------------------------------------------------------------------
# The functions. Each takes Values (a lazy function takes callables giving them) and returns a Value.


def _string_function(value: Value) -> str:
    return string(value)


def _concat(*values: Value) -> str:
    # ODK: one argument is allowed, and every node of a node-set is concatenated.
    return "".join(string(item) for v in values for item in _members(v))


def _join(separator: Value, *values: Value) -> str:
    return string(separator).join(string(item) for v in values for item in _members(v))


def _substr(value: Value, start: Value, end: Value | None = None) -> str:
    """Zero-based start, up to (not including) end; negative indexes count from the end."""
    text = string(value)
    first = _whole(number(start))
    last = len(text) if end is None else _whole(number(end))
    if first < 0:
        first += len(text)
    if last < 0:
        last += len(text)
    first = min(max(first, 0), len(text))
    last = min(max(last, 0), len(text))
    return text[first:last] if first <= last else ""


def _whole(value: float) -> int:
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return 2**31 if value > 0 else -(2**31)
    return math.trunc(value)


def _substring_before(value: Value, target: Value) -> str:
    text, part = string(value), string(target)
    found = text.find(part)
    return text[:found] if found >= 0 else ""


def _substring_after(value: Value, target: Value) -> str:
    text, part = string(value), string(target)
    found = text.find(part)
    return text[found + len(part) :] if found >= 0 else ""


def _translate(value: Value, source: Value, target: Value) -> str:
    froms, tos = string(source), string(target)
    table: dict[int, int | None] = {}
    for position, char in enumerate(froms):
        table.setdefault(ord(char), ord(tos[position]) if position < len(tos) else None)
    return string(value).translate(table)


def _current_value() -> str:
    environment = ENVIRONMENT.get()
    if environment.current is None:
        return ""
    found = environment.values.get(environment.current)
    return "" if found is None else str(found)


def _string_length(value: Value | None = None) -> float:
    return float(len(string(value) if value is not None else _current_value()))


def _normalize_space(value: Value | None = None) -> str:
    return " ".join((string(value) if value is not None else _current_value()).split())


def _contains(value: Value, part: Value) -> bool:
    return string(part) in string(value)


def _starts_with(value: Value, part: Value) -> bool:
    return string(value).startswith(string(part))


def _ends_with(value: Value, part: Value) -> bool:
    return string(value).endswith(string(part))


DIGESTS: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


def _digest(data: Value, algorithm: Value, encoding: Value = "base64") -> str:
    make = DIGESTS.get(string(algorithm))
    if make is None:
        raise ValueError(f"digest()的算法须是 {'、'.join(DIGESTS)} 之一")
    digest = make(string(data).encode("utf-8")).digest()
    if string(encoding) == "hex":
        return str(digest.hex())
    if string(encoding) == "base64":
        return base64.b64encode(digest).decode("ascii")
    raise ValueError("digest()的编码须是 base64 或 hex")


def _base64_decode(value: Value) -> str:
    try:
        return base64.b64decode(string(value), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(f"“{string(value)}”不是 Base64 编码的文字") from None


def _if(condition: Callable[[], Value], then: Callable[[], Value], otherwise: Callable[[], Value]) -> Value:
    chosen = then() if boolean(condition()) else otherwise()
    return string(chosen) if isinstance(chosen, list) else chosen


def _coalesce(first: Callable[[], Value], second: Callable[[], Value]) -> Value:
    for argument in (first, second):
        value = argument()
        if isinstance(value, list):
            value = string(value)
        if not (value == "" or (isinstance(value, float) and math.isnan(value))):
            return value
    return ""


def _once(value: Callable[[], Value]) -> Value:
    current = _current_value()
    return current if current else value()


def _true() -> bool:
    return True


def _false() -> bool:
    return False


def _boolean_function(value: Value) -> bool:
    return boolean(value)


def _boolean_from_string(value: Value) -> bool:
    text = string(value)
    return text.lower() == "true" or text == "1"


def _not(value: Value) -> bool:
    return not boolean(value)


def _regex(value: Value, pattern: Value) -> bool:
    try:
        return re.fullmatch(string(pattern), string(value)) is not None
    except re.error as error:
        raise ValueError(f"正则表达式有误：{error}") from None


def _number_function(value: Value) -> float:
    return number(value)


def _int(value: Value) -> float:
    found = number(value)
    return found if math.isnan(found) or math.isinf(found) else float(math.trunc(found))


def _sum(nodes: Value) -> float:
    if not isinstance(nodes, list):
        raise ValueError("sum()的参数须是字段")
    return math.fsum(n for n in (number(item) for item in nodes) if not math.isnan(n))


def _numbers(values: tuple[Value, ...]) -> list[float]:
    found = (number(item) for v in values for item in _members(v))
    return [n for n in found if not math.isnan(n)]


def _max(*values: Value) -> float:
    found = _numbers(values)
    return max(found) if found else math.nan


def _min(*values: Value) -> float:
    found = _numbers(values)
    return min(found) if found else math.nan


def _round(value: Value, digits: Value | None = None) -> float:
    """Half towards positive infinity (XPath 1.0's round), to `digits` places as the ODK spec adds."""
    found = number(value)
    places = 0 if digits is None else number(digits)
    if math.isnan(found) or math.isinf(found):
        return found
    if math.isnan(places) or abs(places) > 30:
        return math.nan
    scale = Decimal(1).scaleb(-math.trunc(places))
    rounding = ROUND_HALF_UP if found >= 0 else ROUND_HALF_DOWN
    try:
        return float(Decimal(repr(found)).quantize(scale, rounding=rounding))
    except InvalidOperation:  # more digits than a Decimal holds: nothing to round
        return found


def _math(operation: Callable[..., float]) -> Callable[..., float]:
    """A math function of numbers that gives NaN, as Java's Math does, where Python's raises."""

    def call(*values: Value) -> float:
        try:
            return float(operation(*(number(v) for v in values)))
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf

    return call


def _log(value: float) -> float:
    return -math.inf if value == 0 else math.log(value)


def _log10(value: float) -> float:
    return -math.inf if value == 0 else math.log10(value)


def _nodes(value: Value | list[Node], words: str) -> list[Node]:
    if not isinstance(value, list) or not all(isinstance(node, Node) for node in value):
        raise ValueError(words)
    return [node for node in value if isinstance(node, Node)]


def _position(nodes: Value | list[Node]) -> float:
    """ODK's position(node): the number of a repeat's row among the rows (1 for the first), as
    position(..) of a field in a row."""
    found = _nodes(nodes, "position()的参数须指向重复组的一项，如 position(..)")
    if not found:
        raise ValueError("position()的参数须指向重复组的一项，如 position(..)")
    return float(found[0].position)


def _indexed_repeat(values: Value | list[Node], rows: Value | list[Node], index: Value | list[Node]) -> str:
    """indexed-repeat(${field}, ${repeat}, n): the field's value in the repeat's n-th row ("" when the
    repeat has no such row)."""
    found = _nodes(values, "indexed-repeat()的第一个参数须是重复组内的字段")
    instances = _nodes(rows, "indexed-repeat()的第二个参数须是重复组")
    at = number([n.value if isinstance(n, Node) else n for n in index] if isinstance(index, list) else index)
    if math.isnan(at) or not 1 <= at <= len(instances):
        return ""
    row = instances[math.trunc(at) - 1].key
    return next((node.value for node in found if row in node.within), "")


def _count(nodes: Value) -> float:
    if not isinstance(nodes, list):
        raise ValueError("count()的参数须是字段")
    return float(len(nodes))


def _count_non_empty(nodes: Value) -> float:
    if not isinstance(nodes, list):
        raise ValueError("count-non-empty()的参数须是字段")
    return float(sum(1 for node in nodes if node != ""))


def _today() -> str:
    return ENVIRONMENT.get().today


def _moment(value: Value) -> date | datetime | None:
    """A date or a moment from an ISO text or a number of days since 1970; None for a blank."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=value)).astimezone(TIMEZONE)
    text = string(value).strip()
    if not text:
        return None
    moment = _moment_of_text(text)
    if moment is None:
        raise ValueError(f"“{text}”不是日期")
    return moment.astimezone(TIMEZONE) if isinstance(moment, datetime) else moment


def _date(value: Value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return (EPOCH + timedelta(days=_whole(value))).isoformat()
    moment = _moment(value)
    if moment is None:
        return ""
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def _decimal_date_time(value: Value) -> Value:
    if isinstance(value, float):
        return value
    text = string(value).strip()
    if not text:
        return ""
    days = epoch_days(text)
    if days is None:
        raise ValueError(f"“{text}”不是日期")
    return days


def _format_date(value: Value, pattern: Value) -> str:
    """%Y %y %m %n %b %d %e %a, and for a moment %H %h %M %S %3; names of months and days in Chinese."""
    moment = _moment(value)
    if moment is None:
        return ""
    when = moment if isinstance(moment, datetime) else datetime(*moment.timetuple()[:3], tzinfo=TIMEZONE)
    parts = {
        "Y": f"{when.year:04d}",
        "y": f"{when.year % 100:02d}",
        "m": f"{when.month:02d}",
        "n": str(when.month),
        "b": f"{when.month}月",
        "d": f"{when.day:02d}",
        "e": str(when.day),
        "a": WEEKDAYS[when.weekday()],
        "H": f"{when.hour:02d}",
        "h": str(when.hour),
        "M": f"{when.minute:02d}",
        "S": f"{when.second:02d}",
        "3": f"{when.microsecond // 1000:03d}",
    }
    return re.sub(r"%(.)", lambda m: parts.get(m.group(1), m.group(0)), string(pattern))


def _selected(values: Value, choice: Value) -> bool:
    return string(choice).strip() in string(values).split()


def _selected_at(values: Value, index: Value) -> str:
    names = string(values).split()
    position = number(index)
    if math.isnan(position):
        return ""
    at = math.trunc(position)
    return names[at] if 0 <= at < len(names) else ""


def _count_selected(values: Value) -> float:
    return float(len(string(values).split()))


QUESTION = re.compile(r"\$\{\s*([^}\s]*)\s*\}|/data/([\w./-]+)|(?:\.\./)+(?:[\w.-]+/)*([\w.-]+)")


def _choice_name(value: Value, question: Value) -> str:
    """The label of the choice `value` of the select question named by `question`: '${name}' (or its
    path, absolute or, in a repeat's row, relative)."""
    definition = ENVIRONMENT.get().definition
    found = QUESTION.fullmatch(string(question).strip())
    if found is None:
        return ""
    if found.group(2):
        paths = {f.path: f for f in definition.fields}
        for repeat in definition.repeats:
            paths.update({f"{repeat.path}/{f.path}": f for f in repeat.fields})
        field = paths.get(found.group(2))
    else:
        field = definition.any_field.get(found.group(1) or found.group(3))
    name = string(value)
    if field is None:
        return ""
    return next((choice.label for choice in field.choices if choice.name == name), "")


@dataclass(frozen=True)
class Function:
    callback: Callable[..., Value]
    least: int  # the fewest arguments
    most: int | None  # the most; None for any number
    lazy: bool = False  # takes callables that evaluate its arguments (if, coalesce, once)
    nodes: bool = False  # takes a node-set argument as its `Node`s (position, indexed-repeat)


def _fixed(
    callback: Callable[..., Value], count: int, *, lazy: bool = False, nodes: bool = False
) -> Function:
    return Function(callback, count, count, lazy, nodes)


# The XLSForm name of each function zhenwu evaluates (ODK XForms spec, "XPath Functions").
LIBRARY: dict[str, Function] = {
    # strings
    "string": _fixed(_string_function, 1),
    "concat": Function(_concat, 1, None),
    "join": Function(_join, 1, None),
    "substr": Function(_substr, 2, 3),
    "substring-before": _fixed(_substring_before, 2),
    "substring-after": _fixed(_substring_after, 2),
    "translate": _fixed(_translate, 3),
    "string-length": Function(_string_length, 0, 1),
    "normalize-space": Function(_normalize_space, 0, 1),
    "contains": _fixed(_contains, 2),
    "starts-with": _fixed(_starts_with, 2),
    "ends-with": _fixed(_ends_with, 2),
    "digest": Function(_digest, 2, 3),
    "base64-decode": _fixed(_base64_decode, 1),
    # booleans and choices
    "if": _fixed(_if, 3, lazy=True),
    "coalesce": _fixed(_coalesce, 2, lazy=True),
    "once": _fixed(_once, 1, lazy=True),
    "true": _fixed(_true, 0),
    "false": _fixed(_false, 0),
    "boolean": _fixed(_boolean_function, 1),
    "boolean-from-string": _fixed(_boolean_from_string, 1),
    "not": _fixed(_not, 1),
    "regex": _fixed(_regex, 2),
    # numbers
    "number": _fixed(_number_function, 1),
    "int": _fixed(_int, 1),
    "sum": _fixed(_sum, 1),
    "max": Function(_max, 1, None),
    "min": Function(_min, 1, None),
    "round": Function(_round, 1, 2),
    "pow": _fixed(_math(math.pow), 2),
    "log": _fixed(_math(_log), 1),
    "log10": _fixed(_math(_log10), 1),
    "abs": _fixed(_math(abs), 1),
    "sin": _fixed(_math(math.sin), 1),
    "cos": _fixed(_math(math.cos), 1),
    "tan": _fixed(_math(math.tan), 1),
    "asin": _fixed(_math(math.asin), 1),
    "acos": _fixed(_math(math.acos), 1),
    "atan": _fixed(_math(math.atan), 1),
    "atan2": _fixed(_math(math.atan2), 2),
    "sqrt": _fixed(_math(math.sqrt), 1),
    "exp": _fixed(_math(math.exp), 1),
    "exp10": _fixed(_math(lambda x: math.pow(10, x)), 1),
    "pi": _fixed(_math(lambda: math.pi), 0),
    # node-sets
    "count": _fixed(_count, 1),
    "count-non-empty": _fixed(_count_non_empty, 1),
    # repeats
    "position": _fixed(_position, 1, nodes=True),
    "indexed-repeat": _fixed(_indexed_repeat, 3, nodes=True),
    # dates
    "today": _fixed(_today, 0),
    "date": _fixed(_date, 1),
    "decimal-date-time": _fixed(_decimal_date_time, 1),
    "format-date": _fixed(_format_date, 2),
    "format-date-time": _fixed(_format_date, 2),
    # selects
    "selected": _fixed(_selected, 2),
    "selected-at": _fixed(_selected_at, 2),
    "count-selected": _fixed(_count_selected, 1),
    "jr:choice-name": _fixed(_choice_name, 2),
}

_VARYING = "每次计算的结果都不同，服务器复核记录时得不到手机上的同一结果"
_EXTERNAL = "它读取外部数据（CSV 文件或选项表），台账不读取外部数据"
_SHAPES = (
    "它计算多个位置点（geotrace、geoshape 或重复组中的点）的距离、面积或范围，台账只有单个位置（geopoint）"
)
# ODK functions zhenwu does not evaluate, with the reason; and XPath functions that are not XLSForm's,
# with the XLSForm function to use instead.
REFUSED: dict[str, str] = {
    "now": "台账只记日期，不记时刻；请用 today()",
    "random": _VARYING,
    "uuid": _VARYING,
    "randomize": _VARYING,
    "instance": _EXTERNAL,
    "pulldata": _EXTERNAL,
    "current": _EXTERNAL,
    "area": _SHAPES,
    "distance": _SHAPES,
    "geofence": _SHAPES,
    "intersects": _SHAPES,
    "decimal-time": "台账没有时间（time）题型",
    "jr:itext": "台账暂不支持此函数",
    "version": "台账暂不支持此函数",
    "property": "台账暂不支持此函数",
    "extract-signed": "台账暂不支持此函数",
    "checklist": "台账暂不支持此函数；请用 count-selected() 或比较式代替",
    "weighted-checklist": "台账暂不支持此函数；请用 if() 和加法代替",
}
INSTEAD: dict[str, str] = {
    "substring": "substr()",
    "floor": "int()",
    "ceiling": "int() 或 round()",
    "matches": "regex()",
    "current-date": "today()",
    "current-dateTime": "today()",
    "string-join": "join()",
    "last": "count()",
}


def refusal(name: str) -> str:
    """Why the function `name` is not evaluated, in Chinese, to follow 表达式“…”中的."""
    if name in REFUSED:
        return f"函数“{name}”台账不支持：{REFUSED[name]}。"
    if name in INSTEAD:
        return f"“{name}”不是 XLSForm 可用的函数，请用 {INSTEAD[name]}。"
    return f"“{name}”不是 XLSForm 可用的函数。"


def arity_problem(name: str, count: int) -> str:
    """What is wrong with calling `name` with `count` arguments, in Chinese; "" if nothing."""
    function = LIBRARY[name]
    if count >= function.least and (function.most is None or count <= function.most):
        return ""
    if function.most == 0:
        wanted = "不带参数"
    elif function.most is None:
        wanted = f"至少{function.least}个参数"
    elif function.least == function.most:
        wanted = f"须有{function.least}个参数"
    else:
        wanted = f"须有{function.least}到{function.most}个参数"
    return f"函数“{name}”{wanted}，这里有{count}个。"
