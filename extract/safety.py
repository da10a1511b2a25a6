"""Checks that run before a reader touches a file: a zip is refused by its central directory before anything
is inflated, and XML parts that declare a DOCTYPE (entities, external files) are refused before parsing."""
from __future__ import annotations

import codecs
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jixiao.extract.errors import ReadError

MiB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on what a .docx/.xlsx may inflate to. Python's zipfile never yields more than the size a
    member declares in the central directory (it stops there and fails the CRC), so checking the declared
    sizes bounds the memory the readers can use."""

    max_members: int = 20_000
    max_member_bytes: int = 128 * MiB  # lxml holds a few times the XML's size; real document.xml < 50 MiB
    max_total_bytes: int = 512 * MiB  # python-docx loads every part (images too) into memory
    max_ratio: float = 200.0  # repetitive XML compresses ~10-50x; bombs compress 1000x and more
    ratio_applies_above: int = 8 * MiB  # small parts may compress arbitrarily well; harmless anyway


DOCX_LIMITS = ZipLimits()
XLSX_LIMITS = ZipLimits(max_member_bytes=32 * MiB, max_total_bytes=256 * MiB)  # openpyxl: ~300 B per cell


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def check_regular_file(path: str | Path) -> int:
    """The file's size, after making sure it is a regular file we may open (a FIFO would block open()).
    Raises ReadError with a one-line reason otherwise."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError("cannot read: file not found (a dangling symlink?)") from None
    except PermissionError:
        raise ReadError("cannot read: permission denied") from None
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("cannot read: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("cannot read: not a regular file (a pipe, socket or device)")
    if not os.access(path, os.R_OK):
        raise ReadError("cannot read: permission denied")
    return st.st_size


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse a zip whose central directory promises too much: too many members, a member or the whole
    inflating past the bounds, or a large member compressed suspiciously well (a zip bomb)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ReadError(f"refused: zip holds {len(members)} members (limit {limits.max_members})")
    total = 0
    for info in members:
        size = info.file_size
        total += size
        if size > limits.max_member_bytes:
            raise ReadError(f"refused: zip member {info.filename} would inflate to {human_bytes(size)} "
                            f"(limit {human_bytes(limits.max_member_bytes)}); a zip bomb?")
        ratio = size / max(info.compress_size, 1)
        if size > limits.ratio_applies_above and ratio > limits.max_ratio:
            raise ReadError(f"refused: zip member {info.filename} compresses {ratio:.0f}:1 "
                            f"({human_bytes(size)} from {human_bytes(info.compress_size)}); a zip bomb?")
    if total > limits.max_total_bytes:
        raise ReadError(f"refused: zip would inflate to {human_bytes(total)} in all "
                        f"(limit {human_bytes(limits.max_total_bytes)}); a zip bomb?")


# Byte-order marks (stripped), then the first bytes of "<?" without a mark, per XML 1.0 appendix F.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_UNMARKED = (
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
PROLOG_BYTES = 64 * 1024


def _decode_head(head: bytes) -> str:
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return head[len(mark):].decode(encoding, errors="replace")
    for start, encoding in _UNMARKED:
        if head.startswith(start):
            return head.decode(encoding, errors="replace")
    return head.decode("latin-1")  # every ASCII-compatible encoding spells the markup in ASCII


def xml_prolog_problem(head: bytes) -> str | None:
    """Why an XML part's beginning is refused, or None. Everything before the root element must be
    whitespace, the XML declaration, comments or processing instructions: a DOCTYPE (the only place
    entities can be declared) or anything unrecognisable is refused, whatever the parser would do."""
    text = _decode_head(head)
    pos = 0
    while (match := _PROLOG_ITEM.match(text, pos)) and match.end() > pos:
        pos = match.end()
    if text.startswith("<!DOCTYPE", pos) or text.startswith("<!ENTITY", pos):
        return "declares a DOCTYPE (XML entities are not allowed in report files)"
    if pos >= len(text) and len(head) >= PROLOG_BYTES:
        return f"has no root element in its first {PROLOG_BYTES // 1024} KiB"
    if not text.strip() and len(head) < PROLOG_BYTES:
        return None  # an empty part: the reader reports it if it matters
    if not text.startswith("<", pos) or text.startswith("<!", pos):
        return "does not start like XML"
    return None


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a package any of whose XML parts declares a DOCTYPE, before any parser sees it."""
    for info in archive.infolist():
        name = info.filename.lower()
        if info.is_dir() or not name.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            head = part.read(PROLOG_BYTES)
        problem = xml_prolog_problem(head)
        if problem:
            raise ReadError(f"refused: {info.filename} {problem}")
