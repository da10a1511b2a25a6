"""One entry point: recognise a file's format by its content and hand it to the right reader."""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from jixiao.extract import safety
from jixiao.extract.errors import ReadError, UnsupportedFormat
from jixiao.extract.model import Document

SNIFF_BYTES = 64 * 1024
SCAN_CHUNK = 1 << 20  # a text file is searched for HTML tables in pieces this large, not only its head
# web pages, Markdown with HTML tables; Markdown pipe tables (a `|---|---|` separator row at a line start)
_HTML_MARK = re.compile(rb"<(?:table|html|body)\b|<!doctype\s+html", re.I)
_PIPE_RULE = re.compile(rb"\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t]*:?-{3,}")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive
# Formats LibreOffice turns into the format we read.
LEGACY_TARGET = {"doc": "docx", "wps": "docx", "rtf": "docx", "odt": "docx", "et": "xlsx", "ods": "xlsx"}
_ODF_MIMETYPES = {b"application/vnd.oasis.opendocument.text": "odt",
                  b"application/vnd.oasis.opendocument.spreadsheet": "ods"}
# Errors the zip and xlrd libraries raise on damaged input.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


def detect_format(path: str | Path, *, size: int | None = None) -> str:
    """Format by content, not by name: a .docx renamed .doc or a PDF without extension still reads.
    Raises ReadError for what is no report file at all (empty, a directory, binary garbage). size: the
    file's size when the caller has already checked it is a regular file (safety.check_regular_file)."""
    if size is None:
        size = safety.check_regular_file(path)
    if size == 0:
        raise ReadError("empty file (0 bytes)")
    head = _head(path)
    if b"%PDF" in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGICS):
        return _zip_format(path)
    if head.startswith(OLE_MAGIC):
        return _ole_format(path)
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "rtf"
    if looks_like_text(head):
        return "html" if has_html_mark(path) else "txt"
    raise UnsupportedFormat("not a report file: unrecognised binary content")


def read(path: str | Path, *, ocr: str = "auto", ocr_jobs: int = 1, fmt: str | None = None) -> Document:
    """Read any supported file into a Document. `ocr` picks the engine for PDF pages without a text layer
    (auto, rapidocr, tesseract, off); `ocr_jobs` such pages are read at a time. Raises extract.ReadError
    (with a one-line reason); a reader's unexpected exception is turned into one too, so one bad file never
    stops a batch. fmt: the format detect_format gave, when the caller already ran it (it is not sniffed again)."""
    fmt = fmt or detect_format(path)
    try:
        return _read_as(path, fmt, ocr=ocr, ocr_jobs=ocr_jobs)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"could not read {fmt}: out of memory") from None
    except Exception as err:  # noqa: BLE001 - any reader bug or library failure becomes a status row
        raise ReadError(f"could not read {fmt}: {_one_line(err, where=True)}") from err


def _read_as(path: str | Path, fmt: str, *, ocr: str, ocr_jobs: int = 1) -> Document:
    if fmt == "txt":
        from jixiao.extract.txt import read_txt
        return read_txt(path)
    if fmt == "html":
        from jixiao.extract.html import read_html
        return read_html(path)
    if fmt == "pdf":
        from jixiao.extract.pdf import read_pdf
        return read_pdf(path, ocr=ocr, ocr_jobs=ocr_jobs)
    if fmt == "docx":
        check_package(path, safety.DOCX_LIMITS)
        from jixiao.extract.docx import read_docx
        return read_docx(path)
    if fmt == "xlsx":
        check_package(path, safety.XLSX_LIMITS)
        from jixiao.extract.xlsx import read_xlsx
        return read_xlsx(path)
    if fmt == "xls":
        from jixiao.extract.xlsx import read_xls
        return read_xls(path)
    if fmt in LEGACY_TARGET:
        return _read_legacy(path, fmt)
    raise UnsupportedFormat(f"unsupported format: {fmt}")


def _read_legacy(path: str | Path, fmt: str) -> Document:
    """Convert with LibreOffice into a temporary .docx/.xlsx, then read that through the same checks."""
    from jixiao.extract import legacy
    target = LEGACY_TARGET[fmt]
    with legacy.converted(path, target) as converted:
        document = _read_as(converted, target, ocr="off")
    document.source_path = str(path)
    document.format = fmt
    return document


