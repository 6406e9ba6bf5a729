"""XLSForm expressions (constraint, relevant, calculation, default) evaluated over a record.

A record is turned into the instance an XForm client would hold — `<data><field>value</field>…</data>`,
groups nested as in the XForm, each row of a repeat one element of the repeat's name — and the expression,
with each `${name}` replaced by its field's path, is parsed by elementpath, a maintained XPath engine, and
evaluated there. As pyxform writes them, `${name}` of a field in the same repeat as the expression's own
field is the relative path to it in the same row (`../qty`), and any other `${name}` (a repeat's name
included) the absolute path, so that `sum(${qty})` and `count(${outputs})` outside a repeat read every
row; an expression of a repeat's field is evaluated in each row. The values, the operators and the
XForm function library are XPath 1.0's as the ODK XForms specification extends them (`xpath.py`): a
comparison with a blank number is false (`${age} > 18` while age is blank), dates compare and count as
days (`. <= today()`, `${deadline} - ${found_on}`), numbers are doubles.

Before it is parsed, an expression is read once (`_lexed`): every function it calls must be one of the
XLSForm functions zhenwu evaluates, with the right number of arguments, and is called under zhenwu's
own prefix; after it is parsed, only XPath 1.0's syntax is allowed (not XPath 2.0's `if … then`,
`for`, `to`, `eq`, sequences or variables). A definition that breaks either is refused when it is
loaded, with its sheet, row and column (`expression_error`), so that no grid worker meets it.

Pure: no Django.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from copy import copy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import elementpath
from elementpath import XPath2Parser, XPathContext, XPathNode, get_node_tree

from zhenwu.registers import xpath
from zhenwu.registers.definition import Field, repeat_key, row_words
from zhenwu.registers.xpath import TIMEZONE, Value

if TYPE_CHECKING:
    from zhenwu.registers.definition import Definition, Repeat

ROOT = "data"
XFORMS_NAMESPACE = "urn:zhenwu:xforms"
REFERENCE = re.compile(r"\$\{\s*([^}\s]*)\s*\}")
TOP = -1  # the row of a field outside any repeat
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The lexemes of an XLSForm expression, enough to tell a function call from a name or an operator.
LEXEME = re.compile(
    r"""(?P<space>\s+)
      | (?P<literal>'[^']*'|"[^"]*")
      | (?P<reference>\$\{[^}]*\})
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<name>[^\W\d][\w.-]*(?::[^\W\d][\w.-]*)?)
      | (?P<symbol>\.\.|//|!=|<=|>=|::|.)""",
    re.VERBOSE,
)
# XPath 1.0's syntax as XForms uses it: what may appear in a parsed expression besides function calls.
XPATH_1_SYMBOLS = frozenset(
    (
        "(name)", "(string)", "(integer)", "(decimal)", ".", "..", "*", "/", "//", "[", "(", "|",
        "+", "-", "div", "mod", "=", "!=", "<", ">", "<=", ">=", "and", "or",
    )
)  # fmt: skip


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
    return record.kept(record.computed(), {})


