"""One entry point: recognise a file's format by its content and hand it to the right reader."""
from __future__ import annotations

from pathlib import Path

from extract.errors import UnsupportedFormat
from extract.model import Document


def detect_format(path: str | Path) -> str:
    """Format by content, not by name: a .docx renamed .doc or a PDF without extension still reads."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # refined to xlsx by the zip's members in the docx/xlsx readers
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc / .xls / .wps
    return "txt"


def read(path: str | Path, *, ocr: bool = False) -> Document:
    """Read any supported file into a Document. Raises extract.ReadError (with a one-line reason)."""
    fmt = detect_format(path)
    if fmt == "txt":
        from extract.txt import read_txt
        return read_txt(path)
    if fmt == "docx":
        from extract.docx import read_docx
        return read_docx(path)
    if fmt == "pdf":
        from extract.pdf import read_pdf
        return read_pdf(path, ocr=ocr)
    raise UnsupportedFormat(f"unsupported format: {fmt}")
