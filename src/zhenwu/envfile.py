"""The `.env` file of a checkout: the variables `make demo` wrote for the demo on this machine.

Every `zhenwu` command run in the checkout reads it, so that the command line uses the configuration the
demo server uses. Production sets its variables in the environment (systemd, a container) and needs no
file. A variable already set in the environment always wins over the file.

The format is the common one: `KEY=VALUE` lines (an `export ` before the name is allowed), blank lines and
`#` comments, a value in single or double quotes taken as written. A line that is none of these stops
the command with a message naming the file and the line, rather than being skipped: a skipped line would
leave a setting silently at its default.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ASSIGNMENT = re.compile(r"\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<rest>.*)")
QUOTED = re.compile(r"\"(?P<double>(?:[^\"\\]|\\.)*)\"|'(?P<single>[^']*)'")
COMMENT_ONLY = re.compile(r"\s*(?:#.*)?")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def parse(text: str, source: str) -> dict[str, str]:
    """The variables in `text`, read from `source` (named in the message when a line is malformed)."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assignment = ASSIGNMENT.fullmatch(line)
        if assignment is None:
            # The line itself is not echoed: it may hold a secret.
            raise ImproperlyConfigured(
                f"{source} 第{number}行无法识别：每行应为 名称=值（如 DEBUG=1），名称由字母、数字和下划线"
                "组成，注释行以 # 开头。"
            )
        value = _value(assignment["rest"])
        if value is None:
            raise ImproperlyConfigured(
                f"{source} 第{number}行 {assignment['key']} 的值无法识别：引号须在同一行内闭合，"
                "闭合引号后只可有 # 注释。"
            )
        found[assignment["key"]] = value
    return found


def _value(rest: str) -> str | None:
    """The value after `=`: quoted (then only a comment may follow), or bare up to a ` #` comment; None
    when a quote is not closed on its line."""
    if rest[:1] in ("'", '"'):
        quoted = QUOTED.match(rest)
        if quoted is None or not COMMENT_ONLY.fullmatch(rest[quoted.end() :]):
            return None
        if quoted["single"] is not None:
            return quoted["single"]
        return re.sub(r"\\(.)", lambda m: ESCAPES.get(m[1], m[0]), quoted["double"])
    if rest.startswith("#"):
        return ""
    return re.split(r"\s#", rest, maxsplit=1)[0].strip()


def load(path: Path, environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Set the variables of the file at `path` that the environment does not set already; a missing
    file sets nothing. Returns what was set."""
    environ = os.environ if environ is None else environ
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{path} 无法读取（应为 UTF-8 文本）：{error}") from None
    added = {key: value for key, value in parse(text, str(path)).items() if key not in environ}
    environ.update(added)
    return added
