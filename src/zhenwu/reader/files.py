"""Reading a report file into text: UTF-8 (a BOM removed) or a .docx document.

A .docx is a zip, checked part by part before python-docx opens it (zhenwu.core.uploads); an upload is
also held to its kind's size and length (`limit`). Anything that cannot be read is `UploadRefused`, with
a message in Chinese naming the file.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from zhenwu.core.uploads import LIMITS, Limit, UploadRefused, check_archive, check_size, check_text

_BOM = "\ufeff"
# A report read from disk (`zhenwu check FILE`) is someone's own file: no size or length limit, but a
# .docx is still checked as a zip, against the number check's limits.
_DOCX_DEFAULT = LIMITS["number_check"]


def read_file(path: str | Path) -> str:
    """The text of a report: .docx paragraphs joined by newlines, anything else as UTF-8."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str, limit: Limit | None = None) -> str:
    """The text of an uploaded report, told apart by its file name as `read_file` does; with `limit`,
    a file over its size or a text over its length is refused."""
    if limit is not None:
        check_size(len(data), name, limit)
    if name.lower().endswith(".docx"):
        text = _read_docx(data, name, limit or _DOCX_DEFAULT)
    else:
        text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    if limit is not None and limit.max_chars:
        check_text(text, f"“{name}”", limit)
    return text


def _read_docx(data: bytes, name: str, limit: Limit) -> str:
    check_archive(data, name, limit, "docx")
    # Imported here so that plain-text reading never pays for python-docx.
    import docx

    try:
        document = docx.Document(BytesIO(data))
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
    except Exception as error:  # python-docx raises many types (zip, XML, key errors) for a non-document
        raise UploadRefused(f"无法读取该 .docx 文件“{name}”：请确认它是 Word 文档。") from error
    return "\n".join(paragraphs).removeprefix(_BOM)
