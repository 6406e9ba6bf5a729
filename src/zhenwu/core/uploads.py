"""What an upload may be (docs/uploads.md), and the checks that hold a file to it before a parser reads it.

Every upload kind has one `Limit` in `LIMITS`; the importers, the report readers, the forms and the photo
check all read their numbers from there. An .xlsx or .docx is a zip: `check_archive` refuses it from
the central directory alone (number of parts, each part's and the total unpacked size, the compression
ratio), then reads every part once as a stream, never more than its declared size, and counts the XML
markup a parser would have to build: in all, within one row or shared string, and shared strings in
all. Only a file that passes is handed to openpyxl or python-docx. Refusals are `UploadRefused`, with a
message in Chinese naming the file and the limit.

Pure: no Django.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from itertools import pairwise
from typing import IO
from xml.parsers import expat

KB = 1024
MB = 1024 * 1024

# An .xlsx from Excel has about ten parts, a .docx with pictures a few hundred at most. zipfile makes an
# object of every entry of the central directory when it opens a zip, so the directory's size is checked
# first: 1 MB holds a thousand entries with long names, and 20,000 objects at the most.
MAX_PARTS = 1000
MAX_DIRECTORY = 1 * MB
# Office parts deflate 3–15 times (a sheet of empty formatted cells up to about 60); deflate itself stops
# near 1032, which is what a zip bomb is made of. Parts under RATIO_FROM cannot hurt whatever their ratio.
MAX_RATIO = 100
RATIO_FROM = 1 * MB
# openpyxl reads a sheet row by row but holds one whole row (and each shared string) while it parses it,
# and every part that is not a sheet at once: no such piece may hold more markup, or more bytes, than
# this. A full row of Excel (16,384 cells) takes at most about 100,000 tags.
MAX_TAGS_IN_ONE = 200_000
MAX_BYTES_IN_ONE = 16 * MB
EXCEL_MAX_ROWS = 1_048_576
# A page listing every fault of a hostile file would be the next thing to exhaust a worker.
MAX_LISTED_ERRORS = 200
CHUNK = 1 * MB


class UploadRefused(Exception):
    """An upload outside its limits or not what it claims to be; the message is for the user."""


@dataclass(frozen=True)
class Limit:
    """The limits of one kind of upload; 0 means the limit does not apply to the kind."""

    label: str
    max_bytes: int
    max_rows: int = 0  # rows with content, the header not counted
    max_unpacked: int = 0  # all parts of the zip, unpacked
    max_part: int = 0  # any one part, unpacked
    max_tags: int = 0  # XML tags in all parts: the work a parser does and, for python-docx, its memory
    max_strings: int = 0  # an .xlsx's shared strings, all held in memory by openpyxl
    max_chars: int = 0  # characters of text read from the file, or pasted
    max_pixels: int = 0
    max_files: int = 1


LIMITS: dict[str, Limit] = {
    # A township's register: 20,000 households, 100,000 members, ten columns (about 64 MB of sheet XML
    # when written with inline strings).
    "register": Limit(
        "农户名册", 20 * MB, max_rows=100_000, max_unpacked=200 * MB, max_part=150 * MB,
        max_tags=12_000_000, max_strings=1_000_000,
    ),
    # One row per household head.
    "roll": Limit(
        "补贴清册", 10 * MB, max_rows=50_000, max_unpacked=50 * MB, max_part=40 * MB,
        max_tags=3_000_000, max_strings=250_000,
    ),
    # One row per indicator and unit: 300 indicators × 60 units at the most.
    "indicator_values": Limit(
        "指标填报", 10 * MB, max_rows=20_000, max_unpacked=50 * MB, max_part=40 * MB,
        max_tags=3_000_000, max_strings=250_000,
    ),
    # A county's org tree: a few hundred units and offices; its accounts: a few thousand people.
    "org_tree": Limit(
        "组织机构", 2 * MB, max_rows=5_000, max_unpacked=20 * MB, max_part=15 * MB,
        max_tags=1_000_000, max_strings=50_000,
    ),
    "accounts": Limit(
        "人员账号", 2 * MB, max_rows=5_000, max_unpacked=20 * MB, max_part=15 * MB,
        max_tags=1_000_000, max_strings=50_000,
    ),
    "investment": Limit(
        "项目完成投资", 5 * MB, max_rows=5_000, max_unpacked=20 * MB, max_part=15 * MB,
        max_tags=1_000_000, max_strings=50_000,
    ),
    # A report of 100 pages is about 60,000 characters and 250,000 tags. 250,000 characters pasted stay
    # under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) however the form is encoded, so that a paste
    # over the limit meets this message, not a bare 400.
    "report_draft": Limit(
        "报告修改稿", 5 * MB, max_unpacked=50 * MB, max_part=20 * MB, max_tags=1_000_000, max_chars=250_000
    ),
    "number_check": Limit(
        "核数报告", 5 * MB, max_unpacked=50 * MB, max_part=20 * MB, max_tags=1_000_000, max_chars=250_000
    ),
    # A township's case ledger of a year: a few thousand rows, sixteen columns.
    "case_ledger": Limit(
        "事件台账", 10 * MB, max_rows=20_000, max_unpacked=50 * MB, max_part=40 * MB,
        max_tags=3_000_000, max_strings=250_000,
    ),
    # Monitoring identifications and benefit grants: one row per household or person.
    "household_history": Limit(
        "监测与救助台账", 10 * MB, max_rows=50_000, max_unpacked=50 * MB, max_part=40 * MB,
        max_tags=3_000_000, max_strings=250_000,
    ),
    # A register's definition (an XLSForm): a few hundred fields and choices on a few small sheets.
    "register_definition": Limit(
        "台账定义", 2 * MB, max_rows=5_000, max_unpacked=20 * MB, max_part=15 * MB,
        max_tags=1_000_000, max_strings=50_000,
    ),
    "photo": Limit("事件照片", 5 * MB, max_pixels=50_000_000, max_files=6),
}  # fmt: skip


def count_text(count: int) -> str:
    """A count as a limit is written in Chinese: 100000 is 10万."""
    return f"{count // 10_000}万" if count >= 10_000 and count % 10_000 == 0 else str(count)


def size_text(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.3g} MB"
    if size >= KB:
        return f"{size / KB:.3g} KB"
    return f"{size} 字节"


def check_size(size: int, name: str, limit: Limit) -> None:
    if size > limit.max_bytes:
        raise UploadRefused(f"文件“{name}”超过{size_text(limit.max_bytes)}，拒绝读取。")


def check_rows(rows: int, name: str, limit: Limit) -> None:
    if rows > limit.max_rows:
        raise UploadRefused(f"文件“{name}”超过{count_text(limit.max_rows)}行，请分批导入。")


def check_text(text: str, what: str, limit: Limit) -> None:
    """`what` names the text: “报告.docx” or 粘贴的文字."""
    if len(text) > limit.max_chars:
        raise UploadRefused(f"{what}超过{count_text(limit.max_chars)}字，请分段核对。")


def read_capped(source: IO[bytes] | bytes, name: str, limit: Limit) -> bytes:
    """The bytes of an uploaded file, reading no more than one byte past its limit."""
    data = source if isinstance(source, bytes) else source.read(limit.max_bytes + 1)
    check_size(len(data), name, limit)
    return data


# --- the zip -------------------------------------------------------------------------------------------

# A row of a sheet, or a shared string, with or without a namespace prefix. A prefix longer than 63
# characters hides the tag from this pattern; the markup then counts towards the piece before it, and a
# row hidden that way is refused as too big rather than let through.
_PIECE = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,63}:)?(row|si)[\s/>]")
# A DTD or entity declaration: never in an Office part, and the way to an entity-expansion bomb.
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_BOM = b"\xef\xbb\xbf"
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError)


def check_archive(data: bytes, name: str, limit: Limit, kind: str) -> None:
    """Refuse an .xlsx or .docx (`kind`) outside `limit` before any parser reads it."""
    if _directory_size(data) > MAX_DIRECTORY:
        raise UploadRefused(f"文件“{name}”包含的部件超过{MAX_PARTS}个，拒绝读取。")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = archive.infolist()
    except _CORRUPT:
        if kind == "docx":
            raise UploadRefused(f"无法读取该 .docx 文件“{name}”：它不是 Word 文档(无法解压)。") from None
        raise UploadRefused(
            f"无法打开该文件“{name}”：它不是 .xlsx 文件(无法解压)，请上传用模板填写的 Excel 文件。"
        ) from None
    with archive:
        _check_directory(parts, name, limit, kind)
        scan = _Markup(name, limit, pieces=kind == "xlsx")
        for part in parts:
            scan.read(archive, part)


def _directory_size(data: bytes) -> int:
    """The size of the central directory, as the zip's end record declares it (0 when there is none:
    zipfile then refuses the file itself)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end == -1 or len(data) < end + 22:
        return 0
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    locator = end - 20  # a Zip64 file keeps the real size in its own end record, found from here
    if size == 0xFFFFFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            size = int.from_bytes(data[record + 40 : record + 48], "little")
    return size


