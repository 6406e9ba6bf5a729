"""Hostile uploads, generated: the files `bench/uploads_bench.py` posts to a running server.

    python bench/bombs.py [DIR]        # writes them into DIR (default var/bench/bombs) and lists them

Each is what a hostile or broken client could send, small on the wire and large or slow once opened:
- register_bad_rows.xlsx: a household register of 100,000 rows that are all wrong, every row the same
  and without cell references (about 200 KB);
- empty_rows.xlsx: a register whose sheet claims A1:XFD1048576 and holds 1,048,575 rows of one formatted
  empty cell (about 1 MB);
- zip_bomb.xlsx and zip_bomb.docx: a register and a report whose one big part inflates a thousandfold
  (512 MB of rows or paragraphs in about half a megabyte);
- shared_strings.xlsx: a register with three million distinct shared strings (each ratio honest);
- huge_document.docx: a report whose document.xml holds 240,000 distinct paragraphs (19 MB, ratio ~20);
- oversized.xlsx: 30 MB of noise named like a workbook;
- register_bad_rows_numbered.xlsx: the 100,000 bad rows again, numbered and each its own, so that they
  deflate honestly (about 25 times) and are read;
the floors, small right files: register_small.xlsx (100 households) and report_small.docx; and a right
file heavy on purpose, register_20k.xlsx (20,000 households), for what real work costs a worker.
Big parts are written in chunks, so generating takes little memory; nothing here is committed.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "bench" / "bombs"
MB = 1024 * 1024
REGISTER_COLUMNS = [
    "村/社区", "网格", "户编号", "住址", "户标签", "姓名", "与户主关系", "身份证号", "电话", "残疾"
]  # fmt: skip
SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT = "word/document.xml"


def skeleton_xlsx(header: list[str]) -> dict[str, bytes]:
    """The parts of a one-sheet workbook with a header row, as openpyxl writes it."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "名册"
    book.active.append(header)
    buffer = BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def skeleton_docx() -> dict[str, bytes]:
    import docx

    buffer = BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, parts: dict[str, bytes], streamed: dict[str, Iterable[bytes]]) -> Path:
    """`parts` as they are, and each of `streamed` written chunk by chunk (deflated, level 9)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            if name not in streamed:
                archive.writestr(name, content)
        for name, chunks in streamed.items():
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return path


def sheet_around(skeleton: bytes, rows: Iterable[bytes], dimension: str | None = None) -> Iterator[bytes]:
    """The skeleton's sheet with `rows` after its header row."""
    head, tail = skeleton.split(b"</sheetData>", 1)
    if dimension:
        head = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), head)
    yield head
    yield from rows
    yield b"</sheetData>" + tail


def batched(piece: bytes, count: int, per_chunk: int = 10_000) -> Iterator[bytes]:
    while count > 0:
        n = min(count, per_chunk)
        yield piece * n
        count -= n


def inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def register_bad_rows(path: Path, rows: int = 100_000) -> Path:
    parts = skeleton_xlsx(REGISTER_COLUMNS)
    bad = ["不存在村", "", "X1", "", "", "某", "表亲", "123", "abc", "也许"]
    row = ("<row>" + "".join(inline(text) for text in bad) + "</row>").encode()
    return write_zip(path, parts, {SHEET: sheet_around(parts[SHEET], batched(row, rows))})


def register_bad_rows_numbered(path: Path, rows: int = 100_000) -> Path:
    """The same, each row numbered and with its own household number: no longer a zip bomb (it deflates
    about 25 times), so it is read, and its faults are counted."""
    parts = skeleton_xlsx(REGISTER_COLUMNS)
    bad = ["不存在村", "", "X{n}", "", "", "某", "表亲", "123", "abc", "也许"]
    columns = "ABCDEFGHIJ"

    def generated() -> Iterator[bytes]:
        for start in range(2, rows + 2, 10_000):
            yield "".join(
                f'<row r="{n}">'
                + "".join(
                    f'<c r="{c}{n}" t="inlineStr"><is><t>{t.format(n=n)}</t></is></c>'
                    for c, t in zip(columns, bad, strict=True)
                )
                + "</row>"
                for n in range(start, min(start + 10_000, rows + 2))
            ).encode()

    return write_zip(path, parts, {SHEET: sheet_around(parts[SHEET], generated())})


def empty_rows(path: Path, rows: int = 1_048_576) -> Path:
    parts = skeleton_xlsx(REGISTER_COLUMNS)

    def generated() -> Iterator[bytes]:
        for start in range(2, rows + 1, 10_000):
            end = min(start + 10_000, rows + 1)
            yield "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(start, end)).encode()

    sheet = sheet_around(parts[SHEET], generated(), dimension="A1:XFD1048576")
    return write_zip(path, parts, {SHEET: sheet})


