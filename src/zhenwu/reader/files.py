"""Reading a report file into text: UTF-8 (a BOM removed) or a .docx document."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

_BOM = "\ufeff"


def read_file(path: str | Path) -> str:
    """The text of a report: .docx paragraphs joined by newlines, anything else as UTF-8."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> str:
    """The text of an uploaded report, told apart by its file name as `read_file` does."""
    if name.lower().endswith(".docx"):
        return _read_docx(data)
    return data.decode("utf-8", errors="replace").removeprefix(_BOM)


def _read_docx(data: bytes) -> str:
    # Imported here so that plain-text reading never pays for python-docx.
    import docx

    document = docx.Document(BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs).removeprefix(_BOM)