def check_package(path: str | Path, limits: safety.ZipLimits) -> None:
    """Refuse a zip bomb or an XML part with a DOCTYPE before any reader inflates or parses it."""
    try:
        with zipfile.ZipFile(path) as archive:
            safety.check_zip(archive, limits)
            safety.check_xml_parts(archive)
    except ReadError:
        raise
    except _DAMAGED as err:
        raise ReadError(f"damaged Office file: {_one_line(err)}") from None


def looks_like_text(sample: bytes) -> bool:
    """True when a file's first bytes read as text in some encoding: UTF-16/32, or few control bytes
    and a decoding that charset_normalizer (or plain UTF-8 / GB18030) accepts."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(sample):
        return True
    if _control_byte_share(sample) > 0.05:
        return False
    for encoding in ("utf-8", "gb18030"):
        if _decodes_mostly(sample, encoding):
            return True
    from charset_normalizer import from_bytes
    return from_bytes(sample).best() is not None


# C0 control bytes that never appear in text (tab, newlines, form feed, escape and ^Z do).
_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1a\x1b")


def _control_byte_share(sample: bytes) -> float:
    binary = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return binary / max(len(sample), 1)


def _utf16_without_bom(sample: bytes) -> bool:
    """UTF-16 without a mark: NULs (from ASCII such as tabs and newlines) on one side of the byte pairs
    only, and the decoded text mostly Chinese, ASCII and CJK punctuation (random bytes decode to
    characters from everywhere)."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 16:
        return False
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if max(nul_even, nul_odd) < 0.02 or min(nul_even, nul_odd) > 0.02:
        return False
    text = sample[: len(sample) // 2 * 2].decode("utf-16-le" if nul_odd > nul_even else "utf-16-be", "replace")
    texty = sum(1 for ch in text if ch.isascii() and (ch.isprintable() or ch in "\t\n\r")
                or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    return texty >= 0.9 * len(text)


def _decodes_mostly(sample: bytes, encoding: str) -> bool:
    """At most 1% of characters undecodable (a sample cut mid-character, or a few stray bytes)."""
    text = sample.decode(encoding, errors="replace")
    return text.count("\ufffd") <= max(2, len(text) // 100)


def _zip_format(path: str | Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except _DAMAGED as err:
        raise ReadError(f"damaged Office file: not a readable zip package ({_one_line(err)})") from None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if mimetype.strip() in _ODF_MIMETYPES:
        return _ODF_MIMETYPES[mimetype.strip()]
    raise UnsupportedFormat("not a report file: a zip archive with no Word or Excel document in it")


def _ole_format(path: str | Path) -> str:
    """Legacy Office (OLE2 compound file): which streams it holds tells Word from Excel."""
    from xlrd.compdoc import CompDoc
    try:
        with open(path, "rb") as fh, open(os.devnull, "w") as quiet:
            streams = {entry.name for entry in CompDoc(fh.read(), logfile=quiet).dirlist}
    except Exception as err:  # noqa: BLE001 - xlrd raises its own CompDocError and assorted others
        raise ReadError(f"damaged legacy Office file: {_one_line(err)}") from None
    suffix = Path(path).suffix.lower().lstrip(".")
    if "EncryptedPackage" in streams:
        raise ReadError("password-protected Office document: remove the password and rerun")
    if "WordDocument" in streams:
        return "wps" if suffix == "wps" else "doc"
    if "Workbook" in streams or "Book" in streams:
        return "et" if suffix == "et" else "xls"
    return suffix if suffix in LEGACY_TARGET else "doc"  # let LibreOffice try what it knows


def has_html_mark(path: str | Path) -> bool:
    """An HTML page, or text carrying an HTML table anywhere: Markdown from a PDF converter may open with
    pages of prose before its first <table> (a mark past the sniffed head was read as plain text)."""
    overlap = 64  # longer than any mark, so one cut in two by a piece boundary is still found
    tail = b""
    try:
        with open(path, "rb") as fh:
            while piece := fh.read(SCAN_CHUNK):
                text = tail + piece  # the rule tried at every line start only where a --- is (most text has none)
                if _HTML_MARK.search(text) or b"---" in text and _PIPE_RULE.search(text):
                    return True
                tail = piece[-overlap:]
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}") from None
    return False


def _head(path: str | Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}") from None


def _one_line(err: BaseException, where: bool = False) -> str:
    """An exception as one line: its type, first line of message, and (for bugs) where it was raised."""
    message = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
    text = f"{type(err).__name__}{': ' + message if message else ''}"
    tb = err.__traceback__
    while where and tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if where and tb is not None:
        text += f" ({Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno})"
    return text