def zip_bomb_xlsx(path: Path, megabytes: int = 512) -> Path:
    parts = skeleton_xlsx(REGISTER_COLUMNS)
    row = b"<row>" + inline("\u5e9f").encode() * 10 + b"</row>"
    rows = batched(row, megabytes * MB // len(row))
    return write_zip(path, parts, {SHEET: sheet_around(parts[SHEET], rows)})


def zip_bomb_docx(path: Path, megabytes: int = 512) -> Path:
    parts = skeleton_docx()
    paragraph = "<w:p><w:r><w:t>全镇完成固定资产投资4.9亿元，同比增长28%。</w:t></w:r></w:p>".encode()
    body = batched(paragraph, megabytes * MB // len(paragraph))
    return write_zip(path, parts, {DOCUMENT: document_around(parts[DOCUMENT], body)})


def document_around(skeleton: bytes, paragraphs: Iterable[bytes]) -> Iterator[bytes]:
    head, tail = skeleton.split(b"<w:body>", 1)
    yield head + b"<w:body>"
    yield from paragraphs
    yield tail


def shared_strings(path: Path, strings: int = 3_000_000) -> Path:
    parts = skeleton_xlsx(REGISTER_COLUMNS)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )

    def generated() -> Iterator[bytes]:
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{strings}">'.encode()
        for start in range(0, strings, 10_000):
            yield "".join(f"<si><t>成员{n:08d}</t></si>" for n in range(start, start + 10_000)).encode()
        yield b"</sst>"

    return write_zip(path, parts, {"xl/sharedStrings.xml": generated()})


def huge_document(path: Path, paragraphs: int = 240_000) -> Path:
    parts = skeleton_docx()

    def generated() -> Iterator[bytes]:
        for start in range(0, paragraphs, 10_000):
            yield "".join(
                f"<w:p><w:r><w:t>第{n}项：全镇完成投资{n % 97}.{n % 10}亿元。</w:t></w:r></w:p>"
                for n in range(start, start + 10_000)
            ).encode()

    return write_zip(path, parts, {DOCUMENT: document_around(parts[DOCUMENT], generated())})


def oversized(path: Path, megabytes: int = 30) -> Path:
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(MB))
    return path


def register_small(path: Path, households: int = 100) -> Path:
    """A right register: one head per household in the demo's 东岗村, identity numbers valid."""
    return register_right(path, households)


def register_20k(path: Path) -> Path:
    return register_right(path, 20_000)


def register_right(path: Path, households: int) -> Path:
    from datetime import date, timedelta

    from openpyxl import Workbook

    from zhenwu.core import idcard

    book = Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(REGISTER_COLUMNS)
    for n in range(households):
        number = idcard.compose("990101", date(1940, 1, 1) + timedelta(days=n // 1000), n % 1000)
        sheet.append(["东岗村", "", f"B{n:05d}", "一组", "", f"成员{n}", "户主", number, "", "否"])
    book.save(path)
    return path


def report_small(path: Path) -> Path:
    import docx

    document = docx.Document()
    for n in range(40):
        document.add_paragraph(f"一季度全镇完成固定资产投资{n + 1}.5亿元，同比增长{n % 9 + 1}.2%。")
    document.save(path)
    return path


# name → (what it is, how to make it)
BOMBS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "register_bad_rows.xlsx": ("household register, 100,000 bad rows", register_bad_rows),
    "register_bad_rows_numbered.xlsx": (
        "household register, 100,000 bad rows, numbered",
        register_bad_rows_numbered,
    ),
    "empty_rows.xlsx": ("workbook claiming a million rows, all empty", empty_rows),
    "zip_bomb.xlsx": ("zip bomb as .xlsx (512 MB inflated)", zip_bomb_xlsx),
    "shared_strings.xlsx": ("3,000,000 shared strings", shared_strings),
    "oversized.xlsx": ("30 MB of noise named .xlsx", oversized),
    "zip_bomb.docx": ("zip bomb as .docx (512 MB inflated)", zip_bomb_docx),
    "huge_document.docx": (".docx of 240,000 paragraphs", huge_document),
}
FLOORS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "register_small.xlsx": ("floor: a right register of 100 households", register_small),
    "report_small.docx": ("floor: a right report of 40 paragraphs", report_small),
}
# Right files that are heavy on purpose: what a worker spends on real work, beside what a bomb costs it.
REFERENCES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "register_20k.xlsx": ("a right register of 20,000 households (checked, not saved)", register_20k),
}


def generate(directory: Path = DEFAULT_DIR) -> dict[str, Path]:
    """Every file, made once: an existing file is kept (delete the directory to make them again)."""
    directory.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, (_, make) in {**BOMBS, **FLOORS, **REFERENCES}.items():
        path = directory / name
        if not path.exists():
            partial = directory / f".{name}.partial"
            make(partial)
            partial.rename(path)
        made[name] = path
    return made


def unpacked_size(path: Path) -> int:
    if not zipfile.is_zipfile(path):
        return path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    for name, path in generate(target).items():
        sent, unpacked = path.stat().st_size / MB, unpacked_size(path) / MB
        print(f"{name:24} {sent:8.2f} MB sent {unpacked:9.1f} MB unpacked")
