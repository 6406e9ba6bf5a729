"""The report reader: which figures a Chinese report states, and which of them disagree.

Pure Python, no Django: `analyse(text)` returns an `Audit`; `to_json(audit)` gives the JSON shape
that `zhenwu check --json` prints; `read_file(path)` reads .txt (UTF-8) or .docx.
"""

from zhenwu.reader.audit import analyse, to_json
from zhenwu.reader.files import read_bytes, read_file
from zhenwu.reader.model import SEVERITY_LABELS, Audit, Figure, Finding

__all__ = ["SEVERITY_LABELS", "Audit", "Figure", "Finding", "analyse", "read_bytes", "read_file", "to_json"]
