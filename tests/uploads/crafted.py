"""Hostile files, small: workbooks and documents with one part rewritten by hand, zips that lie.

openpyxl and python-docx write only well-formed files, so each helper starts from one they wrote and
changes the bytes a hostile file would change.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

import docx
from openpyxl import Workbook

SHEET_PART = "xl/worksheets/sheet1.xml"


def book_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_bytes(rows: list[list[Any]], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book_bytes(book)


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The same zip with one part's bytes changed (or added, when it is not there)."""
    parts = members(data)
    parts[part] = edit(parts.get(part, b""))
    return zipped(parts)


def set_cell_xml(data: bytes, cell: str, xml: str) -> bytes:
    """Replace the <c> element of `cell` in the first sheet with raw XML."""

    def edit(sheet: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + cell.encode() + rb'"(?:[^>]*/>|.*?</c>)', re.S)
        assert pattern.search(sheet), f"no cell {cell}"
        return pattern.sub(xml.encode(), sheet, count=1)

    return rewrite(data, SHEET_PART, edit)


def with_rows_xml(data: bytes, extra_rows: bytes, dimension: str | None = None) -> bytes:
    """Append raw <row> elements at the end of the first sheet's data, optionally claiming a dimension."""

    def edit(sheet: bytes) -> bytes:
        sheet = sheet.replace(b"</sheetData>", extra_rows + b"</sheetData>", 1)
        if dimension is not None:
            sheet = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), sheet)
        return sheet

    return rewrite(data, SHEET_PART, edit)


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """The same zip, but its local and central headers say `part` holds `size` bytes once inflated: a
    member that lies about its size."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        info = archive.getinfo(part)
    out = bytearray(data)
    # Local file header: the uncompressed size is at offset 22.
    struct.pack_into("<L", out, info.header_offset + 22, size)
    name = part.encode()
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<L", out, central + 24, size)  # central directory: uncompressed size
            return bytes(out)
        central = data.rfind(b"PK\x01\x02", 0, central)
    raise AssertionError(f"no central directory entry for {part}")