def _check_directory(parts: list[zipfile.ZipInfo], name: str, limit: Limit, kind: str) -> None:
    """What the central directory declares, before a byte is inflated."""
    if len(parts) > MAX_PARTS:
        raise UploadRefused(f"文件“{name}”包含的部件超过{MAX_PARTS}个，拒绝读取。")
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise UploadRefused(f"文件“{name}”已加密，请取消密码保护后再上传。")
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            office = "Excel 保存的 .xlsx" if kind == "xlsx" else "Word 保存的 .docx"
            raise UploadRefused(f"文件“{name}”不是 {office} 文件(压缩方式不支持)，拒绝读取。")
        shown = part.filename if len(part.filename) <= 60 else f"{part.filename[:60]}…"
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UploadRefused(
                f"文件“{name}”中的部件“{shown}”压缩比超过{MAX_RATIO}倍，疑似压缩炸弹，拒绝读取。"
            )
        if part.file_size > limit.max_part:
            raise UploadRefused(
                f"文件“{name}”中的部件“{shown}”解压后超过{size_text(limit.max_part)}，拒绝读取。"
            )
        total += part.file_size
        if total > limit.max_unpacked:
            raise UploadRefused(f"文件“{name}”解压后超过{size_text(limit.max_unpacked)}，拒绝读取。")