def check_record(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> dict[str, str]:
    """Field name -> what is wrong with it, in Chinese; empty when the record may be saved.

    A field of a repeat's row is named by `repeat_key` ("outputs-1-qty"), its message naming the repeat,
    the row and the field ("产出第2项「数量」：…"). Calculations and defaults are made first. Fields that
    are not relevant are not checked (they are cleared when the record is saved). Never raises: an
    expression that fails is reported on its field (a repeat's relevant, on the repeat).
    """
    record = _Record(definition, values, today)
    return record.errors(record.computed(), {})


def checked_values(
    definition: Definition, values: Mapping[str, object], today: date | None = None
) -> tuple[dict[str, str], dict[str, object]]:
    """`check_record` and then, when it finds nothing wrong, `relevant_values`, from one evaluation of
    the record (each field's relevance, in each row, evaluated once): what the server checks of every
    record it keeps, and an import checks 100,000 of them. Raises as `relevant_values` does, never when
    there is something wrong."""
    record = _Record(definition, values, today)
    result = record.computed()
    relevance: dict[Place, bool] = {}
    errors = record.errors(result, relevance)
    if errors:
        return errors, {}
    return errors, record.kept(result, relevance)


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


# A field's place in the record: its name and its repeat row (TOP outside any repeat). A repeat's row
# is named so too, by the repeat's name (names are unique in the whole form).
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

    def _held(self, name: str, row: int) -> dict[str, object]:
        """The dict holding the value of the field `name` in `row`."""
        return self.values if row == TOP else self.rows[self.definition.any_field[name].repeat][row]

    def set(self, name: str, value: object, row: int = TOP) -> None:
        self._held(name, row)[name] = value
        self.elements[(name, row)].text = to_text(value)

    def computed(self) -> dict[str, object]:
        """Defaults for fields not given, then calculations in survey order (in each row of a repeat),
        twice, so that a calculation may use one further down."""
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

    def errors(self, result: Mapping[str, object], relevance: dict[Place, bool]) -> dict[str, str]:
        """check_record's errors of the computed `result`; each relevance read is kept in `relevance`."""
        errors: dict[str, str] = {}
        for f in self.definition.fields:
            problem = self.checked(f, TOP, result.get(f.name), relevance)
            if problem:
                errors[f.name] = problem
        for repeat in self.definition.repeats:
            for index, row in enumerate(self.rows.get(repeat.name, [])):
                try:
                    if not self.row_relevant(repeat, index, relevance):
                        continue
                except ExpressionError as error:
                    errors[repeat.name] = f"无法检查「{repeat.title}」：{error}"
                    break
                for f in repeat.fields:
                    problem = self.checked(f, index, row.get(f.name), relevance)
                    if problem:
                        errors[repeat_key(repeat.name, index, f.name)] = (
                            f"{row_words(repeat, index, f)}：{problem}"
                        )
        return errors

    def kept(self, result: Mapping[str, object], relevance: dict[Place, bool]) -> dict[str, object]:
        """relevant_values of the computed `result`, with the relevance already read in `relevance`."""
        kept: dict[str, object] = {}
        for item in self.definition.items():
            if item.name not in result:
                continue
            if isinstance(item, Field):
                if item.type != "note" and self.relevant(item, TOP, relevance):
                    kept[item.name] = result[item.name]
                continue
            rows = [
                {
                    f.name: row[f.name]
                    for f in item.fields
                    if f.type != "note" and f.name in row and self.relevant(f, index, relevance)
                }
                for index, row in enumerate(self.rows.get(item.name, []))
                if self.row_relevant(item, index, relevance)
            ]
            if rows:
                kept[item.name] = rows
        return kept

    def relevant(self, f: Field, row: int = TOP, relevance: dict[Place, bool] | None = None) -> bool:
        """Whether a field is asked in its place, read once when `relevance` keeps what was read."""
        if relevance is not None and (f.name, row) in relevance:
            return relevance[(f.name, row)]
        found = not f.relevant or self.is_true(f.relevant, f.name, row)
        if relevance is not None:
            relevance[(f.name, row)] = found
        return found

    def row_relevant(self, repeat: Repeat, row: int, relevance: dict[Place, bool] | None = None) -> bool:
        """Whether a repeat's row is relevant: its relevant read with the row itself as `.`."""
        if not repeat.relevant:
            return True
        if relevance is not None and (repeat.name, row) in relevance:
            return relevance[(repeat.name, row)]
        result = self._run(repeat.relevant, None, node=self.instances.get((repeat.name, row)))
        found = xpath.boolean(_value(result))
        if relevance is not None:
            relevance[(repeat.name, row)] = found
        return found

    def checked(self, f: Field, row: int, value: object, relevance: dict[Place, bool]) -> str:
        """What is wrong with a field's value in its place, "" when nothing or when it is not asked."""
        if f.type in ("note", "calculate"):
            return ""
        try:
            return self.problem(f, value, row) if self.relevant(f, row, relevance) else ""
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
        return _python(self._run(expression, current, row))

    def is_true(self, expression: str, current: str | None, row: int = TOP) -> bool:
        if not expression.strip():
            return True
        return xpath.boolean(_value(self._run(expression, current, row)))

    def _run(self, expression: str, current: str | None, row: int = TOP, *, node: Any = None) -> Any:
        """The expression evaluated with `.` the field `current` in `row` (else `node`, else the root)."""
        field = self.definition.any_field.get(current) if current else None
        token = _token(expression, self.definition, field)
        item = self.nodes.get((current, row)) if current else node
        context = XPathContext(self.tree, item=item)
        held = self._held(current, row) if current and (current, row) in self.elements else self.values
        environment = xpath.Environment(self.today, self.definition, held, current)
        reset = xpath.ENVIRONMENT.set(environment)
        try:
            return token.evaluate(context)
        except elementpath.ElementPathError as error:
            raise ExpressionError(_describe(error, expression)) from None
        except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
            raise ExpressionError(f"表达式“{expression}”无法计算（{error}）。") from None
        finally:
            xpath.ENVIRONMENT.reset(reset)

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
        return _compiled(_rewritten(expression, definition, current), expression)
    except elementpath.ElementPathError as error:
        raise ExpressionError(_describe(error, expression)) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise ExpressionError(f"表达式“{expression}”无法解析（{error}）。") from None


def _rewritten(expression: str, definition: Definition, current: Field | None = None) -> str:
    """`${name}` as the field's path, as pyxform writes it (relative within the repeat of `current`, else
    absolute; a repeat's name, the path of its rows), and every function call under zhenwu's prefix."""
    fields = definition.any_field
    repeats = definition.repeats_by_name
    paths = []
    for name in REFERENCE.findall(expression):
        f = fields.get(name)
        if f is None and name in repeats:
            paths.append((name, f" /{ROOT}/{repeats[name].path} "))
            continue
        if f is None:
            raise ExpressionError(f"引用的字段“{name}”在survey表中不存在。")
        if f.repeat and current is not None and current.repeat == f.repeat:
            # Up from `.` to the row's element, then down to the sibling.
            up = "/".join([".."] * (current.path.count("/") + 1))
            paths.append((name, f" {up}/{f.path} "))
        elif f.repeat:
            paths.append((name, f" /{ROOT}/{repeats[f.repeat].path}/{f.path} "))
        else:
            paths.append((name, f" /{ROOT}/{f.path} "))
    return _lexed(expression, tuple(paths))


@lru_cache(maxsize=4096)
def _lexed(expression: str, paths: tuple[tuple[str, str], ...]) -> str:
    """The expression rewritten for the parser, read lexeme by lexeme as XPath 1.0 reads it; `paths`
    gives what each `${name}` is rewritten to.

    A name followed by `(` is a function call unless it comes right after an operand (then it is an
    operator: and, or, div, mod). String literals are kept as written.
    """
    path_of = dict(paths)
    lexemes = [(m.lastgroup or "", m.group()) for m in LEXEME.finditer(expression)]
    pieces: list[str] = []
    operand = False  # whether the lexeme before ends an operand
    calls: list[list[Any]] = []  # per open bracket: [function name or "", commas, has content]
    called = ""  # the function whose `(` comes next
    for index, (kind, text) in enumerate(lexemes):
        if kind == "space":
            pieces.append(text)
            continue
        if calls and text not in (")", "]", ","):
            calls[-1][2] = True
        if kind == "reference":
            name = REFERENCE.fullmatch(text)
            pieces.append(path_of[name.group(1)] if name else text)
            operand = True
        elif kind == "name" and not operand and _next(lexemes, index) == "(":
            if text not in xpath.LIBRARY:
                raise ExpressionError(f"表达式“{expression}”中的{xpath.refusal(text)}")
            pieces.append(f"xf:{_internal(text)}")
            called, operand = text, False
        elif kind == "name":
            # After an operand a name is an operator (and, or, div, mod); otherwise a step of a path.
            pieces.append(text)
            operand = not operand
        else:
            pieces.append(text)
            if kind in ("literal", "number") or text in (".", ".."):
                operand = True
            elif text in ("(", "["):
                calls.append([called if text == "(" else "", 0, False])
                called, operand = "", False
            elif text in (")", "]"):
                if calls:
                    function, commas, content = calls.pop()
                    problem = xpath.arity_problem(function, commas + 1 if content else 0) if function else ""
                    if problem:
                        raise ExpressionError(f"表达式“{expression}”中的{problem}")
                operand = True
            elif text == ",":
                if calls:
                    calls[-1][1] += 1
                operand = False
            elif text == "*":
                operand = not operand  # after an operand a multiplication, otherwise a wildcard step
            else:
                operand = False
    return "".join(pieces)


def _next(lexemes: list[tuple[str, str]], index: int) -> str:
    return next((text for kind, text in lexemes[index + 1 :] if kind != "space"), "")


def _internal(name: str) -> str:
    """The name a function is registered under in zhenwu's namespace (XPath 2.0 reserves `if`)."""
    return {"if": "cond", "jr:choice-name": "choice-name"}.get(name, name)


_parse_lock = threading.Lock()


@lru_cache(maxsize=4096)
def _compiled(rewritten: str, expression: str) -> Any:
    """Parsing is not thread-safe (the parser keeps its state), evaluating a parsed expression is."""
    with _parse_lock:
        token = _PARSER.parse(rewritten)
    _check_syntax(token, expression)
    return token


def _check_syntax(token: Any, expression: str) -> None:
    """XPath 1.0 only: XPath 2.0's constructs would not run on a phone, so they are refused."""
    if token.symbol == ":" and getattr(token[1], "namespace", None) == XFORMS_NAMESPACE:
        for argument in token[1]:
            _check_syntax(argument, expression)
        return
    if token.symbol not in XPATH_1_SYMBOLS:
        if token.symbol in ("(float)", "(double)"):
            raise ExpressionError(f"表达式“{expression}”使用了 XLSForm 不支持的科学计数法（如 1.5e3）。")
        shown = token.source if token.symbol == ":" else token.symbol
        raise ExpressionError(f"表达式“{expression}”使用了 XLSForm 不支持的写法“{shown}”。")
    for child in token:
        _check_syntax(child, expression)


def _describe(error: Exception, expression: str) -> str:
    text = str(error)
    if "XPST0017" in text or "unknown function" in text:
        found = re.search(r"'([\w:.-]+)'", text)
        name = found.group(1).removeprefix("xf:") if found else ""
        return f"表达式“{expression}”中的函数“{name}”不存在或参数个数不对。"
    if "XPST0003" in text:
        return f"表达式“{expression}”语法有误，请检查括号、引号和运算符是否配对。"
    return f"表达式“{expression}”有误：{text}"


def _value(result: object) -> Value:
    """An elementpath result as an XPath 1.0 value: a node-set is the list of its nodes' values."""
    if isinstance(result, list):
        if len(result) == 1 and not isinstance(result[0], XPathNode):
            return _value(result[0])
        return [str(item.string_value) if isinstance(item, XPathNode) else str(item) for item in result]
    if isinstance(result, XPathNode):
        return [str(result.string_value)]
    if isinstance(result, bool | float | str):
        return result
    if isinstance(result, int | Decimal):
        return float(result)
    return str(result)


def _python(result: object) -> object:
    """An XPath result as a plain Python value: a node-set gives its first node's text."""
    value = _value(result)
    return xpath.string(value) if isinstance(value, list) else value


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
# The XPath parser: elementpath's, with XPath 1.0's operators and the XForm functions


def _argument(token: Any, context: Any) -> Value:
    return _value(token.evaluate(copy(context)))


def _call(self: Any, context: Any = None) -> Value:
    """A call of an XForm function: its arguments as XPath 1.0 values (or, for a lazy one, callables)."""
    if context is None:  # elementpath's static evaluation when parsing: calls wait for a record
        raise self.missing_context()
    function: xpath.Function = self.xform_function
    if function.lazy:
        thunks = [_thunk(argument, context) for argument in self]
        return function.callback(*thunks)
    if function.nodes:
        return function.callback(*(_node_argument(argument, context) for argument in self))
    return function.callback(*(_argument(argument, context) for argument in self))


def _node_argument(token: Any, context: Any) -> Value | list[xpath.Node]:
    """An argument of a function that reads where nodes are (position, indexed-repeat): a node-set as
    its nodes, anything else as a value."""
    result = token.evaluate(copy(context))
    items = result if isinstance(result, list) else [result]
    if not items or not all(isinstance(item, XPathNode) for item in items):
        return _value(result)
    return [_node(item) for item in items]


def _node(node: XPathNode) -> xpath.Node:
    parent = node.parent
    position = 1
    if parent is not None:
        same = [child for child in parent if getattr(child, "name", None) == node.name]
        position = next((n for n, child in enumerate(same, start=1) if child is node), 1)
    within: list[int] = []
    ancestor: XPathNode | None = node
    while ancestor is not None:
        within.append(id(ancestor))
        ancestor = ancestor.parent
    return xpath.Node(str(node.string_value), position, id(node), frozenset(within))


def _thunk(token: Any, context: Any) -> Callable[[], Value]:
    return lambda: _argument(token, context)


def _any(*arguments: Any) -> Any:
    """What elementpath registers; the token's `evaluate` and `nargs` are then set from the library."""
    raise NotImplementedError


def _operator(symbol: str, base: type[Any]) -> type[Any]:
    """An operator token evaluated on XPath 1.0 values (`xpath.compare`, `xpath.arithmetic`)."""

    def evaluate(self: Any, context: Any = None) -> Any:
        if symbol == "*" and len(self) != 2:
            return base.evaluate(self, context)  # a wildcard step
        if symbol in ("+", "-") and len(self) == 1:
            value = xpath.number(_argument(self[0], context))
            return value if symbol == "+" else -value
        left = _argument(self[0], context)
        if symbol == "and":
            return xpath.boolean(left) and xpath.boolean(_argument(self[1], context))
        if symbol == "or":
            return xpath.boolean(left) or xpath.boolean(_argument(self[1], context))
        right = _argument(self[1], context)
        if symbol in ("=", "!=", "<", ">", "<=", ">="):
            return xpath.compare(symbol, left, right)
        return xpath.arithmetic(symbol, left, right)

    return type(f"XForm{base.__name__}", (base,), {"evaluate": evaluate})


def _make_parser() -> XPath2Parser:
    parser = XPath2Parser(compatibility_mode=True, namespaces={"xf": XFORMS_NAMESPACE})
    for name, function in xpath.LIBRARY.items():
        token_class = parser.external_function(_any, name=_internal(name), prefix="xf")
        token_class.evaluate = _call  # type: ignore[method-assign,assignment]
        token_class.xform_function = function  # type: ignore[attr-defined]
        least, most = function.least, function.most
        token_class.nargs = least if least == most else (least, most)
    for symbol in ("=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "div", "mod", "and", "or"):
        parser.symbol_table[symbol] = _operator(symbol, parser.symbol_table[symbol])
    return parser


_PARSER = _make_parser()