class _Markup:
    """Counts the tags of every XML part as it streams past, one chunk at a time.

    A tag is counted by its "<" (a start, an end or an empty tag): a bound on the elements a parser
    builds that costs one pass of `bytes.count`. In a workbook (`pieces`), the tags and bytes are also
    bounded per piece: from one row or shared string to the next, or a whole part that has neither. The
    work per chunk is a few passes in C; Python looks at a piece only when it is long.
    """

    def __init__(self, name: str, limit: Limit, pieces: bool) -> None:
        self.name, self.limit, self.pieces = name, limit, pieces
        self.tags = self.strings = self.rows = 0
        # Where the buffer and the current piece begin in the part, and the piece's tags before it.
        self.offset = self.piece_from = self.piece_tags = 0

    def read(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
        self.rows = self.offset = self.piece_from = self.piece_tags = 0
        carry, read, xml = b"", 0, None
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    # zipfile stops a part at the size the central directory declares (checked above)
                    # and then compares its CRC, so a part that lies about its size ends as corrupt
                    # here after at most that many bytes; the count keeps the promise if it did not.
                    if read > part.file_size:
                        raise zipfile.BadZipFile("longer than declared")
                    if xml is None:
                        xml = self._is_xml(chunk)
                    if not xml:
                        continue
                    buffer = carry + chunk
                    cut = buffer.rfind(b"<")
                    # The last tag may go on in the next chunk: keep it for then, unless what follows
                    # it is so long that its name is surely in this buffer.
                    if cut == -1 or len(buffer) - cut > 4 * KB:
                        cut = len(buffer)
                    self._count(buffer, cut)
                    self.offset += cut
                    carry = buffer[cut:]
        except _CORRUPT:
            raise UploadRefused(f"文件“{self.name}”已损坏(部件大小或校验和与记录不符)，拒绝读取。") from None
        if carry:
            self._count(carry, len(carry))

    def _is_xml(self, chunk: bytes) -> bool | None:
        """None while only white space has been seen; UTF-16 parts (Office writes UTF-8) are refused."""
        if chunk.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00", b"\x00<")):
            raise UploadRefused(f"文件“{self.name}”含有非 UTF-8 编码的部件，拒绝读取。")
        head = chunk.removeprefix(_BOM).lstrip()
        return head.startswith(b"<") if head else None

    def _count(self, buffer: bytes, end: int) -> None:
        if _DECLARATION.search(buffer, 0, end):
            raise UploadRefused(f"文件“{self.name}”含有 DTD 或实体声明，拒绝读取。")
        self.tags += buffer.count(b"<", 0, end)
        if self.tags > self.limit.max_tags:
            raise UploadRefused(
                f"文件“{self.name}”结构过于庞大(XML 标记超过{count_text(self.limit.max_tags)}个)，拒绝读取。"
            )
        if self.pieces:
            self._count_pieces(buffer, end)

    def _count_pieces(self, buffer: bytes, end: int) -> None:
        kinds = _PIECE.findall(buffer, 0, end)
        rows = kinds.count(b"row")
        self.rows, self.strings = self.rows + rows, self.strings + len(kinds) - rows
        if self.rows > EXCEL_MAX_ROWS:
            raise UploadRefused(f"文件“{self.name}”的行号超过 Excel 的上限({EXCEL_MAX_ROWS}行)，拒绝读取。")
        if self.strings > self.limit.max_strings:
            limit = count_text(self.limit.max_strings)
            raise UploadRefused(f"文件“{self.name}”的共享字符串超过{limit}个，拒绝读取。")
        starts = [self.offset + match.start() for match in _PIECE.finditer(buffer, 0, end)] if kinds else []
        edges = [self.piece_from, *starts, self.offset + end]
        longest = max(b - a for a, b in pairwise(edges))
        if longest > MAX_BYTES_IN_ONE:
            raise self._too_big()
        # A piece of n bytes holds at most n tags: only a long one needs counting.
        if longest > MAX_TAGS_IN_ONE:
            for a, b in pairwise(edges[:-1]):  # the pieces that end in this buffer
                if b - a > MAX_TAGS_IN_ONE and self._tags_in(buffer, a, b) > MAX_TAGS_IN_ONE:
                    raise self._too_big()
        # The last piece goes on into the next buffer.
        self.piece_tags = self._tags_in(buffer, edges[-2], edges[-1])
        self.piece_from = edges[-2]
        if self.piece_tags > MAX_TAGS_IN_ONE:
            raise self._too_big()

    def _tags_in(self, buffer: bytes, start: int, end: int) -> int:
        """Tags of the piece from `start` to `end` (offsets in the part), with those before the buffer."""
        before = self.piece_tags if start == self.piece_from else 0
        return before + buffer.count(b"<", max(start - self.offset, 0), end - self.offset)

    def _too_big(self) -> UploadRefused:
        return UploadRefused(f"文件“{self.name}”中有一行(或一个部件)内容过多，拒绝读取。")


# --- empty rows, left out before openpyxl parses them ------------------------------------------------

_NAME = rb"(?:[A-Za-z_][\w.\-]{0,63}:)?"
# A numbered row with no <v> or <is> in it: empty, whatever its cells' formats. Possessive and atomic
# matching keep a failed match from backtracking through the row.
_EMPTY_ROW = re.compile(
    rb"<(" + _NAME + rb")row(?=[\s/>])(?>[^>]*?\sr\s*=)[^>]*+"
    rb"(?:(?<=/)>|>(?:[^<]++|<(?!/?" + _NAME + rb"(?:v|is|row)[\s/>]))*+</\1row\s*>)"
)


class WithoutEmptyRows:
    """A worksheet part, read through this, without the rows that hold no value (no <v> or <is>) and say
    their number (r="…"): openpyxl yields a row the sheet skips as an empty one for a fraction of the
    cost of parsing it, and a sheet of a million formatted empty rows reads in seconds instead of a
    minute. A row without a number is kept, since openpyxl numbers it by counting.

    Each chunk is filtered on its own, in one regular-expression pass: a row cut by a chunk's edge does
    not match and is passed on whole, so leaving rows out never changes what is read, only its cost."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        """The next filtered stretch of the part, at most `size` long; b"" at the end."""
        # As much as the parser asks for (ElementTree asks 16 KB): fed more at once, it keeps more
        # elements alive, and Python's garbage collector slows the whole read by half.
        while chunk := self.stream.read(size if 0 < size < CHUNK else CHUNK):
            if out := _EMPTY_ROW.sub(b"", chunk):
                return out
        return b""

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> WithoutEmptyRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- a cell openpyxl cannot read --------------------------------------------------------------------


def unreadable_number(data: bytes, part: str) -> tuple[str, str] | None:
    """The first number cell of a worksheet part whose stored text is not a number openpyxl can read
    ("NaN", "inf"): its reference and its text. Read only after openpyxl has failed on the part, to
    name the cell; the part has passed `check_archive`."""
    found: list[tuple[str, str]] = []
    cell: dict[str, str] = {}
    text: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "c":
            cell.clear()
            cell.update(r=attributes.get("r", "?"), t=attributes.get("t", "n"))
        elif local == "v":
            text.clear()

    def end(tag: str) -> None:
        if tag.rsplit(" ", 1)[-1] == "v" and cell.get("t") in ("n", "b") and not found:
            value = "".join(text)
            if not _reads_as_number(value, cell["t"]):
                found.append((cell["r"], value))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive, archive.open(part) as stream:
            while (chunk := stream.read(CHUNK)) and not found:
                parser.Parse(chunk, False)
    except (*_CORRUPT, KeyError, expat.ExpatError):
        return None
    return found[0] if found else None


def _reads_as_number(value: str, kind: str) -> bool:
    # As openpyxl reads a stored number: a float when it has a point or an exponent, else an int.
    try:
        if kind == "n" and any(mark in value for mark in ".Ee"):
            float(value)
        else:
            int(value)
    except ValueError:
        return False
    return True
